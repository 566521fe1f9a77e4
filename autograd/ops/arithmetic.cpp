// Arithmetic ops. With broadcasting, d(a op b)/da has b's broadcast shape, so
// every gradient goes through sum_to(grad, input_shape).
//   add: da = g, db = alpha g          sub: da = g, db = -alpha g
//   mul: da = g b, db = g a            div: da = g / b, db = -g a / b^2
//   pow: da = g p a^(p-1), dp = g log(a) a^p (a > 0)
//   maximum: g goes to the larger input (ties: split half and half)
// Forward rules (tangents da, db, lifted over the leading tangent dim, forward_mode.hpp):
//   add: da + alpha db   mul: da b + a db   div: (da - db y) / b   pow: p a^(p-1) da + y log(a) dp
#include "autograd/ops/arithmetic.hpp"

#include "autograd/forward_mode.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/unary.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

Tensor binary_forward(std::string_view op, kernel::Binary kind, const Tensor& a, const Tensor& b, double alpha = 1.0) {
  detail::check_defined(op, a);
  detail::check_defined(op, b);
  detail::check_same_device(op, a, b);
  detail::check_same_dtype(op, a, b);
  Tensor out = empty(broadcast_shapes(op, a.shape(), b.shape()), a.dtype(), a.device());
  kernel::binary(kind, a, b, out, alpha);
  return out;
}

Tensor scalar_like(const Tensor& t, double value) { return scalar_tensor(value, t.dtype(), t.device()); }

}  // namespace

Tensor sum_to(const Tensor& grad, const Shape& shape) {
  if (grad.shape() == shape) return grad;
  const std::int64_t lead = grad.dim() - static_cast<std::int64_t>(shape.size());
  Shape dims;
  for (std::int64_t d = 0; d < grad.dim(); ++d)
    if (d < lead || (shape[d - lead] == 1 && grad.shape()[d] != 1)) dims.push_back(d);
  Tensor summed = dims.empty() ? grad : sum(grad, dims, true);
  return reshape(summed, shape);
}

Tensor add(const Tensor& a, const Tensor& b, double alpha) {
  Tensor out = binary_forward("add", kernel::Binary::add, a, b, alpha);
  const auto forward = [alpha](const Tangents& t, const Tensor& y) {
    const Tensor tb = lift_tangent(t[1], y.dim());
    return add_tangents(lift_tangent(t[0], y.dim()), tb.defined() && alpha != 1.0 ? tb * alpha : tb);
  };
  return record("add", out, {a, b}, forward, [sa = a.shape(), sb = b.shape(), alpha](const Tensor& g, const Tensor&,
                                                                              const NeedsGrad& needs) -> Grads {
    return {needs[0] ? sum_to(g, sa) : Tensor{}, needs[1] ? sum_to(alpha == 1.0 ? g : g * alpha, sb) : Tensor{}};
  });
}

Tensor sub(const Tensor& a, const Tensor& b, double alpha) {
  Tensor out = binary_forward("sub", kernel::Binary::sub, a, b, alpha);
  const auto forward = [alpha](const Tangents& t, const Tensor& y) {
    const Tensor tb = lift_tangent(t[1], y.dim());
    return add_tangents(lift_tangent(t[0], y.dim()), tb.defined() ? tb * -alpha : tb);
  };
  return record("sub", out, {a, b}, forward, [sa = a.shape(), sb = b.shape(), alpha](const Tensor& g, const Tensor&,
                                                                              const NeedsGrad& needs) -> Grads {
    return {needs[0] ? sum_to(g, sa) : Tensor{}, needs[1] ? sum_to(g * -alpha, sb) : Tensor{}};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward("mul", kernel::Binary::mul, a, b);
  const auto forward = [&a, &b](const Tangents& t, const Tensor& y) {
    const Tensor ta = lift_tangent(t[0], y.dim()), tb = lift_tangent(t[1], y.dim());
    return add_tangents(ta.defined() ? ta * b : ta, tb.defined() ? a * tb : tb);
  };
  return record("mul", out, {a, b}, forward, [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g, const Tensor&,
                                                                                 const NeedsGrad& needs) -> Grads {
    const Tensor& x = sa.get("mul");
    const Tensor& y = sb.get("mul");
    return {needs[0] ? sum_to(g * y, x.shape()) : Tensor{}, needs[1] ? sum_to(g * x, y.shape()) : Tensor{}};
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward("div", kernel::Binary::div, a, b);
  const auto forward = [&b](const Tangents& t, const Tensor& y) {
    const Tensor ta = lift_tangent(t[0], y.dim()), tb = lift_tangent(t[1], y.dim());
    return add_tangents(ta, tb.defined() ? -(tb * y) : tb) / b;
  };
  return record("div", out, {a, b}, forward, [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g, const Tensor&,
                                                                                 const NeedsGrad& needs) -> Grads {
    const Tensor& x = sa.get("div");
    const Tensor& y = sb.get("div");
    const Tensor ga = g / y;
    return {needs[0] ? sum_to(ga, x.shape()) : Tensor{}, needs[1] ? sum_to(-ga * x / y, y.shape()) : Tensor{}};
  });
}

Tensor neg(const Tensor& x) {
  detail::check_defined("neg", x);
  Tensor out = empty_like(x);
  kernel::unary(kernel::Unary::neg, x, out);
  return record(
      "neg", out, {x}, [](const Tangents& t, const Tensor&) { return -t[0]; },
      [](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads { return {-g}; });
}

Tensor pow(const Tensor& base, double exponent) {
  detail::check_defined("pow", base);
  detail::check_floating("pow", base);
  Tensor out = empty_like(base);
  kernel::unary(kernel::Unary::pow_scalar, base, out, exponent);
  const auto forward = [&base, exponent](const Tangents& t, const Tensor&) {
    if (exponent == 0.0) return t[0] * 0.0;
    return exponent == 1.0 ? t[0] : t[0] * (pow(base, exponent - 1.0) * exponent);
  };
  return record("pow", out, {base}, forward, [sx = SavedTensor(base), exponent](const Tensor& g, const Tensor&,
                                                                        const NeedsGrad&) -> Grads {
    const Tensor& x = sx.get("pow");
    if (exponent == 0.0) return {zeros_like(x)};
    if (exponent == 1.0) return {g};
    if (exponent == 2.0) return {g * x * 2.0};
    return {g * pow(x, exponent - 1.0) * exponent};
  });
}

Tensor pow(const Tensor& base, const Tensor& exponent) {
  detail::check_defined("pow", base);
  detail::check_floating("pow", base);
  Tensor out = binary_forward("pow", kernel::Binary::pow, base, exponent);
  const auto forward = [&base, &exponent](const Tangents& t, const Tensor& y) {
    const Tensor tb = lift_tangent(t[0], y.dim()), te = lift_tangent(t[1], y.dim());
    return add_tangents(tb.defined() ? tb * (exponent * pow(base, exponent - 1.0)) : tb,
                        te.defined() ? te * (y * log(base)) : te);
  };
  return record(
      "pow", out, {base, exponent}, forward,
      [sb = SavedTensor(base), se = SavedTensor(exponent)](const Tensor& g, const Tensor& y,
                                                          const NeedsGrad& needs) -> Grads {
        const Tensor& x = sb.get("pow");
        const Tensor& p = se.get("pow");
        return {needs[0] ? sum_to(g * p * pow(x, p - 1.0), x.shape()) : Tensor{},
                needs[1] ? sum_to(g * y * log(x), p.shape()) : Tensor{}};
      },
      /*save_output=*/true);
}

namespace {
// Gradient routing for maximum/minimum: the share of a, 1 where a wins, 0.5 on ties.
Tensor share_of_a(const Tensor& a, const Tensor& b, bool is_max) {
  return (is_max ? gt(a, b) : lt(a, b)) + eq(a, b) * 0.5;
}

Grads extremum_backward(const Tensor& g, const Tensor& a, const Tensor& b, bool is_max, const NeedsGrad& needs) {
  const Tensor to_a = share_of_a(a, b, is_max);
  const Tensor to_b = 1.0 - to_a;
  return {needs[0] ? sum_to(g * to_a, a.shape()) : Tensor{}, needs[1] ? sum_to(g * to_b, b.shape()) : Tensor{}};
}
}  // namespace

// The tangents of maximum/minimum: each input's, weighted by its share.
Tensor extremum_forward(const Tangents& t, const Tensor& y, const Tensor& a, const Tensor& b, bool is_max) {
  const Tensor to_a = share_of_a(a, b, is_max);
  const Tensor ta = lift_tangent(t[0], y.dim()), tb = lift_tangent(t[1], y.dim());
  return add_tangents(ta.defined() ? ta * to_a : ta, tb.defined() ? tb * (1.0 - to_a) : tb);
}

Tensor maximum(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward("maximum", kernel::Binary::maximum, a, b);
  const auto forward = [&](const Tangents& t, const Tensor& y) { return extremum_forward(t, y, a, b, true); };
  return record("maximum", out, {a, b}, forward,
                [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g, const Tensor&, const NeedsGrad& needs) {
    return extremum_backward(g, sa.get("maximum"), sb.get("maximum"), true, needs);
  });
}

Tensor minimum(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward("minimum", kernel::Binary::minimum, a, b);
  const auto forward = [&](const Tangents& t, const Tensor& y) { return extremum_forward(t, y, a, b, false); };
  return record("minimum", out, {a, b}, forward,
                [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g, const Tensor&, const NeedsGrad& needs) {
    return extremum_backward(g, sa.get("minimum"), sb.get("minimum"), false, needs);
  });
}

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  detail::check_defined("where", condition);
  detail::check_same_dtype("where", a, b);
  detail::check_same_device("where", a, b);
  detail::check_same_device("where", condition, a);
  const Shape shape = broadcast_shapes("where", condition.shape(), broadcast_shapes("where", a.shape(), b.shape()));
  Tensor out = empty(shape, a.dtype(), a.device());
  kernel::where(condition, a, b, out);
  const auto forward = [&condition](const Tangents& t, const Tensor& y) {
    const Tensor zero = zeros({}, y.dtype(), y.device());
    const Tensor ta = lift_tangent(t[0], y.dim()), tb = lift_tangent(t[1], y.dim());
    return where(condition, ta.defined() ? ta : zero, tb.defined() ? tb : zero);
  };
  return record("where", out, {a, b}, forward, [c = condition.detach(), sa = a.shape(), sb = b.shape()](
                                          const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
    const Tensor zero = zeros({}, g.dtype(), g.device());
    return {needs[0] ? sum_to(where(c, g, zero), sa) : Tensor{}, needs[1] ? sum_to(where(c, zero, g), sb) : Tensor{}};
  });
}

Tensor clamp(const Tensor& x, double low, double high) {
  detail::check_defined("clamp", x);
  check<ValueError>(!(low > high), "clamp", "low bound ", low, " is above high bound ", high);
  Tensor out = empty_like(x);
  kernel::unary(kernel::Unary::clamp, x, out, low, high);
  const auto forward = [&x, low, high](const Tangents& t, const Tensor&) {
    Tensor pass = empty_like(x);
    kernel::unary(kernel::Unary::inside, x, pass, low, high);
    return t[0] * pass;
  };
  return record("clamp", out, {x}, forward, [sx = SavedTensor(x), low, high](const Tensor& g, const Tensor&,
                                                                     const NeedsGrad&) -> Grads {
    const Tensor& v = sx.get("clamp");
    Tensor pass = empty_like(v);
    kernel::unary(kernel::Unary::inside, v, pass, low, high);
    return {g * pass};
  });
}

Tensor atan2(const Tensor& y, const Tensor& x) {
  detail::check_defined("atan2", y);
  detail::check_floating("atan2", y);
  Tensor out = binary_forward("atan2", kernel::Binary::atan2, y, x);
  // d atan2(y, x) = (x dy - y dx) / (x^2 + y^2)
  const auto forward = [&y, &x](const Tangents& t, const Tensor& angle) {
    const Tensor ty = lift_tangent(t[0], angle.dim()), tx = lift_tangent(t[1], angle.dim());
    return add_tangents(ty.defined() ? ty * x : ty, tx.defined() ? -(tx * y) : tx) / (x * x + y * y);
  };
  return record("atan2", out, {y, x}, forward,
                [sy = SavedTensor(y), sx = SavedTensor(x)](const Tensor& g, const Tensor&,
                                                           const NeedsGrad& needs) -> Grads {
    const Tensor& y_in = sy.get("atan2");
    const Tensor& x_in = sx.get("atan2");
    const Tensor scale = g / (x_in * x_in + y_in * y_in);
    return {needs[0] ? sum_to(scale * x_in, y_in.shape()) : Tensor{},
            needs[1] ? sum_to(-(scale * y_in), x_in.shape()) : Tensor{}};
  });
}

namespace {
Tensor compare(std::string_view op, kernel::Binary kind, const Tensor& a, const Tensor& b) {
  return binary_forward(op, kind, a, b);  // never recorded: comparisons have no gradient
}
}  // namespace

Tensor eq(const Tensor& a, const Tensor& b) { return compare("eq", kernel::Binary::eq, a, b); }
Tensor ne(const Tensor& a, const Tensor& b) { return compare("ne", kernel::Binary::ne, a, b); }
Tensor lt(const Tensor& a, const Tensor& b) { return compare("lt", kernel::Binary::lt, a, b); }
Tensor le(const Tensor& a, const Tensor& b) { return compare("le", kernel::Binary::le, a, b); }
Tensor gt(const Tensor& a, const Tensor& b) { return compare("gt", kernel::Binary::gt, a, b); }
Tensor ge(const Tensor& a, const Tensor& b) { return compare("ge", kernel::Binary::ge, a, b); }
Tensor sign(const Tensor& x) {
  Tensor out = empty_like(x);
  kernel::unary(kernel::Unary::sign, x, out);
  return out;
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& x) { return neg(x); }
Tensor operator+(const Tensor& a, double b) { return add(a, scalar_like(a, b)); }
Tensor operator-(const Tensor& a, double b) { return sub(a, scalar_like(a, b)); }
Tensor operator*(const Tensor& a, double b) { return mul(a, scalar_like(a, b)); }
Tensor operator/(const Tensor& a, double b) { return div(a, scalar_like(a, b)); }
Tensor operator+(double a, const Tensor& b) { return add(scalar_like(b, a), b); }
Tensor operator-(double a, const Tensor& b) { return sub(scalar_like(b, a), b); }
Tensor operator*(double a, const Tensor& b) { return mul(scalar_like(b, a), b); }
Tensor operator/(double a, const Tensor& b) { return div(scalar_like(b, a), b); }
Tensor operator>(const Tensor& a, double b) { return gt(a, scalar_like(a, b)); }
Tensor operator<(const Tensor& a, double b) { return lt(a, scalar_like(a, b)); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }

}  // namespace lg
