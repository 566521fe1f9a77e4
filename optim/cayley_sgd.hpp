// Cayley SGD with momentum (Li, Li & Todorovic, ICLR 2020, Algorithm 1) for
// parameters on the Stiefel manifold, and plain SGD with momentum for the
// Euclidean parameters stepped alongside them.
//
// For a Stiefel parameter X [n, p] with Euclidean gradient G (the buffer M holds
// the descent direction):
//   M <- beta M - G
//   A = M - 1/2 X (X^T M)        so that W = A X^T - X A^T = W_hat - W_hat^T,
//                                W_hat = M X^T - 1/2 X (X^T M X^T) as in the paper
//   M <- W X                     (= M - X sym(X^T M), the momentum made tangent)
//   the Cayley step of cayley_step.hpp along W, with alpha = min(lr, 2q/(||W||_F + eps))
// For a Euclidean parameter p: M <- beta M - G, p <- p + lr M, which is
// PyTorch's SGD with momentum (its buffer is -M) and lg::optim::SGD's update.
// State: "momentum_buffer" (M, the parameter's shape) and the step count. The
// last step of each Stiefel parameter is kept by last_step(name). The choices
// where we differ from the paper and the authors' code are in Note [Cayley
// optimisers] in docs/notes.md.
#pragma once
#include <string_view>

#include "optim/cayley_step.hpp"

namespace lg::optim {

// Hyper-parameters of one Cayley SGD group.
struct CayleySGDOptions {
  // Learning rate, non-negative; for Stiefel parameters the largest step length.
  double lr = 1e-2;
  // Momentum factor beta, in [0, 1).
  double momentum = 0.9;
  // The step bound's q in (0, 1): alpha <= 2q / (||W||_F + eps).
  double q = 0.5;
  // Added to ||W||_F in the step bound, non-negative.
  double eps = 1e-8;
  // Fixed-point rounds of the iterative transform, a whole number >= 1 (the paper's 2; the authors' code uses 5).
  double cayley_iterations = 2;
  // The exact Cayley transform (one 2p x 2p solve) instead of the fixed-point iteration.
  bool exact = false;
  // Re-orthonormalise by QR when ||X^T X - I||_F exceeds this after a step (infinity: never).
  double reorthonormalise_above = 1e-5;

  // By their state-dict names ("group.<g>.q"); see optimizer_with_options.hpp.
  template <class F>
  void for_each_field(F&& f) {
    f("lr", lr);
    f("momentum", momentum);
    f("q", q);
    f("eps", eps);
    f("cayley_iterations", cayley_iterations);
    f("exact", exact);
    f("reorthonormalise_above", reorthonormalise_above);
  }
};

// Cayley SGD with momentum on Stiefel parameters, SGD with momentum on Euclidean ones, as above.
class CayleySGD : public CayleyOptimizer<CayleySGDOptions> {
 public:
  // One group of named parameters, each on a Stiefel manifold (one [n, p] point) or Euclidean; throws
  // ValueError on invalid options or on a parameter on another manifold (naming it and the manifold),
  // ShapeError on a batched Stiefel parameter, DTypeError on a non-floating one.
  CayleySGD(NamedParameters params, const CayleySGDOptions& options = {});
  // Adds a group with its own options; throws as the constructor does.
  void add_param_group(NamedParameters params, const CayleySGDOptions& options);
  // One update, as above, of every parameter that has a gradient.
  void step() override;

 protected:
  // Throws ValueError unless momentum is in [0, 1) and the Cayley settings are valid.
  void check_options(const CayleySGDOptions& options, std::string_view op) const override;
};

}  // namespace lg::optim
