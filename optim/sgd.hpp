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

// Hyper-parameters of one SGD group.
struct SGDOptions {
  // Learning rate, non-negative.
  double lr = 1e-3;
  // Momentum factor mu, non-negative; 0 keeps no momentum buffer.
  double momentum = 0.0;
  // Fraction of d left out of the momentum update.
  double dampening = 0.0;
  // L2 penalty coefficient added to the gradient, non-negative.
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

// SGD with optional momentum, Nesterov momentum and L2 weight decay, as above.
class SGD : public OptimizerWithOptions<SGDOptions> {
 public:
  // One group of named parameters; throws ValueError on invalid options or parameters, DTypeError on
  // a non-floating parameter.
  SGD(NamedParameters params, const SGDOptions& options = {});
  // One group named by position ("0", "1", ...); throws as the named form does.
  SGD(const std::vector<Tensor>& params, const SGDOptions& options = {}) : SGD(positional_names(params), options) {}
  // Adds a group with its own options; throws ValueError on invalid options or parameters, DTypeError on
  // a non-floating parameter.
  void add_param_group(NamedParameters params, const SGDOptions& options);
  void step() override;

 protected:
  void check_options(const SGDOptions& options, std::string_view op) const override;
};

}  // namespace lg::optim
