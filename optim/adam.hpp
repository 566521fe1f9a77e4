// Adam and AdamW, as PyTorch (amsgrad not included). For each parameter p with
// gradient g, at its step t = 1, 2, ...:
//   Adam:  g <- g + weight_decay p                     (L2 penalty in the gradient)
//   AdamW: p <- p (1 - lr weight_decay)                (decoupled weight decay)
//   m <- beta1 m + (1 - beta1) g
//   v <- beta2 v + (1 - beta2) g^2
//   p <- p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// eps sits outside the square root. The whole update is one fused loop per
// parameter over raw pointers, under NoGradGuard, with no per-step allocation.
// State: "exp_avg" (m), "exp_avg_sq" (v) and the step count.
#pragma once
#include <string>
#include <string_view>

#include "optim/optimizer_with_options.hpp"

namespace lg::optim {

// Hyper-parameters of one Adam group.
struct AdamOptions {
  // Learning rate, non-negative.
  double lr = 1e-3;
  // Decay of the first-moment average m, in [0, 1).
  double beta1 = 0.9;
  // Decay of the second-moment average v, in [0, 1).
  double beta2 = 0.999;
  // Added to the bias-corrected sqrt(v) in the denominator, non-negative.
  double eps = 1e-8;
  // L2 penalty coefficient added to the gradient, non-negative.
  double weight_decay = 0.0;

  // By their state-dict names ("group.<g>.beta1"); see optimizer_with_options.hpp.
  template <class F>
  void for_each_field(F&& f) {
    f("lr", lr);
    f("beta1", beta1);
    f("beta2", beta2);
    f("eps", eps);
    f("weight_decay", weight_decay);
  }
};

// Hyper-parameters of one AdamW group: Adam's, with decoupled weight decay defaulting to 1e-2.
struct AdamWOptions {
  // Learning rate, non-negative.
  double lr = 1e-3;
  // Decay of the first-moment average m, in [0, 1).
  double beta1 = 0.9;
  // Decay of the second-moment average v, in [0, 1).
  double beta2 = 0.999;
  // Added to the bias-corrected sqrt(v) in the denominator, non-negative.
  double eps = 1e-8;
  // Decoupled decay: each step multiplies p by (1 - lr weight_decay), non-negative.
  double weight_decay = 1e-2;

  // By their state-dict names ("group.<g>.beta1"); see optimizer_with_options.hpp.
  template <class F>
  void for_each_field(F&& f) {
    f("lr", lr);
    f("beta1", beta1);
    f("beta2", beta2);
    f("eps", eps);
    f("weight_decay", weight_decay);
  }
};

// The update both share; Options is AdamOptions or AdamWOptions (the same
// fields, AdamW's weight decay defaults to 1e-2). Instantiated in adam.cpp.
template <class Options>
class AdamFamily : public OptimizerWithOptions<Options> {
 public:
  // Adds a group with its own options; throws ValueError on invalid options or parameters, DTypeError on
  // a non-floating parameter.
  void add_param_group(NamedParameters params, const Options& options);
  // One Adam or AdamW update, as above, of every parameter that has a gradient.
  void step() override;

 protected:
  // No groups yet; decoupled_weight_decay chooses AdamW's decay over Adam's L2 penalty.
  AdamFamily(std::string name, bool decoupled_weight_decay);
  // Throws ValueError unless beta1 and beta2 are in [0, 1) and eps and weight_decay are non-negative.
  void check_options(const Options& options, std::string_view op) const override;

  using Optimizer::buffer;
  using Optimizer::contiguous_grad;
  using Optimizer::groups_;
  using Optimizer::name_;
  using Optimizer::state_;
  using OptimizerWithOptions<Options>::options_;

 private:
  bool decoupled_weight_decay_;
};

extern template class AdamFamily<AdamOptions>;
extern template class AdamFamily<AdamWOptions>;

// Adam with the L2 penalty folded into the gradient.
class Adam : public AdamFamily<AdamOptions> {
 public:
  // One group of named parameters; throws ValueError on invalid options or parameters, DTypeError on
  // a non-floating parameter.
  Adam(NamedParameters params, const AdamOptions& options = {});
  // One group named by position ("0", "1", ...); throws as the named form does.
  Adam(const std::vector<Tensor>& params, const AdamOptions& options = {})
      : Adam(positional_names(params), options) {}
};

// Adam with decoupled weight decay.
class AdamW : public AdamFamily<AdamWOptions> {
 public:
  // One group of named parameters; throws ValueError on invalid options or parameters, DTypeError on
  // a non-floating parameter.
  AdamW(NamedParameters params, const AdamWOptions& options = {});
  // One group named by position ("0", "1", ...); throws as the named form does.
  AdamW(const std::vector<Tensor>& params, const AdamWOptions& options = {})
      : AdamW(positional_names(params), options) {}
};

}  // namespace lg::optim
