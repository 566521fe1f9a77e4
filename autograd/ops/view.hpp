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
// A view with dims dim0 and dim1 swapped (negative dims count from the end).
Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1);
// A view whose dim i is x's dim dims[i]; dims must be a permutation of x's dims.
Tensor permute(const Tensor& x, const Shape& dims);
// Elements start, start+step, ... below end along dim (Python's x[start:end:step]).
Tensor slice(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t end, std::int64_t step = 1);
// A view of indices [start, start + length) along dim.
Tensor narrow(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t length);
// A view of slice `index` along dim, with that dim removed.
Tensor select(const Tensor& x, std::int64_t dim, std::int64_t index);
// A view broadcast to shape: size-1 dims (and new leading dims) repeat with stride 0.
Tensor expand(const Tensor& x, const Shape& shape);
// A view without dim when its size is 1 (else the same shape), or without every size-1 dim when dim is not given.
Tensor squeeze(const Tensor& x, std::optional<std::int64_t> dim = {});
// A view with a new dim of size 1 inserted at position dim.
Tensor unsqueeze(const Tensor& x, std::int64_t dim);
// Dims start_dim..end_dim merged into one, through reshape (a view when possible).
Tensor flatten(const Tensor& x, std::int64_t start_dim = 0, std::int64_t end_dim = -1);
// Dim `dim` split into `sizes` (one may be -1), through reshape.
Tensor unflatten(const Tensor& x, std::int64_t dim, const Shape& sizes);
// x itself when contiguous, else a contiguous copy (clone).
Tensor contiguous(const Tensor& x);
// A copy with its own contiguous storage; the gradient passes through unchanged.
Tensor clone(const Tensor& x);
// A copy on `device` (x itself when it is there); the gradient goes back to x's device.
Tensor to_device(const Tensor& x, Device device);
// x converted to dtype (x itself when it has it); differentiable between floating dtypes only.
Tensor to_dtype(const Tensor& x, DType dtype);
// The inverse of slice for gradients: zeros of `shape` with `source` written
// into the slice (dim, start, step).
Tensor slice_scatter(const Tensor& source, const Shape& shape, std::int64_t dim, std::int64_t start,
                     std::int64_t step = 1);

}  // namespace lg
