// The fixed-rank PSD quotient's maps; formulas and sources in fixed_rank_psd.hpp.
#include "manifold/fixed_rank_psd.hpp"

#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

using detail::mT;

FixedRankPSD::FixedRankPSD(std::int64_t n, std::int64_t r) : n_(n), r_(r) {
  check<ValueError>(r >= 1 && n >= r, "FixedRankPSD", "expected n >= r >= 1, got n = ", n, ", r = ", r);
}

std::string FixedRankPSD::name() const {
  return "FixedRankPSD(" + std::to_string(n_) + ", " + std::to_string(r_) + ")";
}

double FixedRankPSD::constraint_violation(const Tensor& x) const {
  check_point("FixedRankPSD::constraint_violation", x);
  return 0.0;
}

Tensor FixedRankPSD::project(const Tensor& x) const {
  check_point("FixedRankPSD::project", x);
  return x;
}

Tensor FixedRankPSD::project_tangent(const Tensor& x, const Tensor& u) const {
  check_point("FixedRankPSD::project_tangent", x);
  detail::check_same_shape("FixedRankPSD::project_tangent", x, u);
  // Solve (Y^T Y) Omega + Omega (Y^T Y) = Y^T V - V^T Y in the eigenbasis of Y^T Y = E diag(d) E^T,
  // where it is diagonal: Omega~_ij = R~_ij / (d_i + d_j).
  const Eigh gram = eigh(matmul(mT(x), x));
  const Tensor& e = gram.eigenvectors;
  const Tensor right = matmul(mT(x), u) - matmul(mT(u), x);
  const Tensor sums = gram.eigenvalues.unsqueeze(-1) + gram.eigenvalues.unsqueeze(-2);
  const Tensor omega = matmul(matmul(e, matmul(mT(e), matmul(right, e)) / sums), mT(e));
  return u - matmul(x, omega);
}

Tensor FixedRankPSD::riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const {
  return project_tangent(x, euclidean_grad);
}

Tensor FixedRankPSD::inner(const Tensor& x, const Tensor& u, const Tensor& v) const {
  check_point("FixedRankPSD::inner", x);
  return detail::frobenius_inner(u, v);
}

Tensor FixedRankPSD::retract(const Tensor& x, const Tensor& v) const {
  check_point("FixedRankPSD::retract", x);
  detail::check_same_shape("FixedRankPSD::retract", x, v);
  return x + v;
}

Tensor FixedRankPSD::transport(const Tensor&, const Tensor& y, const Tensor& v) const {
  return project_tangent(y, v);
}

Tensor FixedRankPSD::exp(const Tensor& x, const Tensor& v) const { return retract(x, v); }

Tensor FixedRankPSD::log(const Tensor& x, const Tensor& y) const {
  check_point("FixedRankPSD::log", x);
  check_point("FixedRankPSD::log", y);
  return matmul(y, detail::polar_factor(matmul(mT(y), x))) - x;
}

Tensor FixedRankPSD::distance(const Tensor& x, const Tensor& y) const {
  check_point("FixedRankPSD::distance", x);
  check_point("FixedRankPSD::distance", y);
  const Tensor squared = detail::frobenius_inner(x, x) + detail::frobenius_inner(y, y) -
                         2.0 * sum(svdvals(matmul(mT(x), y)), {-1});
  return sqrt(clamp(squared, 0.0));
}

Tensor FixedRankPSD::random_point(Generator& generator, DType dtype, const Shape& batch) const {
  return randn(detail::batched(batch, {n_, r_}), dtype, &generator);
}

Tensor FixedRankPSD::random_tangent(const Tensor& x, Generator& generator) const {
  const Tensor u = project_tangent(x, randn(x.shape(), x.dtype(), &generator).to(x.device()));
  return u / detail::frobenius_norm(u).unsqueeze(-1).unsqueeze(-1);
}

}  // namespace lg::manifold
