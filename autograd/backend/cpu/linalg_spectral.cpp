// CPU spectral decompositions through LAPACKE: the symmetric eigendecomposition (syevd) and the
// thin singular value decomposition (gesdd, with gesvd as the fallback when gesdd's divide and
// conquer does not converge). Batched by looping over the matrices of one column-major copy.
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

// Each matrix of a [..., m, n] stored column-major, one after the other: the row-major copy of
// each matrix's transpose, a [..., n, m] contiguous tensor. This is LAPACK's layout.
Tensor column_major_copy(const Tensor& a) {
  Shape shape = a.shape();
  std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
  Tensor columns = empty(shape, a.dtype(), a.device());
  copy(a.transpose(-2, -1), columns);
  return columns;
}

// The number of matrices in a [..., m, n].
std::int64_t batch_count(const Tensor& a) {
  std::int64_t count = 1;
  for (std::int64_t d = 0; d + 2 < a.dim(); ++d) count *= a.shape()[static_cast<std::size_t>(d)];
  return count;
}

// The index of the entry of largest magnitude among length values `stride` apart (the first on a tie).
template <class T>
std::int64_t largest_entry(const T* values, std::int64_t length, std::int64_t stride) {
  std::int64_t best = 0;
  for (std::int64_t i = 1; i < length; ++i)
    if (std::abs(values[i * stride]) > std::abs(values[best * stride])) best = i;
  return best;
}

// Whether all `count` values are finite. LAPACKE rejects a matrix holding NaN as a bad argument, so
// such a matrix never reaches it: its results are NaN, as an elementwise op's would be.
template <class T>
bool all_finite(const T* values, std::int64_t count) {
  for (std::int64_t i = 0; i < count; ++i)
    if (!std::isfinite(values[i])) return false;
  return true;
}

template <class T>
void fill_nan(T* values, std::int64_t count) {
  std::fill(values, values + count, std::numeric_limits<T>::quiet_NaN());
}

template <class T>
void negate(T* values, std::int64_t length, std::int64_t stride) {
  for (std::int64_t i = 0; i < length; ++i) values[i * stride] = -values[i * stride];
}

template <class T>
lapack_int symmetric_eigen(lapack_int n, T* matrix, T* values) {
  if constexpr (std::is_same_v<T, double>) return LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'L', n, matrix, n, values);
  else return LAPACKE_ssyevd(LAPACK_COL_MAJOR, 'V', 'L', n, matrix, n, values);
}

// Thin SVD of the column-major m x n `matrix` (destroyed): u column-major m x k, vt column-major
// k x n. Divide and conquer first; the QR iteration when that reports no convergence (info > 0).
template <class T>
lapack_int thin_svd(lapack_int m, lapack_int n, T* matrix, const T* pristine, T* s, T* u, T* vt) {
  const lapack_int k = std::min(m, n);
  lapack_int info = 0;
  if constexpr (std::is_same_v<T, double>)
    info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', m, n, matrix, m, s, u, m, vt, k);
  else info = LAPACKE_sgesdd(LAPACK_COL_MAJOR, 'S', m, n, matrix, m, s, u, m, vt, k);
  if (info <= 0) return info;
  std::copy(pristine, pristine + static_cast<std::ptrdiff_t>(m) * n, matrix);  // gesdd overwrote it
  std::vector<T> superdiagonal(static_cast<std::size_t>(std::max<lapack_int>(k, 1)));
  if constexpr (std::is_same_v<T, double>)
    return LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'S', 'S', m, n, matrix, m, s, u, m, vt, k, superdiagonal.data());
  else return LAPACKE_sgesvd(LAPACK_COL_MAJOR, 'S', 'S', m, n, matrix, m, s, u, m, vt, k, superdiagonal.data());
}

}  // namespace

// syevd reads the lower triangle of the column-major A and leaves the eigenvectors in its place, as
// columns: the block is then V column-major, that is V^T row-major, and a transposed copy gives V.
void eigh(const Tensor& a, const Tensor& eigenvalues, const Tensor& eigenvectors) {
  check_cpu("eigh", a);
  const std::int64_t n = a.shape().back(), batch = batch_count(a);
  if (n == 0 || batch == 0) return;
  Tensor columns = column_major_copy(a);
  visit_floating(a.dtype(), "eigh", [&]<class T>() {
    for (std::int64_t b = 0; b < batch; ++b) {
      T* matrix = base<T>(columns) + b * n * n;
      T* values = base<T>(eigenvalues) + b * n;
      if (!all_finite(matrix, n * n)) {
        fill_nan(values, n);
        fill_nan(matrix, n * n);
        continue;
      }
      const lapack_int info = symmetric_eigen(static_cast<lapack_int>(n), matrix, values);
      check<InternalError>(info >= 0, "eigh", "internal error: syevd returned ", info);
      check<ValueError>(info == 0, "eigh", "the eigenvalue iteration did not converge for matrix ", b, " of the batch");
      for (std::int64_t j = 0; j < n; ++j) {  // column j is contiguous in the column-major block
        T* column = matrix + j * n;
        if (column[largest_entry(column, n, 1)] < T(0)) negate(column, n, 1);
      }
    }
  });
  copy(columns.transpose(-2, -1), eigenvectors);
}

// gesdd writes U column-major (so U^T row-major: a transposed copy gives U) and V^T column-major,
// which is V row-major [n, k]: it goes straight into v.
void svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& v) {
  check_cpu("svd", a);
  const std::int64_t m = a.shape()[static_cast<std::size_t>(a.dim() - 2)], n = a.shape().back();
  const std::int64_t k = std::min(m, n), batch = batch_count(a);
  if (k == 0 || batch == 0) return;
  Tensor columns = column_major_copy(a);
  Tensor pristine = column_major_copy(a);  // for the fallback, which needs A again
  Shape u_columns_shape = u.shape();
  std::swap(u_columns_shape[u_columns_shape.size() - 1], u_columns_shape[u_columns_shape.size() - 2]);
  Tensor u_columns = empty(u_columns_shape, a.dtype(), a.device());
  visit_floating(a.dtype(), "svd", [&]<class T>() {
    for (std::int64_t b = 0; b < batch; ++b) {
      T* left = base<T>(u_columns) + b * m * k;
      T* right = base<T>(v) + b * n * k;  // row-major V: column i is entries i, i + k, i + 2k, ...
      if (!all_finite(base<T>(columns) + b * m * n, m * n)) {
        fill_nan(left, m * k);
        fill_nan(base<T>(s) + b * k, k);
        fill_nan(right, n * k);
        continue;
      }
      const lapack_int info = thin_svd(static_cast<lapack_int>(m), static_cast<lapack_int>(n),
                                       base<T>(columns) + b * m * n, base<T>(pristine) + b * m * n,
                                       base<T>(s) + b * k, left, right);
      check<InternalError>(info >= 0, "svd", "internal error: gesdd/gesvd returned ", info);
      check<ValueError>(info == 0, "svd", "the singular value iteration did not converge for matrix ", b,
                        " of the batch");
      for (std::int64_t i = 0; i < k; ++i) {
        T* column = left + i * m;
        if (column[largest_entry(column, m, 1)] < T(0)) {
          negate(column, m, 1);
          negate(right + i, n, k);
        }
      }
    }
  });
  copy(u_columns.transpose(-2, -1), u);
}

}  // namespace lg::kernel::cpu
