// latentgeo's own float32 GEMM for CPUs with AVX-512 (Note [own sgemm]). fast::gemm routes float32
// products here when sgemm_available(); float64 and every other CPU keep OpenBLAS.
#pragma once

#include <cstdint>

namespace lg::kernel::fast {

// True when this CPU (and its OS) runs AVX-512 F/VL/BW/DQ code and LATENTGEO_GEMM is not "openblas".
// Decided once, at the first call.
bool sgemm_available();

// Row-major C[m, n] = op(A) op(B), added to C when `accumulate`, else written over it.
// op(A)[i, p] = a[i lda + p], or a[p lda + i] when transpose_a; op(B)[p, j] = b[p ldb + j], or
// b[j ldb + p] when transpose_b. Runs on the calling thread; call only when sgemm_available().
void sgemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k, const float* a,
           std::int64_t lda, const float* b, std::int64_t ldb, bool accumulate, float* c, std::int64_t ldc);

}  // namespace lg::kernel::fast
