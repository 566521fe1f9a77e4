// float32 sigmoid and binary cross-entropy with logits through the vectorisable exp and log1p of
// float_math.hpp (Note [float32 exp and log1p]); the plain kernels call the C library one value at a
// time. Every other op and dtype goes to the plain kernel. Contiguous rows run on the widest vectors
// this CPU has (vector_isa.hpp, Note [vector width]); strided ones one value at a time.
#include <cmath>

#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/cpu/elementwise_maps.hpp"
#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "autograd/backend/cpu/fast/float_math.hpp"

namespace lg::kernel::fast {
namespace {

// sigmoid(v) = 1 / (1 + e^-|v|) for v >= 0, e^-|v| / (1 + e^-|v|) below: one exp of a non-positive
// argument, no overflow, and a select instead of a branch.
[[gnu::always_inline]] inline float sigmoid_value(float v) {
  const float e = vector_exp(-std::abs(v));
  const float s = 1.0f / (1.0f + e);
  return v >= 0.0f ? s : e * s;
}

// max(x, 0) - x t + log(1 + e^-|x|).
[[gnu::always_inline]] inline float bce_with_logits_value(float x, float t) {
  return (x > 0.0f ? x : 0.0f) - x * t + vector_softplus_of_minus_abs(x);
}

[[gnu::always_inline]] inline void sigmoid_loop(const float* x, float* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = sigmoid_value(x[i]);
}
[[gnu::always_inline]] inline void bce_with_logits_loop(const float* x, const float* t, float* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = bce_with_logits_value(x[i], t[i]);
}

// The same loops compiled for each instruction set: the compiler vectorises each for its width.
#define LG_AVX512 gnu::target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")
#define LG_AVX2 gnu::target("avx2,fma")
[[LG_AVX512]] void sigmoid_avx512(const float* x, float* out, std::int64_t n) { sigmoid_loop(x, out, n); }
[[LG_AVX2]] void sigmoid_avx2(const float* x, float* out, std::int64_t n) { sigmoid_loop(x, out, n); }
void sigmoid_baseline(const float* x, float* out, std::int64_t n) { sigmoid_loop(x, out, n); }
[[LG_AVX512]] void bce_with_logits_avx512(const float* x, const float* t, float* out, std::int64_t n) {
  bce_with_logits_loop(x, t, out, n);
}
[[LG_AVX2]] void bce_with_logits_avx2(const float* x, const float* t, float* out, std::int64_t n) {
  bce_with_logits_loop(x, t, out, n);
}
void bce_with_logits_baseline(const float* x, const float* t, float* out, std::int64_t n) {
  bce_with_logits_loop(x, t, out, n);
}
#undef LG_AVX512
#undef LG_AVX2

}  // namespace

void sigmoid_row(VectorIsa isa, const float* x, float* out, std::int64_t n) {
  switch (isa) {
    case VectorIsa::avx512: return sigmoid_avx512(x, out, n);
    case VectorIsa::avx2: return sigmoid_avx2(x, out, n);
    case VectorIsa::baseline: return sigmoid_baseline(x, out, n);
  }
}

void bce_with_logits_row(VectorIsa isa, const float* x, const float* t, float* out, std::int64_t n) {
  switch (isa) {
    case VectorIsa::avx512: return bce_with_logits_avx512(x, t, out, n);
    case VectorIsa::avx2: return bce_with_logits_avx2(x, t, out, n);
    case VectorIsa::baseline: return bce_with_logits_baseline(x, t, out, n);
  }
}

void unary(Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) {
  if (op != Unary::sigmoid || x.dtype() != float32 || out.dtype() != float32)
    return cpu::unary(op, x, out, alpha, beta);
  cpu::check_cpu("unary", x);
  const float* xp = cpu::base<float>(x);
  float* outp = cpu::base<float>(out);
  const VectorIsa isa = vector_isa();
  const auto layout = make_layout<2>(out.shape(), {out.strides(), broadcast_strides(x, out.shape())});
  parallel_rows(layout, [&](const std::array<std::int64_t, 2>& at, std::int64_t n,
                                 const std::array<std::int64_t, 2>& step) {
    if (step[0] == 1 && step[1] == 1) return sigmoid_row(isa, xp + at[1], outp + at[0], n);
    for (std::int64_t i = 0; i < n; ++i) outp[at[0] + i * step[0]] = sigmoid_value(xp[at[1] + i * step[1]]);
  });
}

void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) {
  if (op != Binary::bce_with_logits || out.dtype() != float32) return cpu::binary(op, a, b, out, alpha);
  cpu::check_cpu("binary", a);
  const float* ap = cpu::base<float>(a);
  const float* bp = cpu::base<float>(b);
  float* outp = cpu::base<float>(out);
  const VectorIsa isa = vector_isa();
  const auto layout = make_layout<3>(out.shape(), {out.strides(), broadcast_strides(a, out.shape()),
                                                   broadcast_strides(b, out.shape())});
  parallel_rows(layout, [&](const std::array<std::int64_t, 3>& at, std::int64_t n,
                                 const std::array<std::int64_t, 3>& step) {
    if (step[0] == 1 && step[1] == 1 && step[2] == 1)
      return bce_with_logits_row(isa, ap + at[1], bp + at[2], outp + at[0], n);
    for (std::int64_t i = 0; i < n; ++i)
      outp[at[0] + i * step[0]] = bce_with_logits_value(ap[at[1] + i * step[1]], bp[at[2] + i * step[2]]);
  });
}

}  // namespace lg::kernel::fast
