// Elementwise math. Forward and derivative (g is the incoming gradient, y the output):
//   exp: g y     log: g / x      log1p: g / (1 + x)    expm1: g (y + 1)
//   sqrt: g / (2 y)    rsqrt: -g y^3 / 2    abs: g sign(x), 0 at the kink x = 0
//   sin: g cos(x)      cos: -g sin(x)       erf: g 2/sqrt(pi) exp(-x^2)
// The forward rules are the same derivatives times the tangent dx: exp: dx y, log: dx / x, ...
#include "autograd/ops/unary.hpp"

#include <cmath>

#include "autograd/forward_mode.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/op_helpers.hpp"

namespace lg {
namespace {

Tensor unary_forward(std::string_view op, kernel::Unary kind, const Tensor& x) {
  detail::check_defined(op, x);
  detail::check_floating(op, x);
  Tensor out = empty_like(x);
  kernel::unary(kind, x, out);
  return out;
}

}  // namespace

Tensor exp(const Tensor& x) {
  return record("exp", unary_forward("exp", kernel::Unary::exp, x), {x},
                [](const Tangents& t, const Tensor& y) { return t[0] * y; },
                [](const Tensor& g, const Tensor& y, const NeedsGrad&) -> Grads { return {g * y}; }, true);
}

Tensor log(const Tensor& x) {
  return record("log", unary_forward("log", kernel::Unary::log, x), {x},
                [&x](const Tangents& t, const Tensor&) { return t[0] / x; },
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {g / sx.get("log")};
                });
}

Tensor log1p(const Tensor& x) {
  return record("log1p", unary_forward("log1p", kernel::Unary::log1p, x), {x},
                [&x](const Tangents& t, const Tensor&) { return t[0] / (x + 1.0); },
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {g / (sx.get("log1p") + 1.0)};
                });
}

Tensor expm1(const Tensor& x) {
  return record("expm1", unary_forward("expm1", kernel::Unary::expm1, x), {x},
                [](const Tangents& t, const Tensor& y) { return t[0] * (y + 1.0); },
                [](const Tensor& g, const Tensor& y, const NeedsGrad&) -> Grads { return {g * (y + 1.0)}; }, true);
}

Tensor sqrt(const Tensor& x) {
  return record("sqrt", unary_forward("sqrt", kernel::Unary::sqrt, x), {x},
                [](const Tangents& t, const Tensor& y) { return t[0] * (0.5 / y); },
                [](const Tensor& g, const Tensor& y, const NeedsGrad&) -> Grads { return {g * 0.5 / y}; }, true);
}

Tensor rsqrt(const Tensor& x) {
  return record("rsqrt", unary_forward("rsqrt", kernel::Unary::rsqrt, x), {x},
                [](const Tangents& t, const Tensor& y) { return t[0] * (y * y * y * -0.5); },
                [](const Tensor& g, const Tensor& y, const NeedsGrad&) -> Grads { return {g * (y * y * y) * -0.5}; },
                true);
}

Tensor abs(const Tensor& x) {
  detail::check_defined("abs", x);
  Tensor out = empty_like(x);
  kernel::unary(kernel::Unary::abs, x, out);
  return record("abs", out, {x}, [&x](const Tangents& t, const Tensor&) { return t[0] * sign(x); },
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
    return {g * sign(sx.get("abs"))};
  });
}

Tensor sin(const Tensor& x) {
  return record("sin", unary_forward("sin", kernel::Unary::sin, x), {x},
                [&x](const Tangents& t, const Tensor&) { return t[0] * cos(x); },
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {g * cos(sx.get("sin"))};
                });
}

Tensor cos(const Tensor& x) {
  return record("cos", unary_forward("cos", kernel::Unary::cos, x), {x},
                [&x](const Tangents& t, const Tensor&) { return -(t[0] * sin(x)); },
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {-(g * sin(sx.get("cos")))};
                });
}

Tensor erf(const Tensor& x) {
  return record("erf", unary_forward("erf", kernel::Unary::erf, x), {x},
                [&x](const Tangents& t, const Tensor&) { return t[0] * (exp(-(x * x)) * M_2_SQRTPI); },
                [sx = SavedTensor(x)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& v = sx.get("erf");
                  return {g * exp(-(v * v)) * M_2_SQRTPI};
                });
}

}  // namespace lg
