// Activations. Derivatives (g incoming gradient, y output):
//   tanh: g (1 - y^2)          sigmoid: g y (1 - y)
//   relu: g [x > 0]            leaky_relu: g [x > 0] + slope g [x <= 0]
//   elu: g for x > 0, g alpha exp(x) otherwise
//   softplus: g sigmoid(beta x), g where beta x > threshold
//   gelu: g (Phi(x) + x phi(x)), phi the standard normal density
// Kinks (relu, leaky_relu, elu at 0) take the left derivative.
// relu and sigmoid apply their derivative through ops of their own, one pass
// each instead of a mask (or 1 - y) and then a product:
//   relu_backward(g, x) = g [x > 0]:     d/dg = [x > 0], d/dx = 0 (x only selects)
//   sigmoid_backward(g, y) = g y (1 - y): d/dg = y (1 - y), d/dy = g (1 - 2 y)
// Forward rules: the same derivatives times the tangent (tanh: dx (1 - y^2), relu: dx [x > 0], ...).
#include "autograd/ops/activation.hpp"

#include <cmath>

#include "autograd/forward_mode.hpp"
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

Tensor backward_map(std::string_view op, kernel::Binary kind, const Tensor& grad, const Tensor& v,
                    const char* role) {
  detail::check_defined(op, grad);
  detail::check_defined(op, v);
  detail::check_same_device(op, grad, v);
  detail::check_same_dtype(op, grad, v);
  detail::check_floating(op, grad);
  check<ShapeError>(grad.shape() == v.shape(), op, "grad ", shape_str(grad.shape()), " and ", role, " ",
                    shape_str(v.shape()), " must have the same shape");
  Tensor out = empty(grad.shape(), grad.dtype(), grad.device());
  kernel::binary(kind, grad, v, out);
  return out;
}

// 0/1 mask of x > threshold, as a constant.
Tensor above(const Tensor& x, double threshold) {
  Tensor mask = empty_like(x);
  kernel::unary(kernel::Unary::gt_scalar, x, mask, threshold);
  return mask;
}

// d gelu / dx = Phi(x) + x phi(x), phi the standard normal density and Phi its distribution function.
Tensor gelu_derivative(const Tensor& x) {
  const Tensor cdf = (erf(x * M_SQRT1_2) + 1.0) * 0.5;
  const Tensor pdf = exp(x * x * -0.5) * (0.5 * M_2_SQRTPI * M_SQRT1_2);
  return cdf + x * pdf;
}

}  // namespace

Tensor tanh(const Tensor& x) {
  return record("tanh", activation_forward("tanh", kernel::Unary::tanh, x), {x},
                [](const Tangents& t, const Tensor& y) { return t[0] * (1.0 - y * y); },
                [](const Tensor& g, const Tensor& y, const NeedsGrad&) -> Grads { return {g * (1.0 - y * y)}; }, true);
}

Tensor sigmoid(const Tensor& x) {
  return record("sigmoid", activation_forward("sigmoid", kernel::Unary::sigmoid, x), {x},
                [](const Tangents& t, const Tensor& y) { return t[0] * (y * (1.0 - y)); },
                [](const Tensor& g, const Tensor& y, const NeedsGrad&) -> Grads { return {sigmoid_backward(g, y)}; },
                true);
}

Tensor relu(const Tensor& x) {
  return record("relu", activation_forward("relu", kernel::Unary::relu, x), {x},
                [&x](const Tangents& t, const Tensor&) { return t[0] * above(x, 0.0); },
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {relu_backward(g, sx.get("relu"))};
                });
}

Tensor leaky_relu(const Tensor& x, double negative_slope) {
  const auto forward = [&x, negative_slope](const Tangents& t, const Tensor&) {
    return t[0] * (above(x, 0.0) * (1.0 - negative_slope) + negative_slope);
  };
  return record("leaky_relu", activation_forward("leaky_relu", kernel::Unary::leaky_relu, x, negative_slope), {x},
                forward,
                [sx = SavedTensor(x), negative_slope](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor slope = above(sx.get("leaky_relu"), 0.0) * (1.0 - negative_slope) + negative_slope;
                  return {g * slope};
                });
}

Tensor elu(const Tensor& x, double alpha) {
  const auto forward = [&x, alpha](const Tangents& t, const Tensor&) {
    return where(above(x, 0.0), t[0], t[0] * (exp(x) * alpha));
  };
  return record("elu", activation_forward("elu", kernel::Unary::elu, x, alpha), {x}, forward,
                [sx = SavedTensor(x), alpha](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& v = sx.get("elu");
                  return {where(above(v, 0.0), g, g * exp(v) * alpha)};
                });
}

Tensor softplus(const Tensor& x, double beta, double threshold) {
  check<ValueError>(beta > 0.0, "softplus", "beta must be positive, got ", beta);
  const auto forward = [&x, beta, threshold](const Tangents& t, const Tensor&) {
    return where(above(x * beta, threshold), t[0], t[0] * sigmoid(x * beta));
  };
  return record("softplus", activation_forward("softplus", kernel::Unary::softplus, x, beta, threshold), {x},
                forward,
                [sx = SavedTensor(x), beta, threshold](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& v = sx.get("softplus");
                  return {where(above(v * beta, threshold), g, g * sigmoid(v * beta))};
                });
}

Tensor gelu(const Tensor& x) {
  return record("gelu", activation_forward("gelu", kernel::Unary::gelu, x), {x},
                [&x](const Tangents& t, const Tensor&) { return t[0] * gelu_derivative(x); },
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {g * gelu_derivative(sx.get("gelu"))};
                });
}

Tensor relu_backward(const Tensor& grad, const Tensor& x) {
  Tensor out = backward_map("relu_backward", kernel::Binary::relu_backward, grad, x, "x");
  return record("relu_backward", out, {grad, x},
                [&x](const Tangents& t, const Tensor&) { return t[0].defined() ? t[0] * above(x, 0.0) : t[0]; },
                [sx = SavedTensor(x)](const Tensor& gg, const Tensor&, const NeedsGrad& needs) -> Grads {
                  return {needs[0] ? relu_backward(gg, sx.get("relu_backward")) : Tensor{}, Tensor{}};
                });
}

Tensor sigmoid_backward(const Tensor& grad, const Tensor& y) {
  Tensor out = backward_map("sigmoid_backward", kernel::Binary::sigmoid_backward, grad, y, "y");
  const auto forward = [&grad, &y](const Tangents& t, const Tensor&) {
    return add_tangents(t[0].defined() ? t[0] * (y * (1.0 - y)) : t[0],
                        t[1].defined() ? t[1] * (grad * (1.0 - y * 2.0)) : t[1]);
  };
  return record("sigmoid_backward", out, {grad, y}, forward,
                [sg = SavedTensor(grad), sy = SavedTensor(y)](const Tensor& gg, const Tensor&,
                                                               const NeedsGrad& needs) -> Grads {
                  const Tensor& v = sy.get("sigmoid_backward");
                  return {needs[0] ? sigmoid_backward(gg, v) : Tensor{},
                          needs[1] ? gg * sg.get("sigmoid_backward") * (1.0 - v * 2.0) : Tensor{}};
                });
}

}  // namespace lg
