// One module per activation, each a thin wrapper over the differentiable op of
// the same name in autograd/ops/activation.hpp (the maths is stated there), so
// activations can sit in a Sequential. None has parameters.
#pragma once
#include "nn/module.hpp"

namespace lg::nn {

class ReLU : public Module {
 public:
  Tensor forward(const Tensor& x) const;
};

class Sigmoid : public Module {
 public:
  Tensor forward(const Tensor& x) const;
};

class Tanh : public Module {
 public:
  Tensor forward(const Tensor& x) const;
};

class GELU : public Module {
 public:
  Tensor forward(const Tensor& x) const;
};

class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope_(negative_slope) {}
  Tensor forward(const Tensor& x) const;

 private:
  double negative_slope_;
};

class ELU : public Module {
 public:
  explicit ELU(double alpha = 1.0) : alpha_(alpha) {}
  Tensor forward(const Tensor& x) const;

 private:
  double alpha_;
};

struct SoftplusOptions {
  double beta = 1.0;
  double threshold = 20.0;  // x itself where beta x > threshold
};

class Softplus : public Module {
 public:
  explicit Softplus(const SoftplusOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& x) const;

 private:
  SoftplusOptions options_;
};

}  // namespace lg::nn
