// Dropout (inverted): in training, y = x * m / (1 - p) with m ~ Bernoulli(1 - p)
// per element, so E[y] = x and evaluation needs no rescaling; in evaluation
// y = x. The gradient is g * m / (1 - p) (the mask is a constant). p = 1 gives
// zeros. The mask is drawn from `generator`, or the default one when null.
#pragma once
#include "autograd/random.hpp"
#include "nn/module.hpp"

namespace lg::nn {

struct DropoutOptions {
  double p = 0.5;
  Generator* generator = nullptr;
};

class Dropout : public Module {
 public:
  explicit Dropout(const DropoutOptions& options = {});
  Tensor forward(const Tensor& x) const;
  double p() const { return options_.p; }

 private:
  DropoutOptions options_;
};

}  // namespace lg::nn
