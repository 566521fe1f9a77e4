// Manifold: where a parameter lives, and the Riemannian geometry an optimiser
// needs to step on it. nn::Parameter carries one (Euclidean by default).
//
// A point is a tensor whose trailing dims are the manifold's point_shape()
// (Stiefel(n, p): [n, p]; Sphere(n): [n]); any leading dims are a batch, and
// every map works item by item over them (a batch of 8 points on St(5, 2) is
// [8, 5, 2]; inner() then returns [8]). Tangent vectors have the point's shape
// and are stored in the ambient (embedding) coordinates. Maps are written with
// differentiable ops, so a cost may be differentiated through them.
//
// Names say what a map computes. retract() is the manifold's chosen retraction
// (a first-order approximation of the exponential map); exp() is the exact
// exponential map of the metric and exists only where it has a closed form
// (has_exp()); the same holds for log() and distance().
#pragma once
#include <memory>
#include <string>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg::manifold {

// Base of the spaces a parameter can live on: the interface above.
class Manifold {
 public:
  virtual ~Manifold() = default;
  // Names the manifold and its options in error messages ("Stiefel(784, 10), canonical metric").
  virtual std::string name() const = 0;
  // The trailing dims of a point ([n, p] for Stiefel(n, p), [] for no constraint on the shape).
  virtual Shape point_shape() const = 0;
  // Throws ShapeError (naming `op`, the manifold and the shape) unless x's trailing dims are point_shape().
  void check_point(std::string_view op, const Tensor& x) const;

  // How far x is from the manifold, the largest over the batch: the norm of its defining equation
  // (||X^T X - I||_F for Stiefel, | ||x|| - 1 | for the sphere, ...), as a double.
  virtual double constraint_violation(const Tensor& x) const = 0;
  // Whether constraint_violation(x) <= tolerance.
  bool contains(const Tensor& x, double tolerance) const { return constraint_violation(x) <= tolerance; }
  // A nearby point on the manifold (the closest one where that is cheap: polar factor for Stiefel,
  // normalisation for the sphere); the documented re-projection optimisers use.
  virtual Tensor project(const Tensor& x) const = 0;

  // The orthogonal projection of an ambient vector u onto the tangent space at x.
  virtual Tensor project_tangent(const Tensor& x, const Tensor& u) const = 0;
  // The Riemannian gradient at x of a cost whose Euclidean gradient is `euclidean_grad`
  // (the tangent projection for an embedded metric; rescaled for others).
  virtual Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const = 0;
  // The metric <u, v>_x of two tangent vectors at x: [...] over the batch.
  virtual Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const = 0;
  // sqrt(<u, u>_x).
  Tensor norm(const Tensor& x, const Tensor& u) const;

  // The manifold's retraction: a point near x + v on the manifold, R_x(0) = x, first order in v.
  virtual Tensor retract(const Tensor& x, const Tensor& v) const = 0;
  // A tangent vector at y that stands for the tangent vector v at x (vector transport).
  virtual Tensor transport(const Tensor& x, const Tensor& y, const Tensor& v) const = 0;

  // Whether exp(), log() and distance() have closed forms here (otherwise they throw ValueError).
  virtual bool has_exp() const { return false; }
  // See has_exp().
  virtual bool has_log() const { return false; }
  // See has_exp().
  virtual bool has_distance() const { return false; }
  // The exponential map of the metric: the geodesic from x with initial velocity v, at time 1.
  virtual Tensor exp(const Tensor& x, const Tensor& v) const;
  // The inverse of exp at x: the tangent vector at x pointing to y along the minimising geodesic.
  virtual Tensor log(const Tensor& x, const Tensor& y) const;
  // The geodesic distance between x and y: [...] over the batch.
  virtual Tensor distance(const Tensor& x, const Tensor& y) const;

  // A random point (uniform where that is natural), shaped [batch..., point_shape()], on the CPU.
  virtual Tensor random_point(Generator& generator, DType dtype = float64, const Shape& batch = {}) const = 0;
  // A random tangent vector at x with unit norm per item.
  virtual Tensor random_tangent(const Tensor& x, Generator& generator) const = 0;
};

// R^n with its flat metric: every map is the identity or a sum, and a plain gradient step stays on it.
class Euclidean final : public Manifold {
 public:
  // Returns "Euclidean".
  std::string name() const override { return "Euclidean"; }
  // Any shape: [].
  Shape point_shape() const override { return {}; }
  // Always 0.
  double constraint_violation(const Tensor& x) const override;
  // x itself.
  Tensor project(const Tensor& x) const override;
  // u itself.
  Tensor project_tangent(const Tensor& x, const Tensor& u) const override;
  // The Euclidean gradient itself.
  Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const override;
  // The sum of u * v over every element (a 0-d tensor).
  Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const override;
  // x + v.
  Tensor retract(const Tensor& x, const Tensor& v) const override;
  // v itself.
  Tensor transport(const Tensor& x, const Tensor& y, const Tensor& v) const override;
  // True: exp, log and distance are x + v, y - x and ||y - x||.
  bool has_exp() const override { return true; }
  // See has_exp().
  bool has_log() const override { return true; }
  // See has_exp().
  bool has_distance() const override { return true; }
  // x + v.
  Tensor exp(const Tensor& x, const Tensor& v) const override;
  // y - x.
  Tensor log(const Tensor& x, const Tensor& y) const override;
  // ||y - x|| over every element (a 0-d tensor).
  Tensor distance(const Tensor& x, const Tensor& y) const override;
  // Standard normal entries, shaped `batch` (the Euclidean space has no point shape of its own).
  Tensor random_point(Generator& generator, DType dtype = float64, const Shape& batch = {}) const override;
  // A standard normal direction scaled to unit norm.
  Tensor random_tangent(const Tensor& x, Generator& generator) const override;
};

// The one shared Euclidean instance, the default of every parameter.
std::shared_ptr<const Manifold> euclidean();

// Whether `manifold` is Euclidean (by type, so any Euclidean instance counts).
bool is_euclidean(const Manifold& manifold);

}  // namespace lg::manifold
