// Fused optimiser updates on the CPU: one pass over a parameter and its state,
// coefficients given in double (kernels.hpp), the loop in the parameter's own
// type, as PyTorch's foreach path does. The template flags drop the terms a
// configuration does not use, so each loop vectorises without branches.
#include <cmath>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/strided_iterator.hpp"

namespace lg::kernel::cpu {
namespace {

template <class T, bool L2, bool Decoupled>
void adam_loop(T* __restrict param, const T* __restrict grad, T* __restrict exp_avg, T* __restrict exp_avg_sq,
               std::int64_t n, const AdamStep& c) {
  const T beta1 = static_cast<T>(c.beta1), beta2 = static_cast<T>(c.beta2);
  const T one_minus_beta1 = static_cast<T>(1.0 - c.beta1), one_minus_beta2 = static_cast<T>(1.0 - c.beta2);
  const T eps = static_cast<T>(c.eps), l2 = static_cast<T>(c.l2), decay = static_cast<T>(c.decay);
  const T step_size = static_cast<T>(c.step_size), bias_sqrt = static_cast<T>(c.bias_sqrt);
#pragma omp parallel for schedule(static) if (n >= kParallelThreshold)
  for (std::int64_t i = 0; i < n; ++i) {
    T g = grad[i];
    if constexpr (L2) g += l2 * param[i];
    const T m = beta1 * exp_avg[i] + one_minus_beta1 * g;
    const T v = beta2 * exp_avg_sq[i] + one_minus_beta2 * g * g;
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    T p = param[i];
    if constexpr (Decoupled) p *= decay;
    param[i] = p - step_size * (m / (std::sqrt(v) / bias_sqrt + eps));
  }
}

template <class T, bool WeightDecay, bool Momentum, bool Nesterov>
void sgd_loop(T* __restrict param, const T* __restrict grad, T* __restrict momentum_buffer, std::int64_t n,
              const SgdStep& c) {
  const T lr = static_cast<T>(c.lr), weight_decay = static_cast<T>(c.weight_decay);
  const T keep = static_cast<T>(c.keep), take = static_cast<T>(c.take), momentum = static_cast<T>(c.momentum);
#pragma omp parallel for schedule(static) if (n >= kParallelThreshold)
  for (std::int64_t i = 0; i < n; ++i) {
    T d = grad[i];
    if constexpr (WeightDecay) d += weight_decay * param[i];
    if constexpr (Momentum) {
      const T b = keep * momentum_buffer[i] + take * d;
      momentum_buffer[i] = b;
      if constexpr (Nesterov) d += momentum * b;
      else d = b;
    }
    param[i] -= lr * d;
  }
}

template <class T, bool WeightDecay>
void sgd_momentum_cases(T* param, const T* grad, T* buffer, std::int64_t n, const SgdStep& c) {
  if (!c.use_momentum) sgd_loop<T, WeightDecay, false, false>(param, grad, buffer, n, c);
  else if (c.nesterov) sgd_loop<T, WeightDecay, true, true>(param, grad, buffer, n, c);
  else sgd_loop<T, WeightDecay, true, false>(param, grad, buffer, n, c);
}

}  // namespace

void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const AdamStep& step) {
  check_cpu("adam_update", param);
  visit_floating(param.dtype(), "adam_update", [&]<class T>() {
    T* p = base<T>(param);
    const T* g = base<T>(grad);
    T* m = base<T>(exp_avg);
    T* v = base<T>(exp_avg_sq);
    const std::int64_t n = param.numel();
    if (step.decay != 1.0) adam_loop<T, false, true>(p, g, m, v, n, step);
    else if (step.l2 != 0.0) adam_loop<T, true, false>(p, g, m, v, n, step);
    else adam_loop<T, false, false>(p, g, m, v, n, step);
  });
}

void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, const SgdStep& step) {
  check_cpu("sgd_update", param);
  visit_floating(param.dtype(), "sgd_update", [&]<class T>() {
    T* buffer = momentum_buffer.defined() ? base<T>(momentum_buffer) : nullptr;
    if (step.weight_decay != 0.0) sgd_momentum_cases<T, true>(base<T>(param), base<T>(grad), buffer, param.numel(), step);
    else sgd_momentum_cases<T, false>(base<T>(param), base<T>(grad), buffer, param.numel(), step);
  });
}

}  // namespace lg::kernel::cpu
