// GEMM through OpenBLAS. A row-major operand with unit column stride goes in as is (lda = row
// stride); a transposed view (unit row stride) goes in with a transpose flag. Only other layouts (a
// step-2 slice, say) are copied. A large product is cut into blocks, one per thread (Note
// [threads]); the fast build hands float32 blocks to its own kernel instead (fast/gemm_avx512.cpp).
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/blas_core.hpp"
#include "autograd/factory.hpp"

extern "C" void openblas_set_num_threads(int threads);

namespace lg::kernel::cpu {
namespace {

// A reference into blas_core.cpp, so that every program running a GEMM also links its start-up
// settings of OpenBLAS (one thread; Note [threads]).
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
  Tensor dense = empty(t.shape(), t.dtype(), t.device());
  copy(t, dense);
  return {dense, CblasNoTrans, static_cast<int>(std::max<std::int64_t>(cols, 1))};
}

}  // namespace

namespace {

// GEMMs below this many multiply-adds run on one thread: an OpenMP region costs more than it saves.
constexpr double kSplitWork = double(1 << 20);

// C[rows, cols] (+)= op(A) op(B) on the calling thread, for rows [row0, row0 + rows) and columns
// [col0, col0 + cols) of the whole product. op(A) row i is A's row i, or its column i when A goes in
// transposed; likewise op(B) column j.
template <class T>
void gemm_block(const BlasOperand& lhs, const BlasOperand& rhs, T* c, int ldc, int k, int row0, int rows, int col0,
                int cols, T beta, Float32Block float32_block) {
  const T* a = lhs.tensor.data_ptr<T>() + (lhs.transpose == CblasNoTrans ? std::int64_t{row0} * lhs.leading : row0);
  const T* b = rhs.tensor.data_ptr<T>() + (rhs.transpose == CblasNoTrans ? col0 : std::int64_t{col0} * rhs.leading);
  T* block = c + std::int64_t{row0} * ldc + col0;
  if constexpr (std::is_same_v<T, float>) {
    if (float32_block != nullptr)
      return float32_block(lhs.transpose == CblasTrans, rhs.transpose == CblasTrans, rows, cols, k, a, lhs.leading, b,
                           rhs.leading, beta != 0.0f, block, ldc);
    cblas_sgemm(CblasRowMajor, lhs.transpose, rhs.transpose, rows, cols, k, 1.0f, a, lhs.leading, b, rhs.leading,
                beta, block, ldc);
  } else {
    cblas_dgemm(CblasRowMajor, lhs.transpose, rhs.transpose, rows, cols, k, 1.0, a, lhs.leading, b, rhs.leading, beta,
                block, ldc);
  }
}

}  // namespace

void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) {
  gemm_in_blocks(a, b, out, accumulate, nullptr);
}

void gemm_in_blocks(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate, Float32Block float32_block) {
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
  // Note [threads]: OpenBLAS itself runs on one thread; a large product is cut into blocks of rows
  // (or of columns, when it is wider than tall), one per OpenMP thread, each a GEMM call of its
  // own. Inside a region (the convolutions' chunks) the product stays on the calling thread.
  const int threads = num_threads();
  const bool split = threads > 1 && !omp_in_parallel() && double(m) * n * k >= kSplitWork;
  const bool by_rows = m >= n;
  const int extent = by_rows ? m : n;
  const int parts = split ? std::min(threads, std::max(1, extent / 16)) : 1;
  visit_floating(a.dtype(), "gemm", [&]<class T>() {
    // beta = 0 makes OpenBLAS zero `out` first (a memset pass); beta = 1 reads it instead.
    const T beta = accumulate ? T(1) : T(0);
    T* c = out.data_ptr<T>();
#pragma omp parallel for schedule(static) num_threads(parts) if (parts > 1)
    for (int part = 0; part < parts; ++part) {
      // Block edges on multiples of 16, so that every block but the last is whole OpenBLAS micro-tiles
      // (the fast build's own kernel gives the same bits for any blocks: Note [own sgemm]).
      const int begin = static_cast<int>((std::int64_t{extent} * part / parts) / 16 * 16);
      const int end = part + 1 == parts ? extent : static_cast<int>((std::int64_t{extent} * (part + 1) / parts) / 16 * 16);
      if (by_rows) gemm_block<T>(lhs, rhs, c, ldc, k, begin, end - begin, 0, n, beta, float32_block);
      else gemm_block<T>(lhs, rhs, c, ldc, k, 0, m, begin, end - begin, beta, float32_block);
    }
  });
}

}  // namespace lg::kernel::cpu

// The thread count is the CPU's, shared by every device's host-side work.
namespace lg::kernel {
namespace {
int configured_threads = 0;
}

void set_num_threads(int threads) {
  check<ValueError>(threads >= 1, "set_num_threads", "expected at least 1 thread, got ", threads);
  configured_threads = threads;
  omp_set_num_threads(threads);
  openblas_set_num_threads(1);  // one pool: our OpenMP threads split the GEMMs (Note [threads])
}

int num_threads() { return configured_threads > 0 ? configured_threads : omp_get_max_threads(); }

}  // namespace lg::kernel
