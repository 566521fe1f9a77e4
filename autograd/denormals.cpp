// Flushing denormals to zero, per thread. See Note [denormals] in docs/notes.md.
#include "autograd/denormals.hpp"

#include <cstdlib>
#include <cstring>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace lg {
namespace {

#if defined(__SSE__)
constexpr unsigned kFlushToZero = 0x8000;       // MXCSR.FTZ: denormal results become 0
constexpr unsigned kDenormalsAreZero = 0x0040;  // MXCSR.DAZ: denormal inputs read as 0
constexpr unsigned kBoth = kFlushToZero | kDenormalsAreZero;
#endif

void apply_to_this_thread(bool flush) {
#if defined(__SSE__)
  const unsigned csr = _mm_getcsr();
  _mm_setcsr(flush ? (csr | kBoth) : (csr & ~kBoth));
#else
  (void)flush;
#endif
}

// Before main, on the main thread; libgomp's workers are created later, by it, and inherit the
// register (pthread_create copies the floating-point environment).
[[gnu::constructor]] void flush_denormals_at_start() {
  const char* keep = std::getenv("LATENTGEO_KEEP_DENORMALS");
  if (keep == nullptr || std::strcmp(keep, "1") != 0) apply_to_this_thread(true);
}

}  // namespace

void set_flush_denormals(bool flush) {
  apply_to_this_thread(flush);
  // The pool's threads persist between regions: reach each of them once.
#pragma omp parallel
  apply_to_this_thread(flush);
}

bool flush_denormals() {
#if defined(__SSE__)
  return (_mm_getcsr() & kBoth) == kBoth;
#else
  return false;
#endif
}

}  // namespace lg
