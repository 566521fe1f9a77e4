// The sphere's maps, each the formula of its header comment.
#include "manifold/sphere.hpp"

#include "autograd/ops/arithmetic.hpp"
#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

namespace {

// <a, b> over the last dim, kept as size 1 so that it broadcasts against a vector.
Tensor dot_keep(const Tensor& a, const Tensor& b) { return sum(a * b, {-1}, true); }

Tensor vector_norm(const Tensor& a) { return sqrt(sum(a * a, {-1})); }

}  // namespace

Sphere::Sphere(std::int64_t n) : n_(n) {
  check<ValueError>(n >= 1, "Sphere", "the dimension n must be >= 1, got ", n);
}

std::string Sphere::name() const { return "Sphere(" + std::to_string(n_) + ")"; }

double Sphere::constraint_violation(const Tensor& x) const {
  check_point("Sphere::constraint_violation", x);
  return detail::largest(abs(vector_norm(x) - 1.0));
}

Tensor Sphere::project(const Tensor& x) const {
  check_point("Sphere::project", x);
  return x / sqrt(dot_keep(x, x));
}

Tensor Sphere::project_tangent(const Tensor& x, const Tensor& u) const {
  check_point("Sphere::project_tangent", x);
  return u - dot_keep(x, u) * x;
}

Tensor Sphere::riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const {
  return project_tangent(x, euclidean_grad);
}

Tensor Sphere::inner(const Tensor& x, const Tensor& u, const Tensor& v) const {
  check_point("Sphere::inner", x);
  return sum(u * v, {-1});
}

Tensor Sphere::retract(const Tensor& x, const Tensor& v) const {
  check_point("Sphere::retract", x);
  return exp(x, v);
}

Tensor Sphere::transport(const Tensor&, const Tensor& y, const Tensor& v) const { return project_tangent(y, v); }

Tensor Sphere::exp(const Tensor& x, const Tensor& v) const {
  check_point("Sphere::exp", x);
  // Below |v| = 1e-6 the two-term series of cos and sin(t)/t are exact in float64,
  // and they avoid 0/0 in the value and in the gradient.
  const Tensor t2 = dot_keep(v, v);
  const Tensor small = t2 < 1e-12;
  const Tensor t = sqrt(where(small, ones_like(t2), t2));
  const Tensor cos_t = where(small, 1.0 - t2 / 2.0, cos(t));
  const Tensor sinc_t = where(small, 1.0 - t2 / 6.0, sin(t) / t);
  return cos_t * x + sinc_t * v;
}

Tensor Sphere::log(const Tensor& x, const Tensor& y) const {
  check_point("Sphere::log", x);
  check_point("Sphere::log", y);
  // |u| = sin(theta); theta / sin(theta) -> 1 as y -> x, where u -> 0.
  const Tensor u = y - dot_keep(x, y) * x;
  const Tensor sin_theta = sqrt(dot_keep(u, u));
  const Tensor theta = distance(x, y).unsqueeze(-1);
  const Tensor small = sin_theta < 1e-150;
  const Tensor scale = where(small, ones_like(theta), theta / where(small, ones_like(sin_theta), sin_theta));
  return scale * u;
}

Tensor Sphere::distance(const Tensor& x, const Tensor& y) const {
  check_point("Sphere::distance", x);
  check_point("Sphere::distance", y);
  return 2.0 * atan2(vector_norm(x - y), vector_norm(x + y));
}

Tensor Sphere::random_point(Generator& generator, DType dtype, const Shape& batch) const {
  return project(randn(detail::batched(batch, {n_}), dtype, &generator));
}

Tensor Sphere::random_tangent(const Tensor& x, Generator& generator) const {
  const Tensor u = project_tangent(x, randn(x.shape(), x.dtype(), &generator).to(x.device()));
  return u / sqrt(dot_keep(u, u));
}

}  // namespace lg::manifold
