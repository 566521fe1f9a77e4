// The Stiefel manifold St(n, p) = { X in R^{n x p} : X^T X = I_p }, n >= p >= 1:
// orthonormal p-frames in R^n (St(n, n) is the orthogonal group O(n)).
//
// Tangent space at X: { V : X^T V + V^T X = 0 }. Two metrics (Edelman, Arias &
// Smith 1998, "The geometry of algorithms with orthogonality constraints", §2):
//   euclidean  <U, V>_X = tr(U^T V), the metric of the embedding;
//   canonical  <U, V>_X = tr(U^T (I - X X^T / 2) V), the quotient metric of O(n).
// Both share the tangent space and its projection V - X sym(X^T V); they differ in
// the Riemannian gradient (EAS98 §2.4 for the canonical one: G - X G^T X) and in
// the geodesics (exp()).
//
// Four retractions (Absil, Mahony & Sepulchre 2008, §4.1.1; Boumal 2023, §7.3):
//   qr           qf(X + V), the Q factor with positive diag(R);
//   polar        Y (Y^T Y)^{-1/2} with Y = X + V, the closest point to X + V;
//   cayley       (I - W/2)^{-1} (I + W/2) X with the skew W = P X^T - X P^T (cayley_transform.hpp),
//                P = (I - X X^T / 2) V (Wen & Yin 2013; Li, Fuxin & Todorovic 2020);
//   exponential  exp() of the chosen metric.
// The retraction used by retract() is the one chosen at construction.
//
// O(n) has two components, det = +1 and det = -1. Every retraction is a continuous
// path from X, so an optimiser that only retracts stays on the component it starts
// on: choose it through the initial point (flip one column to change it).
#pragma once
#include <cstdint>

#include "manifold/manifold.hpp"

namespace lg::manifold {

// The metric of a Stiefel manifold (see the file comment).
enum class StiefelMetric { euclidean, canonical };
// The retraction Stiefel::retract uses (see the file comment).
enum class StiefelRetraction { qr, polar, cayley, exponential };

// St(n, p): n x p matrices with orthonormal columns, with a chosen metric and retraction.
class Stiefel final : public Manifold {
 public:
  // St(n, p); ValueError unless n >= p >= 1.
  Stiefel(std::int64_t n, std::int64_t p, StiefelMetric metric = StiefelMetric::euclidean,
          StiefelRetraction retraction = StiefelRetraction::qr);

  // The ambient dimension (rows).
  std::int64_t n() const { return n_; }
  // The frame size (columns).
  std::int64_t p() const { return p_; }
  // The metric chosen at construction.
  StiefelMetric metric() const { return metric_; }
  // The retraction retract() uses.
  StiefelRetraction retraction() const { return retraction_; }

  // "Stiefel(n, p), <metric> metric, <retraction> retraction".
  std::string name() const override;
  // [n, p].
  Shape point_shape() const override { return {n_, p_}; }
  // ||X^T X - I||_F, the largest over the batch.
  double constraint_violation(const Tensor& x) const override;
  // The polar factor U V^T of X = U S V^T (the closest point in the Frobenius norm); X must have full rank.
  Tensor project(const Tensor& x) const override;
  // U - X sym(X^T U), the orthogonal projection for the Euclidean metric (the canonical one shares it).
  Tensor project_tangent(const Tensor& x, const Tensor& u) const override;
  // Euclidean metric: project_tangent(G); canonical metric: G - X G^T X (EAS98 §2.4).
  Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const override;
  // tr(U^T V) (euclidean) or tr(U^T (I - X X^T / 2) V) (canonical): [...] over the batch.
  Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const override;
  // The chosen retraction (qr_retract, polar_retract, cayley_retract or exp).
  Tensor retract(const Tensor& x, const Tensor& v) const override;
  // project_tangent(y, v): transport by projection (AMS08 §8.1.3).
  Tensor transport(const Tensor& x, const Tensor& y, const Tensor& v) const override;

  // The Q factor of X + V with positive diag(R) (AMS08 eq. 4.8).
  Tensor qr_retract(const Tensor& x, const Tensor& v) const;
  // Y (Y^T Y)^{-1/2} with Y = X + V, the polar factor of X + V (AMS08 eq. 4.7, self-correcting: see
  // manifold/matrix_helpers.hpp).
  Tensor polar_retract(const Tensor& x, const Tensor& v) const;
  // The exact Cayley transform (I - W/2)^{-1} (I + W/2) X, W = P X^T - X P^T, P = (I - X X^T/2) V.
  Tensor cayley_retract(const Tensor& x, const Tensor& v) const;

  // True: exp() is closed form for both metrics; there is no closed-form log or distance.
  bool has_exp() const override { return true; }
  // The exact exponential map of the chosen metric (Edelman–Arias–Smith 1998: §2.4 for the
  // canonical metric, §2.2 for the Euclidean one).
  Tensor exp(const Tensor& x, const Tensor& v) const override;

  // Q of the QR of a standard normal matrix (Haar-distributed), [batch..., n, p].
  Tensor random_point(Generator& generator, DType dtype = float64, const Shape& batch = {}) const override;
  // A projected standard normal matrix with unit norm in the chosen metric.
  Tensor random_tangent(const Tensor& x, Generator& generator) const override;

 private:
  std::int64_t n_;
  std::int64_t p_;
  StiefelMetric metric_;
  StiefelRetraction retraction_;
};

}  // namespace lg::manifold
