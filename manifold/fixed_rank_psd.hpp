// S+(r, n), the symmetric positive semi-definite n x n matrices of rank r, with
// the quotient geometry R_*^{n x r} / O(r): a point is a full-rank factor Y with
// S = Y Y^T, and Y Q (Q in O(r)) stands for the same S (Journée, Bach, Absil &
// Sepulchre 2010; Massart & Absil 2020, "Quotient geometry with simple geodesics
// for the manifold of fixed-rank positive-semidefinite matrices").
//
// Tangent vectors are horizontal lifts: V with Y^T V symmetric. The horizontal
// projection removes the vertical part Y Omega (Omega skew), where Omega solves the
// Lyapunov equation (Y^T Y) Omega + Omega (Y^T Y) = Y^T V - V^T Y. The metric is
// tr(U^T V); the retraction, and the exponential map, is Y + V (Massart & Absil
// 2020: horizontal straight lines are geodesics while they stay full rank).
// The distance is min over Q in O(r) of ||Y1 Q - Y2||_F, in closed form
// sqrt(||Y1||^2 + ||Y2||^2 - 2 ||Y1^T Y2||_*) (the Procrustes problem), and
// log_{Y1}(Y2) = Y2 Q* - Y1 with Q* the polar factor of Y2^T Y1 (unique when Y1^T Y2 is
// invertible). This is the stratum of rank-r matrices the latent analysis uses.
#pragma once
#include <cstdint>

#include "manifold/manifold.hpp"

namespace lg::manifold {

// Rank-r PSD n x n matrices as factors Y [..., n, r] (n >= r >= 1), quotient by O(r).
class FixedRankPSD final : public Manifold {
 public:
  // S+(r, n); ValueError unless n >= r >= 1.
  FixedRankPSD(std::int64_t n, std::int64_t r);
  // The matrix size.
  std::int64_t n() const { return n_; }
  // The rank.
  std::int64_t r() const { return r_; }

  // "FixedRankPSD(n, r)".
  std::string name() const override;
  // [n, r].
  Shape point_shape() const override { return {n_, r_}; }
  // 0: every full-rank factor is a point (the set is open in R^{n x r}; rank is not checked).
  double constraint_violation(const Tensor& x) const override;
  // Y itself.
  Tensor project(const Tensor& x) const override;
  // The horizontal projection V - Y Omega (file comment).
  Tensor project_tangent(const Tensor& x, const Tensor& u) const override;
  // The horizontal projection of G (G is already horizontal for a cost of Y Y^T).
  Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const override;
  // tr(U^T V): [...].
  Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const override;
  // Y + V.
  Tensor retract(const Tensor& x, const Tensor& v) const override;
  // The horizontal projection of v at y.
  Tensor transport(const Tensor& x, const Tensor& y, const Tensor& v) const override;

  // True: exp, log and distance are closed form.
  bool has_exp() const override { return true; }
  // See has_exp().
  bool has_log() const override { return true; }
  // See has_exp().
  bool has_distance() const override { return true; }
  // Y + V.
  Tensor exp(const Tensor& x, const Tensor& v) const override;
  // Y2 Q* - Y1 with Q* the polar factor of Y2^T Y1 (Y2 aligned to Y1).
  Tensor log(const Tensor& x, const Tensor& y) const override;
  // sqrt(||Y1||_F^2 + ||Y2||_F^2 - 2 ||Y1^T Y2||_*), clamped at 0 against rounding: [...].
  Tensor distance(const Tensor& x, const Tensor& y) const override;

  // A standard normal n x r matrix (full rank almost surely).
  Tensor random_point(Generator& generator, DType dtype = float64, const Shape& batch = {}) const override;
  // A horizontal standard normal direction with unit norm per item.
  Tensor random_tangent(const Tensor& x, Generator& generator) const override;

 private:
  std::int64_t n_;
  std::int64_t r_;
};

}  // namespace lg::manifold
