// float32 sigmoid and binary cross-entropy with logits through the vectorisable exp and log1p of
// float_math.hpp (Note [float32 exp and log1p]); the plain kernels call the C library one value at a
// time. Every other op and dtype goes to the plain kernel.
#include <cmath>

#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/cpu/elementwise_maps.hpp"
#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "autograd/backend/cpu/fast/float_math.hpp"

namespace lg::kernel::fast {

// sigmoid(v) = 1 / (1 + e^-|v|) for v >= 0, e^-|v| / (1 + e^-|v|) below: one exp of a non-positive
// argument, no overflow, and a select instead of a branch.
void unary(Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) {
  if (op != Unary::sigmoid || x.dtype() != float32 || out.dtype() != float32)
    return cpu::unary(op, x, out, alpha, beta);
  cpu::check_cpu("unary", x);
  cpu::map1<float, float>(x, out, [](float v) {
    const float e = vector_exp(-std::abs(v));
    const float s = 1.0f / (1.0f + e);
    return v >= 0.0f ? s : e * s;
  });
}

// max(x, 0) - x t + log(1 + e^-|x|).
void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) {
  if (op != Binary::bce_with_logits || out.dtype() != float32) return cpu::binary(op, a, b, out, alpha);
  cpu::check_cpu("binary", a);
  cpu::map2<float>(a, b, out, [](float x, float t) {
    return (x > 0.0f ? x : 0.0f) - x * t + vector_softplus_of_minus_abs(x);
  });
}

}  // namespace lg::kernel::fast
