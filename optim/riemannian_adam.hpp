// Riemannian Adam (Bécigneul & Ganea, ICLR 2019, "Riemannian adaptive
// optimization methods", Algorithm 1 in its product-manifold form; geoopt's
// RiemannianAdam is the reference behaviour). For each parameter x with
// Euclidean gradient G, at its step t:
//   g <- riemannian_gradient(x, G + weight_decay x)
//   m <- beta1 m + (1 - beta1) g                    a tangent vector at x
//   v <- beta2 v + (1 - beta2) <g, g>_x             one scalar per point (per batch item)
//   v_max <- max(v_max, v) with amsgrad, used in place of v below
//   x' <- retract(x, -(lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps))
//         (or exp with use_exp), then project(x') when its constraint violation exceeds
//         reproject_above (off by default)
//   m <- transport(x, x', m)
// A parameter on a Product manifold keeps one v per factor (Bécigneul & Ganea's
// form). A Euclidean parameter is the product of its coordinates, each a copy of
// R, so its v is elementwise (geoopt's component_inner) and the update is
// lg::optim::Adam's (to rounding): one optimiser steps Euclidean and constrained parameters
// together. eps sits outside the square root, after the bias correction, as in
// PyTorch's Adam (geoopt adds it before the correction). Tensor ops under
// NoGradGuard. State: "exp_avg" (m), "exp_avg_sq" (v), "max_exp_avg_sq" (only with
// amsgrad) and the step count; v and v_max are shaped like the parameter's batch
// dims (the parameter's shape for a Euclidean or Product one, each factor's
// scalar repeated over its coordinates). See Note [Riemannian
// optimisers] in docs/notes.md.
#pragma once
#include <limits>
#include <string_view>

#include "optim/optimizer_with_options.hpp"

namespace lg::optim {

// Hyper-parameters of one Riemannian Adam group.
struct RiemannianAdamOptions {
  // Learning rate, non-negative.
  double lr = 1e-3;
  // Decay of the first moment m, in [0, 1).
  double beta1 = 0.9;
  // Decay of the second moment v, in [0, 1).
  double beta2 = 0.999;
  // Added to the bias-corrected sqrt(v) in the denominator, non-negative.
  double eps = 1e-8;
  // L2 penalty coefficient added to the Euclidean gradient, non-negative.
  double weight_decay = 0.0;
  // AMSGrad: divide by the running maximum of v (Reddi, Kale & Kumar, ICLR 2018).
  bool amsgrad = false;
  // Step by the exponential map instead of the retraction (every manifold in the group must have one).
  bool use_exp = false;
  // Re-project the new point onto the manifold (Manifold::project) when its constraint_violation exceeds
  // this; infinity (the default) never measures it. See optim/riemannian_step.hpp for when it matters.
  double reproject_above = std::numeric_limits<double>::infinity();

  // By their state-dict names ("group.<g>.amsgrad"); see optimizer_with_options.hpp.
  template <class F>
  void for_each_field(F&& f) {
    f("lr", lr);
    f("beta1", beta1);
    f("beta2", beta2);
    f("eps", eps);
    f("weight_decay", weight_decay);
    f("amsgrad", amsgrad);
    f("use_exp", use_exp);
    f("reproject_above", reproject_above);
  }
};

// Riemannian Adam on parameters of any manifold, as above.
class RiemannianAdam : public OptimizerWithOptions<RiemannianAdamOptions> {
 public:
  // One group of named parameters on any manifolds; throws ValueError on invalid options or parameters
  // (with use_exp, a manifold without a closed-form exp), DTypeError on a non-floating parameter.
  RiemannianAdam(NamedParameters params, const RiemannianAdamOptions& options = {});
  // Adds a group with its own options; throws as the constructor does.
  void add_param_group(NamedParameters params, const RiemannianAdamOptions& options);
  // One update, as above, of every parameter that has a gradient.
  void step() override;

 protected:
  // Throws ValueError unless beta1, beta2 are in [0, 1) and eps, weight_decay, reproject_above are non-negative.
  void check_options(const RiemannianAdamOptions& options, std::string_view op) const override;
  // Every manifold.
  bool accepts_manifold(const manifold::Manifold&) const override { return true; }
  // v and v_max: the parameter's batch dims (its whole shape when Euclidean or a Product); m: its shape.
  Shape buffer_shape(std::size_t group, std::size_t index, std::size_t slot) const override;
};

}  // namespace lg::optim
