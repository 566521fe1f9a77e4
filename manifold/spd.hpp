// The manifold SPD(n) of symmetric positive-definite n x n matrices, an open
// subset of the symmetric matrices, so every symmetric matrix is a tangent
// vector (projection: sym(U) = (U + U^T) / 2). Two metrics:
//
// affine_invariant (Pennec, Fillard & Ayache 2006; Bhatia 2007, ch. 6):
//   <U, V>_X = tr(X^{-1} U X^{-1} V), gradient X sym(G) X,
//   exp_X(V) = X^{1/2} expm(X^{-1/2} V X^{-1/2}) X^{1/2},
//   log_X(Y) = X^{1/2} logm(X^{-1/2} Y X^{-1/2}) X^{1/2},
//   d(X, Y) = ||logm(X^{-1/2} Y X^{-1/2})||_F = sqrt(sum log^2 of the eigenvalues of X^{-1} Y).
// log_euclidean (Arsigny, Fillard, Pennec & Ayache 2007): the metric pulled back by logm,
//   <U, V>_X = <D log(X)[U], D log(X)[V]>_F, exp_X(V) = expm(logm X + D log(X)[V]),
//   log_X(Y) = D log(X)^{-1}[logm Y - logm X], d(X, Y) = ||logm Y - logm X||_F.
//   D log(X)[U] = E (L o (E^T U E)) E^T for X = E diag(lambda) E^T, with the first divided
//   differences L_ij = (log lambda_i - log lambda_j) / (lambda_i - lambda_j), 1 / lambda_i on
//   the diagonal (Daleckii–Krein; Bhatia 1997, Thm V.3.3).
//
// Retractions: exponential (the metric's exp) or second_order, X + V + V X^{-1} V / 2 (the
// second-order expansion of the affine-invariant exp; always SPD, since it equals
// ((X + V) X^{-1} (X + V) + X) / 2). Transport is the identity on symmetric matrices (every
// tangent space is the same set; a vector transport by projection, AMS08 §8.1.3).
//
// project() symmetrises and raises every eigenvalue below `eigenvalue_floor` to it, so that
// the result is positive definite with a smallest eigenvalue >= the floor (up to rounding).
#pragma once
#include <cstdint>

#include "manifold/manifold.hpp"

namespace lg::manifold {

// The metric of SPD(n) (see the file comment).
enum class SPDMetric { affine_invariant, log_euclidean };
// The retraction SPD::retract uses (see the file comment).
enum class SPDRetraction { exponential, second_order };

// Symmetric positive-definite n x n matrices, points shaped [..., n, n].
class SPD final : public Manifold {
 public:
  // SPD(n) with a metric and a retraction; ValueError unless n >= 1 and eigenvalue_floor > 0.
  SPD(std::int64_t n, SPDMetric metric = SPDMetric::affine_invariant,
      SPDRetraction retraction = SPDRetraction::exponential, double eigenvalue_floor = 1e-10);
  // The matrix size.
  std::int64_t n() const { return n_; }
  // The metric chosen at construction.
  SPDMetric metric() const { return metric_; }
  // The retraction retract() uses.
  SPDRetraction retraction() const { return retraction_; }
  // The smallest eigenvalue project() leaves.
  double eigenvalue_floor() const { return eigenvalue_floor_; }

  // "SPD(n), <metric> metric, <retraction> retraction".
  std::string name() const override;
  // [n, n].
  Shape point_shape() const override { return {n_, n_}; }
  // ||X - X^T||_F plus how far the smallest eigenvalue of sym(X) is below 0 (0 for an SPD X), the
  // largest over the batch. SPD is open: a matrix with eigenvalue 0 is at violation 0, not on it.
  double constraint_violation(const Tensor& x) const override;
  // sym(X) with its eigenvalues raised to at least eigenvalue_floor(), exactly symmetric.
  Tensor project(const Tensor& x) const override;
  // sym(U).
  Tensor project_tangent(const Tensor& x, const Tensor& u) const override;
  // affine_invariant: X sym(G) X; log_euclidean: D log(X)^{-1} D log(X)^{-*}[sym(G)].
  Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const override;
  // The metric of the file comment: [...].
  Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const override;
  // exp(x, v) or the second-order X + V + V X^{-1} V / 2, as chosen.
  Tensor retract(const Tensor& x, const Tensor& v) const override;
  // sym(v): every symmetric matrix is tangent everywhere.
  Tensor transport(const Tensor& x, const Tensor& y, const Tensor& v) const override;

  // The second-order retraction X + V + V X^{-1} V / 2 (symmetrised).
  Tensor second_order_retract(const Tensor& x, const Tensor& v) const;

  // True: exp, log and distance are closed form for both metrics.
  bool has_exp() const override { return true; }
  // See has_exp().
  bool has_log() const override { return true; }
  // See has_exp().
  bool has_distance() const override { return true; }
  // The exponential map of the metric (file comment).
  Tensor exp(const Tensor& x, const Tensor& v) const override;
  // The logarithm map of the metric (file comment).
  Tensor log(const Tensor& x, const Tensor& y) const override;
  // The geodesic distance of the metric (file comment): [...].
  Tensor distance(const Tensor& x, const Tensor& y) const override;

  // expm of a symmetric matrix with standard normal entries above the diagonal and on it
  // (eigenvalues roughly in [e^{-2 sqrt n}, e^{2 sqrt n}]).
  Tensor random_point(Generator& generator, DType dtype = float64, const Shape& batch = {}) const override;
  // A random symmetric matrix with unit norm in the metric at x.
  Tensor random_tangent(const Tensor& x, Generator& generator) const override;

 private:
  std::int64_t n_;
  SPDMetric metric_;
  SPDRetraction retraction_;
  double eigenvalue_floor_;
};

}  // namespace lg::manifold
