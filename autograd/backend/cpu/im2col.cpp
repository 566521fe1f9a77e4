// CPU im2col / col2im, the sliding-window copies behind unfold and fold:
//   im2col: columns[n, (c kh + i) kw + j, oy ow + ox] = x[n, c, oy sh - ph + i dh, ox sw - pw + j dw],
//           0 where that position falls in the padding;
//   col2im: image[n, c, y, x] = the sum of every columns entry that im2col reads from (y, x).
// The plain version: one walk over every window row (window_geometry.hpp), for any layout. The
// work is split over the N*C image planes. A plane is read and written by one thread only, so
// col2im adds its overlapping entries in the same order whatever the thread count (Note
// [deterministic reductions]). No BLAS is called here, so OpenMP never nests BLAS threads.
// fast/im2col_rows.cpp has faster copies for contiguous rows, held to this one by the tests.
#include <algorithm>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/cpu/window_geometry.hpp"

namespace lg::kernel::cpu {
namespace {

template <class T>
void im2col_typed(const Tensor& x, const Window2d& window, const Tensor& out) {
  const Geometry geo = geometry(x, out, window);
  if (geo.out_height <= 0 || geo.out_width <= 0) return;
  const T* image = base<T>(x);
  T* columns = base<T>(out);
  const std::int64_t planes = x.shape()[0] * geo.channels;
  const std::int64_t column_step = geo.column_strides[2];
  const std::int64_t image_step = window.stride_w * geo.image_strides[3];
  auto fill_zero = [&](std::int64_t at, std::int64_t from, std::int64_t to) {
    for (std::int64_t ox = from; ox < to; ++ox) columns[at + ox * column_step] = T(0);
  };
#pragma omp parallel for schedule(static) if (run_parallel(planes, out.numel()))
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    for_each_window_row(
        geo, plane / geo.channels, plane % geo.channels,
        [&](std::int64_t at, std::int64_t from, Span cols) {
          fill_zero(at, 0, cols.begin);
          for (std::int64_t ox = cols.begin; ox < cols.end; ++ox)
            columns[at + ox * column_step] = image[from + ox * image_step];
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
#pragma omp parallel for schedule(static) if (run_parallel(planes, columns.numel()))
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    const T start = bias.defined() ? base<T>(bias)[(plane % geo.channels) * bias.strides()[0]] : T(0);
    std::fill(image + plane * plane_size, image + (plane + 1) * plane_size, start);
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

}  // namespace lg::kernel::cpu
