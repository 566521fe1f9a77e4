// The geometry of a sliding window over [N, C, H, W] images, shared by the plain
// im2col/col2im (im2col.cpp) and the fast ones (fast/im2col_rows.cpp): how many
// window positions fit, which of them read inside the image, and a walk over one
// image plane's (tap, output row) pairs for operands of any layout.
#pragma once
#include <algorithm>
#include <cstdint>

#include "autograd/backend/kernels.hpp"
#include "autograd/backend/strided_iterator.hpp"

namespace lg::kernel::cpu {

// Window positions along one axis of an input of length `size`.
inline std::int64_t positions(std::int64_t size, std::int64_t kernel, std::int64_t stride, std::int64_t padding,
                       std::int64_t dilation) {
  return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}

// The output positions o in [begin, end) of an axis whose input coordinate o * stride + shift lies
// inside [0, size); shift = tap * dilation - padding for kernel tap `tap`.
struct Span {
  std::int64_t begin;
  std::int64_t end;
};

inline Span inside(std::int64_t shift, std::int64_t stride, std::int64_t size, std::int64_t count) {
  const std::int64_t begin = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
  const std::int64_t end = size - 1 - shift < 0 ? 0 : (size - 1 - shift) / stride + 1;
  const std::int64_t clipped_begin = std::min(begin, count);
  return {clipped_begin, std::clamp(end, clipped_begin, count)};
}

// Everything one plane's loop needs: sizes, the window, and both operands' strides.
struct Geometry {
  std::int64_t channels, height, width, out_height, out_width;
  Window2d window;
  Shape image_strides;   // [N, C, H, W]
  Shape column_strides;  // [N, C kh kw, L]
};

inline Geometry geometry(const Tensor& image, const Tensor& columns, const Window2d& window) {
  const std::int64_t height = image.shape()[2], width = image.shape()[3];
  return {image.shape()[1],
          height,
          width,
          positions(height, window.kernel_h, window.stride_h, window.padding_h, window.dilation_h),
          positions(width, window.kernel_w, window.stride_w, window.padding_w, window.dilation_w),
          window,
          image.strides(),
          columns.strides()};
}

// Calls body(column_offset, image_offset, ox_span, iy) for every (tap, output row) of one plane
// whose input row iy lies inside the image, and pad(column_offset) for the rows that do not.
template <class Body, class Pad>
void for_each_window_row(const Geometry& geo, std::int64_t n, std::int64_t c, Body&& body, Pad&& pad) {
  const Window2d& w = geo.window;
  const std::int64_t image_offset = n * geo.image_strides[0] + c * geo.image_strides[1];
  for (std::int64_t i = 0; i < w.kernel_h; ++i) {
    const std::int64_t row_shift = i * w.dilation_h - w.padding_h;
    const Span rows = inside(row_shift, w.stride_h, geo.height, geo.out_height);
    for (std::int64_t j = 0; j < w.kernel_w; ++j) {
      const std::int64_t col_shift = j * w.dilation_w - w.padding_w;
      const Span cols = inside(col_shift, w.stride_w, geo.width, geo.out_width);
      const std::int64_t tap = (c * w.kernel_h + i) * w.kernel_w + j;
      const std::int64_t column_offset = n * geo.column_strides[0] + tap * geo.column_strides[1];
      for (std::int64_t oy = 0; oy < geo.out_height; ++oy) {
        const std::int64_t row_offset = column_offset + oy * geo.out_width * geo.column_strides[2];
        if (oy < rows.begin || oy >= rows.end) {
          pad(row_offset);
          continue;
        }
        const std::int64_t iy = oy * w.stride_h + row_shift;
        body(row_offset, image_offset + iy * geo.image_strides[2] + col_shift * geo.image_strides[3], cols);
      }
    }
  }
}

inline bool run_parallel(std::int64_t planes, std::int64_t work) { return planes > 1 && work >= kParallelThreshold; }

}  // namespace lg::kernel::cpu
