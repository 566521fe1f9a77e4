// The SPD manifold's maps; the formulas and their sources are in spd.hpp.
#include "manifold/spd.hpp"

#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

using detail::mT;

namespace {

// E diag(f) E^T.
Tensor from_eigen(const Tensor& eigenvectors, const Tensor& values) {
  return matmul(eigenvectors * values.unsqueeze(-2), mT(eigenvectors));
}

// The first divided differences of log at the eigenvalues: L_ij = (log l_i - log l_j) / (l_i - l_j),
// computed as log1p((l_i - l_j) / l_j) / (l_i - l_j), which keeps its digits for close eigenvalues;
// where they agree to a relative 1e-12 (the diagonal included), the limit 2 / (l_i + l_j), exact
// to second order in the gap.
Tensor log_divided_differences(const Tensor& eigenvalues) {
  const Tensor li = eigenvalues.unsqueeze(-1), lj = eigenvalues.unsqueeze(-2);
  const Tensor gap = li - lj;
  const Tensor close = abs(gap) < 1e-12 * (li + lj);
  const Tensor safe_gap = where(close, ones_like(gap), gap);
  return where(close, 2.0 / (li + lj), log1p(safe_gap / lj) / safe_gap);
}

// D log(X)[U] and its inverse in X's eigenbasis: E (L o (E^T U E)) E^T and E ((E^T U E) / L) E^T.
Tensor log_differential(const Eigh& x_parts, const Tensor& u) {
  const Tensor& e = x_parts.eigenvectors;
  return matmul(matmul(e, log_divided_differences(x_parts.eigenvalues) * matmul(mT(e), matmul(u, e))), mT(e));
}

Tensor log_differential_inverse(const Eigh& x_parts, const Tensor& u) {
  const Tensor& e = x_parts.eigenvectors;
  return matmul(matmul(e, matmul(mT(e), matmul(u, e)) / log_divided_differences(x_parts.eigenvalues)), mT(e));
}

}  // namespace

SPD::SPD(std::int64_t n, SPDMetric metric, SPDRetraction retraction, double eigenvalue_floor)
    : n_(n), metric_(metric), retraction_(retraction), eigenvalue_floor_(eigenvalue_floor) {
  check<ValueError>(n >= 1, "SPD", "the matrix size n must be >= 1, got ", n);
  check<ValueError>(eigenvalue_floor > 0.0, "SPD", "the eigenvalue floor must be > 0, got ", eigenvalue_floor);
}

std::string SPD::name() const {
  return "SPD(" + std::to_string(n_) + "), " +
         (metric_ == SPDMetric::affine_invariant ? "affine-invariant" : "log-Euclidean") + " metric, " +
         (retraction_ == SPDRetraction::exponential ? "exponential" : "second-order") + " retraction";
}

double SPD::constraint_violation(const Tensor& x) const {
  check_point("SPD::constraint_violation", x);
  const Tensor asymmetry = detail::frobenius_norm(x - mT(x));
  const Tensor smallest = eigvalsh(symmetric_part(x)).narrow(-1, 0, 1).squeeze(-1);
  return detail::largest(asymmetry + clamp(-smallest, 0.0));
}

Tensor SPD::project(const Tensor& x) const {
  check_point("SPD::project", x);
  const Eigh parts = eigh(symmetric_part(x));
  return symmetric_part(from_eigen(parts.eigenvectors, clamp(parts.eigenvalues, eigenvalue_floor_)));
}

Tensor SPD::project_tangent(const Tensor& x, const Tensor& u) const {
  check_point("SPD::project_tangent", x);
  detail::check_same_shape("SPD::project_tangent", x, u);
  return symmetric_part(u);
}

Tensor SPD::riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const {
  check_point("SPD::riemannian_gradient", x);
  detail::check_same_shape("SPD::riemannian_gradient", x, euclidean_grad);
  const Tensor g = symmetric_part(euclidean_grad);
  if (metric_ == SPDMetric::affine_invariant) return symmetric_part(matmul(x, matmul(g, x)));
  // <grad, V>_X = <L o grad~, L o V~> must equal <G, V> = <G~, V~> (~: in X's eigenbasis), so
  // grad~ = G~ / L^2: D log(X) is self-adjoint for the Frobenius product.
  const Eigh parts = eigh(x);
  return symmetric_part(log_differential_inverse(parts, log_differential_inverse(parts, g)));
}

Tensor SPD::inner(const Tensor& x, const Tensor& u, const Tensor& v) const {
  check_point("SPD::inner", x);
  detail::check_same_shape("SPD::inner", x, u);
  detail::check_same_shape("SPD::inner", x, v);
  if (metric_ == SPDMetric::affine_invariant) {
    // tr(X^{-1} U X^{-1} V) = <X^{-1} U, (X^{-1} V)^T>_F.
    return detail::frobenius_inner(solve(x, u), mT(solve(x, v)));
  }
  const Eigh parts = eigh(x);
  return detail::frobenius_inner(log_differential(parts, u), log_differential(parts, v));
}

Tensor SPD::retract(const Tensor& x, const Tensor& v) const {
  return retraction_ == SPDRetraction::exponential ? exp(x, v) : second_order_retract(x, v);
}

Tensor SPD::transport(const Tensor&, const Tensor&, const Tensor& v) const { return symmetric_part(v); }

Tensor SPD::second_order_retract(const Tensor& x, const Tensor& v) const {
  check_point("SPD::second_order_retract", x);
  detail::check_same_shape("SPD::second_order_retract", x, v);
  return symmetric_part(x + v + 0.5 * matmul(v, solve(x, v)));
}

Tensor SPD::exp(const Tensor& x, const Tensor& v) const {
  check_point("SPD::exp", x);
  detail::check_same_shape("SPD::exp", x, v);
  if (metric_ == SPDMetric::log_euclidean) {
    const Eigh parts = eigh(x);
    // Written as X + (expm(log X + D log(X)[V]) - expm(log X)): the same map, and for V = 0 the two
    // expm calls see the same bits, so exp_X(0) = X exactly (expm(logm X) alone rounds).
    const Tensor log_x = symmetric_part(from_eigen(parts.eigenvectors, lg::log(parts.eigenvalues)));
    const Tensor moved = expm(log_x + symmetric_part(log_differential(parts, v)));
    return symmetric_part(x + (moved - expm(log_x)));
  }
  // Written as X + X^{1/2} (expm(M) - I) X^{1/2}, M = X^{-1/2} V X^{-1/2}: the same map, and it
  // returns X exactly for V = 0.
  const Eigh parts = eigh(x);
  const Tensor root = from_eigen(parts.eigenvectors, sqrt(parts.eigenvalues));
  const Tensor inverse_root = from_eigen(parts.eigenvectors, rsqrt(parts.eigenvalues));
  const Tensor m = symmetric_part(matmul(inverse_root, matmul(v, inverse_root)));
  const Tensor step = expm(m) - detail::identity_like(x, n_);
  return symmetric_part(x + matmul(root, matmul(step, root)));
}

Tensor SPD::log(const Tensor& x, const Tensor& y) const {
  check_point("SPD::log", x);
  check_point("SPD::log", y);
  const Eigh parts = eigh(x);
  if (metric_ == SPDMetric::log_euclidean) {
    const Tensor log_x = from_eigen(parts.eigenvectors, lg::log(parts.eigenvalues));
    return symmetric_part(log_differential_inverse(parts, logm(y) - log_x));
  }
  const Tensor root = from_eigen(parts.eigenvectors, sqrt(parts.eigenvalues));
  const Tensor inverse_root = from_eigen(parts.eigenvectors, rsqrt(parts.eigenvalues));
  const Tensor m = symmetric_part(matmul(inverse_root, matmul(y, inverse_root)));
  return symmetric_part(matmul(root, matmul(logm(m), root)));
}

Tensor SPD::distance(const Tensor& x, const Tensor& y) const {
  check_point("SPD::distance", x);
  check_point("SPD::distance", y);
  if (metric_ == SPDMetric::log_euclidean) return detail::frobenius_norm(logm(y) - logm(x));
  const Eigh parts = eigh(x);
  const Tensor inverse_root = from_eigen(parts.eigenvectors, rsqrt(parts.eigenvalues));
  const Tensor log_eigenvalues = lg::log(eigvalsh(symmetric_part(matmul(inverse_root, matmul(y, inverse_root)))));
  return sqrt(sum(log_eigenvalues * log_eigenvalues, {-1}));
}

Tensor SPD::random_point(Generator& generator, DType dtype, const Shape& batch) const {
  const Tensor a = randn(detail::batched(batch, {n_, n_}), dtype, &generator);
  return expm(symmetric_part(a));
}

Tensor SPD::random_tangent(const Tensor& x, Generator& generator) const {
  const Tensor u = symmetric_part(randn(x.shape(), x.dtype(), &generator).to(x.device()));
  return u / norm(x, u).unsqueeze(-1).unsqueeze(-1);
}

}  // namespace lg::manifold
