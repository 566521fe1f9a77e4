// Picking and placing by int64 index.
//   index_select(x, dim, index)[..., i, ...] = x[..., index[i], ...]
//   index_add(base, dim, index, source): base with source[..., i, ...] added at index[i]
//   gather(x, dim, index)[i][j] = x[index[i][j]][j]          (dim = 0; likewise for others)
//   scatter_add(base, dim, index, source): base with source[i][j] added at [index[i][j]][j]
// Each pair is the other's gradient, so both orders of differentiation work.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

// The slices of x at the int64 positions `index` (1-d) along dim; throws on an index out of range.
Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index);
// A copy of base with slice i of source added at position index[i] along dim (repeats accumulate).
Tensor index_add(const Tensor& base, std::int64_t dim, const Tensor& index, const Tensor& source);
// Elements of x picked along dim by index, which has x's number of dims; the result has index's shape.
Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index);
// A copy of base with each source element added at the position along dim that index gives (repeats accumulate).
Tensor scatter_add(const Tensor& base, std::int64_t dim, const Tensor& index, const Tensor& source);

}  // namespace lg
