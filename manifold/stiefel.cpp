// The Stiefel manifold's maps; the formulas and their sources are in stiefel.hpp.
#include "manifold/stiefel.hpp"

#include "manifold/cayley_transform.hpp"
#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

using detail::mT;

namespace {

const char* metric_name(StiefelMetric metric) {
  return metric == StiefelMetric::euclidean ? "euclidean" : "canonical";
}

const char* retraction_name(StiefelRetraction retraction) {
  switch (retraction) {
    case StiefelRetraction::qr: return "qr";
    case StiefelRetraction::polar: return "polar";
    case StiefelRetraction::cayley: return "cayley";
    case StiefelRetraction::exponential: return "exponential";
  }
  return "unknown";
}

// Stacks [[a, b], [c, d]] from four blocks with the same leading dims.
Tensor block_matrix(const Tensor& a, const Tensor& b, const Tensor& c, const Tensor& d) {
  return cat({cat({a, b}, -1), cat({c, d}, -1)}, -2);
}

}  // namespace

Stiefel::Stiefel(std::int64_t n, std::int64_t p, StiefelMetric metric, StiefelRetraction retraction)
    : n_(n), p_(p), metric_(metric), retraction_(retraction) {
  check<ValueError>(p >= 1 && n >= p, "Stiefel", "expected n >= p >= 1, got n = ", n, ", p = ", p);
}

std::string Stiefel::name() const {
  return "Stiefel(" + std::to_string(n_) + ", " + std::to_string(p_) + "), " + metric_name(metric_) + " metric, " +
         retraction_name(retraction_) + " retraction";
}

double Stiefel::constraint_violation(const Tensor& x) const {
  check_point("Stiefel::constraint_violation", x);
  return detail::largest(detail::orthonormality_error(x));
}

Tensor Stiefel::project(const Tensor& x) const {
  check_point("Stiefel::project", x);
  return detail::polar_factor(x);
}

Tensor Stiefel::project_tangent(const Tensor& x, const Tensor& u) const {
  check_point("Stiefel::project_tangent", x);
  detail::check_same_shape("Stiefel::project_tangent", x, u);
  return u - matmul(x, symmetric_part(matmul(mT(x), u)));
}

Tensor Stiefel::riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const {
  if (metric_ == StiefelMetric::euclidean) return project_tangent(x, euclidean_grad);
  check_point("Stiefel::riemannian_gradient", x);
  detail::check_same_shape("Stiefel::riemannian_gradient", x, euclidean_grad);
  // EAS98 §2.4: the canonical metric's gradient, G - X G^T X (tangent for any G).
  return euclidean_grad - matmul(x, matmul(mT(euclidean_grad), x));
}

Tensor Stiefel::inner(const Tensor& x, const Tensor& u, const Tensor& v) const {
  check_point("Stiefel::inner", x);
  detail::check_same_shape("Stiefel::inner", x, u);
  detail::check_same_shape("Stiefel::inner", x, v);
  const Tensor euclidean_part = detail::frobenius_inner(u, v);
  if (metric_ == StiefelMetric::euclidean) return euclidean_part;
  // tr(U^T (I - X X^T / 2) V) = tr(U^T V) - tr((X^T U)^T (X^T V)) / 2.
  return euclidean_part - 0.5 * detail::frobenius_inner(matmul(mT(x), u), matmul(mT(x), v));
}

Tensor Stiefel::retract(const Tensor& x, const Tensor& v) const {
  switch (retraction_) {
    case StiefelRetraction::qr: return qr_retract(x, v);
    case StiefelRetraction::polar: return polar_retract(x, v);
    case StiefelRetraction::cayley: return cayley_retract(x, v);
    case StiefelRetraction::exponential: return exp(x, v);
  }
  fail<InternalError>("Stiefel::retract", "unknown retraction");
}

Tensor Stiefel::transport(const Tensor&, const Tensor& y, const Tensor& v) const { return project_tangent(y, v); }

Tensor Stiefel::qr_retract(const Tensor& x, const Tensor& v) const {
  check_point("Stiefel::qr_retract", x);
  detail::check_same_shape("Stiefel::qr_retract", x, v);
  return detail::q_factor(x + v);
}

Tensor Stiefel::polar_retract(const Tensor& x, const Tensor& v) const {
  check_point("Stiefel::polar_retract", x);
  detail::check_same_shape("Stiefel::polar_retract", x, v);
  return detail::polar_retract_tangent(x, v);
}

Tensor Stiefel::cayley_retract(const Tensor& x, const Tensor& v) const {
  check_point("Stiefel::cayley_retract", x);
  detail::check_same_shape("Stiefel::cayley_retract", x, v);
  // W = P X^T - X P^T with P = (I - X X^T / 2) V is skew and W X = V for tangent V, so the
  // Cayley curve (I - tW/2)^{-1}(I + tW/2) X leaves X with velocity V (Wen & Yin 2013). W has the
  // low-rank form A B^T - B A^T with A = P, B = X that cayley_transform_exact solves in 2p dims.
  const Tensor p = v - 0.5 * matmul(x, matmul(mT(x), v));
  return cayley_transform_exact(x, p, x, 1.0);
}

Tensor Stiefel::exp(const Tensor& x, const Tensor& v) const {
  check_point("Stiefel::exp", x);
  detail::check_same_shape("Stiefel::exp", x, v);
  const Tensor a = matmul(mT(x), v);  // skew for tangent v
  const Tensor identity_p = detail::identity_like(x, p_);
  if (metric_ == StiefelMetric::euclidean) {
    // EAS98 §2.2 (the embedded geodesics): X(1) = [X, V] expm([[A, -S], [I, A]]) [I; 0] expm(-A), S = V^T V.
    const Tensor s = matmul(mT(v), v);
    const Tensor big = matrix_exp(block_matrix(a, -s, identity_p.expand(a.shape()), a));
    const Tensor first_columns = big.narrow(-1, 0, p_);
    return matmul(matmul(cat({x, v}, -1), first_columns), matrix_exp(-a));
  }
  // Canonical metric (EAS98 §2.4, the quotient geodesics): the geodesic is expm(Omega) X with the skew
  // n x n Omega = V X^T - X V^T - X A X^T, the horizontal lift of V in o(n). For n > 2p the same
  // curve is computed in 2p dims from the QR of the normal part (I - X X^T) V = Q R:
  // [X, Q] expm([[A, -R^T], [R, 0]]) [I; 0].
  if (n_ <= 2 * p_) {
    const Tensor omega = matmul(v, mT(x)) - matmul(x, mT(v)) - matmul(x, matmul(a, mT(x)));
    return matmul(matrix_exp(omega), x);
  }
  const QR normal = qr(v - matmul(x, a));
  const Tensor zero = zeros_like(a);
  const Tensor big = matrix_exp(block_matrix(a, -mT(normal.r), normal.r, zero));
  return matmul(cat({x, normal.q}, -1), big.narrow(-1, 0, p_));
}

Tensor Stiefel::random_point(Generator& generator, DType dtype, const Shape& batch) const {
  return detail::q_factor(randn(detail::batched(batch, {n_, p_}), dtype, &generator));
}

Tensor Stiefel::random_tangent(const Tensor& x, Generator& generator) const {
  const Tensor u = project_tangent(x, randn(x.shape(), x.dtype(), &generator).to(x.device()));
  return u / norm(x, u).unsqueeze(-1).unsqueeze(-1);
}

}  // namespace lg::manifold
