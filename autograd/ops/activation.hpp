// Activation functions.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

// tanh(x) elementwise; gradient 1 - tanh(x)^2.
Tensor tanh(const Tensor& x);
// 1 / (1 + e^-x) elementwise.
Tensor sigmoid(const Tensor& x);
Tensor relu(const Tensor& x);                                  // gradient 0 at the kink x = 0
// x where x > 0, else negative_slope * x.
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.01);
// x where x > 0, else alpha (e^x - 1).
Tensor elu(const Tensor& x, double alpha = 1.0);
// log(1 + exp(beta x)) / beta, and x itself where beta x > threshold.
Tensor softplus(const Tensor& x, double beta = 1.0, double threshold = 20.0);
// Exact GELU: x Phi(x), Phi the standard normal CDF.
Tensor gelu(const Tensor& x);

// The backward maps of relu and sigmoid, each one pass (relu and sigmoid use
// them; public so that their own gradients are gradchecked). Same shapes required.
// grad where x > 0, else 0; x is relu's input or its output (same sign test).
Tensor relu_backward(const Tensor& grad, const Tensor& x);
// grad y (1 - y), y = sigmoid's output.
Tensor sigmoid_backward(const Tensor& grad, const Tensor& y);

}  // namespace lg
