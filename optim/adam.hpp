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
#include "optim/optimizer.hpp"

namespace lg::optim {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
};

struct AdamWOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 1e-2;
};

class Adam : public Optimizer {
 public:
  Adam(NamedParameters params, const AdamOptions& options = {});
  Adam(const std::vector<Tensor>& params, const AdamOptions& options = {})
      : Adam(positional_names(params), options) {}
  void add_param_group(NamedParameters params, const AdamOptions& options);
  void step() override;

 protected:
  Adam(std::string name, bool decoupled_weight_decay);
  void add_checked_group(NamedParameters params, double lr, double beta1, double beta2, double eps,
                         double weight_decay);

 private:
  bool decoupled_weight_decay_;
};

class AdamW : public Adam {
 public:
  AdamW(NamedParameters params, const AdamWOptions& options = {});
  AdamW(const std::vector<Tensor>& params, const AdamWOptions& options = {})
      : AdamW(positional_names(params), options) {}
  void add_param_group(NamedParameters params, const AdamWOptions& options);
};

}  // namespace lg::optim
