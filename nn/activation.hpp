// One module per activation, each a thin wrapper over the differentiable op of
// the same name in autograd/ops/activation.hpp (the maths is stated there), so
// activations can sit in a Sequential. None has parameters.
#pragma once
#include "nn/module.hpp"

namespace lg::nn {

// Rectified linear unit, max(x, 0) elementwise.
class ReLU : public Module {
 public:
  // Returns relu(x), same shape as x.
  Tensor forward(const Tensor& x) const;
};

// Logistic sigmoid, 1 / (1 + exp(-x)) elementwise.
class Sigmoid : public Module {
 public:
  // Returns sigmoid(x), same shape as x.
  Tensor forward(const Tensor& x) const;
};

// Hyperbolic tangent elementwise.
class Tanh : public Module {
 public:
  // Returns tanh(x), same shape as x.
  Tensor forward(const Tensor& x) const;
};

// Exact GELU, x Phi(x) elementwise with Phi the standard normal CDF.
class GELU : public Module {
 public:
  // Returns gelu(x), same shape as x.
  Tensor forward(const Tensor& x) const;
};

// x where x > 0, negative_slope x elsewhere.
class LeakyReLU : public Module {
 public:
  // Stores the slope used for negative inputs.
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope_(negative_slope) {}
  // Returns leaky_relu(x, negative_slope), same shape as x.
  Tensor forward(const Tensor& x) const;

 private:
  double negative_slope_;
};

// x where x > 0, alpha (exp(x) - 1) elsewhere.
class ELU : public Module {
 public:
  // Stores alpha, the scale of the negative branch.
  explicit ELU(double alpha = 1.0) : alpha_(alpha) {}
  // Returns elu(x, alpha), same shape as x.
  Tensor forward(const Tensor& x) const;

 private:
  double alpha_;
};

// Options of Softplus.
struct SoftplusOptions {
  // Sharpness: the module computes log(1 + exp(beta x)) / beta.
  double beta = 1.0;
  double threshold = 20.0;  // x itself where beta x > threshold
};

// Smooth ReLU, log(1 + exp(beta x)) / beta, and x itself where beta x > threshold.
class Softplus : public Module {
 public:
  // Stores beta and threshold.
  explicit Softplus(const SoftplusOptions& options = {}) : options_(options) {}
  // Returns softplus(x, beta, threshold), same shape as x.
  Tensor forward(const Tensor& x) const;

 private:
  SoftplusOptions options_;
};

}  // namespace lg::nn
