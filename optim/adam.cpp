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

Adam::Adam(std::string name, bool decoupled_weight_decay)
    : Optimizer(std::move(name), {"exp_avg", "exp_avg_sq"}), decoupled_weight_decay_(decoupled_weight_decay) {}

Adam::Adam(NamedParameters params, const AdamOptions& options) : Adam("Adam", false) {
  add_param_group(std::move(params), options);
}

void Adam::add_param_group(NamedParameters params, const AdamOptions& options) {
  add_checked_group(std::move(params), options.lr, options.beta1, options.beta2, options.eps, options.weight_decay);
}

void Adam::add_checked_group(NamedParameters params, double lr, double beta1, double beta2, double eps,
                             double weight_decay) {
  check<ValueError>(beta1 >= 0.0 && beta1 < 1.0, name_, "beta1 ", beta1, " is outside [0, 1)");
  check<ValueError>(beta2 >= 0.0 && beta2 < 1.0, name_, "beta2 ", beta2, " is outside [0, 1)");
  check<ValueError>(eps >= 0.0, name_, "eps must be non-negative, got ", eps);
  check<ValueError>(weight_decay >= 0.0, name_, "weight_decay must be non-negative, got ", weight_decay);
  add_group(std::move(params),
            {{"lr", lr}, {"beta1", beta1}, {"beta2", beta2}, {"eps", eps}, {"weight_decay", weight_decay}});
}

void Adam::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const GroupOptions& options = groups_[g].options;
    const double lr = options.at("lr"), beta1 = options.at("beta1"), beta2 = options.at("beta2");
    const double eps = options.at("eps"), weight_decay = options.at("weight_decay");
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor grad = contiguous_grad(g, i);
      if (!grad.defined()) continue;
      const Tensor& param = groups_[g].params[i].second;
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

AdamW::AdamW(NamedParameters params, const AdamWOptions& options) : Adam("AdamW", true) {
  add_param_group(std::move(params), options);
}

void AdamW::add_param_group(NamedParameters params, const AdamWOptions& options) {
  add_checked_group(std::move(params), options.lr, options.beta1, options.beta2, options.eps, options.weight_decay);
}

}  // namespace lg::optim
