// Cayley SGD: the momentum update in tensor ops, then the shared Cayley step
// (optim/cayley_step.cpp) for Stiefel parameters or a plain step for Euclidean ones.
#include "optim/cayley_sgd.hpp"

#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/cayley_transform.hpp"

namespace lg::optim {

CayleySGD::CayleySGD(NamedParameters params, const CayleySGDOptions& options)
    : CayleyOptimizer<CayleySGDOptions>("CayleySGD", {"momentum_buffer"}) {
  add_param_group(std::move(params), options);
}

void CayleySGD::add_param_group(NamedParameters params, const CayleySGDOptions& options) {
  add_cayley_group(std::move(params), options);
}

void CayleySGD::check_options(const CayleySGDOptions& options, std::string_view op) const {
  check<ValueError>(options.momentum >= 0.0 && options.momentum < 1.0, op, "momentum ", options.momentum,
                    " is outside [0, 1)");
  check_cayley_settings(op, options.q, options.eps, options.cayley_iterations, options.reorthonormalise_above);
}

void CayleySGD::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const CayleySGDOptions& options = options_[g];
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor grad = contiguous_grad(g, i);
      if (!grad.defined()) continue;
      const Tensor x = groups_[g].params[i].second.tensor.detach();
      ++state_[g][i].step;
      Tensor& momentum = buffer(g, i, 0);
      const Tensor m = options.momentum * momentum - grad;
      if (!on_stiefel(g, i)) {
        momentum.copy_(m);
        Tensor target = x;
        target.copy_(x + options.lr * m);
        continue;
      }
      const Tensor a = m - 0.5 * matmul(x, matmul(transpose(x, 0, 1), m));
      momentum.copy_(manifold::apply_low_rank_skew(a, x, x));  // M <- W X at the old point, as the paper
      cayley_step(x, a, cayley_settings(options), records_[g][i]);
    }
  }
}

}  // namespace lg::optim
