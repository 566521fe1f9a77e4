// Indexing ops. The forward rules apply the same op to the tangents, one dim further along (the leading
// tangent dim), with gather/scatter indices repeated over it.
#include "autograd/ops/indexing.hpp"

#include "autograd/forward_mode.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

void check_index(std::string_view op, const Tensor& index, std::int64_t size) {
  check<DTypeError>(index.dtype() == int64, op, "index must be int64, got ", index.dtype());
  for (std::int64_t value : index.to_vector<std::int64_t>())
    check<ValueError>(value >= 0 && value < size, op, "index ", value, " is out of range [0, ", size, ")");
}

void check_vector_index(std::string_view op, const Tensor& index) {
  check<ShapeError>(index.dim() == 1, op, "index must be 1-d, got shape ", shape_str(index.shape()));
}

// gather/scatter: index has x's rank and, off `dim`, sizes no larger than x's.
void check_gather_shapes(std::string_view op, const Tensor& x, std::int64_t dim, const Tensor& index) {
  check<ShapeError>(index.dim() == x.dim(), op, "index ", shape_str(index.shape()), " and input ",
                    shape_str(x.shape()), " must have the same rank");
  for (std::int64_t d = 0; d < x.dim(); ++d)
    check<ShapeError>(d == dim || index.shape()[d] <= x.shape()[d], op, "index ", shape_str(index.shape()),
                      " is larger than input ", shape_str(x.shape()), " in dim ", d);
}

// index [s...] repeated over the leading tangent dim: [count, s...].
Tensor repeated_index(const Tensor& index, std::int64_t count) {
  return contiguous(expand(unsqueeze(index, 0), tangent_shape(count, index.shape())));
}

// base's tangents, or zeros of its tangents' shape when it carries none.
Tensor tangents_or_zeros(const Tensor& tangent, std::int64_t count, const Tensor& base) {
  return tangent.defined() ? tangent : zeros(tangent_shape(count, base.shape()), base.dtype(), base.device());
}

}  // namespace

Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index) {
  detail::check_defined("index_select", x);
  check<ShapeError>(x.dim() > 0, "index_select", "input must have at least one dim");
  dim = wrap_dim("index_select", dim, x.dim());
  check_vector_index("index_select", index);
  check_index("index_select", index, x.shape()[dim]);
  Shape shape = x.shape();
  shape[dim] = index.numel();
  Tensor out = empty(shape, x.dtype(), x.device());
  kernel::index_select(x, dim, index, out);
  const auto forward = [dim, &index](const Tangents& t, const Tensor&) { return index_select(t[0], dim + 1, index); };
  return record("index_select", out, {x}, forward, [from = x.shape(), dim, index](const Tensor& g, const Tensor&,
                                                                         const NeedsGrad&) -> Grads {
    return {index_add(zeros(from, g.dtype(), g.device()), dim, index, g)};
  });
}

Tensor index_add(const Tensor& base, std::int64_t dim, const Tensor& index, const Tensor& source) {
  detail::check_defined("index_add", base);
  detail::check_same_dtype("index_add", base, source);
  check<ShapeError>(base.dim() > 0, "index_add", "input must have at least one dim");
  dim = wrap_dim("index_add", dim, base.dim());
  check_vector_index("index_add", index);
  check_index("index_add", index, base.shape()[dim]);
  Shape expected = base.shape();
  expected[dim] = index.numel();
  check<ShapeError>(source.shape() == expected, "index_add", "source ", shape_str(source.shape()),
                    " does not match ", shape_str(expected), " (base ", shape_str(base.shape()), ")");
  Tensor out = clone(base.detach());
  kernel::index_add(out, dim, index, source);
  const auto forward = [&base, dim, &index](const Tangents& t, const Tensor&) {
    if (!t[1].defined()) return t[0];
    return index_add(tangents_or_zeros(t[0], t[1].size(0), base), dim + 1, index, t[1]);
  };
  return record("index_add", out, {base, source}, forward, [dim, index](const Tensor& g, const Tensor&,
                                                               const NeedsGrad& needs) -> Grads {
    return {needs[0] ? g : Tensor{}, needs[1] ? index_select(g, dim, index) : Tensor{}};
  });
}

Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index) {
  detail::check_defined("gather", x);
  dim = wrap_dim("gather", dim, x.dim());
  check_gather_shapes("gather", x, dim, index);
  check_index("gather", index, x.dim() == 0 ? 1 : x.shape()[dim]);
  Tensor out = empty(index.shape(), x.dtype(), x.device());
  if (x.dim() == 0) {
    kernel::copy(x, out);
  } else {
    kernel::gather(x, dim, index, out);
  }
  const auto forward = [&x, dim, &index](const Tangents& t, const Tensor&) {
    return x.dim() == 0 ? t[0] : gather(t[0], dim + 1, repeated_index(index, t[0].size(0)));
  };
  return record("gather", out, {x}, forward, [from = x.shape(), dim, index](const Tensor& g, const Tensor&,
                                                                   const NeedsGrad&) -> Grads {
    return {scatter_add(zeros(from, g.dtype(), g.device()), dim, index, g)};
  });
}

Tensor scatter_add(const Tensor& base, std::int64_t dim, const Tensor& index, const Tensor& source) {
  detail::check_defined("scatter_add", base);
  detail::check_same_dtype("scatter_add", base, source);
  dim = wrap_dim("scatter_add", dim, base.dim());
  check_gather_shapes("scatter_add", base, dim, index);
  check<ShapeError>(source.shape() == index.shape(), "scatter_add", "source ", shape_str(source.shape()),
                    " and index ", shape_str(index.shape()), " must have the same shape");
  check_index("scatter_add", index, base.dim() == 0 ? 1 : base.shape()[dim]);
  Tensor out = clone(base.detach());
  if (base.dim() == 0) {
    if (source.numel() > 0) kernel::binary(kernel::Binary::add, out, source, out);
  } else {
    kernel::scatter_add(out, dim, index, source);
  }
  const auto forward = [&base, dim, &index](const Tangents& t, const Tensor&) {
    if (!t[1].defined() || base.dim() == 0) return add_tangents(t[0], t[1]);
    const std::int64_t count = t[1].size(0);
    return scatter_add(tangents_or_zeros(t[0], count, base), dim + 1, repeated_index(index, count), t[1]);
  };
  return record("scatter_add", out, {base, source}, forward, [dim, index](const Tensor& g, const Tensor&,
                                                                 const NeedsGrad& needs) -> Grads {
    return {needs[0] ? g : Tensor{}, needs[1] ? gather(g, dim, index) : Tensor{}};
  });
}

}  // namespace lg
