// Values of the factorisations and solves (docs/testing.md, G3): the defining
// identities (Q^T Q = I, Q R = A, L L^T = A, A X = B, A A^{-1} = I), LAPACK
// called directly, determinants of matrices built with known eigenvalues, a
// 200 x 200 log-determinant whose determinant overflows float64, float32
// against float64, and the same bits on the test device as on the CPU.
#include <boost/test/unit_test.hpp>

#include <lapacke.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

#include <latentgeo.hpp>

namespace lg::testing {
namespace {

// max |a - b| / max |b|: the error relative to the size of the expected values.
double relative_error(const Tensor& a, const Tensor& b) {
  const auto x = a.to_vector<double>(), y = b.to_vector<double>();
  BOOST_REQUIRE_EQUAL(x.size(), y.size());
  double difference = 0.0, size = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    difference = std::max(difference, std::abs(x[i] - y[i]));
    size = std::max(size, std::abs(y[i]));
  }
  return size == 0.0 ? difference : difference / size;
}

// I of each matrix of a batch shaped like `like` [..., n, n].
Tensor identity_like(const Tensor& like) { return expand(eye(like.shape().back(), like.dtype()), like.shape()); }

// Diagonally dominant, hence well conditioned: uniform in [-1, 1) plus n on the diagonal.
Tensor well_conditioned(Generator& g, const Shape& shape, DType dtype = float64) {
  return uniform(shape, -1.0, 1.0, dtype, &g) + identity_like(zeros(shape, dtype)) * static_cast<double>(shape.back());
}

// B B^T + n I: symmetric positive definite.
Tensor spd(Generator& g, const Shape& shape) {
  const Tensor b = uniform(shape, -1.0, 1.0, float64, &g);
  return matmul(b, matrix_transpose(b)) + identity_like(b) * static_cast<double>(shape.back());
}

// The Householder reflection I - 2 v v^T / (v^T v): orthogonal and symmetric, for a random v.
Tensor reflection(Generator& g, std::int64_t n) {
  const Tensor v = randn({n, 1}, float64, &g);
  return eye(n, float64) - matmul(v, v.t()) * (2.0 / (v * v).sum().item());
}

// V diag(w) V^T: symmetric with eigenvalues w.
Tensor with_eigenvalues(Generator& g, const std::vector<double>& w) {
  const auto n = static_cast<std::int64_t>(w.size());
  const Tensor v = reflection(g, n);
  return matmul(matmul(v, diag_embed(from_vector(w, {n}, float64))), v.t());
}

BOOST_AUTO_TEST_SUITE(linalg_factor_values)

BOOST_AUTO_TEST_CASE(qr_has_orthonormal_q_and_upper_r_with_positive_diagonal) {
  Generator g(3);
  for (const Shape& shape : {Shape{6, 4}, Shape{5, 5}, Shape{3, 7, 3}, Shape{2, 2, 4, 1}}) {
    const Tensor a = randn(shape, float64, &g);
    const QR f = qr(a);
    const std::int64_t n = shape.back();
    BOOST_TEST(f.q.shape() == a.shape());
    BOOST_TEST(relative_error(matmul(f.q, f.r), a) <= 1e-12);
    BOOST_TEST(relative_error(matmul(matrix_transpose(f.q), f.q), identity_like(f.r)) <= 1e-12);
    BOOST_TEST(relative_error(triu(f.r), f.r) == 0.0);  // exactly zero below the diagonal
    for (double d : diagonal(f.r).to_vector<double>()) BOOST_TEST(d > 0.0);
    BOOST_TEST(f.r.shape().back() == n);
  }
}

BOOST_AUTO_TEST_CASE(cholesky_reproduces_a_and_matches_lapack) {
  Generator g(5);
  const Tensor a = spd(g, {2, 6, 6});
  const Tensor l = cholesky(a);
  BOOST_TEST(relative_error(matmul(l, matrix_transpose(l)), a) <= 1e-12);
  BOOST_TEST(relative_error(tril(l), l) == 0.0);
  for (double d : diagonal(l).to_vector<double>()) BOOST_TEST(d > 0.0);
  // potrf on the second matrix, column-major; its transpose in row-major terms is L^T.
  std::vector<double> columns = select(a, 0, 1).t().contiguous().to_vector<double>();
  BOOST_REQUIRE(LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', 6, columns.data(), 6) == 0);
  const Tensor from_lapack = tril(from_vector(columns, {6, 6}, float64).t());
  BOOST_TEST(relative_error(select(l, 0, 1), from_lapack) <= 1e-14);
}

BOOST_AUTO_TEST_CASE(cholesky_reads_only_the_lower_triangle) {
  Generator g(6);
  const Tensor a = spd(g, {4, 4});
  const Tensor garbage_above = tril(a) + triu(uniform({4, 4}, 5.0, 9.0, float64, &g), 1);
  BOOST_TEST(relative_error(cholesky(garbage_above), cholesky(a)) == 0.0);
}

BOOST_AUTO_TEST_CASE(solve_satisfies_a_x_equals_b_and_matches_gesv) {
  Generator g(7);
  const Tensor a = well_conditioned(g, {3, 5, 5}), b = randn({3, 5, 2}, float64, &g);
  const Tensor x = solve(a, b);
  BOOST_TEST(relative_error(matmul(a, x), b) <= 1e-12);
  std::vector<double> columns = select(a, 0, 2).t().contiguous().to_vector<double>();
  std::vector<double> rhs = select(b, 0, 2).t().contiguous().to_vector<double>();
  std::vector<lapack_int> pivots(5);
  BOOST_REQUIRE(LAPACKE_dgesv(LAPACK_COL_MAJOR, 5, 2, columns.data(), 5, pivots.data(), rhs.data(), 5) == 0);
  BOOST_TEST(relative_error(select(x, 0, 2), from_vector(rhs, {2, 5}, float64).t()) <= 1e-14);
}

BOOST_AUTO_TEST_CASE(triangular_solve_reads_its_triangle_only) {
  Generator g(8);
  const Tensor t = well_conditioned(g, {2, 5, 5}), b = randn({2, 5, 3}, float64, &g);
  for (bool upper : {false, true})
    for (bool unit : {false, true}) {
      const Tensor x = triangular_solve(t, b, upper, unit);
      Tensor triangle = upper ? triu(t, unit ? 1 : 0) : tril(t, unit ? -1 : 0);
      if (unit) triangle = triangle + identity_like(t);
      BOOST_TEST(relative_error(matmul(triangle, x), b) <= 1e-12, "upper " << upper << ", unit " << unit);
    }
}

BOOST_AUTO_TEST_CASE(inverse_times_a_is_the_identity) {
  Generator g(9);
  for (const Shape& shape : {Shape{1, 1}, Shape{6, 6}, Shape{2, 3, 4, 4}}) {
    const Tensor a = well_conditioned(g, shape), y = inverse(a);
    BOOST_TEST(relative_error(matmul(a, y), identity_like(a)) <= 1e-12);
    BOOST_TEST(relative_error(matmul(y, a), identity_like(a)) <= 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(det_and_slogdet_are_the_product_of_known_eigenvalues) {
  Generator g(10);
  const std::vector<double> eigenvalues{0.5, -2.0, 3.0, 1.5, -0.25, 4.0};
  double product = 1.0;
  for (double w : eigenvalues) product *= w;
  const Tensor a = with_eigenvalues(g, eigenvalues);
  BOOST_TEST(std::abs(det(a).item() - product) <= 1e-12 * std::abs(product));
  const SignLogDet s = slogdet(a);
  BOOST_TEST(s.sign.item() == 1.0);  // two negative eigenvalues
  BOOST_TEST(std::abs(s.logabsdet.item() - std::log(std::abs(product))) <= 1e-12);
  // One more negative eigenvalue flips the sign.
  const Tensor b = with_eigenvalues(g, {-1.0, 2.0, 3.0});
  BOOST_TEST(std::abs(det(b).item() + 6.0) <= 1e-12 * 6.0);
  BOOST_TEST(slogdet(b).sign.item() == -1.0);
}

BOOST_AUTO_TEST_CASE(slogdet_of_a_200_by_200_matrix_whose_det_overflows) {
  Generator g(11);
  std::vector<double> eigenvalues(200, 40.0);  // det = -(40^200) ~ -1e320, past float64's 1.8e308
  eigenvalues[17] = -40.0;
  const Tensor a = with_eigenvalues(g, eigenvalues);
  const SignLogDet s = slogdet(a);
  const double expected = 200.0 * std::log(40.0);
  BOOST_TEST(s.sign.item() == -1.0);
  BOOST_TEST(std::abs(s.logabsdet.item() - expected) <= 1e-10 * expected);
  BOOST_TEST(det(a).item() == -INFINITY);  // the determinant itself does overflow
}

BOOST_AUTO_TEST_CASE(singular_matrices_have_det_zero_and_slogdet_minus_infinity) {
  const Tensor a = tensor({{1.0, 2.0}, {2.0, 4.0}}, float64);
  BOOST_TEST(det(a).item() == 0.0);
  const SignLogDet s = slogdet(a);
  BOOST_TEST(s.sign.item() == 0.0);
  BOOST_TEST(s.logabsdet.item() == -INFINITY);
}

BOOST_AUTO_TEST_CASE(empty_batches_and_empty_matrices_give_empty_results) {
  for (const Shape& shape : {Shape{0, 3, 3}, Shape{2, 0, 0}}) {
    const Tensor a = zeros(shape, float64), b = zeros(Shape{shape[0], shape[1], 2}, float64);
    BOOST_TEST(cholesky(a).shape() == shape);
    BOOST_TEST(inverse(a).shape() == shape);
    BOOST_TEST(solve(a, b).shape() == b.shape());
    BOOST_TEST(triangular_solve(a, b, false).shape() == b.shape());
    BOOST_TEST(det(a).shape() == Shape{shape[0]});
    BOOST_TEST(slogdet(a).logabsdet.shape() == Shape{shape[0]});
    BOOST_TEST(qr(a).r.shape() == shape);
  }
  // The determinant of a 0 x 0 matrix is the empty product, 1.
  BOOST_TEST(det(zeros({2, 0, 0}, float64)).to_vector<double>() == std::vector<double>({1.0, 1.0}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_sign_of_slogdet_is_not_differentiable) {
  Generator g(14);
  const Tensor a = well_conditioned(g, {3, 3}).requires_grad_();
  const SignLogDet s = slogdet(a);
  BOOST_TEST(!s.sign.requires_grad());
  BOOST_TEST(s.logabsdet.requires_grad());
}

// Each op on a float64 batch, as one tensor, for the float32 and test-device comparisons.
struct NamedOp {
  const char* name;
  std::function<Tensor(const Tensor& spd_matrix, const Tensor& general, const Tensor& right_hand_side)> run;
};
std::vector<NamedOp> every_op() {
  return {
      {"cholesky", [](const Tensor& s, const Tensor&, const Tensor&) { return cholesky(s); }},
      {"solve", [](const Tensor&, const Tensor& a, const Tensor& b) { return solve(a, b); }},
      {"triangular_solve", [](const Tensor&, const Tensor& a, const Tensor& b) { return triangular_solve(a, b, true); }},
      {"inverse", [](const Tensor&, const Tensor& a, const Tensor&) { return inverse(a); }},
      {"det", [](const Tensor&, const Tensor& a, const Tensor&) { return det(a); }},
      {"slogdet", [](const Tensor&, const Tensor& a, const Tensor&) {
         const SignLogDet s = slogdet(a);
         return stack({s.sign, s.logabsdet});
       }},
      {"qr", [](const Tensor&, const Tensor& a, const Tensor&) {
         const QR f = qr(a);
         return cat({reshape(f.q, {-1}), reshape(f.r, {-1})});
       }},
  };
}

BOOST_AUTO_TEST_CASE(float32_is_within_1e_5_of_float64) {
  Generator g(12);
  // Rounded to float32 first, so that both compute with the same inputs.
  const Tensor s = spd(g, {2, 5, 5}).to(float32), a = well_conditioned(g, {2, 5, 5}).to(float32);
  const Tensor b = randn({2, 5, 3}, float32, &g);
  for (const NamedOp& op : every_op()) {
    const Tensor narrow = op.run(s, a, b);
    const Tensor wide = op.run(s.to(float64), a.to(float64), b.to(float64));
    BOOST_TEST(narrow.dtype() == float32);
    BOOST_TEST(relative_error(narrow, wide) <= 1e-5, op.name << ": " << relative_error(narrow, wide));
  }
}

BOOST_AUTO_TEST_CASE(the_test_device_gives_the_cpu_bits) {
  Generator g(13);
  const Tensor s = spd(g, {2, 4, 4}), a = well_conditioned(g, {2, 4, 4}), b = randn({2, 4, 2}, float64, &g);
  const Tensor s_there = s.to(test_device), a_there = a.to(test_device), b_there = b.to(test_device);
  for (const NamedOp& op : every_op()) {
    const Tensor here = op.run(s, a, b), there = op.run(s_there, a_there, b_there);
    BOOST_TEST(there.device() == test_device, op.name);
    const auto x = here.to_vector<double>(), y = there.to_vector<double>();
    BOOST_TEST(x.size() == y.size(), op.name);
    BOOST_TEST(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0, op.name << ": different bits");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lg::testing
