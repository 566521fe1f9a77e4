// Picking and placing by int64 index.
//   index_select(x, dim, index)[..., i, ...] = x[..., index[i], ...]
//   index_add(base, dim, index, source): base with source[..., i, ...] added at index[i]
//   gather(x, dim, index)[i][j] = x[index[i][j]][j]          (dim = 0; likewise for others)
//   scatter_add(base, dim, index, source): base with source[i][j] added at [index[i][j]][j]
// Each pair is the other's gradient, so both orders of differentiation work.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index);
Tensor index_add(const Tensor& base, std::int64_t dim, const Tensor& index, const Tensor& source);
Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index);
Tensor scatter_add(const Tensor& base, std::int64_t dim, const Tensor& index, const Tensor& source);

}  // namespace lg
