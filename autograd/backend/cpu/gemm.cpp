// GEMM through OpenBLAS. A row-major operand with unit column stride goes in
// as is (lda = row stride); a transposed view (unit row stride) goes in with a
// transpose flag. Only other layouts (a step-2 slice, say) are copied.
#include <cblas.h>
#include <omp.h>

#include "autograd/backend/kernels.hpp"
#include "autograd/blas_core.hpp"

extern "C" void openblas_set_num_threads(int threads);

namespace lg::kernel {
namespace {

// A reference into blas_core.cpp, so that every program running a GEMM also links its
// start-up choice of OpenBLAS's kernels (Note [OpenBLAS core]).
[[gnu::used]] const auto link_blas_core = &lg::blas_core;

struct BlasOperand {
  Tensor tensor;  // what BLAS reads (the input, or a contiguous copy)
  CBLAS_TRANSPOSE transpose = CblasNoTrans;
  int leading = 1;
};

BlasOperand as_blas_operand(const Tensor& t) {
  const std::int64_t rows = t.shape()[0], cols = t.shape()[1];
  const std::int64_t s0 = t.strides()[0], s1 = t.strides()[1];
  if ((s1 == 1 || cols == 1) && s0 >= std::max<std::int64_t>(cols, 1)) return {t, CblasNoTrans, static_cast<int>(s0)};
  if ((s0 == 1 || rows == 1) && s1 >= std::max<std::int64_t>(rows, 1)) return {t, CblasTrans, static_cast<int>(s1)};
  auto storage = std::make_shared<Storage>(static_cast<std::size_t>(t.numel()) * dtype_size(t.dtype()), t.device());
  Tensor dense(std::make_shared<TensorImpl>(storage, t.shape(), contiguous_strides(t.shape()), 0, t.dtype()));
  copy(t, dense);
  return {dense, CblasNoTrans, static_cast<int>(std::max<std::int64_t>(cols, 1))};
}

}  // namespace

void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) {
  const int m = static_cast<int>(a.shape()[0]);
  const int k = static_cast<int>(a.shape()[1]);
  const int n = static_cast<int>(b.shape()[1]);
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) fill(out, 0.0);
    return;
  }
  const BlasOperand lhs = as_blas_operand(a);
  const BlasOperand rhs = as_blas_operand(b);
  const int ldc = static_cast<int>(out.strides()[0]);
  // beta = 0 makes OpenBLAS zero `out` first (a memset pass); beta = 1 reads it instead.
  const double beta = accumulate ? 1.0 : 0.0;
  if (a.dtype() == DType::float32) {
    cblas_sgemm(CblasRowMajor, lhs.transpose, rhs.transpose, m, n, k, 1.0f, lhs.tensor.data_ptr<float>(), lhs.leading,
                rhs.tensor.data_ptr<float>(), rhs.leading, static_cast<float>(beta), out.data_ptr<float>(), ldc);
  } else {
    cblas_dgemm(CblasRowMajor, lhs.transpose, rhs.transpose, m, n, k, 1.0, lhs.tensor.data_ptr<double>(), lhs.leading,
                rhs.tensor.data_ptr<double>(), rhs.leading, beta, out.data_ptr<double>(), ldc);
  }
}

namespace {
int configured_threads = 0;
}

void set_num_threads(int threads) {
  check<ValueError>(threads >= 1, "set_num_threads", "expected at least 1 thread, got ", threads);
  configured_threads = threads;
  omp_set_num_threads(threads);
  openblas_set_num_threads(threads);
}

int num_threads() { return configured_threads > 0 ? configured_threads : omp_get_max_threads(); }

BlasOnCallingThread::BlasOnCallingThread() { openblas_set_num_threads(1); }
BlasOnCallingThread::~BlasOnCallingThread() { openblas_set_num_threads(num_threads()); }

}  // namespace lg::kernel
