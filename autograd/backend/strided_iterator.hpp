// Walking several tensors of one shape (after broadcasting) element by element.
//
// The layout is first simplified: size-1 dims are dropped and neighbouring dims
// that are contiguous for *every* operand are merged, so a contiguous tensor
// becomes one long row and a transposed matrix stays two dims. The walk then
// calls body(offsets, count, inner_strides) once per innermost row, with each
// operand's element offset for the row start; the body runs the tight loop.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "autograd/shape.hpp"
#include "autograd/tensor.hpp"

#include <omp.h>

namespace lg::kernel {

// Below this many elements a loop runs on one thread: the fork costs more than
// it saves. Chosen when OpenBLAS still had its own pool, whose GEMMs idle libgomp
// workers slowed (MLP AE step, batch 128, 2 threads: 48 ms at a 32K threshold,
// 14.7 ms at 1M); with one pool (Note [threads]) 64K and 1M measured the same
// (MLP AE batch 256, 2 threads: 8.8 ms both; conv AE 58-59 ms both).
inline constexpr std::int64_t kParallelThreshold = 1 << 20;

// Strides of `t` as seen through broadcasting to `shape` (0 on broadcast dims).
inline Shape broadcast_strides(const Tensor& t, const Shape& shape) {
  Shape strides(shape.size(), 0);
  const std::size_t lead = shape.size() - t.shape().size();
  for (std::size_t i = 0; i < t.shape().size(); ++i)
    strides[lead + i] = t.shape()[i] == 1 ? 0 : t.strides()[i];
  return strides;
}

template <std::size_t N>
struct StridedLayout {
  Shape shape;                    // innermost dim last; never empty
  std::array<Shape, N> strides;   // per operand, same length as shape
  std::int64_t rows() const {
    std::int64_t r = 1;
    for (std::size_t d = 0; d + 1 < shape.size(); ++d) r *= shape[d];
    return r;
  }
};

template <std::size_t N>
StridedLayout<N> make_layout(const Shape& shape, const std::array<Shape, N>& strides) {
  StridedLayout<N> layout;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    if (!layout.shape.empty()) {
      bool mergeable = true;
      for (std::size_t k = 0; k < N; ++k)
        mergeable = mergeable && layout.strides[k].back() == strides[k][d] * shape[d];
      if (mergeable) {
        layout.shape.back() *= shape[d];
        for (std::size_t k = 0; k < N; ++k) layout.strides[k].back() = strides[k][d];
        continue;
      }
    }
    layout.shape.push_back(shape[d]);
    for (std::size_t k = 0; k < N; ++k) layout.strides[k].push_back(strides[k][d]);
  }
  if (layout.shape.empty()) {
    layout.shape.push_back(numel_of(shape) == 0 ? 0 : 1);
    for (std::size_t k = 0; k < N; ++k) layout.strides[k].push_back(0);
  }
  return layout;
}

// Rows [row_begin, row_end) of the layout.
template <std::size_t N, class Body>
void for_each_row(const StridedLayout<N>& layout, std::int64_t row_begin, std::int64_t row_end, Body&& body) {
  if (row_begin >= row_end || layout.shape.back() == 0) return;
  const std::size_t outer = layout.shape.size() - 1;
  std::vector<std::int64_t> index(outer, 0);
  std::array<std::int64_t, N> offsets{};
  std::int64_t rest = row_begin;
  for (std::size_t d = outer; d-- > 0;) {
    index[d] = rest % layout.shape[d];
    rest /= layout.shape[d];
    for (std::size_t k = 0; k < N; ++k) offsets[k] += index[d] * layout.strides[k][d];
  }
  std::array<std::int64_t, N> inner{};
  for (std::size_t k = 0; k < N; ++k) inner[k] = layout.strides[k][outer];
  for (std::int64_t row = row_begin; row < row_end; ++row) {
    body(offsets, layout.shape[outer], inner);
    for (std::size_t d = outer; d-- > 0;) {  // odometer step
      ++index[d];
      for (std::size_t k = 0; k < N; ++k) offsets[k] += layout.strides[k][d];
      if (index[d] < layout.shape[d]) break;
      for (std::size_t k = 0; k < N; ++k) offsets[k] -= layout.shape[d] * layout.strides[k][d];
      index[d] = 0;
    }
  }
}

// All rows, split across threads when the tensor is large. Elementwise work
// only: each element is written by exactly one thread.
template <std::size_t N, class Body>
void parallel_rows(const StridedLayout<N>& layout, Body&& body) {
  const std::int64_t rows = layout.rows();
  const std::int64_t total = rows * layout.shape.back();
  if (total < kParallelThreshold || omp_get_max_threads() == 1) {
    for_each_row(layout, 0, rows, body);
    return;
  }
  if (rows == 1) {  // one long row (a contiguous tensor): split the row itself
    std::array<std::int64_t, N> inner{};
    for (std::size_t k = 0; k < N; ++k) inner[k] = layout.strides[k].back();
#pragma omp parallel
    {
      const std::int64_t threads = omp_get_num_threads();
      const std::int64_t me = omp_get_thread_num();
      const std::int64_t begin = total * me / threads;
      const std::int64_t end = total * (me + 1) / threads;
      std::array<std::int64_t, N> offsets{};
      for (std::size_t k = 0; k < N; ++k) offsets[k] = begin * inner[k];
      if (begin < end) body(offsets, end - begin, inner);
    }
    return;
  }
#pragma omp parallel
  {
    const std::int64_t threads = omp_get_num_threads();
    const std::int64_t me = omp_get_thread_num();
    const std::int64_t begin = rows * me / threads;
    const std::int64_t end = rows * (me + 1) / threads;
    if (begin < end) for_each_row(layout, begin, end, body);
  }
}

}  // namespace lg::kernel
