// Stochastic gradient descent with momentum, as PyTorch. For each parameter p
// with gradient g:
//   d <- g + weight_decay p
//   with momentum mu > 0:   b <- d at the first step, else b <- mu b + (1 - dampening) d
//                           d <- d + mu b (Nesterov) or d <- b
//   p <- p - lr d
// One fused loop per parameter over raw pointers, under NoGradGuard, with no
// per-step allocation. State: "momentum_buffer" (b, only with momentum) and the step count.
#pragma once
#include <string_view>

#include "optim/optimizer_with_options.hpp"

namespace lg::optim {

struct SGDOptions {
  double lr = 1e-3;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;  // needs momentum > 0 and dampening = 0

  // By their state-dict names ("group.<g>.momentum"); see optimizer_with_options.hpp.
  template <class F>
  void for_each_field(F&& f) {
    f("lr", lr);
    f("momentum", momentum);
    f("dampening", dampening);
    f("weight_decay", weight_decay);
    f("nesterov", nesterov);
  }
};

class SGD : public OptimizerWithOptions<SGDOptions> {
 public:
  SGD(NamedParameters params, const SGDOptions& options = {});
  SGD(const std::vector<Tensor>& params, const SGDOptions& options = {}) : SGD(positional_names(params), options) {}
  void add_param_group(NamedParameters params, const SGDOptions& options);
  void step() override;

 protected:
  void check_options(const SGDOptions& options, std::string_view op) const override;
};

}  // namespace lg::optim
