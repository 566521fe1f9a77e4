// The two strided maps every elementwise kernel is written with:
//   map1: out[i] = f(x[i]),        x broadcast to out's shape (S: x's element type, T: out's);
//   map2: out[i] = f(a[i], b[i]),  a and b broadcast to out's shape.
// One walk over any layout (strided_iterator.hpp); the innermost loop is a plain counted loop that
// the compiler vectorises when the strides are 1, with broadcast scalars hoisted out of it.
#pragma once
#include <array>
#include <cstdint>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/strided_iterator.hpp"

namespace lg::kernel::cpu {

// out[i] = f(x[i]) with x broadcast to out's shape.
template <class T, class S, class F>
inline void map1(const Tensor& x, const Tensor& out, F f) {
  const S* xp = base<S>(x);
  T* op = base<T>(out);
  const auto layout = make_layout<2>(out.shape(), {out.strides(), broadcast_strides(x, out.shape())});
  parallel_rows(layout, [&](const std::array<std::int64_t, 2>& at, std::int64_t n,
                            const std::array<std::int64_t, 2>& step) {
    T* o = op + at[0];
    const S* a = xp + at[1];
    if (step[0] == 1 && step[1] == 1) {
      for (std::int64_t i = 0; i < n; ++i) o[i] = f(a[i]);
    } else {
      for (std::int64_t i = 0; i < n; ++i) o[i * step[0]] = f(a[i * step[1]]);
    }
  });
}

// out[i] = f(a[i], b[i]) with a and b broadcast to out's shape.
template <class T, class F>
inline void map2(const Tensor& a, const Tensor& b, const Tensor& out, F f) {
  const T* ap = base<T>(a);
  const T* bp = base<T>(b);
  T* op = base<T>(out);
  const auto layout = make_layout<3>(
      out.shape(), {out.strides(), broadcast_strides(a, out.shape()), broadcast_strides(b, out.shape())});
  parallel_rows(layout, [&](const std::array<std::int64_t, 3>& at, std::int64_t n,
                            const std::array<std::int64_t, 3>& step) {
    T* o = op + at[0];
    const T* x = ap + at[1];
    const T* y = bp + at[2];
    if (step[0] == 1 && step[1] == 1 && step[2] == 1) {
      for (std::int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
    } else if (step[0] == 1 && step[1] == 1 && step[2] == 0) {
      const T yv = *y;
      for (std::int64_t i = 0; i < n; ++i) o[i] = f(x[i], yv);
    } else if (step[0] == 1 && step[1] == 0 && step[2] == 1) {
      const T xv = *x;
      for (std::int64_t i = 0; i < n; ++i) o[i] = f(xv, y[i]);
    } else {
      for (std::int64_t i = 0; i < n; ++i) o[i * step[0]] = f(x[i * step[1]], y[i * step[2]]);
    }
  });
}

}  // namespace lg::kernel::cpu
