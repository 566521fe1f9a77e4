// Upgrading OpenBLAS's kernels where it misdetects the CPU (Note [OpenBLAS core]), called from the
// start-up constructor in ../blas_core.cpp.
//
// OpenBLAS (Debian 12 ships 0.3.21, built DYNAMIC_ARCH) picks its kernels once, in its load-time
// constructor, from the CPU's family and model. On a model it does not know (newer Xeons, many
// virtual CPUs) it falls back to its SSE3 "Prescott" kernels, 4-5x slower for GEMM than the AVX-512
// ones the same CPU runs. It exports the pair that makes the choice, gotoblas_dynamic_quit/_init,
// and _init reads OPENBLAS_CORETYPE; so before main, while no GEMM can be running, we ask it to choose
// again with the variable set from the CPU's features, then remove the variable again.
//
// The choice follows features, not models: AVX-512 (F, CD, BW, DQ, VL, with the OS saving the ZMM
// registers) -> SkylakeX; AVX2 + FMA -> Haswell. It only ever upgrades: a core OpenBLAS chose that is
// already of that class (Zen, Cooperlake, ...) is kept, as is a value the user set in
// OPENBLAS_CORETYPE; LATENTGEO_OPENBLAS_CORE=keep turns the whole thing off.
#include <strings.h>

#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "autograd/backend/cpu/fast/fast_kernels.hpp"

extern "C" {
char* openblas_get_corename();
// Present in DYNAMIC_ARCH builds only; weak, so that other builds link and keep their kernels.
[[gnu::weak]] void gotoblas_dynamic_init();
[[gnu::weak]] void gotoblas_dynamic_quit();
}

namespace lg::kernel::fast {
namespace {

const char* core_for_this_cpu() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  return nullptr;
}

bool one_of(const char* name, std::initializer_list<const char*> names) {
  for (const char* candidate : names)
    if (strcasecmp(name, candidate) == 0) return true;
  return false;
}

// True when OpenBLAS's own choice `active` already runs kernels of `wanted`'s class or better.
bool already_good(const char* active, const char* wanted) {
  if (one_of(active, {"SkylakeX", "Cooperlake", "SapphireRapids"})) return true;
  return strcasecmp(wanted, "Haswell") == 0 && one_of(active, {"Haswell", "Zen"});
}

}  // namespace

const char* upgrade_openblas_core() {
  if (const char* keep = std::getenv("LATENTGEO_OPENBLAS_CORE"); keep != nullptr && std::strcmp(keep, "keep") == 0)
    return nullptr;
  const char* wanted = core_for_this_cpu();
  const char* active = openblas_get_corename();
  if (wanted == nullptr || active == nullptr || already_good(active, wanted)) return nullptr;
  if (gotoblas_dynamic_init == nullptr || gotoblas_dynamic_quit == nullptr) return nullptr;
  if (setenv("OPENBLAS_CORETYPE", wanted, 1) != 0) return nullptr;
  gotoblas_dynamic_quit();
  gotoblas_dynamic_init();
  unsetenv("OPENBLAS_CORETYPE");  // the choice is made; child processes choose for themselves
  return wanted;
}

}  // namespace lg::kernel::fast
