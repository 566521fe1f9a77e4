// Dropout (inverted): in training, y = x * m / (1 - p) with m ~ Bernoulli(1 - p)
// per element, so E[y] = x and evaluation needs no rescaling; in evaluation
// y = x. The gradient is g * m / (1 - p) (the mask is a constant). p = 1 gives
// zeros. The mask is drawn from `generator`, or the default one when null.
#pragma once
#include "autograd/random.hpp"
#include "nn/module.hpp"

namespace lg::nn {

// Options of Dropout.
struct DropoutOptions {
  // Probability of zeroing each element, in [0, 1].
  double p = 0.5;
  // The generator the mask is drawn from; the default one when null.
  Generator* generator = nullptr;
};

// Inverted dropout: in training, zeroes each element with probability p and scales the rest by 1 / (1 - p).
class Dropout : public Module {
 public:
  // Throws ValueError unless p is in [0, 1].
  explicit Dropout(const DropoutOptions& options = {});
  // x times a fresh Bernoulli keep-mask over 1 - p in training; x itself in evaluation or when p = 0.
  Tensor forward(const Tensor& x) const;
  // The probability of zeroing an element.
  double p() const { return options_.p; }

 private:
  DropoutOptions options_;
};

}  // namespace lg::nn
