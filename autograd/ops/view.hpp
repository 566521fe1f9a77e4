// Shape ops. Views share storage with their input (no copy): reshape (when the
// strides allow), view, transpose, permute, slice/narrow, select, expand,
// squeeze/unsqueeze, flatten/unflatten. Copies: contiguous (only when needed),
// clone, to(dtype), to(device).
#pragma once
#include <optional>

#include "autograd/tensor.hpp"

namespace lg {

// -1 in `shape` is inferred. A view when possible, else a copy.
Tensor reshape(const Tensor& x, const Shape& shape);
// Always a view; throws when the strides do not allow one.
Tensor view(const Tensor& x, const Shape& shape);
Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1);
Tensor permute(const Tensor& x, const Shape& dims);
// Elements start, start+step, ... below end along dim (Python's x[start:end:step]).
Tensor slice(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t end, std::int64_t step = 1);
Tensor narrow(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t length);
Tensor select(const Tensor& x, std::int64_t dim, std::int64_t index);
Tensor expand(const Tensor& x, const Shape& shape);
Tensor squeeze(const Tensor& x, std::optional<std::int64_t> dim = {});
Tensor unsqueeze(const Tensor& x, std::int64_t dim);
Tensor flatten(const Tensor& x, std::int64_t start_dim = 0, std::int64_t end_dim = -1);
Tensor unflatten(const Tensor& x, std::int64_t dim, const Shape& sizes);
Tensor contiguous(const Tensor& x);
Tensor clone(const Tensor& x);
// A copy on `device` (x itself when it is there); the gradient goes back to x's device.
Tensor to_device(const Tensor& x, Device device);
Tensor to_dtype(const Tensor& x, DType dtype);
// The inverse of slice for gradients: zeros of `shape` with `source` written
// into the slice (dim, start, step).
Tensor slice_scatter(const Tensor& source, const Shape& shape, std::int64_t dim, std::int64_t start,
                     std::int64_t step = 1);

}  // namespace lg
