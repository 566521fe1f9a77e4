// The Grassmann manifold Gr(n, p) of p-dimensional subspaces of R^n, each
// represented by an n x p matrix X with orthonormal columns spanning it
// (Edelman, Arias & Smith 1998, §2.5; Absil, Mahony & Sepulchre 2008, §3.4.4).
//
// Two bases X and X Q (Q in O(p)) are the same point. Tangent vectors are
// horizontal lifts: V with X^T V = 0, projection (I - X X^T) V; the metric is
// tr(U^T V). Maps:
//   exp_X(V) = X W cos(S) W^T + U sin(S) W^T for the thin SVD V = U S W^T (EAS98 Thm 2.3);
//   log_X(Y) = U atan2(S, C) W^T after aligning Y to X (Bendokat, Zimmermann & Absil 2020,
//              "A Grassmann manifold handbook"): the SVD of Y^T X = Q C R^T gives Y* = Y Q R^T, and
//              (I - X X^T) Y* = U S W^T holds the sines of the principal angles;
//   distance = ||theta||_2 over the principal angles (principal_angles.hpp).
// The retraction is the polar factor of X + V (AMS08 Example 4.1.5 uses the Q factor; both are
// retractions; the polar one, formed from (X + V)^T (X + V), also pulls a drifted basis back). Comparing two bases of one subspace
// needs the projector X X^T or distance(), not the matrices themselves.
#pragma once
#include <cstdint>

#include "manifold/manifold.hpp"

namespace lg::manifold {

// p-dimensional subspaces of R^n (n >= p >= 1), points as orthonormal bases [..., n, p].
class Grassmann final : public Manifold {
 public:
  // Gr(n, p); ValueError unless n >= p >= 1.
  Grassmann(std::int64_t n, std::int64_t p);
  // The ambient dimension.
  std::int64_t n() const { return n_; }
  // The subspace dimension.
  std::int64_t p() const { return p_; }

  // "Grassmann(n, p)".
  std::string name() const override;
  // [n, p].
  Shape point_shape() const override { return {n_, p_}; }
  // ||X^T X - I||_F (how far the basis is from orthonormal), the largest over the batch.
  double constraint_violation(const Tensor& x) const override;
  // The polar factor of X (an orthonormal basis of the same column space).
  Tensor project(const Tensor& x) const override;
  // (I - X X^T) U, the horizontal projection.
  Tensor project_tangent(const Tensor& x, const Tensor& u) const override;
  // project_tangent(x, G).
  Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const override;
  // tr(U^T V): [...].
  Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const override;
  // Y (Y^T Y)^{-1/2} with Y = X + V, the polar factor of X + V.
  Tensor retract(const Tensor& x, const Tensor& v) const override;
  // project_tangent(y, v).
  Tensor transport(const Tensor& x, const Tensor& y, const Tensor& v) const override;

  // True: exp, log and distance are closed form.
  bool has_exp() const override { return true; }
  // See has_exp().
  bool has_log() const override { return true; }
  // See has_exp().
  bool has_distance() const override { return true; }
  // X W cos(S) W^T + U sin(S) W^T for V = U S W^T.
  Tensor exp(const Tensor& x, const Tensor& v) const override;
  // The horizontal V at X with exp_X(V) spanning Y's column space (every principal angle < pi/2).
  Tensor log(const Tensor& x, const Tensor& y) const override;
  // ||theta||_2 over the principal angles between the column spaces: [...].
  Tensor distance(const Tensor& x, const Tensor& y) const override;

  // Q of the QR of a standard normal matrix (a uniformly distributed subspace).
  Tensor random_point(Generator& generator, DType dtype = float64, const Shape& batch = {}) const override;
  // A horizontal standard normal direction with unit norm per item.
  Tensor random_tangent(const Tensor& x, Generator& generator) const override;

 private:
  std::int64_t n_;
  std::int64_t p_;
};

}  // namespace lg::manifold
