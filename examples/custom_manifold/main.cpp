// A manifold written outside the library: the oblique manifold OB(n, k) of
// n x k matrices whose columns have unit norm (a product of k spheres S^{n-1};
// Absil & Gallivan 2006, "Joint diagonalization on the oblique manifold").
// docs/adding_a_manifold.md walks through this file.
//
//   tangent space at X:  { V : diag(X^T V) = 0 }, projection V - X ddiag(X^T V)
//   metric:              tr(U^T V) (the embedding's), so the Riemannian gradient is the projection
//   retraction:          each column of X + V normalised
//   transport:           projection onto the tangent space at the new point
//
// Checks, one line each, and exit status 1 if any fails: the contract
// properties the library's manifold table asserts (membership after project and
// retract for steps 1e-8 ... 10, R_x(0) = x, tangent projection idempotent,
// batched = item by item, a wrong shape refused), and the Taylor check of a
// cost's Riemannian gradient (slope 2, gradient tangent).
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <latentgeo.hpp>

namespace {

using lg::Tensor;
namespace mf = lg::manifold;

class Oblique final : public mf::Manifold {
 public:
  Oblique(std::int64_t n, std::int64_t k) : n_(n), k_(k) {
    lg::check<lg::ValueError>(n >= 1 && k >= 1, "Oblique", "expected n, k >= 1, got n = ", n, ", k = ", k);
  }
  std::string name() const override { return "Oblique(" + std::to_string(n_) + ", " + std::to_string(k_) + ")"; }
  lg::Shape point_shape() const override { return {n_, k_}; }

  double constraint_violation(const Tensor& x) const override {
    check_point("Oblique::constraint_violation", x);
    const Tensor column_norms = lg::sqrt(lg::sum(x * x, {-2}));
    return lg::max(lg::abs(column_norms - 1.0)).item<double>();
  }
  Tensor project(const Tensor& x) const override {
    check_point("Oblique::project", x);
    return x / lg::sqrt(lg::sum(x * x, {-2}, true));
  }
  Tensor project_tangent(const Tensor& x, const Tensor& u) const override {
    check_point("Oblique::project_tangent", x);
    return u - x * lg::sum(x * u, {-2}, true);  // V - X ddiag(X^T V), column by column
  }
  Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const override {
    return project_tangent(x, euclidean_grad);
  }
  Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const override {
    check_point("Oblique::inner", x);
    return lg::sum(u * v, {-2, -1});
  }
  Tensor retract(const Tensor& x, const Tensor& v) const override {
    check_point("Oblique::retract", x);
    return project(x + v);
  }
  Tensor transport(const Tensor&, const Tensor& y, const Tensor& v) const override { return project_tangent(y, v); }

  Tensor random_point(lg::Generator& generator, lg::DType dtype, const lg::Shape& batch) const override {
    lg::Shape shape = batch;
    shape.push_back(n_);
    shape.push_back(k_);
    return project(lg::randn(shape, dtype, &generator));
  }
  Tensor random_tangent(const Tensor& x, lg::Generator& generator) const override {
    const Tensor u = project_tangent(x, lg::randn(x.shape(), x.dtype(), &generator));
    return u / norm(x, u).unsqueeze(-1).unsqueeze(-1);
  }

 private:
  std::int64_t n_;
  std::int64_t k_;
};

int failures = 0;

void report(const std::string& what, bool passed, double value) {
  std::printf("%s: %s (%.3g)\n", passed ? "ok" : "FAIL", what.c_str(), value);
  if (!passed) ++failures;
}

double largest_difference(const Tensor& a, const Tensor& b) { return lg::max(lg::abs(a - b)).item<double>(); }

}  // namespace

int main() {
  const Oblique oblique(6, 3);
  lg::Generator generator(1);
  const Tensor x = oblique.random_point(generator, lg::float64, {});

  // The contract properties (tests/manifold/test_contract.cpp asserts them for the library's manifolds).
  const Tensor off = x + 0.3 * lg::randn(x.shape(), lg::float64, &generator);
  const Tensor projected = oblique.project(off);
  report("project lands on the manifold", oblique.constraint_violation(projected) <= 1e-14,
         oblique.constraint_violation(projected));
  report("project is idempotent", largest_difference(oblique.project(projected), projected) <= 1e-14,
         largest_difference(oblique.project(projected), projected));
  const Tensor xi = oblique.random_tangent(x, generator);
  for (const double size : {1e-8, 1e-3, 1.0, 10.0}) {
    const double violation = oblique.constraint_violation(oblique.retract(x, xi * size));
    char label[64];
    std::snprintf(label, sizeof label, "retract with |xi| = %g lands on the manifold", size);
    report(label, violation <= 1e-12, violation);
  }
  report("R_x(0) = x", largest_difference(oblique.retract(x, lg::zeros_like(x)), x) == 0.0,
         largest_difference(oblique.retract(x, lg::zeros_like(x)), x));
  const Tensor v = oblique.project_tangent(x, lg::randn(x.shape(), lg::float64, &generator));
  report("tangent projection is idempotent", largest_difference(oblique.project_tangent(x, v), v) <= 1e-14,
         largest_difference(oblique.project_tangent(x, v), v));
  const Tensor batch = oblique.random_point(generator, lg::float64, {4});
  const Tensor steps = oblique.random_tangent(batch, generator);
  const double batched_gap = largest_difference(oblique.retract(batch, steps).select(0, 2),
                                                oblique.retract(batch.select(0, 2), steps.select(0, 2)));
  report("batched retract equals item by item", batched_gap <= 1e-15, batched_gap);
  bool refused = false;
  try {
    (void)oblique.retract(lg::zeros({6, 4}, lg::float64), lg::zeros({6, 4}, lg::float64));
  } catch (const lg::ShapeError&) {
    refused = true;
  }
  report("a point of the wrong shape is refused", refused, 0.0);

  // The Taylor check: the Brockett-like cost tr(X^T A X N) on the oblique manifold.
  const Tensor a = lg::symmetric_part(lg::randn({6, 6}, lg::float64, &generator));
  const Tensor n = lg::diag_embed(lg::tensor({3.0, 2.0, 1.0}, lg::float64));
  const auto cost = [&](const Tensor& point) {
    return lg::trace(lg::matmul(lg::matrix_transpose(point), lg::matmul(a, lg::matmul(point, n))));
  };
  const mf::TaylorCheckResult check = mf::taylor_check(oblique, cost, x, xi);
  report("Taylor check slope is 2", check.slope >= 1.95 && check.slope <= 2.05, check.slope);
  report("the Riemannian gradient is tangent", check.tangent_error <= 1e-12, check.tangent_error);
  return failures == 0 ? 0 : 1;
}
