// CPU convolution kernels, plain: im2col of the whole batch, then one GEMM per image.
//
//   conv2d:           out[n] = W U(x[n]) + b                W = weight as [A, B kh kw], U = im2col
//   conv2d_adjoint:   out[n] = F(W^T y[n]) + b              F = col2im; the adjoint of conv2d in x
//   conv2d_weight:    out    = sum_n g[n] U(x[n])^T         the adjoint of conv2d in the weight
//
// U(x[n]) is the matrix [B kh kw, oh ow] whose column l holds the window at output position l, so a
// convolution is a matrix product. fast/convolution_chunked.cpp computes the same maps a chunk of
// the batch at a time, with the columns kept in cache; the tests hold it to these.
#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/factory.hpp"

namespace lg::kernel::cpu {
namespace {

// A view of t's storage with the given layout (kernels only: no autograd).
Tensor view_of(const Tensor& t, Shape shape, Shape strides, std::int64_t offset) {
  return detail::alias(t, std::move(shape), std::move(strides), offset);
}

Tensor dense(const Tensor& t) {
  if (t.is_contiguous()) return t;
  Tensor copy_of_t = empty(t.shape(), t.dtype(), t.device());
  copy(t, copy_of_t);
  return copy_of_t;
}

// Item n of a contiguous [N, rows, ...] tensor as the matrix [rows, rest].
Tensor item_matrix(const Tensor& t, std::int64_t n) {
  const std::int64_t rows = t.shape()[1], per_item = t.numel() / t.shape()[0];
  const std::int64_t cols = rows == 0 ? 0 : per_item / rows;
  return view_of(t, {rows, cols}, {cols, 1}, t.offset() + n * per_item);
}

// A contiguous [A, B, kh, kw] weight as the matrix [A, B kh kw], and its transpose.
Tensor as_matrix(const Tensor& weight) {
  const std::int64_t rows = weight.shape()[0], cols = rows == 0 ? 0 : weight.numel() / rows;
  return view_of(weight, {rows, cols}, {cols, 1}, weight.offset());
}
Tensor transposed(const Tensor& matrix) {
  return view_of(matrix, {matrix.shape()[1], matrix.shape()[0]}, {matrix.strides()[1], matrix.strides()[0]},
                 matrix.offset());
}

// The columns of every image: [N, B kh kw, oh ow].
Tensor columns_of(const Tensor& x, const Tensor& weight, const Window2d& window, std::int64_t positions) {
  const std::int64_t taps = weight.shape()[0] == 0 ? 0 : weight.numel() / weight.shape()[0];
  Tensor columns = empty({x.shape()[0], taps, positions}, x.dtype(), x.device());
  cpu::im2col(x, window, columns);
  return columns;
}

}  // namespace

void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window, const Tensor& out) {
  check_cpu("conv2d", x);
  const std::int64_t positions = out.shape()[2] * out.shape()[3];
  const Tensor columns = columns_of(x, weight, window, positions);
  const Tensor w = as_matrix(dense(weight));
  const Tensor result = out.is_contiguous() ? out : empty(out.shape(), out.dtype(), out.device());
  for (std::int64_t n = 0; n < x.shape()[0]; ++n) {
    const Tensor target = item_matrix(result, n);  // [A, oh ow]
    if (bias.defined())  // every row starts at its bias, then the product is added
      copy(view_of(bias, {bias.shape()[0], 1}, {bias.strides()[0], 1}, bias.offset()), target);
    gemm(w, item_matrix(columns, n), target, bias.defined());
  }
  if (result.impl() != out.impl()) copy(result, out);
}

void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                    const Tensor& out) {
  check_cpu("conv2d_adjoint", y);
  const std::int64_t positions = y.shape()[2] * y.shape()[3];
  const std::int64_t taps = weight.shape()[0] == 0 ? 0 : weight.numel() / weight.shape()[0];
  const Tensor gradient = dense(y);
  const Tensor w_transposed = transposed(as_matrix(dense(weight)));  // [B kh kw, A]
  const Tensor columns = empty({y.shape()[0], taps, positions}, y.dtype(), y.device());
  for (std::int64_t n = 0; n < y.shape()[0]; ++n) gemm(w_transposed, item_matrix(gradient, n), item_matrix(columns, n));
  cpu::col2im(columns, window, out, bias);
}

void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out) {
  check_cpu("conv2d_weight", x);
  const std::int64_t positions = g.shape()[2] * g.shape()[3];
  const Tensor columns = columns_of(x, out, window, positions);
  const Tensor gradient = dense(g);
  const Tensor target = as_matrix(out);  // [A, B kh kw]
  if (x.shape()[0] == 0) return fill(out, 0.0);
  for (std::int64_t n = 0; n < x.shape()[0]; ++n)
    gemm(item_matrix(gradient, n), transposed(item_matrix(columns, n)), target, n > 0);
}

void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                       const Tensor& out, const Tensor& weight_grad) {
  cpu::conv2d(x, weight, {}, window, out);
  cpu::conv2d_weight(x, g, window, weight_grad);
}

}  // namespace lg::kernel::cpu
