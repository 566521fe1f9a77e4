// CPU im2col / col2im, the sliding-window copies behind unfold and fold:
//   im2col: columns[n, (c kh + i) kw + j, oy ow + ox] = x[n, c, oy sh - ph + i dh, ox sw - pw + j dw],
//           0 where that position falls in the padding;
//   col2im: image[n, c, y, x] = the sum of every columns entry that im2col reads from (y, x).
// The work is split over the N*C image planes. A plane is read and written by one thread only, so
// col2im adds its overlapping entries in the same order whatever the thread count (Note
// [deterministic reductions]). No BLAS is called here, so OpenMP never nests BLAS threads.
#include <algorithm>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/kernels.hpp"
#include "autograd/backend/strided_iterator.hpp"

namespace lg::kernel {
namespace {

using cpu::base;
using cpu::check_cpu;

// Window positions along one axis of an input of length `size`.
std::int64_t positions(std::int64_t size, std::int64_t kernel, std::int64_t stride, std::int64_t padding,
                       std::int64_t dilation) {
  return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}

// The output positions o in [begin, end) of an axis whose input coordinate o * stride + shift lies
// inside [0, size); shift = tap * dilation - padding for kernel tap `tap`.
struct Span {
  std::int64_t begin;
  std::int64_t end;
};

Span inside(std::int64_t shift, std::int64_t stride, std::int64_t size, std::int64_t count) {
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

Geometry geometry(const Tensor& image, const Tensor& columns, const Window2d& window) {
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

bool run_parallel(std::int64_t planes, std::int64_t work) { return planes > 1 && work >= kParallelThreshold; }

// The fast path, for images whose rows are contiguous and columns whose positions are: per (tap,
// output row), one run of zeros, one strided gather, one run of zeros, with the stride a constant
// the compiler sees when it is 1 or 2 (most convolutions). Measured on the conv AE's layers
// (stride 2, rows of 7 to 14): about 3x faster than the general loop, which indexes both sides
// through runtime strides.
template <int kStride, class T>
void gather_row(T* __restrict dst, const T* __restrict src, std::int64_t count, std::int64_t stride) {
  const std::int64_t step = kStride > 0 ? kStride : stride;
  for (std::int64_t ox = 0; ox < count; ++ox) dst[ox] = src[ox * step];
}

template <int kStride, class T>
void scatter_add_row(T* __restrict dst, const T* __restrict src, std::int64_t count, std::int64_t stride) {
  const std::int64_t step = kStride > 0 ? kStride : stride;
  for (std::int64_t ox = 0; ox < count; ++ox) dst[ox * step] += src[ox];
}

// Calls row(dst_offset, iy, col_shift, cols) for every (tap, output row oy) of one plane whose input
// row iy is on the image, and pad(dst_offset) for the others; dst_offset is the columns offset of
// (tap, oy) from the plane's first row, for columns whose positions are contiguous.
// for_each_window_row above walks the same windows for any layout. The fast path keeps this walk of
// its own: driven through that one (stride and layout still compile-time, rows split into pad and
// image ranges), the conv AE step measured 50.4-51.6 ms against 48.5-48.9 ms with this one.
template <class Row, class Pad>
void for_each_tap_row(const Geometry& geo, std::int64_t c, std::int64_t tap_stride, Row&& row, Pad&& pad) {
  const Window2d& w = geo.window;
  for (std::int64_t i = 0; i < w.kernel_h; ++i) {
    const std::int64_t row_shift = i * w.dilation_h - w.padding_h;
    const Span rows = inside(row_shift, w.stride_h, geo.height, geo.out_height);
    for (std::int64_t j = 0; j < w.kernel_w; ++j) {
      const std::int64_t col_shift = j * w.dilation_w - w.padding_w;
      const Span cols = inside(col_shift, w.stride_w, geo.width, geo.out_width);
      const std::int64_t tap_offset = ((c * w.kernel_h + i) * w.kernel_w + j) * tap_stride;
      for (std::int64_t oy = 0; oy < rows.begin; ++oy) pad(tap_offset + oy * geo.out_width);
      for (std::int64_t oy = rows.begin; oy < rows.end; ++oy)
        row(tap_offset + oy * geo.out_width, oy * w.stride_h + row_shift, col_shift, cols);
      for (std::int64_t oy = rows.end; oy < geo.out_height; ++oy) pad(tap_offset + oy * geo.out_width);
    }
  }
}

template <int kStride, class T>
void im2col_rows(const Geometry& geo, const T* image, T* columns, std::int64_t plane) {
  const std::int64_t ow = geo.out_width, stride = geo.window.stride_w;
  const std::int64_t n = plane / geo.channels, c = plane % geo.channels;
  const T* source = image + n * geo.image_strides[0] + c * geo.image_strides[1];
  T* target = columns + n * geo.column_strides[0];
  for_each_tap_row(
      geo, c, geo.column_strides[1],
      [&](std::int64_t at, std::int64_t iy, std::int64_t shift, Span cols) {
        T* dst = target + at;
        for (std::int64_t ox = 0; ox < cols.begin; ++ox) dst[ox] = T(0);
        gather_row<kStride>(dst + cols.begin, source + iy * geo.image_strides[2] + cols.begin * stride + shift,
                            cols.end - cols.begin, stride);
        for (std::int64_t ox = cols.end; ox < ow; ++ox) dst[ox] = T(0);
      },
      [&](std::int64_t at) {
        for (std::int64_t ox = 0; ox < ow; ++ox) target[at + ox] = T(0);
      });
}

template <int kStride, class T>
void col2im_rows(const Geometry& geo, const T* columns, T* image, std::int64_t plane) {
  const std::int64_t stride = geo.window.stride_w;
  const std::int64_t n = plane / geo.channels, c = plane % geo.channels;
  const T* source = columns + n * geo.column_strides[0];
  T* target = image + plane * geo.height * geo.width;
  for_each_tap_row(
      geo, c, geo.column_strides[1],
      [&](std::int64_t at, std::int64_t iy, std::int64_t shift, Span cols) {
        scatter_add_row<kStride>(target + iy * geo.width + cols.begin * stride + shift, source + at + cols.begin,
                                 cols.end - cols.begin, stride);
      },
      [](std::int64_t) {});
}

template <class T>
void im2col_typed(const Tensor& x, const Window2d& window, const Tensor& out) {
  const Geometry geo = geometry(x, out, window);
  const T* image = base<T>(x);
  T* columns = base<T>(out);
  const std::int64_t planes = x.shape()[0] * geo.channels;
  const std::int64_t column_step = geo.column_strides[2];
  const std::int64_t image_step = window.stride_w * geo.image_strides[3];
  const bool dense = column_step == 1 && image_step == 1;
  const bool fast = column_step == 1 && geo.image_strides[3] == 1;
  auto fill_zero = [&](std::int64_t at, std::int64_t from, std::int64_t to) {
    for (std::int64_t ox = from; ox < to; ++ox) columns[at + ox * column_step] = T(0);
  };
#pragma omp parallel for schedule(static) if (run_parallel(planes, out.numel()))
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    if (fast) {
      switch (window.stride_w) {
        case 1: im2col_rows<1>(geo, image, columns, plane); continue;
        case 2: im2col_rows<2>(geo, image, columns, plane); continue;
        default: im2col_rows<0>(geo, image, columns, plane); continue;
      }
    }
    for_each_window_row(
        geo, plane / geo.channels, plane % geo.channels,
        [&](std::int64_t at, std::int64_t from, Span cols) {
          fill_zero(at, 0, cols.begin);
          if (dense) {
            std::copy(image + (from + cols.begin), image + (from + cols.end), columns + (at + cols.begin));
          } else {
            for (std::int64_t ox = cols.begin; ox < cols.end; ++ox)
              columns[at + ox * column_step] = image[from + ox * image_step];
          }
          fill_zero(at, cols.end, geo.out_width);
        },
        [&](std::int64_t at) { fill_zero(at, 0, geo.out_width); });
  }
}

template <class T>
void col2im_typed(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias) {
  const Geometry geo = geometry(out, columns, window);
  const T* source = base<T>(columns);
  T* image = base<T>(out);
  const std::int64_t planes = out.shape()[0] * geo.channels;
  const std::int64_t plane_size = geo.height * geo.width;
  const std::int64_t column_step = geo.column_strides[2];
  const std::int64_t image_step = window.stride_w;  // out is contiguous: unit column stride
  const bool fast = column_step == 1;
#pragma omp parallel for schedule(static) if (run_parallel(planes, columns.numel()))
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    const T start = bias.defined() ? base<T>(bias)[(plane % geo.channels) * bias.strides()[0]] : T(0);
    std::fill(image + plane * plane_size, image + (plane + 1) * plane_size, start);
    if (fast) {
      switch (window.stride_w) {
        case 1: col2im_rows<1>(geo, source, image, plane); continue;
        case 2: col2im_rows<2>(geo, source, image, plane); continue;
        default: col2im_rows<0>(geo, source, image, plane); continue;
      }
    }
    for_each_window_row(
        geo, plane / geo.channels, plane % geo.channels,
        [&](std::int64_t at, std::int64_t to, Span cols) {
          for (std::int64_t ox = cols.begin; ox < cols.end; ++ox)
            image[to + ox * image_step] += source[at + ox * column_step];
        },
        [](std::int64_t) {});
  }
}

}  // namespace

void im2col(const Tensor& x, const Window2d& window, const Tensor& out) {
  check_cpu("im2col", x);
  visit_floating(x.dtype(), "im2col", [&]<class T>() { im2col_typed<T>(x, window, out); });
}

void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias) {
  check_cpu("col2im", columns);
  check<InternalError>(out.is_contiguous(), "col2im", "internal error, the image must be contiguous");
  visit_floating(columns.dtype(), "col2im", [&]<class T>() { col2im_typed<T>(columns, window, out, bias); });
}

}  // namespace lg::kernel
