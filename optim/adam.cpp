// Adam and AdamW: coefficients computed once per parameter in double, then one
// fused update kernel per parameter (kernel::adam_update; formulas in adam.hpp),
// on whatever device the parameter lives.
#include "optim/adam.hpp"

#include <cmath>

#include "autograd/backend/kernels.hpp"
#include "autograd/grad_mode.hpp"

namespace lg::optim {
namespace {
enum { exp_avg_slot = 0, exp_avg_sq_slot = 1 };
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
      const kernel::AdamStep c{
          .beta1 = beta1,
          .beta2 = beta2,
          .eps = eps,
          .l2 = decoupled_weight_decay_ ? 0.0 : weight_decay,
          .decay = decoupled_weight_decay_ ? 1.0 - lr * weight_decay : 1.0,
          .step_size = lr / (1.0 - std::pow(beta1, static_cast<double>(t))),
          .bias_sqrt = std::sqrt(1.0 - std::pow(beta2, static_cast<double>(t))),
      };
      kernel::adam_update(param, grad, exp_avg, exp_avg_sq, c);
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
