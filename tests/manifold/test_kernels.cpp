// SPD distances against closed forms (diagonal and commuting pairs), their
// invariances, pairwise matrices against loops, the log-Euclidean embedding, and
// the log-Euclidean Gaussian kernel against loops and as a positive-definite
// Gram matrix; and the errors.
#include <cmath>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;
using manifold_test::max_abs_difference;

namespace {

// Q diag(values) Q^T for one fixed random rotation Q per generator state.
Tensor in_basis(const Tensor& q, const std::vector<double>& values) {
  const auto n = static_cast<std::int64_t>(values.size());
  return lg::symmetric_part(
      lg::matmul(q * lg::from_vector(values, {n}, lg::float64), lg::matrix_transpose(q)));
}

// sqrt(sum_i log^2(b_i / a_i)): both distances between commuting matrices.
double commuting_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double total = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) total += std::pow(std::log(b[i] / a[i]), 2);
  return std::sqrt(total);
}

// A set of n random SPD matrices [count, n, n], well conditioned.
Tensor random_spd(std::int64_t count, std::int64_t n, lg::Generator& g) {
  const Tensor a = lg::randn({count, n, n}, lg::float64, &g);
  return lg::matmul(a, lg::matrix_transpose(a)) / static_cast<double>(n) + 0.5 * lg::eye(n, lg::float64);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(spd_kernels)

BOOST_AUTO_TEST_CASE(distances_of_diagonal_and_commuting_pairs_are_closed_form) {
  const std::vector<double> a{1.0, 2.0, 0.5}, b{3.0, 0.25, 0.5};
  const double want = commuting_distance(a, b);
  const Tensor da = lg::diag_embed(lg::from_vector(a, {3}, lg::float64));
  const Tensor db = lg::diag_embed(lg::from_vector(b, {3}, lg::float64));
  BOOST_TEST(std::abs(mf::affine_invariant_distance(da, db).item() - want) <= 1e-13);
  BOOST_TEST(std::abs(mf::log_euclidean_distance(da, db).item() - want) <= 1e-13);
  lg::Generator g(31);
  const Tensor q = lg::qr(lg::randn({3, 3}, lg::float64, &g)).q;
  const Tensor qa = in_basis(q, a), qb = in_basis(q, b);
  BOOST_TEST(std::abs(mf::affine_invariant_distance(qa, qb).item() - want) <= 1e-12);
  BOOST_TEST(std::abs(mf::log_euclidean_distance(qa, qb).item() - want) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(affine_invariance_and_symmetry) {
  lg::Generator g(32);
  const Tensor a = random_spd(4, 3, g), b = random_spd(4, 3, g);
  const Tensor d = mf::affine_invariant_distance(a, b);
  BOOST_TEST((d.shape() == lg::Shape{4}));
  BOOST_TEST(max_abs_difference(d, mf::affine_invariant_distance(b, a)) <= 1e-12);
  BOOST_TEST(max_abs_difference(mf::log_euclidean_distance(a, b), mf::log_euclidean_distance(b, a)) <= 1e-12);
  // Congruence A -> G A G^T by an invertible, non-orthogonal G: only the affine-invariant distance is unchanged.
  const Tensor gm = lg::randn({3, 3}, lg::float64, &g) + 2.0 * lg::eye(3, lg::float64);
  const auto congruent = [&](const Tensor& x) {
    return lg::symmetric_part(lg::matmul(gm, lg::matmul(x, lg::matrix_transpose(gm))));
  };
  BOOST_TEST(max_abs_difference(mf::affine_invariant_distance(congruent(a), congruent(b)), d) <= 1e-10);
  BOOST_TEST(max_abs_difference(mf::log_euclidean_distance(congruent(a), congruent(b)),
                                mf::log_euclidean_distance(a, b)) > 1e-3);
  // Against the generalised eigenvalues of (B, A), by Cholesky: A = L L^T, lambda(L^{-1} B L^{-T}).
  const Tensor l = lg::cholesky(a);
  const Tensor m = lg::triangular_solve(l, lg::matrix_transpose(lg::triangular_solve(l, b, false)), false);
  const Tensor logs = lg::log(lg::eigvalsh(lg::symmetric_part(m)));
  BOOST_TEST(max_abs_difference(d, lg::sqrt(lg::sum(logs * logs, {-1}))) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(pairwise_distances_match_a_loop) {
  lg::Generator g(33);
  const Tensor a = random_spd(4, 3, g), b = random_spd(5, 3, g);
  for (const auto metric : {lg::manifold::SPDMetric::affine_invariant, lg::manifold::SPDMetric::log_euclidean}) {
    const Tensor d = mf::pairwise_spd_distances(a, b, metric);
    BOOST_TEST((d.shape() == lg::Shape{4, 5}));
    const auto dv = d.to_vector<double>();
    for (std::int64_t i = 0; i < 4; ++i)
      for (std::int64_t j = 0; j < 5; ++j) {
        const double want = metric == lg::manifold::SPDMetric::affine_invariant
                                ? mf::affine_invariant_distance(a.select(0, i), b.select(0, j)).item()
                                : mf::log_euclidean_distance(a.select(0, i), b.select(0, j)).item();
        BOOST_TEST(std::abs(dv[static_cast<std::size_t>(i * 5 + j)] - want) <= 1e-11);
      }
    const Tensor self = mf::pairwise_spd_distances(a, metric);
    BOOST_TEST(max_abs_difference(self, lg::matrix_transpose(self)) == 0.0);
    BOOST_TEST(manifold_test::max_abs(lg::diagonal(self)) == 0.0);
    BOOST_TEST(max_abs_difference(self, mf::pairwise_spd_distances(a, a, metric)) <= 1e-7);
  }
}

BOOST_AUTO_TEST_CASE(log_euclidean_embedding_of_a_singular_matrix) {
  // diag(2, 0) in a rotated basis: logm(X + delta I) = Q diag(log(2 + delta), log delta) Q^T.
  lg::Generator g(34);
  const Tensor q = lg::qr(lg::randn({2, 2}, lg::float64, &g)).q;
  const double delta = 1e-3;
  const Tensor got = mf::log_euclidean_embedding(in_basis(q, {2.0, 0.0}), delta);
  BOOST_TEST(max_abs_difference(got, in_basis(q, {std::log(2.0 + delta), std::log(delta)})) <= 1e-12);
  BOOST_TEST(max_abs_difference(got, lg::matrix_transpose(got)) == 0.0);
  // Default delta 1e-6 on a batch of rank-deficient covariances (3 points in 4 dims).
  const Tensor covariances = mf::covariance(lg::randn({2, 3, 4}, lg::float64, &g));
  const Tensor embedded = mf::log_euclidean_embedding(covariances);
  BOOST_TEST(max_abs_difference(lg::expm(embedded), covariances + 1e-6 * lg::eye(4, lg::float64)) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(gaussian_kernel_matches_a_loop_over_two_factors) {
  lg::Generator g(35);
  const std::vector<Tensor> x{random_spd(4, 3, g), random_spd(4, 2, g)};
  const std::vector<Tensor> y{random_spd(6, 3, g), random_spd(6, 2, g)};
  const double gamma = 1.7;
  const Tensor k = mf::log_euclidean_gaussian_kernel(x, y, {.bandwidth = gamma});
  BOOST_TEST((k.shape() == lg::Shape{4, 6}));
  const auto kv = k.to_vector<double>();
  for (std::int64_t i = 0; i < 4; ++i)
    for (std::int64_t j = 0; j < 6; ++j) {
      double squared = 0.0;
      for (std::size_t f = 0; f < 2; ++f) {
        const Tensor diff = lg::logm(x[f].select(0, i)) - lg::logm(y[f].select(0, j));
        squared += lg::sum(diff * diff).item();
      }
      BOOST_TEST(std::abs(kv[static_cast<std::size_t>(i * 6 + j)] - std::exp(-squared / (2.0 * gamma * gamma))) <=
                 1e-13);
    }
  // One factor: exp(-d_LE^2 / (2 gamma^2)).
  const Tensor one = mf::log_euclidean_gaussian_kernel({x[0]}, {y[0]}, {.bandwidth = gamma});
  const Tensor d = mf::pairwise_spd_distances(x[0], y[0], lg::manifold::SPDMetric::log_euclidean);
  BOOST_TEST(max_abs_difference(one, lg::exp(-(d * d) / (2.0 * gamma * gamma))) <= 1e-13);
  // With delta: the embeddings of semi-definite factors.
  const Tensor singular = mf::covariance(lg::randn({4, 2, 3}, lg::float64, &g));
  const Tensor kd = mf::log_euclidean_gaussian_gram({singular}, {.bandwidth = 5.0, .delta = 1e-2});
  const Tensor e = mf::log_euclidean_embedding(singular, 1e-2).reshape({4, 9});
  BOOST_TEST(max_abs_difference(kd, lg::exp(-mf::pairwise_squared_distances(e) / 50.0)) <= 1e-13);
}

BOOST_AUTO_TEST_CASE(log_euclidean_features_stack_the_factors_logs) {
  lg::Generator g(37);
  const std::vector<Tensor> x{random_spd(5, 3, g), mf::covariance(lg::randn({5, 2, 4}, lg::float64, &g))};
  const double delta = 1e-3, gamma = 2.5;
  const Tensor f = mf::log_euclidean_features(x, delta);
  BOOST_TEST((f.shape() == lg::Shape{5, 9 + 16}));
  // Row i: logm(S_1,i + delta I) then logm(S_2,i + delta I), each flattened row-major.
  BOOST_TEST(max_abs_difference(f.narrow(1, 0, 9), mf::log_euclidean_embedding(x[0], delta).reshape({5, 9})) <=
             1e-13);
  BOOST_TEST(max_abs_difference(f.narrow(1, 9, 16), mf::log_euclidean_embedding(x[1], delta).reshape({5, 16})) <=
             1e-13);
  // The Gaussian kernel of the features is the log-Euclidean kernel.
  const Tensor k = lg::exp(-mf::pairwise_squared_distances(f) / (2.0 * gamma * gamma));
  BOOST_TEST(max_abs_difference(k, mf::log_euclidean_gaussian_gram(x, {.bandwidth = gamma, .delta = delta})) <=
             1e-13);
  // delta = 0 needs positive-definite factors: the rank-1 covariance of 2 points in 4 dims is refused.
  lg::testing::expect_error<lg::ValueError>([&] { mf::log_euclidean_features(x); }, "log_euclidean_features",
                                              {"factors[1]"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::log_euclidean_features(x, -1.0); },
                                              "log_euclidean_features", {"delta", "-1"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::log_euclidean_features({}); }, "log_euclidean_features",
                                              {"at least one factor"});
}

BOOST_AUTO_TEST_CASE(gaussian_kernel_gram_matrix_is_positive_definite) {
  lg::Generator g(36);
  for (const double gamma : {0.3, 1.0, 4.0}) {
    const std::vector<Tensor> x{random_spd(12, 3, g), random_spd(12, 4, g)};
    const Tensor k = mf::log_euclidean_gaussian_gram(x, {.bandwidth = gamma});
    BOOST_TEST(max_abs_difference(k, lg::matrix_transpose(k)) == 0.0);
    BOOST_TEST(max_abs_difference(lg::diagonal(k), lg::ones({12}, lg::float64)) == 0.0);
    BOOST_TEST(lg::min(lg::eigvalsh(k)).item() > -1e-12);
  }
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  const Tensor spd = lg::eye(2, lg::float64);
  const Tensor indefinite = lg::diag_embed(lg::tensor({1.0, -1.0}, lg::float64));
  lg::testing::expect_error<lg::ValueError>([&] { mf::affine_invariant_distance(spd, indefinite); },
                                              "affine_invariant_distance", {"b", "positive-definite", "-1"});
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::log_euclidean_distance(lg::tensor({{1.0, 0.5}, {0.0, 1.0}}, lg::float64), spd); },
      "log_euclidean_distance", {"symmetric"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::affine_invariant_distance(spd, lg::eye(3, lg::float64)); },
                                              "affine_invariant_distance", {"[2, 2]", "[3, 3]"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::pairwise_spd_distances(spd); }, "pairwise_spd_distances",
                                              {"[N, n, n]", "[2, 2]"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::log_euclidean_distance(lg::zeros({2, 3}, lg::float64), spd); },
                                              "log_euclidean_distance", {"square", "[2, 3]"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::log_euclidean_embedding(spd, 0.0); },
                                              "log_euclidean_embedding", {"delta", "> 0"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::log_euclidean_embedding(indefinite, 1e-6); },
                                              "log_euclidean_embedding", {"semi-definite", "-1"});
  const std::vector<Tensor> set{spd.unsqueeze(0)};
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::log_euclidean_gaussian_gram(set, {.bandwidth = 0.0}); }, "log_euclidean_gaussian_gram",
      {"bandwidth", "> 0"});
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::log_euclidean_gaussian_kernel(set, std::vector<Tensor>{}); }, "log_euclidean_gaussian_kernel",
      {"y: expected at least one factor"});
  lg::testing::expect_error<lg::ShapeError>(
      [&] { mf::log_euclidean_gaussian_kernel(set, {lg::eye(3, lg::float64).unsqueeze(0)}); },
      "log_euclidean_gaussian_kernel", {"factor 0", "different sizes"});
  lg::testing::expect_error<lg::ShapeError>(
      [&] { mf::log_euclidean_gaussian_gram({spd.unsqueeze(0), lg::eye(2, lg::float64).expand({3, 2, 2})}); },
      "log_euclidean_gaussian_gram", {"x[1]", "number of items"});
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::log_euclidean_gaussian_gram({indefinite.unsqueeze(0)}); }, "log_euclidean_gaussian_gram",
      {"x[0]", "positive-definite"});
}

BOOST_AUTO_TEST_CASE(median_bandwidth_and_gaussian_of_squared_distances) {
  // Points 0, 1, 3 and 7 on a line: distinct-pair distances 1, 2, 3, 4, 6, 7; nth_element's upper median is 4
  // (with the diagonal's zeros and both halves counted it would be 2).
  const Tensor points = lg::from_vector(std::vector<double>{0, 1, 3, 7}, {4, 1}, lg::float64);
  const Tensor squared = mf::pairwise_squared_distances(points);
  BOOST_TEST(mf::median_distance_bandwidth(squared) == 4.0, boost::test_tools::tolerance(1e-12));
  // exp(-d^2 / (2 gamma^2)) is e^-1 where d^2 = 2 gamma^2, 1 at d = 0.
  const Tensor d2 = lg::from_vector(std::vector<double>{0.0, 8.0}, {2}, lg::float64);
  const Tensor k = mf::gaussian_of_squared_distances(d2, 2.0);
  BOOST_TEST(k.to_vector<double>()[0] == 1.0);
  BOOST_TEST(k.to_vector<double>()[1] == std::exp(-1.0), boost::test_tools::tolerance(1e-15));
  BOOST_CHECK_THROW(mf::median_distance_bandwidth(lg::zeros({1, 1}, lg::float64)), lg::ShapeError);
  BOOST_CHECK_THROW(mf::gaussian_of_squared_distances(squared, 0.0), lg::ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
