// CPU factorisations and solves through LAPACKE: Cholesky (potrf), triangular
// solves (trtrs), LU with partial pivoting (getrf), solves from the LU factors
// (getrs) and the sign and log-magnitude of the determinant from them.
//
// LAPACK works column-major. Every kernel copies its input matrices, whatever
// their layout, into one contiguous buffer of transposes ([batch, columns, rows]
// row-major is each matrix column-major, one after the other), calls LAPACK
// matrix by matrix, and copies the result back through a transposed view.
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/factory.hpp"

namespace lg::kernel::cpu {
namespace {

// The number of matrices in x [..., rows, columns].
std::int64_t batch_count(const Tensor& x) {
  std::int64_t count = 1;
  for (std::int64_t d = 0; d + 2 < x.dim(); ++d) count *= x.shape()[d];
  return count;
}

// x with its last two dims swapped, a view (no autograd: kernels never record).
Tensor swap_last_two(const Tensor& x) {
  Shape shape = x.shape(), strides = x.strides();
  std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
  std::swap(strides[strides.size() - 1], strides[strides.size() - 2]);
  return detail::alias(x, shape, strides, x.offset());
}

// The matrices of x [..., rows, columns] column-major, one after the other, in a new contiguous tensor.
Tensor column_major_copy(const Tensor& x) {
  const Tensor transposed = swap_last_two(x);
  Tensor columns = empty(transposed.shape(), x.dtype(), x.device());
  copy(transposed, columns);
  return columns;
}

// Writes matrices held column-major (as column_major_copy makes them) into out [..., rows, columns].
void copy_from_column_major(const Tensor& columns, const Tensor& out) { copy(columns, swap_last_two(out)); }

// LAPACK's leading dimension: at least 1, even for an empty matrix.
lapack_int leading(std::int64_t rows) { return static_cast<lapack_int>(std::max<std::int64_t>(rows, 1)); }

}  // namespace

FactorStatus cholesky(const Tensor& a, const Tensor& l) {
  check_cpu("cholesky", a);
  const std::int64_t n = a.shape().back(), batch = batch_count(a);
  Tensor columns = column_major_copy(a);
  FactorStatus status;
  visit_floating(a.dtype(), "cholesky", [&]<class T>() {
    T* out = base<T>(l);
    for (std::int64_t b = 0; b < batch; ++b) {
      T* matrix = base<T>(columns) + b * n * n;
      lapack_int info = 0;
      if constexpr (std::is_same_v<T, double>) info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', n, matrix, leading(n));
      else info = LAPACKE_spotrf(LAPACK_COL_MAJOR, 'L', n, matrix, leading(n));
      check<InternalError>(info >= 0, "cholesky", "internal error: potrf returned ", info);
      if (info > 0 && status.matrix < 0) status = {b, info};
      // potrf leaves A's upper triangle as it was: copy the lower one, zeros above.
      T* dst = out + b * n * n;
      for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j) dst[i * n + j] = j <= i ? matrix[j * n + i] : T(0);
    }
  });
  return status;
}

FactorStatus triangular_solve(const Tensor& t, const Tensor& b, const Tensor& x, bool upper, bool unit_diagonal) {
  check_cpu("triangular_solve", t);
  const std::int64_t n = t.shape().back(), k = b.shape().back(), batch = batch_count(t);
  Tensor triangles = column_major_copy(t);
  Tensor solutions = column_major_copy(b);  // trtrs overwrites B with X
  FactorStatus status;
  visit_floating(t.dtype(), "triangular_solve", [&]<class T>() {
    for (std::int64_t p = 0; p < batch; ++p) {
      const T* triangle = base<T>(triangles) + p * n * n;
      T* rhs = base<T>(solutions) + p * n * k;
      const char uplo = upper ? 'U' : 'L', diag = unit_diagonal ? 'U' : 'N';
      lapack_int info = 0;
      if constexpr (std::is_same_v<T, double>)
        info = LAPACKE_dtrtrs(LAPACK_COL_MAJOR, uplo, 'N', diag, n, k, triangle, leading(n), rhs, leading(n));
      else info = LAPACKE_strtrs(LAPACK_COL_MAJOR, uplo, 'N', diag, n, k, triangle, leading(n), rhs, leading(n));
      check<InternalError>(info >= 0, "triangular_solve", "internal error: trtrs returned ", info);
      if (info > 0 && status.matrix < 0) status = {p, info};
    }
  });
  copy_from_column_major(solutions, x);
  return status;
}

FactorStatus lu_factor(const Tensor& a, const Tensor& lu, const Tensor& pivots) {
  check_cpu("lu_factor", a);
  const std::int64_t n = a.shape().back(), batch = batch_count(a);
  Tensor columns = column_major_copy(a);
  std::int64_t* pivot_out = base<std::int64_t>(pivots);
  std::vector<lapack_int> row_swaps(static_cast<std::size_t>(std::max<std::int64_t>(n, 1)));
  FactorStatus status;
  visit_floating(a.dtype(), "lu_factor", [&]<class T>() {
    for (std::int64_t b = 0; b < batch; ++b) {
      T* matrix = base<T>(columns) + b * n * n;
      lapack_int info = 0;
      if constexpr (std::is_same_v<T, double>)
        info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, n, n, matrix, leading(n), row_swaps.data());
      else info = LAPACKE_sgetrf(LAPACK_COL_MAJOR, n, n, matrix, leading(n), row_swaps.data());
      check<InternalError>(info >= 0, "lu_factor", "internal error: getrf returned ", info);
      if (info > 0 && status.matrix < 0) status = {b, info};
      for (std::int64_t i = 0; i < n; ++i) pivot_out[b * n + i] = row_swaps[static_cast<std::size_t>(i)];
    }
  });
  copy_from_column_major(columns, lu);
  return status;
}

void lu_solve(const Tensor& lu, const Tensor& pivots, const Tensor& b, const Tensor& x) {
  check_cpu("lu_solve", lu);
  const std::int64_t n = lu.shape().back(), k = b.shape().back(), batch = batch_count(lu);
  Tensor factors = column_major_copy(lu);
  Tensor solutions = column_major_copy(b);  // getrs overwrites B with X
  const Tensor pivots_here = pivots.is_contiguous() ? pivots : empty(pivots.shape(), int64, pivots.device());
  if (!pivots.is_contiguous()) copy(pivots, pivots_here);
  const std::int64_t* pivot_in = base<std::int64_t>(pivots_here);
  std::vector<lapack_int> row_swaps(static_cast<std::size_t>(std::max<std::int64_t>(n, 1)));
  visit_floating(lu.dtype(), "lu_solve", [&]<class T>() {
    for (std::int64_t p = 0; p < batch; ++p) {
      for (std::int64_t i = 0; i < n; ++i) row_swaps[static_cast<std::size_t>(i)] = static_cast<lapack_int>(pivot_in[p * n + i]);
      const T* matrix = base<T>(factors) + p * n * n;
      T* rhs = base<T>(solutions) + p * n * k;
      lapack_int info = 0;
      if constexpr (std::is_same_v<T, double>)
        info = LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'N', n, k, matrix, leading(n), row_swaps.data(), rhs, leading(n));
      else info = LAPACKE_sgetrs(LAPACK_COL_MAJOR, 'N', n, k, matrix, leading(n), row_swaps.data(), rhs, leading(n));
      check<InternalError>(info == 0, "lu_solve", "internal error: getrs returned ", info);
    }
  });
  copy_from_column_major(solutions, x);
}

// det a = det p * prod u_ii, and det p = (-1)^(number of rows swapped with another). Summing
// log |u_ii| instead of multiplying keeps large matrices from overflowing.
void lu_slogdet(const Tensor& lu, const Tensor& pivots, const Tensor& sign, const Tensor& logabsdet) {
  check_cpu("lu_slogdet", lu);
  const std::int64_t n = lu.shape().back(), batch = batch_count(lu);
  const Tensor factors = lu.is_contiguous() ? lu : empty(lu.shape(), lu.dtype(), lu.device());
  if (!lu.is_contiguous()) copy(lu, factors);
  const Tensor pivots_here = pivots.is_contiguous() ? pivots : empty(pivots.shape(), int64, pivots.device());
  if (!pivots.is_contiguous()) copy(pivots, pivots_here);
  const std::int64_t* pivot_in = base<std::int64_t>(pivots_here);
  visit_floating(lu.dtype(), "lu_slogdet", [&]<class T>() {
    for (std::int64_t b = 0; b < batch; ++b) {
      const T* matrix = base<T>(factors) + b * n * n;
      double log_magnitude = 0.0;
      int negative = 0;
      bool singular = false;
      for (std::int64_t i = 0; i < n; ++i) {
        const T pivot = matrix[i * n + i];
        if (pivot == T(0)) singular = true;
        negative += (pivot < T(0)) + (pivot_in[b * n + i] != i + 1);
        log_magnitude += std::log(std::abs(static_cast<double>(pivot)));
      }
      base<T>(sign)[b] = singular ? T(0) : negative % 2 == 0 ? T(1) : T(-1);
      base<T>(logabsdet)[b] = singular ? -std::numeric_limits<T>::infinity() : static_cast<T>(log_magnitude);
    }
  });
}

}  // namespace lg::kernel::cpu
