// Riemannian SGD with momentum over any manifold (Bonnabel, IEEE TAC 2013,
// "Stochastic gradient descent on Riemannian manifolds"; momentum as geoopt's
// RiemannianSGD, with PyTorch's first step). For each parameter x with
// Euclidean gradient G, on its manifold:
//   g <- riemannian_gradient(x, G + weight_decay x)
//   with momentum mu > 0:  b <- g at the first step, else b <- mu b + (1 - dampening) g
//                          d <- g + mu b (Nesterov) or d <- b
//   x' <- retract(x, -lr d)   (or exp(x, -lr d) with use_exp, where the manifold has it)
//   x' <- project(x') when its constraint violation exceeds reproject_above (off by default)
//   b <- transport(x, x', b)  (the momentum lives in the tangent space at the new point)
// On a Euclidean parameter this is lg::optim::SGD's update (to rounding). Written with tensor
// ops under NoGradGuard; the new point is copied into the parameter.
// State: "momentum_buffer" (b, only with momentum) and the step count.
// See Note [Riemannian optimisers] in docs/notes.md.
#pragma once
#include <limits>
#include <string_view>

#include "optim/optimizer_with_options.hpp"

namespace lg::optim {

// Hyper-parameters of one Riemannian SGD group.
struct RiemannianSGDOptions {
  // Learning rate, non-negative.
  double lr = 1e-3;
  // Momentum factor mu, non-negative; 0 keeps no momentum buffer.
  double momentum = 0.0;
  // Fraction of g left out of the momentum update.
  double dampening = 0.0;
  // L2 penalty coefficient added to the Euclidean gradient, non-negative.
  double weight_decay = 0.0;
  // Nesterov momentum; needs momentum > 0 and dampening = 0.
  bool nesterov = false;
  // Step by the exponential map instead of the retraction (every manifold in the group must have one).
  bool use_exp = false;
  // Re-project the new point onto the manifold (Manifold::project) when its constraint_violation exceeds
  // this; infinity (the default) never measures it. See optim/riemannian_step.hpp for when it matters.
  double reproject_above = std::numeric_limits<double>::infinity();

  // By their state-dict names ("group.<g>.momentum"); see optimizer_with_options.hpp.
  template <class F>
  void for_each_field(F&& f) {
    f("lr", lr);
    f("momentum", momentum);
    f("dampening", dampening);
    f("weight_decay", weight_decay);
    f("nesterov", nesterov);
    f("use_exp", use_exp);
    f("reproject_above", reproject_above);
  }
};

// Riemannian SGD with momentum on parameters of any manifold, as above.
class RiemannianSGD : public OptimizerWithOptions<RiemannianSGDOptions> {
 public:
  // One group of named parameters on any manifolds; throws ValueError on invalid options or parameters
  // (with use_exp, a manifold without a closed-form exp), DTypeError on a non-floating parameter.
  RiemannianSGD(NamedParameters params, const RiemannianSGDOptions& options = {});
  // Adds a group with its own options; throws as the constructor does.
  void add_param_group(NamedParameters params, const RiemannianSGDOptions& options);
  // One update, as above, of every parameter that has a gradient.
  void step() override;

 protected:
  // Throws ValueError unless momentum, dampening and weight_decay are valid as for SGD, and reproject_above >= 0.
  void check_options(const RiemannianSGDOptions& options, std::string_view op) const override;
  // Every manifold.
  bool accepts_manifold(const manifold::Manifold&) const override { return true; }
};

}  // namespace lg::optim
