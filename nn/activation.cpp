// Activation modules: forward to the op of the same name.
#include "nn/activation.hpp"

#include "autograd/ops/activation.hpp"

namespace lg::nn {

Tensor ReLU::forward(const Tensor& x) const { return relu(x); }
Tensor Sigmoid::forward(const Tensor& x) const { return sigmoid(x); }
Tensor Tanh::forward(const Tensor& x) const { return tanh(x); }
Tensor GELU::forward(const Tensor& x) const { return gelu(x); }
Tensor LeakyReLU::forward(const Tensor& x) const { return leaky_relu(x, negative_slope_); }
Tensor ELU::forward(const Tensor& x) const { return elu(x, alpha_); }
Tensor Softplus::forward(const Tensor& x) const { return softplus(x, options_.beta, options_.threshold); }

}  // namespace lg::nn
