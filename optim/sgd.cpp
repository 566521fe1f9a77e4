// SGD: coefficients per parameter, then one fused update kernel
// (kernel::sgd_update; formulas in sgd.hpp). The first momentum step uses
// b = 0 b + 1 d on a zero-filled buffer, which is exactly d, so one kernel
// serves both cases.
#include "optim/sgd.hpp"

#include "autograd/backend/kernels.hpp"
#include "autograd/grad_mode.hpp"

namespace lg::optim {

SGD::SGD(NamedParameters params, const SGDOptions& options)
    : OptimizerWithOptions<SGDOptions>("SGD", {"momentum_buffer"}) {
  add_param_group(std::move(params), options);
}

void SGD::add_param_group(NamedParameters params, const SGDOptions& options) {
  add_group(std::move(params), options);
}

void SGD::check_options(const SGDOptions& options, std::string_view op) const {
  check<ValueError>(options.momentum >= 0.0, op, "momentum must be non-negative, got ", options.momentum);
  check<ValueError>(options.weight_decay >= 0.0, op, "weight_decay must be non-negative, got ", options.weight_decay);
  check<ValueError>(!options.nesterov || (options.momentum > 0.0 && options.dampening == 0.0), op,
                    "Nesterov momentum needs momentum > 0 and dampening = 0, got momentum ", options.momentum,
                    " and dampening ", options.dampening);
}

void SGD::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const SGDOptions& options = options_[g];
    const double momentum = options.momentum;
    const bool nesterov = options.nesterov;
    const double weight_decay = options.weight_decay;
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor grad = contiguous_grad(g, i);
      if (!grad.defined()) continue;
      const Tensor& param = groups_[g].params[i].second.tensor;
      ++state_[g][i].step;
      const bool first = !state_[g][i].buffers[0].defined();  // no buffer yet: b <- d
      Tensor buffer_tensor = momentum != 0.0 ? buffer(g, i, 0) : Tensor{};
      const kernel::SgdStep c{.lr = options.lr,
                              .weight_decay = weight_decay,
                              .keep = first ? 0.0 : momentum,
                              .take = first ? 1.0 : 1.0 - options.dampening,
                              .momentum = momentum,
                              .use_momentum = momentum != 0.0,
                              .nesterov = nesterov};
      kernel::sgd_update(param, grad, buffer_tensor, c);
      param.impl()->storage->bump_version();
    }
  }
}

}  // namespace lg::optim
