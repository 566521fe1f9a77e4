// Branch-free float32 exp and log1p that the compiler vectorises, for the elementwise loops whose
// cost is the math call itself: glibc's expf and log1pf are calls, one value at a time (about 3 and
// 6 ns each here), and binary cross-entropy with logits needs both per pixel. Measured on its
// forward, 128 x 784 logits: 1.77 ms with glibc, Note [float32 exp and log1p] for the figures after.
//
// Both are the Cephes single-precision polynomials (S. L. Moshier), range-reduced as usual:
//   exp:   x = n ln2 + r, |r| <= ln2 / 2, e^x = 2^n p(r), with ln2 split in two for an exact n ln2;
//   log1p: 1 + e = 2^k m with m in [sqrt(1/2), sqrt(2)), log m = f - f^2/2 + f^3 q(f), f = m - 1,
//          plus the rounding of 1 + e put back as (e - ((1 + e) - 1)) / (1 + e).
// Error: within 2 ulp of the float64 result over the ranges below (tests/fast_kernels/test_float_math.cpp
// sweeps them). float64 keeps the C library's functions.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace lg::kernel::fast {

// e^x for float32, x anywhere; NaN stays NaN. x is clamped to [-87.34, 88.72]: below, the result is
// about 2^-126 (the smallest normal; 0 when denormals are flushed, Note [denormals]) where e^x would
// be smaller; from 88.38 on, it is infinity (e^x overflows float32 at 88.72).
inline float vector_exp(float x) {
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2High = 0.693359375f, kLn2Low = -2.12194440e-4f;
  // Adding 1.5 2^23 rounds to the nearest integer and leaves it in the low mantissa bits: n without
  // a float-to-int conversion (undefined for NaN) or a branch.
  constexpr float kRoundingShift = 12582912.0f;
  const float clamped = std::min(std::max(x, -87.3365447f), 88.7228391f);
  const float shifted = clamped * kLog2e + kRoundingShift;
  const float nf = shifted - kRoundingShift;
  const std::int32_t n = std::bit_cast<std::int32_t>(shifted) - std::bit_cast<std::int32_t>(kRoundingShift);
  const float r = (clamped - nf * kLn2High) - nf * kLn2Low;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * (r * r) + r + 1.0f;
  const float two_to_n = std::bit_cast<float>(static_cast<std::uint32_t>(n + 127) << 23);
  return y * two_to_n;
}

// log(1 + e) for float32 e in [0, 1], the range softplus(-|x|) = log1p(e^-|x|) needs.
inline float vector_log1p_unit(float e) {
  constexpr float kLn2High = 0.693359375f, kLn2Low = -2.12194440e-4f;
  const float u = 1.0f + e;  // in [1, 2]
  const float k = static_cast<float>(u > 1.41421356237f);  // 1: halve u
  const float m = u * (1.0f - 0.5f * k);                       // in [sqrt(1/2), sqrt(2)], exact
  const float f = m - 1.0f;  // exact (Sterbenz)
  const float z = f * f;
  float q = 7.0376836292e-2f;
  q = q * f - 1.1514610310e-1f;
  q = q * f + 1.1676998740e-1f;
  q = q * f - 1.2420140846e-1f;
  q = q * f + 1.4249322787e-1f;
  q = q * f - 1.6668057665e-1f;
  q = q * f + 2.0000714765e-1f;
  q = q * f - 2.4999993993e-1f;
  q = q * f + 3.3333331174e-1f;
  const float log_u = ((f + (q * f * z + (k * kLn2Low - 0.5f * z))) + k * kLn2High);
  return log_u + (e - (u - 1.0f)) / u;
}

// log(1 + e^-|x|) = softplus(-|x|), the log term of binary cross-entropy with logits.
inline float vector_softplus_of_minus_abs(float x) { return vector_log1p_unit(vector_exp(-std::abs(x))); }

}  // namespace lg::kernel::fast
