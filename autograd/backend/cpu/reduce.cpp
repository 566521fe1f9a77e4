// CPU reductions. Note [deterministic reductions] (docs/notes.md): a sum over a
// contiguous run is cut into fixed 4096-element chunks, each summed in 8
// independent lanes, and the chunk sums are added in chunk order. The split
// never depends on the thread count, so neither do the bits. Sums accumulate in
// double (float32 too): a 10^7-element float32 sum then loses nothing visible.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/strided_iterator.hpp"
#include "autograd/factory.hpp"

namespace lg::kernel::cpu {
namespace {

using cpu::base;
using cpu::check_cpu;

constexpr std::int64_t kChunk = 4096;


template <class T>
using Accumulator = std::conditional_t<std::is_floating_point_v<T>, double, T>;

// Sum of n contiguous values with 8 lanes (vectorisable, fixed order).
template <class T>
Accumulator<T> sum_run(const T* x, std::int64_t n) {
  Accumulator<T> lanes[8] = {};
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; ++l) lanes[l] += x[i + l];
  Accumulator<T> total =
      ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  for (; i < n; ++i) total += x[i];
  return total;
}

template <class T>
Accumulator<T> sum_chunked(const T* x, std::int64_t n) {
  Accumulator<T> total = 0;
  for (std::int64_t start = 0; start < n; start += kChunk) total += sum_run(x + start, std::min(kChunk, n - start));
  return total;
}

template <class T>
T extreme_run(Reduce op, const T* x, std::int64_t n) {
  T best = op == Reduce::max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  if constexpr (std::is_floating_point_v<T>) {
    if (op == Reduce::max) best = -std::numeric_limits<T>::infinity();
    else best = std::numeric_limits<T>::infinity();
  }
  for (std::int64_t i = 0; i < n; ++i) {
    const T v = x[i];
    if (v != v) return v;  // NaN propagates
    best = op == Reduce::max ? std::max(best, v) : std::min(best, v);
  }
  return best;
}

template <class T>
Accumulator<T> reduce_run(Reduce op, const T* x, std::int64_t n) {
  return op == Reduce::sum ? sum_chunked(x, n) : extreme_run(op, x, n);
}

template <class T>
T combine(Reduce op, T a, T b) {
  if (op == Reduce::sum) return a + b;
  if (a != a || b != b) return a != a ? a : b;
  return op == Reduce::max ? std::max(a, b) : std::min(a, b);
}

// Rows of length `inner` laid out contiguously one after another: out[r] = reduce(x[r, :]).
template <class T>
void reduce_rows(Reduce op, const T* x, std::int64_t rows, std::int64_t inner, T* out) {
  if (rows == 1 && inner >= kParallelThreshold && omp_get_max_threads() > 1) {
    // One long run: chunks in parallel, partials combined in chunk order.
    const std::int64_t chunks = (inner + kChunk - 1) / kChunk;
    std::vector<Accumulator<T>> partial(static_cast<std::size_t>(chunks));
#pragma omp parallel for schedule(static)
    for (std::int64_t c = 0; c < chunks; ++c)
      partial[c] = reduce_run(op, x + c * kChunk, std::min(kChunk, inner - c * kChunk));
    Accumulator<T> total = partial[0];
    for (std::int64_t c = 1; c < chunks; ++c) total = combine(op, total, partial[c]);
    *out = static_cast<T>(total);
    return;
  }
#pragma omp parallel for schedule(static) if (rows * inner >= kParallelThreshold && rows > 1)
  for (std::int64_t r = 0; r < rows; ++r) out[r] = static_cast<T>(reduce_run(op, x + r * inner, inner));
}

// x is [outer, inner] contiguous and the outer dim is reduced: out[j] = reduce_i x[i, j].
// Row by row in order, so each out[j] sees the same sequence whatever the threads.
template <class T>
void reduce_columns(Reduce op, const T* x, std::int64_t outer, std::int64_t inner, T* out) {
  constexpr std::int64_t block = 1024;
  const std::int64_t blocks = (inner + block - 1) / block;
#pragma omp parallel for schedule(static) if (outer * inner >= kParallelThreshold && blocks > 1)
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::int64_t begin = b * block;
    const std::int64_t end = std::min(inner, begin + block);
    if (op == Reduce::sum) {
      Accumulator<T> totals[block];
      for (std::int64_t j = begin; j < end; ++j) totals[j - begin] = x[j];
      for (std::int64_t i = 1; i < outer; ++i) {
        const T* row = x + i * inner;
        for (std::int64_t j = begin; j < end; ++j) totals[j - begin] += row[j];
      }
      for (std::int64_t j = begin; j < end; ++j) out[j] = static_cast<T>(totals[j - begin]);
    } else {
      for (std::int64_t j = begin; j < end; ++j) out[j] = x[j];
      for (std::int64_t i = 1; i < outer; ++i) {
        const T* row = x + i * inner;
        for (std::int64_t j = begin; j < end; ++j) out[j] = combine(op, out[j], row[j]);
      }
    }
  }
}

// x is [outer, kept, inner] contiguous with outer and inner reduced, as a per-channel sum over
// [N, C, H, W] is (a convolution's bias gradient): each (o, k) run of `inner` values is reduced as
// reduce_rows does, and the runs are combined over o in order. The general case below would first
// copy x to [kept, outer, inner]; measured on the conv AE step, that copy and sum took 5% of it.
template <class T>
void reduce_middle(Reduce op, const T* x, std::int64_t outer, std::int64_t kept, std::int64_t inner, T* out) {
#pragma omp parallel for schedule(static) if (outer * kept * inner >= kParallelThreshold && kept > 1)
  for (std::int64_t k = 0; k < kept; ++k) {
    Accumulator<T> total = reduce_run(op, x + k * inner, inner);
    for (std::int64_t o = 1; o < outer; ++o)
      total = combine<Accumulator<T>>(op, total, reduce_run(op, x + (o * kept + k) * inner, inner));
    out[k] = static_cast<T>(total);
  }
}

template <class T>
void reduce_typed(Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out) {
  const std::int64_t rank = x.dim();
  T* op_out = base<T>(out);  // `out` is contiguous, fresh
  std::int64_t kept_numel = 1, reduced_numel = 1;
  for (std::int64_t d = 0; d < rank; ++d) (reduced[d] ? reduced_numel : kept_numel) *= x.shape()[d];
  if (kept_numel == 0) return;
  if (reduced_numel == 0) {
    const T identity = op == Reduce::sum ? T(0) : T(0);
    for (std::int64_t i = 0; i < kept_numel; ++i) op_out[i] = identity;
    return;
  }
  // Fast paths on a contiguous input: reduced dims all trailing, or all leading.
  if (x.is_contiguous()) {
    std::int64_t first_reduced = rank, last_kept = -1;
    for (std::int64_t d = 0; d < rank; ++d) {
      if (reduced[d] && x.shape()[d] != 1) first_reduced = std::min(first_reduced, d);
      if (!reduced[d] && x.shape()[d] != 1) last_kept = d;
    }
    const T* xp = base<T>(x);
    if (last_kept < first_reduced) return reduce_rows(op, xp, kept_numel, reduced_numel, op_out);
    std::int64_t last_reduced = -1, first_kept = rank;
    for (std::int64_t d = 0; d < rank; ++d) {
      if (reduced[d] && x.shape()[d] != 1) last_reduced = d;
      if (!reduced[d] && x.shape()[d] != 1) first_kept = std::min(first_kept, d);
    }
    if (last_reduced < first_kept) return reduce_columns(op, xp, reduced_numel, kept_numel, op_out);
    // Kept dims in one block between reduced ones: [outer, kept, inner].
    bool one_block = true;
    std::int64_t outer = 1, inner = 1;
    for (std::int64_t d = 0; d < rank; ++d) {
      if (!reduced[d] || x.shape()[d] == 1) continue;
      if (d > first_kept && d < last_kept) one_block = false;
      (d < first_kept ? outer : inner) *= x.shape()[d];
    }
    if (one_block) return reduce_middle(op, xp, outer, kept_numel, inner, op_out);
  }
  // General case: permute kept dims first, reduced dims last, copy to contiguous.
  Shape order, permuted_shape, permuted_strides;
  for (int pass = 0; pass < 2; ++pass)
    for (std::int64_t d = 0; d < rank; ++d)
      if (reduced[d] == (pass == 1)) {
        order.push_back(d);
        permuted_shape.push_back(x.shape()[d]);
        permuted_strides.push_back(x.strides()[d]);
      }
  const Tensor permuted = detail::alias(x, permuted_shape, permuted_strides, x.offset());
  Tensor dense = empty(permuted_shape, x.dtype(), x.device());
  copy(permuted, dense);
  reduce_rows(op, base<T>(dense), kept_numel, reduced_numel, op_out);
}

template <class T>
void arg_reduce_typed(Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values, const Tensor& indices) {
  // Walk all positions except `dim`, then scan along `dim`.
  Shape outer_shape = x.shape();
  outer_shape[dim] = 1;
  const std::int64_t length = x.shape()[dim];
  const std::int64_t stride = x.strides()[dim];
  const T* xp = base<T>(x);
  T* vp = base<T>(values);
  std::int64_t* ip = base<std::int64_t>(indices);
  const auto layout = make_layout<3>(outer_shape, {x.strides(), values.strides(), indices.strides()});
  for_each_row(layout, 0, layout.rows(), [&](const std::array<std::int64_t, 3>& at, std::int64_t n,
                                             const std::array<std::int64_t, 3>& step) {
    for (std::int64_t i = 0; i < n; ++i) {
      const T* run = xp + at[0] + i * step[0];
      T best = run[0];
      std::int64_t best_index = 0;
      for (std::int64_t k = 1; k < length && best == best; ++k) {
        const T v = run[k * stride];
        if (v != v || (op == Reduce::max ? v > best : v < best)) {
          best = v;
          best_index = k;
        }
      }
      vp[at[1] + i * step[1]] = best;
      ip[at[2] + i * step[2]] = best_index;
    }
  });
}

}  // namespace

void reduce(Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out) {
  visit_dtype(x.dtype(), [&]<class T>() { reduce_typed<T>(op, x, reduced, out); });
}

void arg_reduce(Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values, const Tensor& indices) {
  visit_dtype(x.dtype(), [&]<class T>() { arg_reduce_typed<T>(op, x, dim, values, indices); });
}

// One sequential float64 pass in row-major order (not the chunked lanes above): gradient clipping
// promised these bits before the norm was a kernel, and a handful of passes per step cost nothing.
double sum_of_squares(const Tensor& x, double initial) {
  check_cpu("sum_of_squares", x);
  Tensor dense = x;
  if (!x.is_contiguous()) {
    dense = empty(x.shape(), x.dtype(), x.device());
    copy(x, dense);
  }
  double sum = initial;
  visit_floating(dense.dtype(), "sum_of_squares", [&]<class T>() {
    const T* data = base<T>(dense);
    for (std::int64_t i = 0; i < dense.numel(); ++i) {
      const double value = static_cast<double>(data[i]);
      sum += value * value;
    }
  });
  return sum;
}

}  // namespace lg::kernel::cpu
