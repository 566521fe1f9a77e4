// OpenBLAS's start-up settings, in a constructor before main: its threads, held at one (Note
// [threads]: our OpenMP threads split the GEMMs), and which kernels it runs, reported by blas_core().
// A fast build may also upgrade those kernels where OpenBLAS misdetects the CPU
// (fast/openblas_core.cpp, Note [OpenBLAS core]); a plain build keeps OpenBLAS's own choice.
#include <strings.h>

#include <cstdlib>
#include <cstring>

#include "autograd/blas_core.hpp"
#if LATENTGEO_FAST_KERNELS
#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#endif

extern "C" {
char* openblas_get_corename();
void openblas_set_num_threads(int threads);
}

namespace lg {
namespace {

// Written once, before main, by start_openblas; read-only afterwards.
BlasCoreChoice::Source chosen_by = BlasCoreChoice::Source::openblas;
const char* chosen_core = "";

[[gnu::constructor]] void start_openblas() {
  // One pool (Note [threads]): OpenBLAS runs each call on the calling thread from the start, and our
  // OpenMP threads split large GEMMs, even in a program that never calls lg::set_num_threads.
  openblas_set_num_threads(1);
  if (const char* user = std::getenv("OPENBLAS_CORETYPE"); user != nullptr) {
    chosen_by = BlasCoreChoice::Source::environment;
    chosen_core = user;
    return;
  }
#if LATENTGEO_FAST_KERNELS
  if (const char* upgraded = kernel::fast::upgrade_openblas_core(); upgraded != nullptr) {
    chosen_by = BlasCoreChoice::Source::latentgeo;
    chosen_core = upgraded;
  }
#endif
}

}  // namespace

BlasCoreChoice blas_core() {
  const char* active = openblas_get_corename();
  return {chosen_by, chosen_core, active != nullptr ? active : ""};
}

bool BlasCoreChoice::honoured() const {
  return source == Source::openblas || strcasecmp(requested.c_str(), active.c_str()) == 0;
}

}  // namespace lg
