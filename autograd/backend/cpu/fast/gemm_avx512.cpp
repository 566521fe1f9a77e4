// float32 GEMM on our own AVX-512 kernel (sgemm_avx512.cpp, Note [own sgemm]) where the CPU has it
// and LATENTGEO_GEMM is not "openblas"; the plain gemm's thread split around it, so a product is cut
// into the same blocks either way. float64 and other CPUs keep OpenBLAS.
#include <cstdlib>
#include <cstring>

#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "autograd/backend/cpu/fast/sgemm.hpp"

namespace lg::kernel::fast {

bool sgemm_available() {
  static const bool available = [] {
    const char* choice = std::getenv("LATENTGEO_GEMM");
    if (choice != nullptr && std::strcmp(choice, "openblas") == 0) return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
  }();
  return available;
}

// Products of fewer multiply-adds than this stay on OpenBLAS, whose small-matrix kernels skip the
// packing that our 12 x 32 tiles need: a Stiefel step's [784, 10] x [10, 10] and [10, 784] x
// [784, 10] ran 25% faster there (bench_manifold --profile exact: 0.145 -> 0.115 ms a step). Every
// product of the training-step benchmark is above it. The choice depends on the shape alone, so a
// shape always takes the same path (same bits run to run).
constexpr double kOwnKernelWork = double(1 << 18);

void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) {
  const double work = double(a.shape()[0]) * double(a.shape()[1]) * double(b.shape()[1]);
  cpu::gemm_in_blocks(a, b, out, accumulate, sgemm_available() && work >= kOwnKernelWork ? &sgemm : nullptr);
}

}  // namespace lg::kernel::fast
