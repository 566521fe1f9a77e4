// Reductions. Derivatives:
//   sum: g expanded back over the reduced dims        mean: the same over n
//   max/min along a dim: g at the arg-extreme index (scatter_add into zeros)
//   mean_squared_error(a, b) = sum((a - b)^2) / n:  da = 2 (a - b) g / n,  db = -da
//   mean_binary_cross_entropy_with_logits(x, t) = sum(max(x, 0) - x t + log1p(e^-|x|)) / n:
//     dx = (sigmoid(x) - t) g / n,  dt = -x g / n
// var, std, logsumexp and norm are composites of differentiable ops and have
// no backward of their own. Forward rules reduce the tangents over the same dims (shifted by one for
// the leading tangent dim): sum: sum(dx); max/min along a dim: dx at the arg-extreme index.
#include "autograd/ops/reduce.hpp"

#include <cmath>
#include <limits>

#include "autograd/forward_mode.hpp"
#include "autograd/ops/activation.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/indexing.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/unary.hpp"
#include "autograd/ops/view.hpp"

namespace lg {

std::vector<bool> detail::dim_flags(std::string_view op, const Shape& dims, std::int64_t rank) {
  std::vector<bool> flags(static_cast<std::size_t>(rank), dims.empty());
  for (auto d : dims) {
    const std::int64_t wrapped = wrap_dim(op, d, rank);
    if (rank == 0) continue;
    check<ShapeError>(!flags[wrapped], op, "dim ", wrapped, " appears twice in ", shape_str(dims));
    flags[wrapped] = true;
  }
  return flags;
}

namespace {

Shape reduced_shape(const Shape& shape, const std::vector<bool>& flags, bool keepdim) {
  Shape out;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (!flags[d]) out.push_back(shape[d]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}

std::int64_t reduced_count(const Shape& shape, const std::vector<bool>& flags) {
  std::int64_t n = 1;
  for (std::size_t d = 0; d < shape.size(); ++d)
    if (flags[d]) n *= shape[d];
  return n;
}

// The kernel reduction, with no graph: out has the keepdim shape.
Tensor reduce_values(kernel::Reduce op, const Tensor& x, const std::vector<bool>& flags) {
  Tensor out = empty(reduced_shape(x.shape(), flags, true), x.dtype(), x.device());
  kernel::reduce(op, x, flags, out);
  return out;
}

// The tangent dims of the primal dims flagged for reduction.
Shape tangent_dims(const std::vector<bool>& flags) {
  Shape dims;
  for (std::size_t d = 0; d < flags.size(); ++d)
    if (flags[d]) dims.push_back(static_cast<std::int64_t>(d) + 1);
  return dims;
}

// Tangents [T, shape...] summed over every dim but T: [T].
Tensor sum_tangent_over_primal_dims(const Tensor& tangent) {
  if (tangent.dim() == 1) return tangent;
  Shape dims;
  for (std::int64_t d = 1; d < tangent.dim(); ++d) dims.push_back(d);
  return sum(tangent, dims);
}

}  // namespace

Tensor sum(const Tensor& x, const Shape& dims, bool keepdim) {
  detail::check_defined("sum", x);
  const auto flags = detail::dim_flags("sum", dims, x.dim());
  Tensor kept = reduce_values(kernel::Reduce::sum, x, flags);
  Tensor out = keepdim ? kept : view(kept, reduced_shape(x.shape(), flags, false));
  if (!x.is_floating_point()) return out;
  const auto forward = [&flags, keepdim](const Tangents& t, const Tensor&) {
    const Shape reduced = tangent_dims(flags);
    return reduced.empty() ? t[0] : sum(t[0], reduced, keepdim);
  };
  return record("sum", out, {x}, forward, [from = x.shape(), kept_shape = kept.shape()](const Tensor& g, const Tensor&,
                                                                               const NeedsGrad&) -> Grads {
    return {expand(reshape(g, kept_shape), from)};
  });
}

Tensor sum(const Tensor& x) { return sum(x, {}, false); }

Tensor sum_of_squares(const Tensor& x, const Shape& dims, bool keepdim) {
  constexpr std::string_view op = "sum_of_squares";
  detail::check_defined(op, x);
  detail::check_floating(op, x);
  const auto flags = detail::dim_flags(op, dims, x.dim());
  Tensor squares = empty(x.shape(), x.dtype(), x.device());
  kernel::binary(kernel::Binary::mul, x, x, squares);
  Tensor kept = reduce_values(kernel::Reduce::sum, squares, flags);
  Tensor out = keepdim ? kept : view(kept, reduced_shape(x.shape(), flags, false));
  const auto forward = [&x, &flags, keepdim](const Tangents& t, const Tensor&) {
    const Shape reduced = tangent_dims(flags);
    const Tensor per_element = t[0] * (x * 2.0);
    return reduced.empty() ? per_element : sum(per_element, reduced, keepdim);
  };
  return record(op, out, {x}, forward, [sx = SavedTensor(x), kept_shape = kept.shape()](
                                           const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
    // The factor 2 goes on the reduced g, so that the full-size work is one product.
    return {sx.get("sum_of_squares") * (reshape(g, kept_shape) * 2.0)};
  });
}

Tensor mean(const Tensor& x, const Shape& dims, bool keepdim) {
  detail::check_defined("mean", x);
  detail::check_floating("mean", x);
  const auto flags = detail::dim_flags("mean", dims, x.dim());
  const auto count = static_cast<double>(reduced_count(x.shape(), flags));
  return sum(x, dims, keepdim) * (1.0 / count);
}

Tensor mean(const Tensor& x) { return mean(x, {}, false); }

namespace {

// The checks both fused losses share: two defined floating tensors of one dtype, device and shape.
void check_loss_pair(std::string_view op, const Tensor& first, const Tensor& second, std::string_view first_name,
                     std::string_view second_name) {
  detail::check_defined(op, first);
  detail::check_defined(op, second);
  detail::check_same_device(op, first, second);
  detail::check_same_dtype(op, first, second);
  detail::check_floating(op, first);
  check<ShapeError>(first.shape() == second.shape(), op, first_name, " ", shape_str(first.shape()), " and ",
                    second_name, " ", shape_str(second.shape()), " must have the same shape");
}

// The mean of all of `values`, as a 0-d tensor (no graph: the fused losses record their own node).
Tensor mean_of_all(const Tensor& values) {
  const std::vector<bool> all(static_cast<std::size_t>(values.dim()), true);
  Tensor out = view(reduce_values(kernel::Reduce::sum, values, all), {});
  kernel::binary(kernel::Binary::mul, out,
                 scalar_tensor(1.0 / static_cast<double>(values.numel()), out.dtype(), out.device()), out);
  return out;
}

}  // namespace

// A primitive (the composite mean((a - b)^2) records three nodes, and its
// backward takes five passes over the data; this one's takes two).
Tensor mean_squared_error(const Tensor& a, const Tensor& b) {
  constexpr std::string_view op = "mean_squared_error";
  check_loss_pair(op, a, b, "a", "b");
  Tensor squares = empty(a.shape(), a.dtype(), a.device());
  kernel::binary(kernel::Binary::sub, a, b, squares);
  kernel::binary(kernel::Binary::mul, squares, squares, squares);
  const double count = static_cast<double>(a.numel());
  const auto forward = [&a, &b, count](const Tangents& t, const Tensor&) {
    const Tensor difference = add_tangents(t[0], t[1].defined() ? -t[1] : t[1]);
    return sum_tangent_over_primal_dims(difference * ((a - b) * (2.0 / count)));
  };
  return record(op, mean_of_all(squares), {a, b}, forward, [sa = SavedTensor(a), sb = SavedTensor(b), count](
                                     const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
    const Tensor da = (sa.get("mean_squared_error") - sb.get("mean_squared_error")) * (g * (2.0 / count));
    return {needs[0] ? da : Tensor{}, needs[1] ? -da : Tensor{}};
  });
}

Tensor mean_binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target) {
  constexpr std::string_view op = "mean_binary_cross_entropy_with_logits";
  check_loss_pair(op, logits, target, "logits", "target");
  Tensor losses = empty(logits.shape(), logits.dtype(), logits.device());
  kernel::binary(kernel::Binary::bce_with_logits, logits, target, losses);
  const double count = static_cast<double>(logits.numel());
  const auto forward = [&logits, &target, count](const Tangents& t, const Tensor&) {
    const Tensor per_element = add_tangents(t[0].defined() ? t[0] * (sigmoid(logits) - target) : t[0],
                                            t[1].defined() ? -(t[1] * logits) : t[1]);
    return sum_tangent_over_primal_dims(per_element * (1.0 / count));
  };
  return record(op, mean_of_all(losses), {logits, target}, forward,
                [sx = SavedTensor(logits), st = SavedTensor(target), count](
                                               const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
    const Tensor& x = sx.get("mean_binary_cross_entropy_with_logits");
    const Tensor scale = g * (1.0 / count);
    return {needs[0] ? (sigmoid(x) - st.get("mean_binary_cross_entropy_with_logits")) * scale : Tensor{},
            needs[1] ? -(x * scale) : Tensor{}};
  });
}

Tensor var(const Tensor& x, const Shape& dims, double correction, bool keepdim) {
  detail::check_defined("var", x);
  detail::check_floating("var", x);
  const auto flags = detail::dim_flags("var", dims, x.dim());
  const auto count = static_cast<double>(reduced_count(x.shape(), flags));
  const Tensor centred = x - mean(x, dims, true);
  return sum(centred * centred, dims, keepdim) * (1.0 / std::max(0.0, count - correction));
}

Tensor std(const Tensor& x, const Shape& dims, double correction, bool keepdim) {
  detail::check_defined("std", x);
  detail::dim_flags("std", dims, x.dim());
  return sqrt(var(x, dims, correction, keepdim));
}

Tensor logsumexp(const Tensor& x, const Shape& dims, bool keepdim) {
  detail::check_defined("logsumexp", x);
  detail::check_floating("logsumexp", x);
  const auto flags = detail::dim_flags("logsumexp", dims, x.dim());
  // The shift m is a constant: d/dx of log(sum(exp(x - m))) + m does not depend on m.
  Tensor shift = reduce_values(kernel::Reduce::max, x, flags);
  Tensor finite_shift = empty_like(shift);
  kernel::unary(kernel::Unary::clamp, shift, finite_shift, -std::numeric_limits<double>::max(),
                std::numeric_limits<double>::max());  // all -inf rows shift by a finite value
  Tensor out = log(sum(exp(x - finite_shift), dims, true)) + finite_shift;
  return keepdim ? out : reshape(out, reduced_shape(x.shape(), flags, false));
}

Tensor norm(const Tensor& x, double p, const Shape& dims, bool keepdim) {
  detail::check_defined("norm", x);
  detail::check_floating("norm", x);
  detail::dim_flags("norm", dims, x.dim());
  if (p == 1.0) return sum(abs(x), dims, keepdim);
  check<ValueError>(p == 2.0, "norm", "p must be 1 or 2, got ", p);
  return sqrt(sum(x * x, dims, keepdim));
}

namespace {

ValuesIndices extreme(std::string_view op, kernel::Reduce kind, const Tensor& x, std::int64_t dim, bool keepdim) {
  detail::check_defined(op, x);
  const std::int64_t rank = x.dim();
  if (rank == 0) {
    Tensor index = zeros({}, int64, x.device());
    return {record(op, clone(x).detach(), {x}, [](const Tangents& t, const Tensor&) { return t[0]; },
                   [](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads { return {g}; }),
            index};
  }
  dim = wrap_dim(op, dim, rank);
  check<ShapeError>(x.shape()[dim] > 0, op, "cannot reduce dim ", dim, " of size 0 (shape ", shape_str(x.shape()),
                    ")");
  Shape kept_shape = x.shape();
  kept_shape[dim] = 1;
  Tensor values = empty(kept_shape, x.dtype(), x.device());
  Tensor indices = empty(kept_shape, int64, x.device());
  kernel::arg_reduce(kind, x, dim, values, indices);
  if (!keepdim) {
    values = squeeze(values, dim);
    indices = squeeze(indices, dim);
  }
  if (!x.is_floating_point()) return {values, indices};
  const auto forward = [&](const Tangents& t, const Tensor&) {
    const Tensor index = contiguous(expand(reshape(indices, kept_shape), tangent_shape(t[0].size(0), kept_shape)));
    const Tensor picked = gather(t[0], dim + 1, index);
    return keepdim ? picked : squeeze(picked, dim + 1);
  };
  values = record(op, values, {x}, forward, [from = x.shape(), dim, kept_shape, index = indices](
                                       const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
    return {scatter_add(zeros(from, g.dtype(), g.device()), dim, reshape(index, kept_shape), reshape(g, kept_shape))};
  });
  return {values, indices};
}

}  // namespace

ValuesIndices max(const Tensor& x, std::int64_t dim, bool keepdim) {
  return extreme("max", kernel::Reduce::max, x, dim, keepdim);
}
ValuesIndices min(const Tensor& x, std::int64_t dim, bool keepdim) {
  return extreme("min", kernel::Reduce::min, x, dim, keepdim);
}
Tensor max(const Tensor& x) { return max(reshape(x, {-1}), 0).values; }
Tensor min(const Tensor& x) { return min(reshape(x, {-1}), 0).values; }
Tensor argmax(const Tensor& x, std::int64_t dim, bool keepdim) { return max(x.detach(), dim, keepdim).indices; }
Tensor argmin(const Tensor& x, std::int64_t dim, bool keepdim) { return min(x.detach(), dim, keepdim).indices; }

}  // namespace lg
