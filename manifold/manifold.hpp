// Manifold: where a parameter lives. nn::Parameter carries one (Euclidean by
// default) so that optimisers know how to step it. For now a manifold has only
// a name: the Riemannian interface (projection onto the tangent space,
// retraction, vector transport, the metric) comes with the manifolds issue,
// together with the Riemannian optimisers that use it. SGD, Adam and AdamW
// step Euclidean parameters only and refuse any other manifold.
#pragma once
#include <memory>
#include <string>

namespace lg::manifold {

// Base of the spaces a parameter can live on; for now it carries only a name.
class Manifold {
 public:
  virtual ~Manifold() = default;
  // Names the manifold in error messages ("Euclidean", ...).
  virtual std::string name() const = 0;
};

// R^n with its flat metric: a plain gradient step stays on it.
class Euclidean final : public Manifold {
 public:
  // Returns "Euclidean".
  std::string name() const override { return "Euclidean"; }
};

// The one shared Euclidean instance, the default of every parameter.
std::shared_ptr<const Manifold> euclidean();

// Whether `manifold` is Euclidean (by type, so any Euclidean instance counts).
bool is_euclidean(const Manifold& manifold);

}  // namespace lg::manifold
