// Cayley ADAM: the moments in tensor ops and the shared Cayley step
// (optim/cayley_step.cpp) for Stiefel parameters; Adam's fused kernel for
// Euclidean ones, so they step exactly as under lg::optim::Adam.
#include "optim/cayley_adam.hpp"

#include <cmath>

#include "autograd/backend/kernels.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/cayley_transform.hpp"

namespace lg::optim {
namespace {
enum { exp_avg_slot = 0, exp_avg_sq_slot = 1 };
}  // namespace

CayleyAdam::CayleyAdam(NamedParameters params, const CayleyAdamOptions& options)
    : CayleyOptimizer<CayleyAdamOptions>("CayleyAdam", {"exp_avg", "exp_avg_sq"}) {
  add_param_group(std::move(params), options);
}

void CayleyAdam::add_param_group(NamedParameters params, const CayleyAdamOptions& options) {
  add_cayley_group(std::move(params), options);
}

void CayleyAdam::check_options(const CayleyAdamOptions& options, std::string_view op) const {
  check<ValueError>(options.beta1 >= 0.0 && options.beta1 < 1.0, op, "beta1 ", options.beta1, " is outside [0, 1)");
  check<ValueError>(options.beta2 >= 0.0 && options.beta2 < 1.0, op, "beta2 ", options.beta2, " is outside [0, 1)");
  check<ValueError>(options.weight_decay >= 0.0, op, "weight_decay must be non-negative, got ", options.weight_decay);
  check_cayley_settings(op, options.q, options.eps, options.cayley_iterations, options.reorthonormalise_above);
}

Shape CayleyAdam::buffer_shape(std::size_t group, std::size_t index, std::size_t slot) const {
  if (slot == exp_avg_sq_slot && on_stiefel(group, index)) return {};
  return Optimizer::buffer_shape(group, index, slot);
}

void CayleyAdam::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const CayleyAdamOptions& options = options_[g];
    const double beta1 = options.beta1, beta2 = options.beta2;
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor grad = contiguous_grad(g, i);
      if (!grad.defined()) continue;
      const Tensor x = groups_[g].params[i].second.tensor.detach();
      Tensor& exp_avg = buffer(g, i, exp_avg_slot);
      Tensor& exp_avg_sq = buffer(g, i, exp_avg_sq_slot);
      const auto t = static_cast<double>(++state_[g][i].step);
      if (!on_stiefel(g, i)) {
        const kernel::AdamStep c{.beta1 = beta1,
                                 .beta2 = beta2,
                                 .eps = options.eps,
                                 .l2 = options.weight_decay,
                                 .decay = 1.0,
                                 .step_size = options.lr / (1.0 - std::pow(beta1, t)),
                                 .bias_sqrt = std::sqrt(1.0 - std::pow(beta2, t))};
        kernel::adam_update(x, grad, exp_avg, exp_avg_sq, c);
        x.impl()->storage->bump_version();
        continue;
      }
      const Tensor m = beta1 * exp_avg + (1.0 - beta1) * grad;
      exp_avg_sq.copy_(beta2 * exp_avg_sq + (1.0 - beta2) * sum(grad * grad));
      const double v_hat = exp_avg_sq.item<double>() / (1.0 - std::pow(beta2, t));
      const double r = (1.0 - std::pow(beta1, t)) * std::sqrt(v_hat + options.eps);
      // A X^T - X A^T = -W. r = 0 only when eps = 0 and every gradient so far was zero, so M = 0: no move.
      const Tensor a = r > 0.0 ? (matmul(x, matmul(transpose(x, 0, 1), m)) * 0.5 - m) / r : zeros_like(m);
      exp_avg.copy_(-r * manifold::apply_low_rank_skew(a, x, x));  // M <- r W X, W X = -(A X^T - X A^T) X
      cayley_step(x, a, cayley_settings(options), records_[g][i]);
    }
  }
}

}  // namespace lg::optim
