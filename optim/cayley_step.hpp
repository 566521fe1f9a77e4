// What Cayley SGD and Cayley ADAM share (Li, Li & Todorovic, ICLR 2020,
// Algorithms 1 and 2): the step along the Cayley curve of a Stiefel parameter,
// its step bound, the drift check with its re-orthonormalisation, and a base
// class that accepts Stiefel and Euclidean parameters and keeps a record of the
// last step of each Stiefel one. See Note [Cayley optimisers] in docs/notes.md.
//
// One step. The optimiser gives the descent-signed factor A [n, p] of
// W = A X^T - X A^T (so W X = A - X A^T X is the tangent direction the curve
// leaves X along). Then
//   alpha = min(lr, 2q / (||W||_F + eps))
//   X <- (I - alpha/2 W)^{-1} (I + alpha/2 W) X       exact (one 2p x 2p solve),
//        or Li et al.'s fixed-point iteration        (cayley_iterations rounds)
//   drift = ||X^T X - I||_F; if drift > reorthonormalise_above: X <- qf(X)
// The bound keeps alpha/2 ||W||_2 <= alpha/2 ||W||_F <= q < 1, the condition
// under which the fixed-point iteration contracts. We use the Frobenius norm
// (computed from p x p Gram matrices, O(n p^2)) where the authors' code uses the
// matrix 1-norm (needs W formed, O(n^2 p)); both bound the spectral norm.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "manifold/stiefel.hpp"
#include "optim/optimizer_with_options.hpp"

namespace lg::optim {

// What the last Cayley step did to one Stiefel parameter: diagnostics, not optimiser state
// (not in the state dict; a resumed run starts them afresh).
struct CayleyStepRecord {
  // The step length used, min(lr, 2q / (||W||_F + eps)).
  double alpha = 0.0;
  // ||X^T X - I||_F measured right after the Cayley step, before any re-orthonormalisation.
  double drift = 0.0;
  // How many of this parameter's steps ended with a QR re-orthonormalisation.
  std::int64_t reorthonormalisations = 0;
  // How many Cayley steps this record has seen.
  std::int64_t steps = 0;
};

// The settings of one Cayley step, read from either optimiser's options.
struct CayleyStepSettings {
  // The largest step length (the optimiser's learning rate).
  double lr;
  // The contraction factor q in (0, 1) of the step bound.
  double q;
  // Added to ||W||_F in the step bound.
  double eps;
  // Fixed-point rounds (ignored when exact).
  std::int64_t iterations;
  // Whether to use the exact transform instead of the iteration.
  bool exact;
  // The drift above which the step ends with a re-orthonormalisation.
  double reorthonormalise_above;
};

// The step settings of an options struct with Cayley SGD's and Cayley ADAM's shared fields.
template <class Options>
CayleyStepSettings cayley_settings(const Options& options) {
  return {.lr = options.lr,
          .q = options.q,
          .eps = options.eps,
          .iterations = static_cast<std::int64_t>(options.cayley_iterations),
          .exact = options.exact,
          .reorthonormalise_above = options.reorthonormalise_above};
}

// Moves the Stiefel point `x` [n, p] in place (copy_ under NoGradGuard) along the Cayley curve of
// W = A X^T - X A^T, as in the file comment, and writes what it did into `record`.
void cayley_step(const Tensor& x, const Tensor& a, const CayleyStepSettings& settings, CayleyStepRecord& record);

// Throws ValueError, starting with `op`, unless q is in (0, 1), eps >= 0, iterations is a whole number
// >= 1 and reorthonormalise_above >= 0 (infinity turns re-orthonormalisation off).
void check_cayley_settings(std::string_view op, double q, double eps, double iterations, double reorthonormalise_above);

// The base of Cayley SGD and Cayley ADAM: Stiefel parameters [n, p] (any metric or retraction option,
// the optimiser takes its own Cayley step) and Euclidean ones, plus the per-parameter step records.
template <class Options>
class CayleyOptimizer : public OptimizerWithOptions<Options> {
 public:
  // The record of the Stiefel parameter called `name`; ValueError when unknown or not on Stiefel.
  const CayleyStepRecord& last_step(const std::string& name) const {
    for (std::size_t g = 0; g < this->groups_.size(); ++g)
      for (std::size_t i = 0; i < this->groups_[g].params.size(); ++i)
        if (this->groups_[g].params[i].first == name) {
          check<ValueError>(on_stiefel(g, i), this->name_, "parameter '", name, "' is not on a Stiefel manifold");
          return records_[g][i];
        }
    fail<ValueError>(this->name_, "no parameter called '", name, "'");
  }
  // ||X^T X - I||_F after the last Cayley step of parameter `name`, before any re-orthonormalisation.
  double last_drift(const std::string& name) const { return last_step(name).drift; }
  // How many steps of parameter `name` ended with a re-orthonormalisation.
  std::int64_t reorthonormalisation_count(const std::string& name) const {
    return last_step(name).reorthonormalisations;
  }

 protected:
  // The base's constructor: a name and the per-parameter buffer names, no groups yet.
  using OptimizerWithOptions<Options>::OptimizerWithOptions;

  // Stiefel (dynamic_cast) or Euclidean.
  bool accepts_manifold(const manifold::Manifold& manifold) const override {
    return manifold::is_euclidean(manifold) || dynamic_cast<const manifold::Stiefel*>(&manifold) != nullptr;
  }
  // For add_group's error message.
  std::string manifold_requirement() const override {
    return "Stiefel and Euclidean parameters only; use RiemannianSGD or RiemannianAdam for other manifolds";
  }

  // Checks that every Stiefel parameter is one [n, p] point (no batch dims), then adds the group.
  void add_cayley_group(NamedParameters params, const Options& options) {
    for (const auto& [name, parameter] : params) {
      const auto* stiefel = dynamic_cast<const manifold::Stiefel*>(parameter.manifold.get());
      if (stiefel == nullptr || !parameter.tensor.defined()) continue;  // the base checks the rest
      check<ShapeError>(parameter.tensor.shape() == stiefel->point_shape(), this->name_, "parameter '", name, "' on ",
                        stiefel->name(), " must be one ", shape_str(stiefel->point_shape()), " matrix, got ",
                        shape_str(parameter.tensor.shape()), " (batched points are not supported)");
    }
    this->add_group(std::move(params), options);
    records_.emplace_back(this->groups_.back().params.size());
  }

  // Whether parameter i of group g lies on a Stiefel manifold.
  bool on_stiefel(std::size_t group, std::size_t index) const {
    return !manifold::is_euclidean(*this->groups_[group].params[index].second.manifold);
  }

  // [group][parameter], beside groups_; used for Stiefel parameters only.
  std::vector<std::vector<CayleyStepRecord>> records_;
};

}  // namespace lg::optim
