#include "autograd/backend/cpu/fast/vector_isa.hpp"

#include <cstdlib>
#include <cstring>

namespace lg::kernel::fast {

bool cpu_has(VectorIsa isa) {
  __builtin_cpu_init();
  switch (isa) {
    case VectorIsa::baseline: return true;
    case VectorIsa::avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case VectorIsa::avx512:
      return cpu_has(VectorIsa::avx2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
  }
  return false;
}

VectorIsa vector_isa() {
  static const VectorIsa chosen = [] {
    VectorIsa widest = cpu_has(VectorIsa::avx512) ? VectorIsa::avx512
                       : cpu_has(VectorIsa::avx2) ? VectorIsa::avx2
                                                  : VectorIsa::baseline;
    const char* asked = std::getenv("LATENTGEO_VECTOR_ISA");
    if (asked != nullptr && std::strcmp(asked, "baseline") == 0) return VectorIsa::baseline;
    if (asked != nullptr && std::strcmp(asked, "avx2") == 0 && widest == VectorIsa::avx512) return VectorIsa::avx2;
    return widest;
  }();
  return chosen;
}

const char* vector_isa_name(VectorIsa isa) {
  switch (isa) {
    case VectorIsa::baseline: return "baseline";
    case VectorIsa::avx2: return "avx2";
    case VectorIsa::avx512: return "avx512";
  }
  return "?";
}

}  // namespace lg::kernel::fast
