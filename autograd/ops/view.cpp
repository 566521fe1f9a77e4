// Shape ops. A view's backward maps the gradient back to the input's shape:
//   reshape/view/flatten/squeeze: reshape(g, input shape)
//   transpose/permute: the inverse permutation
//   slice/narrow/select: slice_scatter(g) (zeros elsewhere); slice_scatter's backward is slice
//   expand: sum_to(g, input shape)
//   clone/contiguous: g;  to(dtype): g converted back;  to_device: g moved back to the input's device
// A view's forward rule is the same view of the tangents, one dim further along for the leading tangent
// dim: transpose(x, 0, 1) carries transpose(dx, 1, 2); reshape to s carries a reshape to [T, s...].
#include "autograd/ops/view.hpp"

#include <algorithm>

#include "autograd/forward_mode.hpp"
#include "autograd/backend/backend.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/op_helpers.hpp"

namespace lg {
namespace {

Shape infer_shape(std::string_view op, const Shape& requested, std::int64_t numel, const Shape& from) {
  Shape shape = requested;
  std::int64_t known = 1, infer_at = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      check<ShapeError>(infer_at < 0, op, "only one dimension can be -1, got ", shape_str(requested));
      infer_at = static_cast<std::int64_t>(i);
    } else {
      check<ShapeError>(shape[i] >= 0, op, "invalid dimension in ", shape_str(requested));
      known *= shape[i];
    }
  }
  if (infer_at >= 0) {
    check<ShapeError>(known != 0 && numel % known == 0, op, "cannot reshape ", shape_str(from), " into ",
                      shape_str(requested));
    shape[infer_at] = numel / known;
  }
  check<ShapeError>(numel_of(shape) == numel, op, "cannot reshape ", shape_str(from), " (", numel, " elements) into ",
                    shape_str(requested));
  return shape;
}

// Strides for viewing x as `shape` without copying, if they exist (the
// algorithm of NumPy's _attempt_nocopy_reshape: match groups of dims).
std::optional<Shape> view_strides(const Tensor& x, const Shape& shape) {
  if (x.numel() == 0 || x.is_contiguous()) return contiguous_strides(shape);
  Shape old_shape, old_strides;
  for (std::int64_t d = 0; d < x.dim(); ++d)
    if (x.shape()[d] != 1) {
      old_shape.push_back(x.shape()[d]);
      old_strides.push_back(x.strides()[d]);
    }
  Shape strides(shape.size(), 0);
  std::size_t oi = 0, ni = 0;
  while (ni < shape.size() && oi < old_shape.size()) {
    if (shape[ni] == 1) {
      strides[ni] = 1;
      ++ni;
      continue;
    }
    std::size_t oj = oi + 1, nj = ni + 1;
    std::int64_t old_prod = old_shape[oi], new_prod = shape[ni];
    while (old_prod != new_prod) {
      if (old_prod < new_prod) old_prod *= old_shape[oj++];
      else new_prod *= shape[nj++];
    }
    for (std::size_t k = oi; k + 1 < oj; ++k)
      if (old_strides[k] != old_strides[k + 1] * old_shape[k + 1]) return std::nullopt;
    strides[nj - 1] = old_strides[oj - 1];
    for (std::size_t k = nj - 1; k-- > ni;) strides[k] = strides[k + 1] * shape[k + 1];
    oi = oj;
    ni = nj;
  }
  for (; ni < shape.size(); ++ni) strides[ni] = 1;
  return strides;
}

Grads reshape_back(const Tensor& g, const Shape& shape) { return {reshape(g, shape)}; }

}  // namespace

Tensor view(const Tensor& x, const Shape& requested) {
  detail::check_defined("view", x);
  const Shape shape = infer_shape("view", requested, x.numel(), x.shape());
  auto strides = view_strides(x, shape);
  check<ShapeError>(strides.has_value(), "view", "cannot view ", shape_str(x.shape()), " with strides ",
                    shape_str(x.strides()), " as ", shape_str(shape), "; use reshape, which copies");
  return record("view", detail::alias(x, shape, *strides, x.offset()), {x},
                [&shape](const Tangents& t, const Tensor&) {
                  return reshape(t[0], tangent_shape(t[0].size(0), shape));
                },
                [from = x.shape()](const Tensor& g, const Tensor&, const NeedsGrad&) { return reshape_back(g, from); });
}

Tensor reshape(const Tensor& x, const Shape& requested) {
  detail::check_defined("reshape", x);
  const Shape shape = infer_shape("reshape", requested, x.numel(), x.shape());
  if (shape == x.shape()) return x;
  if (view_strides(x, shape)) return view(x, shape);
  return view(contiguous(x), shape);
}

Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1) {
  detail::check_defined("transpose", x);
  if (x.dim() < 2 && dim0 == 0 && dim1 == 0) return x;
  dim0 = wrap_dim("transpose", dim0, x.dim());
  dim1 = wrap_dim("transpose", dim1, x.dim());
  Shape shape = x.shape(), strides = x.strides();
  std::swap(shape[dim0], shape[dim1]);
  std::swap(strides[dim0], strides[dim1]);
  return record("transpose", detail::alias(x, shape, strides, x.offset()), {x},
                [dim0, dim1](const Tangents& t, const Tensor&) { return transpose(t[0], dim0 + 1, dim1 + 1); },
                [dim0, dim1](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {transpose(g, dim0, dim1)};
                });
}

Tensor permute(const Tensor& x, const Shape& dims) {
  detail::check_defined("permute", x);
  check<ShapeError>(static_cast<std::int64_t>(dims.size()) == x.dim(), "permute", "got ", dims.size(),
                    " dims ", shape_str(dims), " for a tensor of shape ", shape_str(x.shape()));
  Shape shape(dims.size()), strides(dims.size()), inverse(dims.size(), -1);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const std::int64_t d = wrap_dim("permute", dims[i], x.dim());
    check<ShapeError>(inverse[d] < 0, "permute", "dim ", d, " repeated in ", shape_str(dims));
    inverse[d] = static_cast<std::int64_t>(i);
    shape[i] = x.shape()[d];
    strides[i] = x.strides()[d];
  }
  const auto forward = [&dims, &x](const Tangents& t, const Tensor&) {
    Shape shifted{0};
    for (const std::int64_t d : dims) shifted.push_back(wrap_dim("permute", d, x.dim()) + 1);
    return permute(t[0], shifted);
  };
  return record("permute", detail::alias(x, shape, strides, x.offset()), {x}, forward,
                [inverse](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads { return {permute(g, inverse)}; });
}

Tensor slice(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t end, std::int64_t step) {
  detail::check_defined("slice", x);
  check<ShapeError>(x.dim() > 0, "slice", "cannot slice a 0-d tensor");
  dim = wrap_dim("slice", dim, x.dim());
  check<ValueError>(step > 0, "slice", "step must be positive, got ", step);
  const std::int64_t size = x.shape()[dim];
  if (start < 0) start += size;
  if (end < 0) end += size;
  start = std::clamp<std::int64_t>(start, 0, size);
  end = std::clamp<std::int64_t>(end, start, size);
  Shape shape = x.shape(), strides = x.strides();
  shape[dim] = (end - start + step - 1) / step;
  strides[dim] *= step;
  const auto forward = [dim, start, end, step](const Tangents& t, const Tensor&) {
    return slice(t[0], dim + 1, start, end, step);
  };
  return record("slice", detail::alias(x, shape, strides, x.offset() + start * x.strides()[dim]), {x}, forward,
                [from = x.shape(), dim, start, step](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {slice_scatter(g, from, dim, start, step)};
                });
}

Tensor narrow(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t length) {
  detail::check_defined("narrow", x);
  check<ShapeError>(x.dim() > 0, "narrow", "cannot narrow a 0-d tensor");
  const std::int64_t d = wrap_dim("narrow", dim, x.dim());
  check<ShapeError>(start >= 0 && length >= 0 && start + length <= x.shape()[d], "narrow", "range [", start, ", ",
                    start + length, ") is outside dim ", d, " of size ", x.shape()[d], " (shape ",
                    shape_str(x.shape()), ")");
  return slice(x, d, start, start + length, 1);
}

Tensor select(const Tensor& x, std::int64_t dim, std::int64_t index) {
  detail::check_defined("select", x);
  check<ShapeError>(x.dim() > 0, "select", "cannot select from a 0-d tensor");
  dim = wrap_dim("select", dim, x.dim());
  const std::int64_t size = x.shape()[dim];
  check<ShapeError>(index >= -size && index < size, "select", "index ", index, " is out of range for dim ", dim,
                    " of size ", size, " (shape ", shape_str(x.shape()), ")");
  if (index < 0) index += size;
  Shape shape = x.shape(), strides = x.strides();
  shape.erase(shape.begin() + dim);
  strides.erase(strides.begin() + dim);
  const auto forward = [dim, index](const Tangents& t, const Tensor&) { return select(t[0], dim + 1, index); };
  return record("select", detail::alias(x, shape, strides, x.offset() + index * x.strides()[dim]), {x}, forward,
                [from = x.shape(), dim, index](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {slice_scatter(unsqueeze(g, dim), from, dim, index, 1)};
                });
}

Tensor expand(const Tensor& x, const Shape& shape) {
  detail::check_defined("expand", x);
  check<ShapeError>(shape.size() >= static_cast<std::size_t>(x.dim()), "expand", "cannot expand ",
                    shape_str(x.shape()), " to fewer dims ", shape_str(shape));
  const std::size_t lead = shape.size() - static_cast<std::size_t>(x.dim());
  Shape out_shape(shape.size()), strides(shape.size(), 0);
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::int64_t target = shape[i];
    if (i < lead) {
      check<ShapeError>(target >= 0, "expand", "cannot expand ", shape_str(x.shape()), " to ", shape_str(shape));
      out_shape[i] = target;
      continue;
    }
    const std::int64_t have = x.shape()[i - lead];
    check<ShapeError>(target == -1 || target == have || have == 1, "expand", "cannot expand ", shape_str(x.shape()),
                      " to ", shape_str(shape));
    out_shape[i] = target == -1 ? have : target;
    strides[i] = (have == out_shape[i]) ? x.strides()[i - lead] : 0;
  }
  if (out_shape == x.shape()) return x;
  const auto forward = [&out_shape](const Tangents& t, const Tensor&) {
    return expand(lift_tangent(t[0], static_cast<std::int64_t>(out_shape.size())),
                  tangent_shape(t[0].size(0), out_shape));
  };
  return record("expand", detail::alias(x, out_shape, strides, x.offset()), {x}, forward,
                [from = x.shape()](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {sum_to(g, from)};
                });
}

Tensor squeeze(const Tensor& x, std::optional<std::int64_t> dim) {
  detail::check_defined("squeeze", x);
  Shape shape;
  const std::int64_t only = dim ? wrap_dim("squeeze", *dim, x.dim()) : -1;
  for (std::int64_t d = 0; d < x.dim(); ++d)
    if (!(x.shape()[d] == 1 && (only < 0 || d == only))) shape.push_back(x.shape()[d]);
  return reshape(x, shape);
}

Tensor unsqueeze(const Tensor& x, std::int64_t dim) {
  detail::check_defined("unsqueeze", x);
  dim = wrap_dim("unsqueeze", dim, x.dim() + 1);
  Shape shape = x.shape(), strides = x.strides();
  const std::int64_t stride = dim < x.dim() ? x.strides()[dim] * x.shape()[dim] : 1;
  shape.insert(shape.begin() + dim, 1);
  strides.insert(strides.begin() + dim, stride);
  return record("unsqueeze", detail::alias(x, shape, strides, x.offset()), {x},
                [dim](const Tangents& t, const Tensor&) { return unsqueeze(t[0], dim + 1); },
                [from = x.shape()](const Tensor& g, const Tensor&, const NeedsGrad&) { return reshape_back(g, from); });
}

Tensor flatten(const Tensor& x, std::int64_t start_dim, std::int64_t end_dim) {
  detail::check_defined("flatten", x);
  if (x.dim() == 0) return reshape(x, {1});
  start_dim = wrap_dim("flatten", start_dim, x.dim());
  end_dim = wrap_dim("flatten", end_dim, x.dim());
  check<ShapeError>(start_dim <= end_dim, "flatten", "start_dim ", start_dim, " is after end_dim ", end_dim);
  Shape shape(x.shape().begin(), x.shape().begin() + start_dim);
  std::int64_t merged = 1;
  for (std::int64_t d = start_dim; d <= end_dim; ++d) merged *= x.shape()[d];
  shape.push_back(merged);
  shape.insert(shape.end(), x.shape().begin() + end_dim + 1, x.shape().end());
  return reshape(x, shape);
}

Tensor unflatten(const Tensor& x, std::int64_t dim, const Shape& sizes) {
  detail::check_defined("unflatten", x);
  dim = wrap_dim("unflatten", dim, x.dim());
  Shape shape(x.shape().begin(), x.shape().begin() + dim);
  const Shape inner = infer_shape("unflatten", sizes, x.shape()[dim], {x.shape()[dim]});
  shape.insert(shape.end(), inner.begin(), inner.end());
  shape.insert(shape.end(), x.shape().begin() + dim + 1, x.shape().end());
  return reshape(x, shape);
}

Tensor clone(const Tensor& x) {
  detail::check_defined("clone", x);
  Tensor out = empty_like(x);
  kernel::copy(x, out);
  // The tangents are not copied: a value's tangents are never written in place.
  return record(
      "clone", out, {x}, [](const Tangents& t, const Tensor&) { return t[0]; },
      [](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads { return {g}; });
}

Tensor contiguous(const Tensor& x) {
  detail::check_defined("contiguous", x);
  return x.is_contiguous() ? x : clone(x);
}

Tensor to_dtype(const Tensor& x, DType dtype) {
  detail::check_defined("to", x);
  if (x.dtype() == dtype) return x;
  Tensor out = empty(x.shape(), dtype, x.device());
  kernel::copy(x, out);
  if (!is_floating(dtype) || !x.is_floating_point()) return out;  // int64 is never differentiated
  return record("to", out, {x}, [dtype](const Tangents& t, const Tensor&) { return to_dtype(t[0], dtype); },
                [from = x.dtype()](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
    return {to_dtype(g, from)};
  });
}

Tensor to_device(const Tensor& x, Device device) {
  detail::check_defined("to_device", x);
  if (x.device() == device) return x;
  check<DeviceError>(has_backend(device), "to_device", "device ", device, " has no backend in this build");
  Tensor out = empty(x.shape(), x.dtype(), device);
  kernel::transfer(x, out);
  if (!x.is_floating_point()) return out;
  return record("to_device", out, {x},
                [device](const Tangents& t, const Tensor&) { return to_device(t[0], device); },
                [from = x.device()](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
    return {to_device(g, from)};
  });
}

Tensor slice_scatter(const Tensor& source, const Shape& shape, std::int64_t dim, std::int64_t start,
                     std::int64_t step) {
  detail::check_defined("slice_scatter", source);
  Tensor out = zeros(shape, source.dtype(), source.device());
  Tensor window;
  {
    NoGradGuard no_grad;
    dim = wrap_dim("slice_scatter", dim, static_cast<std::int64_t>(shape.size()));
    check<ShapeError>(source.dim() == static_cast<std::int64_t>(shape.size()), "slice_scatter", "source ",
                      shape_str(source.shape()), " and target ", shape_str(shape), " differ in rank");
    window = slice(out, dim, start, start + (source.shape()[dim] - 1) * step + 1, step);
  }
  check<ShapeError>(window.shape() == source.shape(), "slice_scatter", "source ", shape_str(source.shape()),
                    " does not fit the slice ", shape_str(window.shape()), " of ", shape_str(shape));
  kernel::copy(source, window);
  const std::int64_t end = start + (source.shape()[dim] - 1) * step + 1;
  const auto forward = [&shape, dim, start, step](const Tangents& t, const Tensor&) {
    return slice_scatter(t[0], tangent_shape(t[0].size(0), shape), dim + 1, start, step);
  };
  return record("slice_scatter", out, {source}, forward,
                [dim, start, end, step](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {slice(g, dim, start, end, step)};
                });
}

}  // namespace lg
