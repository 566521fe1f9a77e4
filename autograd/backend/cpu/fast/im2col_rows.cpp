// Faster im2col / col2im for the layouts convolutions use: image rows contiguous and columns whose
// positions are contiguous. Same results as the plain walk of ../im2col.cpp (the copies are the same
// values; col2im adds in the same order), which every other layout still takes; the tests hold the
// two together (tests/fast_kernels/). The measurements behind each path are in Note [convolution
// kernels].
#include <algorithm>
#include <cstring>
#include <vector>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "autograd/backend/cpu/window_geometry.hpp"

namespace lg::kernel::fast {
namespace {

using cpu::base;
using cpu::Geometry;
using cpu::Span;
using cpu::inside;
using cpu::run_parallel;

// The fast paths, for images whose rows are contiguous and columns whose positions are (every
// convolution's chunks). Two for im2col, chosen by the window rows' length and stride:
// - Short or strided rows go through a padded copy of one image plane at a time, its columns split
//   by phase (x mod stride_w): buffer row r, phase q holds padded image row r at columns q, q + sw,
//   q + 2 sw, ... Every window row of every tap is then one contiguous run of out_width values in
//   that buffer, copied out with no padding tests and no stride. On the conv AE's second layer (k4 s2
//   p1, 32 channels of 14 x 14, rows of 7), batch 128: 2.42 ms per im2col the other way, 1.45 ms this way.
// - Long unit-stride rows (16 values or more) are copied straight from the image with their padding
//   written around them (im2col_rows below); the padded copy would cost more than it saves there
//   (16 images of 16 x 28 x 28, k3 s1 p1: 0.48 against 0.52-0.60 ms).
struct PaddedPlane {
  std::int64_t rows;         // padded rows the windows reach: (oh - 1) sh + (kh - 1) dh + 1
  std::int64_t phase_width;  // values per phase in a row
  std::int64_t row_stride;   // sw phase_width
  std::vector<std::int64_t> taps;  // where tap (i, j)'s first window row starts, at i kw + j

  explicit PaddedPlane(const Geometry& geo) {
    const Window2d& w = geo.window;
    rows = (geo.out_height - 1) * w.stride_h + (w.kernel_h - 1) * w.dilation_h + 1;
    phase_width = ((geo.out_width - 1) * w.stride_w + (w.kernel_w - 1) * w.dilation_w + w.stride_w) / w.stride_w;
    row_stride = phase_width * w.stride_w;
    for (std::int64_t i = 0; i < w.kernel_h; ++i)
      for (std::int64_t j = 0; j < w.kernel_w; ++j) {
        const std::int64_t x = j * w.dilation_w;
        taps.push_back(i * w.dilation_h * row_stride + (x % w.stride_w) * phase_width + x / w.stride_w);
      }
  }

  std::int64_t size() const { return rows * row_stride; }
};

// Copies n values. Window rows are short (7 to 14 values in the conv AE), so runs of 16 to 64 bytes
// go as two fixed-size copies, the first and the last bytes, overlapping in the middle: vector moves
// with no loop.
template <std::size_t kBytes, class T>
void copy_ends(T* __restrict dst, const T* __restrict src, std::int64_t n) {
  unsigned char head[kBytes], tail[kBytes];
  std::memcpy(head, src, kBytes);
  std::memcpy(tail, reinterpret_cast<const unsigned char*>(src + n) - kBytes, kBytes);
  std::memcpy(dst, head, kBytes);
  std::memcpy(reinterpret_cast<unsigned char*>(dst + n) - kBytes, tail, kBytes);
}

template <class T>
[[gnu::always_inline]] inline void copy_run(T* __restrict dst, const T* __restrict src, std::int64_t n) {
  const std::size_t bytes = static_cast<std::size_t>(n) * sizeof(T);
  if (bytes >= 16 && bytes <= 32) return copy_ends<16>(dst, src, n);
  if (bytes > 32 && bytes <= 64) return copy_ends<32>(dst, src, n);
  std::copy_n(src, n, dst);
}

// The plane's copy of image plane `source` (rows image_strides[2] apart, unit column stride), zeros
// in the padding. kStride: stride_w when the compiler should see it (1, 2), else 0.
template <int kStride, class T>
void load_plane(const Geometry& geo, const PaddedPlane& plane, const T* source, T* target) {
  const Window2d& w = geo.window;
  const std::int64_t stride = kStride > 0 ? kStride : w.stride_w;
  for (std::int64_t r = 0; r < plane.rows; ++r) {
    T* row = target + r * plane.row_stride;
    const std::int64_t iy = r - w.padding_h;
    if (iy < 0 || iy >= geo.height) {
      std::fill_n(row, plane.row_stride, T(0));
      continue;
    }
    const T* line = source + iy * geo.image_strides[2];
    for (std::int64_t q = 0; q < stride; ++q) {
      T* phase = row + q * plane.phase_width;
      const std::int64_t shift = q - w.padding_w;
      const Span cols = inside(shift, stride, geo.width, plane.phase_width);
      for (std::int64_t col = 0; col < cols.begin; ++col) phase[col] = T(0);
      for (std::int64_t col = cols.begin; col < cols.end; ++col) phase[col] = line[col * stride + shift];
      for (std::int64_t col = cols.end; col < plane.phase_width; ++col) phase[col] = T(0);
    }
  }
}

template <int kStride, class T>
void im2col_plane(const Geometry& geo, const PaddedPlane& plane, const T* image, T* columns, T* buffer,
                  std::int64_t index) {
  const Window2d& w = geo.window;
  const std::int64_t n = index / geo.channels, c = index % geo.channels;
  load_plane<kStride>(geo, plane, image + n * geo.image_strides[0] + c * geo.image_strides[1], buffer);
  const std::int64_t row_step = w.stride_h * plane.row_stride, out_height = geo.out_height, out_width = geo.out_width;
  const std::int64_t taps = static_cast<std::int64_t>(plane.taps.size());
  T* target = columns + n * geo.column_strides[0] + c * taps * geo.column_strides[1];
  for (std::int64_t tap = 0; tap < taps; ++tap) {
    const T* from = buffer + plane.taps[tap];
    T* to = target + tap * geo.column_strides[1];
    for (std::int64_t oy = 0; oy < out_height; ++oy) copy_run(to + oy * out_width, from + oy * row_step, out_width);
  }
}

// The other fast path, per window row: one run of zeros, one copy (im2col, long unit-stride rows)
// or strided scatter-add (col2im, every row), one run of zeros, with col2im's stride a constant the
// compiler sees when it is 1 or 2 (most convolutions). col2im always goes this way: accumulating in
// a padded plane as im2col reads from one measured slower (2.37 against 1.85 ms for a batch of 128
// on the conv AE's second layer), as its overlapping vector adds wait on the stores before them.
template <int kStride, class T>
void scatter_add_row(T* __restrict dst, const T* __restrict src, std::int64_t count, std::int64_t stride) {
  const std::int64_t step = kStride > 0 ? kStride : stride;
  for (std::int64_t ox = 0; ox < count; ++ox) dst[ox * step] += src[ox];
}

// Calls row(column_offset, iy, col_shift, cols) for every (tap, output row oy) of one plane whose
// input row iy is on the image; column_offset is the columns offset of (tap, oy) from the plane's
// first row, for columns whose positions are contiguous. for_each_window_row above walks the same
// windows for any layout; driven through that one (stride and layout still compile-time), the conv
// AE step measured 50.4-51.6 ms against 48.5-48.9 ms with this one.
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

// Unit column stride only (the long rows above).
template <class T>
void im2col_rows(const Geometry& geo, const T* image, T* columns, std::int64_t plane) {
  const std::int64_t ow = geo.out_width;
  const std::int64_t n = plane / geo.channels, c = plane % geo.channels;
  const T* source = image + n * geo.image_strides[0] + c * geo.image_strides[1];
  T* target = columns + n * geo.column_strides[0];
  for_each_tap_row(
      geo, c, geo.column_strides[1],
      [&](std::int64_t at, std::int64_t iy, std::int64_t shift, Span cols) {
        T* dst = target + at;
        for (std::int64_t ox = 0; ox < cols.begin; ++ox) dst[ox] = T(0);
        std::copy_n(source + iy * geo.image_strides[2] + cols.begin + shift, cols.end - cols.begin, dst + cols.begin);
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

}  // namespace

void im2col(const Tensor& x, const Window2d& window, const Tensor& out) {
  const Geometry geo = cpu::geometry(x, out, window);
  const bool rows_contiguous = geo.column_strides[2] == 1 && geo.image_strides[3] == 1;
  if (!rows_contiguous || geo.out_height <= 0 || geo.out_width <= 0) return cpu::im2col(x, window, out);
  cpu::check_cpu("im2col", x);
  const std::int64_t planes = x.shape()[0] * geo.channels;
  const bool long_rows = window.stride_w == 1 && geo.out_width >= 16;
  visit_floating(x.dtype(), "im2col", [&]<class T>() {
    const T* image = base<T>(x);
    T* columns = base<T>(out);
    if (long_rows) {
#pragma omp parallel for schedule(static) if (run_parallel(planes, out.numel()))
      for (std::int64_t index = 0; index < planes; ++index) im2col_rows(geo, image, columns, index);
      return;
    }
    const PaddedPlane plane(geo);
#pragma omp parallel if (run_parallel(planes, out.numel()))
    {
      std::vector<T> buffer(static_cast<std::size_t>(plane.size()));
#pragma omp for schedule(static)
      for (std::int64_t index = 0; index < planes; ++index) {
        switch (window.stride_w) {
          case 1: im2col_plane<1>(geo, plane, image, columns, buffer.data(), index); break;
          case 2: im2col_plane<2>(geo, plane, image, columns, buffer.data(), index); break;
          default: im2col_plane<0>(geo, plane, image, columns, buffer.data(), index); break;
        }
      }
    }
  });
}

void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias) {
  if (columns.strides()[2] != 1) return cpu::col2im(columns, window, out, bias);
  cpu::check_cpu("col2im", columns);
  check<InternalError>(out.is_contiguous(), "col2im", "internal error, the image must be contiguous");
  const Geometry geo = cpu::geometry(out, columns, window);
  const std::int64_t planes = out.shape()[0] * geo.channels;
  const std::int64_t plane_size = geo.height * geo.width;
  visit_floating(columns.dtype(), "col2im", [&]<class T>() {
    const T* source = base<T>(columns);
    T* image = base<T>(out);
#pragma omp parallel for schedule(static) if (run_parallel(planes, columns.numel()))
    for (std::int64_t plane = 0; plane < planes; ++plane) {
      const T start = bias.defined() ? base<T>(bias)[(plane % geo.channels) * bias.strides()[0]] : T(0);
      std::fill(image + plane * plane_size, image + (plane + 1) * plane_size, start);
      switch (window.stride_w) {
        case 1: col2im_rows<1>(geo, source, image, plane); break;
        case 2: col2im_rows<2>(geo, source, image, plane); break;
        default: col2im_rows<0>(geo, source, image, plane); break;
      }
    }
  });
}

}  // namespace lg::kernel::fast
