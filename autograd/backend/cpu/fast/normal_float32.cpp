// float32 normals: the Box-Muller transform of box_muller() (autograd/random.hpp) on vectors, giving
// the very float32 values that rounding box_muller()'s doubles gives (Note [float32 normals]).
// The C library's log, cos and sin take one value a call, about 20 ns a pair here, and a training
// step that draws a noise tensor spends more on them than on most of its ops. Each pair is computed
// in double with our own log and sincos (within a few double ulp of the C library's), and rounded to
// float32; where the C library's slightly different double could round to another float (a float
// boundary lies within the error bound; about one value in a million), the pair is computed again with
// the C library's functions.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "autograd/random.hpp"
#include "autograd/threads.hpp"

namespace lg::kernel::fast {
namespace {

constexpr double kRoundingShift = 0x1.8p52;  // adding it rounds to an integer held in the low mantissa bits

// log(u) for u in (0, 1] (u1 is at least 2^-53). u = 2^e m with m in [sqrt(1/2), sqrt(2)), f = m - 1,
// s = f / (2 + f), log m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...): |s| <= 0.172, so the terms
// through s^25 leave less than 2^-60. ln 2 split in two so that e ln2 is exact.
[[gnu::always_inline]] inline double log_unit(double u) {
  constexpr double kLn2High = 0x1.62e42feep-1, kLn2Low = 0x1.a39ef35793c76p-33;
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(u);
  // The biased exponent as a double without an int-to-float conversion (AVX2 has none for 64 bits).
  double e = std::bit_cast<double>((bits >> 52) | 0x4330000000000000ULL) - (0x1p52 + 1023.0);
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);  // in [1, 2)
  const bool halve = m > 1.4142135623730951;
  m = halve ? 0.5 * m : m;
  e = halve ? e + 1.0 : e;
  const double f = m - 1.0;  // exact
  const double s = f / (2.0 + f);
  const double z = s * s;
  double p = 1.0 / 25.0;
  p = p * z + 1.0 / 23.0;
  p = p * z + 1.0 / 21.0;
  p = p * z + 1.0 / 19.0;
  p = p * z + 1.0 / 17.0;
  p = p * z + 1.0 / 15.0;
  p = p * z + 1.0 / 13.0;
  p = p * z + 1.0 / 11.0;
  p = p * z + 1.0 / 9.0;
  p = p * z + 1.0 / 7.0;
  p = p * z + 1.0 / 5.0;
  p = p * z + 1.0 / 3.0;
  const double log_m = 2.0 * s + 2.0 * s * (z * p);
  return e * kLn2High + (log_m + e * kLn2Low);
}

// sin and cos of a in [0, 2 pi): a = q pi/2 + r with |r| <= pi/4 (pi/2 in three parts, the first two
// short enough that q times them is exact), then the Taylor series of sin r and cos r (through r^17
// and r^18: the next terms are below 2^-60 of the result) and the quadrant q mod 4 picks signs.
[[gnu::always_inline]] inline void sincos_turn(double a, double& sin_a, double& cos_a) {
  constexpr double kTwoOverPi = 0x1.45f306dc9c883p-1;
  constexpr double kPiOver2Part1 = 0x1.921fb544p0, kPiOver2Part2 = 0x1.0b4611a6p-34,
                   kPiOver2Part3 = 0x1.3198a2e037073p-69;  // the rest of pi/2 to double precision
  const double shifted = a * kTwoOverPi + kRoundingShift;
  const double q = shifted - kRoundingShift;
  const std::uint64_t quadrant = std::bit_cast<std::uint64_t>(shifted) & 3;
  const double r = ((a - q * kPiOver2Part1) - q * kPiOver2Part2) - q * kPiOver2Part3;
  const double z = r * r;
  double ps = -1.0 / 355687428096000.0;  // -1/17!
  ps = ps * z + 1.0 / 1307674368000.0;
  ps = ps * z - 1.0 / 6227020800.0;
  ps = ps * z + 1.0 / 39916800.0;
  ps = ps * z - 1.0 / 362880.0;
  ps = ps * z + 1.0 / 5040.0;
  ps = ps * z - 1.0 / 120.0;
  ps = ps * z + 1.0 / 6.0;
  const double sin_r = r - r * (z * ps);
  double pc = 1.0 / 6402373705728000.0;  // 1/18!
  pc = pc * z - 1.0 / 20922789888000.0;
  pc = pc * z + 1.0 / 87178291200.0;
  pc = pc * z - 1.0 / 479001600.0;
  pc = pc * z + 1.0 / 3628800.0;
  pc = pc * z - 1.0 / 40320.0;
  pc = pc * z + 1.0 / 720.0;
  pc = pc * z - 1.0 / 24.0;
  pc = pc * z + 0.5;
  const double cos_r = 1.0 - z * pc;
  const bool odd = (quadrant & 1) != 0, flip_sin = (quadrant & 2) != 0, flip_cos = ((quadrant + 1) & 2) != 0;
  const double sin_abs = odd ? cos_r : sin_r, cos_abs = odd ? sin_r : cos_r;
  sin_a = flip_sin ? -sin_abs : sin_abs;
  cos_a = flip_cos ? -cos_abs : cos_abs;
}

// Relative bound on how far our z = r cos a (or r sin a) may lie from the C library's: a few double ulp
// (2^-53 each) from the log, the sqrt, the series and the product, and from the reduction of a, whose
// absolute error (about 2^-120) stays far below an ulp of r even where a is nearest a multiple of pi/2
// (r near 2^-54). 2^-43 leaves a wide margin and sends a few pairs in a million to the C library.
constexpr double kRelativeBound = 0x1p-43;

// value = float(mean + stddev z); ok when every double within the bound of it rounds to that float.
[[gnu::always_inline]] inline float round_checked(double z, double mean, double stddev, bool& ok) {
  const double scaled = stddev * z;
  const double value = mean + scaled;
  const double bound = std::abs(scaled) * kRelativeBound + std::abs(value) * 0x1p-50;
  ok = static_cast<float>(value - bound) == static_cast<float>(value + bound);
  return static_cast<float>(value);
}

// Pairs [0, count): the floats, and exact[k] = 0 where pair k must be redone.
[[gnu::always_inline]] inline void pairs_loop(const double* uniforms, std::int64_t count, double mean, double stddev,
                                              float* out, std::uint8_t* exact) {
  for (std::int64_t k = 0; k < count; ++k) {
    const double radius = std::sqrt(-2.0 * log_unit(uniforms[2 * k]));
    const double angle = 2.0 * M_PI * uniforms[2 * k + 1];
    double sin_a, cos_a;
    sincos_turn(angle, sin_a, cos_a);
    bool first_ok, second_ok;
    out[2 * k] = round_checked(radius * cos_a, mean, stddev, first_ok);
    out[2 * k + 1] = round_checked(radius * sin_a, mean, stddev, second_ok);
    exact[k] = static_cast<std::uint8_t>(first_ok & second_ok);
  }
}

#define LG_AVX512 gnu::target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")
#define LG_AVX2 gnu::target("avx2,fma")
[[LG_AVX512]] void pairs_avx512(const double* u, std::int64_t count, double mean, double stddev, float* out,
                                std::uint8_t* exact) {
  pairs_loop(u, count, mean, stddev, out, exact);
}
[[LG_AVX2]] void pairs_avx2(const double* u, std::int64_t count, double mean, double stddev, float* out,
                            std::uint8_t* exact) {
  pairs_loop(u, count, mean, stddev, out, exact);
}
void pairs_baseline(const double* u, std::int64_t count, double mean, double stddev, float* out,
                    std::uint8_t* exact) {
  pairs_loop(u, count, mean, stddev, out, exact);
}
#undef LG_AVX512
#undef LG_AVX2

}  // namespace

std::int64_t normals_float32(VectorIsa isa, const double* uniforms, std::int64_t count, double mean, double stddev,
                             float* out) {
  std::vector<std::uint8_t> exact(static_cast<std::size_t>(count));
  constexpr std::int64_t kBlock = 2048;  // pairs a thread takes at a time
  const std::int64_t blocks = (count + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) num_threads(num_threads()) if (count > 4096)
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::int64_t first = b * kBlock, n = std::min(kBlock, count - first);
    const double* u = uniforms + 2 * first;
    float* o = out + 2 * first;
    std::uint8_t* e = exact.data() + first;
    switch (isa) {
      case VectorIsa::avx512: pairs_avx512(u, n, mean, stddev, o, e); break;
      case VectorIsa::avx2: pairs_avx2(u, n, mean, stddev, o, e); break;
      case VectorIsa::baseline: pairs_baseline(u, n, mean, stddev, o, e); break;
    }
  }
  std::int64_t redone = 0;
  for (std::int64_t k = 0; k < count; ++k) {
    if (exact[static_cast<std::size_t>(k)] != 0) continue;
    double pair[2] = {uniforms[2 * k], uniforms[2 * k + 1]};
    box_muller(pair, 1);
    out[2 * k] = static_cast<float>(mean + stddev * pair[0]);
    out[2 * k + 1] = static_cast<float>(mean + stddev * pair[1]);
    ++redone;
  }
  return redone;
}

}  // namespace lg::kernel::fast
