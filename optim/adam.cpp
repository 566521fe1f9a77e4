// Adam and AdamW: the fused per-parameter update (formulas in adam.hpp).
// Coefficients are computed once per parameter in double and the loop runs in
// the parameter's own type, as PyTorch's foreach path does.
#include "optim/adam.hpp"

#include <cmath>

#include "autograd/backend/strided_iterator.hpp"
#include "autograd/grad_mode.hpp"

namespace lg::optim {
namespace {

enum { exp_avg_slot = 0, exp_avg_sq_slot = 1 };

struct AdamCoefficients {
  double beta1, beta2, eps;
  double l2;            // Adam's weight decay, added to the gradient
  double decay;         // AdamW's factor 1 - lr weight_decay on the parameter
  double step_size;     // lr / (1 - beta1^t)
  double bias_sqrt;     // sqrt(1 - beta2^t)
};

template <class T, bool L2, bool Decoupled>
void adam_update(T* __restrict param, const T* __restrict grad, T* __restrict exp_avg, T* __restrict exp_avg_sq,
                 std::int64_t n, const AdamCoefficients& c) {
  const T beta1 = static_cast<T>(c.beta1), beta2 = static_cast<T>(c.beta2);
  const T one_minus_beta1 = static_cast<T>(1.0 - c.beta1), one_minus_beta2 = static_cast<T>(1.0 - c.beta2);
  const T eps = static_cast<T>(c.eps), l2 = static_cast<T>(c.l2), decay = static_cast<T>(c.decay);
  const T step_size = static_cast<T>(c.step_size), bias_sqrt = static_cast<T>(c.bias_sqrt);
#pragma omp parallel for schedule(static) if (n >= kernel::kParallelThreshold)
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

template <class T>
void dispatch(T* param, const T* grad, T* exp_avg, T* exp_avg_sq, std::int64_t n, const AdamCoefficients& c,
              bool decoupled) {
  if (decoupled) {
    if (c.decay != 1.0) adam_update<T, false, true>(param, grad, exp_avg, exp_avg_sq, n, c);
    else adam_update<T, false, false>(param, grad, exp_avg, exp_avg_sq, n, c);
  } else {
    if (c.l2 != 0.0) adam_update<T, true, false>(param, grad, exp_avg, exp_avg_sq, n, c);
    else adam_update<T, false, false>(param, grad, exp_avg, exp_avg_sq, n, c);
  }
}

}  // namespace

template <class Options>
AdamFamily<Options>::AdamFamily(std::string name, bool decoupled_weight_decay)
    : OptimizerWithOptions<Options>(std::move(name), {"exp_avg", "exp_avg_sq"}),
      decoupled_weight_decay_(decoupled_weight_decay) {}

template <class Options>
void AdamFamily<Options>::add_param_group(NamedParameters params, const Options& options) {
  this->add_group(std::move(params), options);
}

template <class Options>
void AdamFamily<Options>::check_options(const Options& options, std::string_view op) const {
  check<ValueError>(options.beta1 >= 0.0 && options.beta1 < 1.0, op, "beta1 ", options.beta1, " is outside [0, 1)");
  check<ValueError>(options.beta2 >= 0.0 && options.beta2 < 1.0, op, "beta2 ", options.beta2, " is outside [0, 1)");
  check<ValueError>(options.eps >= 0.0, op, "eps must be non-negative, got ", options.eps);
  check<ValueError>(options.weight_decay >= 0.0, op, "weight_decay must be non-negative, got ", options.weight_decay);
}

template <class Options>
void AdamFamily<Options>::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const Options& options = options_[g];
    const double lr = options.lr, beta1 = options.beta1, beta2 = options.beta2;
    const double eps = options.eps, weight_decay = options.weight_decay;
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor grad = contiguous_grad(g, i);
      if (!grad.defined()) continue;
      const Tensor& param = groups_[g].params[i].second.tensor;
      Tensor& exp_avg = buffer(g, i, exp_avg_slot);
      Tensor& exp_avg_sq = buffer(g, i, exp_avg_sq_slot);
      const std::int64_t t = ++state_[g][i].step;
      const AdamCoefficients c{
          .beta1 = beta1,
          .beta2 = beta2,
          .eps = eps,
          .l2 = decoupled_weight_decay_ ? 0.0 : weight_decay,
          .decay = decoupled_weight_decay_ ? 1.0 - lr * weight_decay : 1.0,
          .step_size = lr / (1.0 - std::pow(beta1, static_cast<double>(t))),
          .bias_sqrt = std::sqrt(1.0 - std::pow(beta2, static_cast<double>(t))),
      };
      visit_floating(param.dtype(), name_, [&]<class T>() {
        dispatch<T>(param.data_ptr<T>(), grad.data_ptr<T>(), exp_avg.data_ptr<T>(), exp_avg_sq.data_ptr<T>(),
                    param.numel(), c, decoupled_weight_decay_);
      });
      param.impl()->storage->bump_version();
    }
  }
}

template class AdamFamily<AdamOptions>;
template class AdamFamily<AdamWOptions>;

Adam::Adam(NamedParameters params, const AdamOptions& options) : AdamFamily<AdamOptions>("Adam", false) {
  add_param_group(std::move(params), options);
}

AdamW::AdamW(NamedParameters params, const AdamWOptions& options) : AdamFamily<AdamWOptions>("AdamW", true) {
  add_param_group(std::move(params), options);
}

}  // namespace lg::optim
