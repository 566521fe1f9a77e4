// The Grassmann manifold's maps; the formulas and their sources are in grassmann.hpp.
#include "manifold/grassmann.hpp"

#include "autograd/ops/arithmetic.hpp"
#include "manifold/matrix_helpers.hpp"
#include "manifold/principal_angles.hpp"

namespace lg::manifold {

using detail::mT;

Grassmann::Grassmann(std::int64_t n, std::int64_t p) : n_(n), p_(p) {
  check<ValueError>(p >= 1 && n >= p, "Grassmann", "expected n >= p >= 1, got n = ", n, ", p = ", p);
}

std::string Grassmann::name() const { return "Grassmann(" + std::to_string(n_) + ", " + std::to_string(p_) + ")"; }

double Grassmann::constraint_violation(const Tensor& x) const {
  check_point("Grassmann::constraint_violation", x);
  return detail::largest(detail::orthonormality_error(x));
}

Tensor Grassmann::project(const Tensor& x) const {
  check_point("Grassmann::project", x);
  return detail::polar_factor(x);
}

Tensor Grassmann::project_tangent(const Tensor& x, const Tensor& u) const {
  check_point("Grassmann::project_tangent", x);
  detail::check_same_shape("Grassmann::project_tangent", x, u);
  return u - matmul(x, matmul(mT(x), u));
}

Tensor Grassmann::riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const {
  return project_tangent(x, euclidean_grad);
}

Tensor Grassmann::inner(const Tensor& x, const Tensor& u, const Tensor& v) const {
  check_point("Grassmann::inner", x);
  return detail::frobenius_inner(u, v);
}

Tensor Grassmann::retract(const Tensor& x, const Tensor& v) const {
  check_point("Grassmann::retract", x);
  detail::check_same_shape("Grassmann::retract", x, v);
  return detail::polar_retract_tangent(x, v);
}

Tensor Grassmann::transport(const Tensor&, const Tensor& y, const Tensor& v) const { return project_tangent(y, v); }

Tensor Grassmann::exp(const Tensor& x, const Tensor& v) const {
  check_point("Grassmann::exp", x);
  detail::check_same_shape("Grassmann::exp", x, v);
  const SVD parts = svd(v);
  const Tensor angles = parts.s.unsqueeze(-2);  // scales the columns
  const Tensor wt = mT(parts.v);
  return matmul(matmul(x, parts.v) * cos(angles), wt) + matmul(parts.u * sin(angles), wt);
}

Tensor Grassmann::log(const Tensor& x, const Tensor& y) const {
  check_point("Grassmann::log", x);
  check_point("Grassmann::log", y);
  // Align Y to X (the Procrustes rotation), so Y*^T X = R C R^T is symmetric positive semi-definite.
  const SVD alignment = svd(matmul(mT(y), x));
  const Tensor aligned = matmul(y, matmul(alignment.u, mT(alignment.v)));
  const Tensor normal = aligned - matmul(x, matmul(mT(x), aligned));
  const SVD parts = svd(normal);
  // The sines are parts.s; the cosines are the singular values of X^T Y* in the same basis, so the
  // angle comes from atan2 of both, accurate for tiny angles and near pi/2 alike.
  const Tensor cosines = diagonal(matmul(mT(parts.v), matmul(matmul(mT(x), aligned), parts.v)));
  const Tensor angles = atan2(parts.s, cosines).unsqueeze(-2);
  return matmul(parts.u * angles, mT(parts.v));
}

Tensor Grassmann::distance(const Tensor& x, const Tensor& y) const {
  check_point("Grassmann::distance", x);
  check_point("Grassmann::distance", y);
  return grassmann_distance(x, y);
}

Tensor Grassmann::random_point(Generator& generator, DType dtype, const Shape& batch) const {
  return detail::q_factor(randn(detail::batched(batch, {n_, p_}), dtype, &generator));
}

Tensor Grassmann::random_tangent(const Tensor& x, Generator& generator) const {
  const Tensor u = project_tangent(x, randn(x.shape(), x.dtype(), &generator).to(x.device()));
  return u / detail::frobenius_norm(u).unsqueeze(-1).unsqueeze(-1);
}

}  // namespace lg::manifold
