// CPU linear algebra through LAPACKE. The first of the family (the
// linear-algebra issue adds the rest): the reduced QR factorisation.
#include <lapacke.h>

#include <algorithm>
#include <vector>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/factory.hpp"

namespace lg::kernel::cpu {

namespace {

// geqrf and orgqr through LAPACKE's _work interface, which skips LAPACKE's NaN scan of the input (the
// qr op rejects non-finite input before it gets here), with the workspace LAPACK asks for.
template <class T>
lapack_int householder_qr(lapack_int m, lapack_int n, T* data, T* reflectors) {
  T size = 0;
  lapack_int info = 0;
  if constexpr (std::is_same_v<T, double>) info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, n, data, m, reflectors, &size, -1);
  else info = LAPACKE_sgeqrf_work(LAPACK_COL_MAJOR, m, n, data, m, reflectors, &size, -1);
  if (info != 0) return info;
  std::vector<T> work(static_cast<std::size_t>(std::max<T>(size, T(1))));
  const auto lwork = static_cast<lapack_int>(work.size());
  if constexpr (std::is_same_v<T, double>) return LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, n, data, m, reflectors, work.data(), lwork);
  else return LAPACKE_sgeqrf_work(LAPACK_COL_MAJOR, m, n, data, m, reflectors, work.data(), lwork);
}

template <class T>
lapack_int form_q(lapack_int m, lapack_int n, T* data, const T* reflectors) {
  T size = 0;
  lapack_int info = 0;
  if constexpr (std::is_same_v<T, double>) info = LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, m, n, n, data, m, reflectors, &size, -1);
  else info = LAPACKE_sorgqr_work(LAPACK_COL_MAJOR, m, n, n, data, m, reflectors, &size, -1);
  if (info != 0) return info;
  std::vector<T> work(static_cast<std::size_t>(std::max<T>(size, T(1))));
  const auto lwork = static_cast<lapack_int>(work.size());
  if constexpr (std::is_same_v<T, double>) return LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, m, n, n, data, m, reflectors, work.data(), lwork);
  else return LAPACKE_sorgqr_work(LAPACK_COL_MAJOR, m, n, n, data, m, reflectors, work.data(), lwork);
}

}  // namespace

// LAPACK works column-major: A^T contiguous is A column-major. geqrf leaves R in the upper triangle
// and the Householder vectors below it; orgqr turns those into the n columns of Q. (LQ of the
// row-major memory would skip the transposed copies, but gelqf on a wide [n, m] matrix walks rows
// with stride n and ran 2.4x slower for [784, 10].) LAPACK's R may have negative diagonal entries;
// we flip those rows of R and the matching columns of Q, so that R's diagonal is positive (+ at an
// exact 0) and the factorisation of a full-rank A is unique.
void qr(const Tensor& a, const Tensor& q, const Tensor& r) {
  check_cpu("qr", a);
  const std::int64_t m = a.shape()[0], n = a.shape()[1];
  Tensor columns = empty({n, m}, a.dtype(), a.device());  // A^T, row-major = A column-major
  copy(a.t(), columns);
  Tensor tau = empty({n}, a.dtype(), a.device());
  const auto lm = static_cast<lapack_int>(m), ln = static_cast<lapack_int>(n);
  visit_floating(a.dtype(), "qr", [&]<class T>() {
    T* data = base<T>(columns);
    T* reflectors = base<T>(tau);
    lapack_int info = householder_qr(lm, ln, data, reflectors);
    check<InternalError>(info == 0, "qr", "internal error: geqrf returned ", info);
    std::vector<T> signs(static_cast<std::size_t>(n));
    T* rp = base<T>(r);  // R[i, j] = column-major A[i, j] for i <= j, 0 below, row i times sign i
    for (std::int64_t i = 0; i < n; ++i) {
      signs[static_cast<std::size_t>(i)] = data[i * m + i] < T(0) ? T(-1) : T(1);
      for (std::int64_t j = 0; j < n; ++j)
        rp[i * n + j] = i <= j ? signs[static_cast<std::size_t>(i)] * data[j * m + i] : T(0);
    }
    info = form_q(lm, ln, data, reflectors);
    check<InternalError>(info == 0, "qr", "internal error: orgqr returned ", info);
    for (std::int64_t j = 0; j < n; ++j)  // column j of Q is contiguous here
      if (signs[static_cast<std::size_t>(j)] < T(0))
        for (std::int64_t i = 0; i < m; ++i) data[j * m + i] = -data[j * m + i];
  });
  copy(columns.t(), q);
}

}  // namespace lg::kernel::cpu
