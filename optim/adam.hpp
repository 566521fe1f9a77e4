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

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
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

struct AdamWOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
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
  void add_param_group(NamedParameters params, const Options& options);
  void step() override;

 protected:
  AdamFamily(std::string name, bool decoupled_weight_decay);
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

class Adam : public AdamFamily<AdamOptions> {
 public:
  Adam(NamedParameters params, const AdamOptions& options = {});
  Adam(const std::vector<Tensor>& params, const AdamOptions& options = {})
      : Adam(positional_names(params), options) {}
};

class AdamW : public AdamFamily<AdamWOptions> {
 public:
  AdamW(NamedParameters params, const AdamWOptions& options = {});
  AdamW(const std::vector<Tensor>& params, const AdamWOptions& options = {})
      : AdamW(positional_names(params), options) {}
};

}  // namespace lg::optim
