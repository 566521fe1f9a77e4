// Cayley ADAM (Li, Li & Todorovic, ICLR 2020, Algorithm 2) for parameters on the
// Stiefel manifold, and Adam (exactly lg::optim::Adam's update) for the Euclidean
// parameters stepped alongside them, so one optimiser can train a network and its
// Stiefel basis together (St-RKM; two optimisers, one per kind, work as well).
//
// For a Stiefel parameter X [n, p] with Euclidean gradient G, at its step k:
//   M <- beta1 M + (1 - beta1) G
//   v <- beta2 v + (1 - beta2) ||G||_F^2          one scalar per matrix, v starts at 0
//   r = (1 - beta1^k) sqrt(v / (1 - beta2^k) + eps)
//   W = (W_hat - W_hat^T) / r,  W_hat = M X^T - 1/2 X (X^T M X^T)
//   M <- r W X                                      (the moment made tangent)
//   X <- the Cayley step of cayley_step.hpp along -W (a descent step), with
//        alpha = min(lr, 2q / (||W||_F + eps))
// The optimiser passes cayley_step the factor A = -(M - 1/2 X (X^T M)) / r, for
// which A X^T - X A^T = -W. For a Euclidean parameter, Adam with eps outside the
// square root and its weight_decay as an L2 penalty (optim/adam.hpp).
// State: "exp_avg" (M, the parameter's shape), "exp_avg_sq" (v: a 0-d tensor for
// a Stiefel parameter, the parameter's shape for a Euclidean one) and the step
// count. Differences from the paper and the authors' code: Note [Cayley
// optimisers] in docs/notes.md.
#pragma once
#include <string_view>

#include "optim/cayley_step.hpp"

namespace lg::optim {

// Hyper-parameters of one Cayley ADAM group.
struct CayleyAdamOptions {
  // Learning rate, non-negative; for Stiefel parameters the largest step length.
  double lr = 1e-3;
  // Decay of the first moment M, in [0, 1).
  double beta1 = 0.9;
  // Decay of the second moment v, in [0, 1) (the authors use 0.99).
  double beta2 = 0.99;
  // Inside the square root of r and in the step bound (Stiefel); outside it for Euclidean Adam.
  double eps = 1e-8;
  // The step bound's q in (0, 1): alpha <= 2q / (||W||_F + eps).
  double q = 0.5;
  // Fixed-point rounds of the iterative transform, a whole number >= 1 (the paper's 2; the authors' code uses 5).
  double cayley_iterations = 2;
  // The exact Cayley transform (one 2p x 2p solve) instead of the fixed-point iteration.
  bool exact = false;
  // Re-orthonormalise by QR when ||X^T X - I||_F exceeds this after a step (infinity: never).
  double reorthonormalise_above = 1e-5;
  // L2 penalty added to the gradient of Euclidean parameters only, non-negative.
  double weight_decay = 0.0;

  // By their state-dict names ("group.<g>.beta2"); see optimizer_with_options.hpp.
  template <class F>
  void for_each_field(F&& f) {
    f("lr", lr);
    f("beta1", beta1);
    f("beta2", beta2);
    f("eps", eps);
    f("q", q);
    f("cayley_iterations", cayley_iterations);
    f("exact", exact);
    f("reorthonormalise_above", reorthonormalise_above);
    f("weight_decay", weight_decay);
  }
};

// Cayley ADAM on Stiefel parameters, Adam on Euclidean ones, as above.
class CayleyAdam : public CayleyOptimizer<CayleyAdamOptions> {
 public:
  // One group of named parameters, each on a Stiefel manifold (one [n, p] point) or Euclidean; throws
  // ValueError on invalid options or on a parameter on another manifold (naming it and the manifold),
  // ShapeError on a batched Stiefel parameter, DTypeError on a non-floating one.
  CayleyAdam(NamedParameters params, const CayleyAdamOptions& options = {});
  // Adds a group with its own options; throws as the constructor does.
  void add_param_group(NamedParameters params, const CayleyAdamOptions& options);
  // One update, as above, of every parameter that has a gradient.
  void step() override;

 protected:
  // Throws ValueError unless beta1, beta2 are in [0, 1), weight_decay >= 0 and the Cayley settings are valid.
  void check_options(const CayleyAdamOptions& options, std::string_view op) const override;
  // "exp_avg_sq" of a Stiefel parameter is a 0-d tensor; every other buffer has the parameter's shape.
  Shape buffer_shape(std::size_t group, std::size_t index, std::size_t slot) const override;
};

}  // namespace lg::optim
