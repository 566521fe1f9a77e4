// Riemannian SGD (formulas in riemannian_sgd.hpp), in tensor ops on the
// parameter's device.
#include "optim/riemannian_sgd.hpp"

#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "optim/riemannian_step.hpp"

namespace lg::optim {

RiemannianSGD::RiemannianSGD(NamedParameters params, const RiemannianSGDOptions& options)
    : OptimizerWithOptions<RiemannianSGDOptions>("RiemannianSGD", {"momentum_buffer"}) {
  add_param_group(std::move(params), options);
}

void RiemannianSGD::add_param_group(NamedParameters params, const RiemannianSGDOptions& options) {
  check_exp_available(name_, params, options.use_exp);
  add_group(std::move(params), options);
}

void RiemannianSGD::check_options(const RiemannianSGDOptions& options, std::string_view op) const {
  check<ValueError>(options.momentum >= 0.0, op, "momentum must be non-negative, got ", options.momentum);
  check<ValueError>(options.weight_decay >= 0.0, op, "weight_decay must be non-negative, got ", options.weight_decay);
  check<ValueError>(!options.nesterov || (options.momentum > 0.0 && options.dampening == 0.0), op,
                    "Nesterov momentum needs momentum > 0 and dampening = 0, got momentum ", options.momentum,
                    " and dampening ", options.dampening);
  check_reproject_threshold(op, options.reproject_above);
}

void RiemannianSGD::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const RiemannianSGDOptions& options = options_[g];
    check_exp_available(name_ + "::step", groups_[g].params, options.use_exp);  // set_options may have changed it
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      Tensor euclidean_grad = contiguous_grad(g, i);
      if (!euclidean_grad.defined()) continue;
      const manifold::Manifold& manifold = *groups_[g].params[i].second.manifold;
      const Tensor x = groups_[g].params[i].second.tensor.detach();
      if (options.weight_decay != 0.0) euclidean_grad = euclidean_grad + options.weight_decay * x;
      const Tensor grad = manifold.riemannian_gradient(x, euclidean_grad);
      const bool first = !state_[g][i].buffers[0].defined();  // no buffer yet: b <- g
      ++state_[g][i].step;
      Tensor direction = grad;
      Tensor momentum;
      if (options.momentum != 0.0) {
        const Tensor taken = options.dampening == 0.0 ? grad : (1.0 - options.dampening) * grad;
        momentum = first ? grad : options.momentum * buffer(g, i, 0) + taken;
        direction = options.nesterov ? grad + options.momentum * momentum : momentum;
      }
      const Tensor moved = move_on_manifold(manifold, x, -options.lr * direction, options.use_exp);
      const Tensor next = reproject_if_drifted(manifold, moved, options.reproject_above);
      if (momentum.defined()) buffer(g, i, 0).copy_(manifold.transport(x, next, momentum));
      Tensor target = x;
      target.copy_(next);  // bumps the storage version
    }
  }
}

}  // namespace lg::optim
