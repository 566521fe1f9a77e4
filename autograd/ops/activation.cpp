// Activations. Derivatives (g incoming gradient, y output):
//   tanh: g (1 - y^2)          sigmoid: g y (1 - y)
//   relu: g [x > 0]            leaky_relu: g [x > 0] + slope g [x <= 0]
//   elu: g for x > 0, g alpha exp(x) otherwise
//   softplus: g sigmoid(beta x), g where beta x > threshold
//   gelu: g (Phi(x) + x phi(x)), phi the standard normal density
// Kinks (relu, leaky_relu, elu at 0) take the left derivative.
#include "autograd/ops/activation.hpp"

#include <cmath>

#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/unary.hpp"

namespace lg {
namespace {

Tensor activation_forward(std::string_view op, kernel::Unary kind, const Tensor& x, double alpha = 0.0,
                          double beta = 0.0) {
  detail::check_defined(op, x);
  detail::check_floating(op, x);
  Tensor out = empty_like(x);
  kernel::unary(kind, x, out, alpha, beta);
  return out;
}

// 0/1 mask of x > threshold, as a constant.
Tensor above(const Tensor& x, double threshold) {
  Tensor mask = empty_like(x);
  kernel::unary(kernel::Unary::gt_scalar, x, mask, threshold);
  return mask;
}

}  // namespace

Tensor tanh(const Tensor& x) {
  return record("tanh", activation_forward("tanh", kernel::Unary::tanh, x), {x},
                [](const Tensor& g, const Tensor& y, const NeedsGrad&) -> Grads { return {g * (1.0 - y * y)}; }, true);
}

Tensor sigmoid(const Tensor& x) {
  return record("sigmoid", activation_forward("sigmoid", kernel::Unary::sigmoid, x), {x},
                [](const Tensor& g, const Tensor& y, const NeedsGrad&) -> Grads { return {g * (y * (1.0 - y))}; },
                true);
}

Tensor relu(const Tensor& x) {
  return record("relu", activation_forward("relu", kernel::Unary::relu, x), {x},
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {g * above(sx.get("relu"), 0.0)};
                });
}

Tensor leaky_relu(const Tensor& x, double negative_slope) {
  return record("leaky_relu", activation_forward("leaky_relu", kernel::Unary::leaky_relu, x, negative_slope), {x},
                [sx = SavedTensor(x), negative_slope](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor slope = above(sx.get("leaky_relu"), 0.0) * (1.0 - negative_slope) + negative_slope;
                  return {g * slope};
                });
}

Tensor elu(const Tensor& x, double alpha) {
  return record("elu", activation_forward("elu", kernel::Unary::elu, x, alpha), {x},
                [sx = SavedTensor(x), alpha](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& v = sx.get("elu");
                  return {where(above(v, 0.0), g, g * exp(v) * alpha)};
                });
}

Tensor softplus(const Tensor& x, double beta, double threshold) {
  check<ValueError>(beta > 0.0, "softplus", "beta must be positive, got ", beta);
  return record("softplus", activation_forward("softplus", kernel::Unary::softplus, x, beta, threshold), {x},
                [sx = SavedTensor(x), beta, threshold](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& v = sx.get("softplus");
                  return {where(above(v * beta, threshold), g, g * sigmoid(v * beta))};
                });
}

Tensor gelu(const Tensor& x) {
  return record("gelu", activation_forward("gelu", kernel::Unary::gelu, x), {x},
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& v = sx.get("gelu");
                  const Tensor cdf = (erf(v * M_SQRT1_2) + 1.0) * 0.5;
                  const Tensor pdf = exp(v * v * -0.5) * (0.5 * M_2_SQRTPI * M_SQRT1_2);
                  return {g * (cdf + v * pdf)};
                });
}

}  // namespace lg
