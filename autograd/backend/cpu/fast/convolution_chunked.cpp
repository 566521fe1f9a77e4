// Fast CPU convolution kernels: im2col + GEMM, a chunk of the batch at a time (the plain ones,
// ../convolution.cpp, take the whole batch at once).
//
//   conv2d:           out[n] = W U(x[n]) + b                W = weight as [Cout, Cin kh kw], U = im2col
//   conv2d_adjoint:   out[n] = F(W^T y[n]) + b              F = col2im; the adjoint of conv2d in x
//   conv2d_weight:    out    = sum_n g[n] U(x[n])^T         the adjoint of conv2d in the weight
//
// Why chunks: one GEMM over the whole batch needs the whole batch's columns, Cin kh kw x N L values
// (12.8 MB for the conv AE's second layer at batch 128), written by im2col and read back by GEMM from
// memory. A chunk's columns (about 1 MiB) stay in the core's L2 between the two, and the GEMMs,
// [Cout, K] x [K, images L], are still wide. Our OpenMP threads share the chunks, each chunk's
// im2col, GEMM and col2im on one thread (OpenBLAS itself is single-threaded: Note [threads]); chunks
// are cut from the batch size alone, so the results do not depend on the thread count.
// Note [convolution kernels] has the measurements.
#include <algorithm>
#include <exception>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "autograd/dtype.hpp"
#include "autograd/factory.hpp"

namespace lg::kernel::fast {
namespace {

constexpr std::int64_t kDefaultChunkBytes = std::int64_t{1} << 20;
std::int64_t chunk_bytes = kDefaultChunkBytes;
constexpr std::int64_t kMinChunks = 8;

// A view of t's storage with the given layout (no autograd: kernels only).
Tensor strided_view(const Tensor& t, Shape shape, Shape strides, std::int64_t offset) {
  return detail::alias(t, std::move(shape), std::move(strides), offset);
}

// Images [first, first + count) of an [N, ...] tensor.
Tensor images(const Tensor& t, std::int64_t first, std::int64_t count) {
  Shape shape = t.shape();
  shape[0] = count;
  return strided_view(t, std::move(shape), t.strides(), t.offset() + first * t.strides()[0]);
}

// The transpose of a 2-d tensor, as a view (GEMM takes it as a flag).
Tensor transpose_view(const Tensor& t) {
  return strided_view(t, {t.shape()[1], t.shape()[0]}, {t.strides()[1], t.strides()[0]}, t.offset());
}

Tensor dense(const Tensor& t) {
  if (t.is_contiguous()) return t;
  Tensor copy_of_t = empty(t.shape(), t.dtype(), t.device());
  cpu::copy(t, copy_of_t);
  return copy_of_t;
}

// A 4-d weight [A, B, kh, kw] as the matrix [A, B kh kw] (contiguous weights only).
Tensor as_matrix(const Tensor& weight) {
  const std::int64_t rows = weight.shape()[0], cols = weight.numel() / std::max<std::int64_t>(rows, 1);
  return strided_view(weight, {rows, cols}, {cols, 1}, weight.offset());
}

// Per-chunk layout of a [rows, count L] matrix in `buffer`, whose columns n L .. n L + L - 1 belong to
// image n of the chunk: as that matrix, and as the [count, rows, L] (or [count, rows, h, w]) view the
// image-wise kernels read and write.
struct ChunkMatrix {
  Tensor buffer;  // rows x count L values
  std::int64_t rows;
  Shape image_shape;  // {L} or {h, w}: the per-image part, row-major

  std::int64_t positions() const { return numel_of(image_shape); }
  Tensor matrix(std::int64_t count) const {
    return strided_view(buffer, {rows, count * positions()}, {count * positions(), 1}, buffer.offset());
  }
  // Image n's [rows, L] block of the matrix.
  Tensor image(std::int64_t n, std::int64_t count) const {
    return strided_view(buffer, {rows, positions()}, {count * positions(), 1}, buffer.offset() + n * positions());
  }
  Tensor per_image(std::int64_t count) const {
    Shape shape{count, rows}, strides{positions(), count * positions()};
    Shape inner = contiguous_strides(image_shape);
    shape.insert(shape.end(), image_shape.begin(), image_shape.end());
    strides.insert(strides.end(), inner.begin(), inner.end());
    return strided_view(buffer, std::move(shape), std::move(strides), buffer.offset());
  }
};

ChunkMatrix chunk_matrix(std::int64_t rows, Shape image_shape, std::int64_t count, const Tensor& like) {
  return {empty({rows * count * numel_of(image_shape)}, like.dtype(), like.device()), rows, std::move(image_shape)};
}

// Images per chunk: as many as keep `per_image` values of the largest per-chunk buffer near
// chunk_bytes, and at most an eighth of the batch, so that two threads share the chunks evenly. It
// depends on the batch alone, never on the thread count.
std::int64_t chunk_size(std::int64_t batch, std::int64_t per_image, DType dtype) {
  const std::int64_t bytes = std::max<std::int64_t>(per_image * dtype_size(dtype), 1);
  const std::int64_t eighth = (batch + kMinChunks - 1) / kMinChunks;
  return std::clamp<std::int64_t>(chunk_bytes / bytes, 1, std::max<std::int64_t>(eighth, 1));
}

// Runs body(index, first, count) for each chunk. The chunks are shared among our OpenMP threads,
// and each chunk's GEMM runs whole on the thread that runs the chunk (Note [threads]), so the GEMM
// bits do not depend on the thread count either.
template <class Body>
void for_each_chunk(std::int64_t batch, std::int64_t chunk, Body&& body) {
  const std::int64_t chunks = (batch + chunk - 1) / chunk;
  const int threads = static_cast<int>(std::min<std::int64_t>(num_threads(), chunks));
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1)
  for (std::int64_t index = 0; index < chunks; ++index) {
    try {
      body(index, index * chunk, std::min(chunk, batch - index * chunk));
    } catch (...) {
#pragma omp critical(lg_convolution_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

// True when each image of t, [C, h, w], is one contiguous block (images may be spaced freely).
bool images_dense(const Tensor& t) {
  return t.strides()[3] == 1 && t.strides()[2] == t.shape()[3] && t.strides()[1] == t.shape()[2] * t.shape()[3];
}

// Image n of an images_dense tensor [N, C, h, w] as the matrix [C, h w].
Tensor image_matrix(const Tensor& t, std::int64_t n) {
  const std::int64_t positions = t.shape()[2] * t.shape()[3];
  return strided_view(t, {t.shape()[1], positions}, {positions, 1}, t.offset() + n * t.strides()[0]);
}

// With many positions per image (L >= 128: the conv AE's 14 x 14 and 28 x 28 layers), the GEMMs run
// image by image, reading and writing the images where they are: [C, L] blocks of an NCHW tensor
// are already matrices. That saves the copies between the images and the chunk's [C, count L]
// matrix, and the zeroing pass OpenBLAS makes before a product with beta = 0 (the bias is written
// first and the product added to it). With few positions the per-image GEMMs would be too narrow.
constexpr std::int64_t kPerImagePositions = 128;

// Writes bias[c] into every position of row c of `target`, a [C, L] matrix with unit column stride.
void fill_rows(const Tensor& target, const Tensor& bias) {
  visit_floating(target.dtype(), "conv2d", [&]<class T>() {
    T* row = cpu::base<T>(target);
    const T* shift = cpu::base<T>(bias);
    for (std::int64_t c = 0; c < target.shape()[0]; ++c, row += target.strides()[0])
      std::fill_n(row, target.shape()[1], shift[c * bias.strides()[0]]);
  });
}

// Moves `count` images between their [C, L] blocks and a ChunkMatrix's columns n L .. n L + L - 1,
// adding bias[c] on the way to the images when given. Rows of L values, copied as such when both
// sides are dense; any other layout goes through the general strided copy.
void images_to_matrix(const Tensor& images_view, const ChunkMatrix& m, std::int64_t count) {
  if (!images_dense(images_view)) return cpu::copy(images_view, m.per_image(count));
  visit_floating(images_view.dtype(), "conv2d", [&]<class T>() {
    const T* src = cpu::base<T>(images_view);
    T* dst = cpu::base<T>(m.buffer);
    const std::int64_t positions = m.positions(), row = count * positions;
    for (std::int64_t n = 0; n < count; ++n)
      for (std::int64_t c = 0; c < m.rows; ++c)
        std::copy_n(src + n * images_view.strides()[0] + c * positions, positions, dst + c * row + n * positions);
  });
}

void matrix_to_images(const ChunkMatrix& m, std::int64_t count, const Tensor& bias, const Tensor& images_view) {
  if (!images_dense(images_view)) {
    const Tensor source = m.per_image(count);
    if (!bias.defined()) return cpu::copy(source, images_view);
    Shape bias_shape(4, 1), bias_strides(4, 0);
    bias_shape[1] = bias.shape()[0];
    bias_strides[1] = bias.strides()[0];
    return binary(Binary::add, source, strided_view(bias, bias_shape, bias_strides, bias.offset()), images_view);
  }
  visit_floating(images_view.dtype(), "conv2d", [&]<class T>() {
    const T* src = cpu::base<T>(m.buffer);
    T* dst = cpu::base<T>(images_view);
    const T* shift = bias.defined() ? cpu::base<T>(bias) : nullptr;
    const std::int64_t positions = m.positions(), row = count * positions;
    for (std::int64_t n = 0; n < count; ++n)
      for (std::int64_t c = 0; c < m.rows; ++c) {
        const T* from = src + c * row + n * positions;
        T* to = dst + n * images_view.strides()[0] + c * positions;
        if (shift == nullptr) {
          std::copy_n(from, positions, to);
        } else {
          const T b = shift[c * bias.strides()[0]];
          for (std::int64_t l = 0; l < positions; ++l) to[l] = from[l] + b;
        }
      }
  });
}

Shape spatial(const Tensor& image) { return {image.shape()[2], image.shape()[3]}; }

}  // namespace

void set_convolution_chunk_bytes(std::int64_t bytes) { chunk_bytes = bytes > 0 ? bytes : kDefaultChunkBytes; }

void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window, const Tensor& out) {
  const std::int64_t batch = x.shape()[0], taps = weight.numel() / weight.shape()[0];
  const Tensor w = as_matrix(dense(weight));
  const std::int64_t positions = out.shape()[2] * out.shape()[3];
  const bool per_image = positions >= kPerImagePositions && images_dense(out);
  for_each_chunk(batch, chunk_size(batch, taps * positions, x.dtype()),
                 [&](std::int64_t, std::int64_t first, std::int64_t count) {
                   const ChunkMatrix columns = chunk_matrix(taps, {positions}, count, x);
                   fast::im2col(images(x, first, count), window, columns.per_image(count));
                   if (per_image) {
                     for (std::int64_t n = 0; n < count; ++n) {
                       const Tensor target = image_matrix(out, first + n);
                       if (bias.defined()) fill_rows(target, bias);
                       fast::gemm(w, columns.image(n, count), target, bias.defined());
                     }
                     return;
                   }
                   const ChunkMatrix product = chunk_matrix(weight.shape()[0], spatial(out), count, x);
                   fast::gemm(w, columns.matrix(count), product.matrix(count));
                   matrix_to_images(product, count, bias, images(out, first, count));
                 });
}

void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                    const Tensor& out) {
  const std::int64_t batch = y.shape()[0], taps = weight.numel() / weight.shape()[0];
  const Tensor w = as_matrix(dense(weight));
  const std::int64_t positions = y.shape()[2] * y.shape()[3];
  const bool per_image = positions >= kPerImagePositions && images_dense(y);
  for_each_chunk(batch, chunk_size(batch, taps * positions, y.dtype()),
                 [&](std::int64_t, std::int64_t first, std::int64_t count) {
                   const ChunkMatrix columns = chunk_matrix(taps, {positions}, count, y);
                   if (per_image) {
                     for (std::int64_t n = 0; n < count; ++n)
                       fast::gemm(transpose_view(w), image_matrix(y, first + n), columns.image(n, count));
                   } else {
                     const ChunkMatrix gathered = chunk_matrix(y.shape()[1], spatial(y), count, y);
                     images_to_matrix(images(y, first, count), gathered, count);
                     fast::gemm(transpose_view(w), gathered.matrix(count), columns.matrix(count));
                   }
                   fast::col2im(columns.per_image(count), window, images(out, first, count), bias);
                 });
}

namespace {

// conv2d_weight, and conv2d(x, weight) into `out` when `out` is given: both read the same columns of
// x, so they share one im2col per chunk.
void weight_gradient(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& weight_grad,
                     const Tensor& weight, const Tensor& out) {
  const std::int64_t batch = x.shape()[0], out_channels = weight_grad.shape()[0];
  const std::int64_t taps = weight_grad.numel() / out_channels, positions = g.shape()[2] * g.shape()[3];
  if (batch == 0) return cpu::fill(weight_grad, 0.0);
  const Tensor w = out.defined() ? as_matrix(dense(weight)) : Tensor{};
  const std::int64_t chunk = chunk_size(batch, taps * positions, x.dtype());
  const std::int64_t chunks = (batch + chunk - 1) / chunk;
  // One partial sum per chunk, added up in chunk order afterwards: the same bits for any thread count.
  const Tensor partials = chunks > 1 ? empty({chunks, out_channels, taps}, x.dtype(), x.device()) : Tensor{};
  const bool per_image =
      positions >= kPerImagePositions && images_dense(g) && (!out.defined() || images_dense(out));
  for_each_chunk(batch, chunk, [&](std::int64_t index, std::int64_t first, std::int64_t count) {
    const ChunkMatrix columns = chunk_matrix(taps, {positions}, count, x);
    fast::im2col(images(x, first, count), window, columns.per_image(count));
    const Tensor target = chunks > 1 ? strided_view(partials, {out_channels, taps}, {taps, 1},
                                                    partials.offset() + index * out_channels * taps)
                                     : as_matrix(weight_grad);
    if (per_image) {
      // Image by image, added up in image order: the same bits for any thread count.
      for (std::int64_t n = 0; n < count; ++n)
        fast::gemm(image_matrix(g, first + n), transpose_view(columns.image(n, count)), target, n > 0);
      if (!out.defined()) return;
      for (std::int64_t n = 0; n < count; ++n) fast::gemm(w, columns.image(n, count), image_matrix(out, first + n));
      return;
    }
    const ChunkMatrix gathered = chunk_matrix(out_channels, spatial(g), count, x);
    images_to_matrix(images(g, first, count), gathered, count);
    fast::gemm(gathered.matrix(count), transpose_view(columns.matrix(count)), target);
    if (!out.defined()) return;
    const ChunkMatrix product = chunk_matrix(w.shape()[0], spatial(out), count, x);
    fast::gemm(w, columns.matrix(count), product.matrix(count));
    matrix_to_images(product, count, {}, images(out, first, count));
  });
  if (chunks > 1)
    cpu::reduce(Reduce::sum, partials, {true, false, false},
           strided_view(weight_grad, {1, out_channels, taps}, {0, taps, 1}, weight_grad.offset()));
}

}  // namespace

void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out) {
  weight_gradient(x, g, window, out, {}, {});
}

void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                       const Tensor& out, const Tensor& weight_grad) {
  weight_gradient(x, g, window, weight_grad, weight, out);
}

}  // namespace lg::kernel::fast
