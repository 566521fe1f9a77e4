// CPU linear algebra through LAPACKE. The first of the family (the
// linear-algebra issue adds the rest): the reduced QR factorisation.
#include <lapacke.h>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/factory.hpp"

namespace lg::kernel::cpu {

// LAPACK works column-major: A^T contiguous is A column-major. geqrf leaves R in the upper triangle
// and the Householder vectors below it; orgqr turns those into the n columns of Q.
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
    lapack_int info = 0;
    if constexpr (std::is_same_v<T, double>) info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, lm, ln, data, lm, reflectors);
    else info = LAPACKE_sgeqrf(LAPACK_COL_MAJOR, lm, ln, data, lm, reflectors);
    check<InternalError>(info == 0, "qr", "internal error: geqrf returned ", info);
    T* rp = base<T>(r);  // R[i, j] = column-major A[i, j] for i <= j, 0 below
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j) rp[i * n + j] = i <= j ? data[j * m + i] : T(0);
    if constexpr (std::is_same_v<T, double>) info = LAPACKE_dorgqr(LAPACK_COL_MAJOR, lm, ln, ln, data, lm, reflectors);
    else info = LAPACKE_sorgqr(LAPACK_COL_MAJOR, lm, ln, ln, data, lm, reflectors);
    check<InternalError>(info == 0, "qr", "internal error: orgqr returned ", info);
  });
  copy(columns.t(), q);
}

}  // namespace lg::kernel::cpu
