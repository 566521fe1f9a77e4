// Disentanglement metrics: the histogram mutual information and MIG against a
// four-sample case worked by hand, the Lasso against the soft-thresholded
// least squares of an orthogonal design (and plain least squares at alpha 0),
// D and C of hand-made importance matrices, and MIG and DCI on synthetic codes
// that are perfectly disentangled (near 1) or mix every factor equally through
// a Hadamard rotation (near 0).
#include <cmath>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

// Factors [n, K]: column c uniform in {0, ..., levels[c] - 1}.
Tensor discrete_factors(std::int64_t n, const std::vector<std::int64_t>& levels, lg::Generator& generator) {
  std::vector<std::int64_t> values;
  for (std::int64_t i = 0; i < n; ++i)
    for (const std::int64_t l : levels) values.push_back(static_cast<std::int64_t>(generator.next_below(
        static_cast<std::uint64_t>(l))));
  return lg::from_vector(values, {n, static_cast<std::int64_t>(levels.size())});
}

// The 4 x 4 Hadamard matrix / 2: orthogonal and symmetric, every entry +-1/2.
Tensor hadamard4() {
  return lg::from_vector(std::vector<double>{1, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1}, {4, 4},
                         lg::float64) *
         0.5;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(disentanglement)

BOOST_AUTO_TEST_CASE(mutual_information_and_mig_of_a_case_worked_by_hand) {
  using boost::test_tools::tolerance;
  // Codes z1 = (0, 0, 1, 1), z2 = (0, 0, 0, 1); factors v1 = z1, v2 = z2 (each code's two values fall into the
  // first and last bins).
  const Tensor codes = lg::from_vector(std::vector<double>{0, 0, 0, 0, 1, 0, 1, 1}, {4, 2}, lg::float64);
  const Tensor factors = lg::from_vector(std::vector<std::int64_t>{0, 0, 0, 0, 1, 0, 1, 1}, {4, 2});
  const double ln2 = std::log(2.0);
  // I(z2; v1): p(z2=0, v1=0) = 1/2, p(0, 1) = 1/4, p(1, 1) = 1/4; marginals (3/4, 1/4) and (1/2, 1/2).
  const double cross = 0.5 * std::log(4.0 / 3.0) + 0.25 * std::log(2.0 / 3.0) + 0.25 * std::log(2.0);
  const double h2 = -(0.75 * std::log(0.75) + 0.25 * std::log(0.25));
  const auto mi = mf::mutual_information(codes, factors).to_vector<double>();
  BOOST_TEST(mi[0] == ln2, tolerance(1e-14));    // I(z1; v1) = H(v1)
  BOOST_TEST(mi[1] == cross, tolerance(1e-14));  // I(z1; v2), the same table transposed
  BOOST_TEST(mi[2] == cross, tolerance(1e-14));  // I(z2; v1)
  BOOST_TEST(mi[3] == h2, tolerance(1e-14));     // I(z2; v2) = H(v2)
  const auto result = mf::mutual_information_gap(codes, factors, {.bins = 2});
  BOOST_TEST((result.factor_entropies.to_vector<double>()[1] == h2), tolerance(1e-14));
  BOOST_TEST(result.mig == 0.5 * ((ln2 - cross) / ln2 + (h2 - cross) / h2), tolerance(1e-14));
  // Factor values need not be 0..n-1: relabelled, the answer is the same.
  const Tensor shifted = lg::from_vector(std::vector<std::int64_t>{-5, 7, -5, 7, 40, 7, 40, 9}, {4, 2});
  BOOST_TEST(mf::mutual_information_gap(codes, shifted).mig == result.mig, tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(mig_is_near_one_for_a_disentangled_code_and_near_zero_for_a_mixed_one) {
  lg::Generator generator(1);
  const std::int64_t n = 4000;
  const Tensor factors = discrete_factors(n, {10, 5, 8, 6}, generator);
  const Tensor values = factors.to(lg::float64);
  // Disentangled: code j = factor j + noise 0.01 (well inside a bin), and a fifth code of pure noise.
  const Tensor clean = lg::cat({values + 0.01 * lg::randn({n, 4}, lg::float64, &generator),
                                lg::randn({n, 1}, lg::float64, &generator)},
                               1);
  const auto good = mf::mutual_information_gap(clean, factors);
  BOOST_TEST_MESSAGE("MIG disentangled " << good.mig << ", gaps " << good.gaps);
  // Each factor's information is all in its own code (I = H exactly); the others know only the histogram's
  // bias, about (20 - 1)(10 - 1) / 2n = 0.02 nats against H = log 10 = 2.3.
  BOOST_TEST(good.mig > 0.97);
  // Entangled: every code is +-1/2 of every factor (standardised first, so that each weighs the same).
  const Tensor standard = (values - lg::mean(values, {0}, true)) / lg::std(values, {0}, 1.0, true);
  const Tensor mixed = standard.matmul(hadamard4());
  const auto bad = mf::mutual_information_gap(mixed, factors);
  BOOST_TEST_MESSAGE("MIG entangled " << bad.mig << ", gaps " << bad.gaps);
  BOOST_TEST(bad.mig < 0.1);
}

BOOST_AUTO_TEST_CASE(lasso_on_an_orthogonal_design_is_soft_thresholded_least_squares) {
  using boost::test_tools::tolerance;
  // Columns 2-4 of the 8 x 8 Hadamard matrix: zero mean, orthogonal, x_j . x_j / n = 1. Then the Lasso
  // decouples: w_j = S(x_j . (y - mean y) / n, alpha), exactly, after one sweep (the second confirms it).
  std::vector<double> x;
  const int hadamard8[8][8] = {{1, 1, 1, 1, 1, 1, 1, 1},     {1, -1, 1, -1, 1, -1, 1, -1},
                               {1, 1, -1, -1, 1, 1, -1, -1}, {1, -1, -1, 1, 1, -1, -1, 1},
                               {1, 1, 1, 1, -1, -1, -1, -1}, {1, -1, 1, -1, -1, 1, -1, 1},
                               {1, 1, -1, -1, -1, -1, 1, 1}, {1, -1, -1, 1, -1, 1, 1, -1}};
  for (int i = 0; i < 8; ++i)
    for (int j = 1; j <= 3; ++j) x.push_back(hadamard8[i][j]);
  const std::vector<double> y{3.0, 1.0, -2.0, 0.5, 4.0, 2.5, -1.0, 0.0};
  double y_mean = 0.0;
  for (const double v : y) y_mean += v / 8.0;
  const double alpha = 0.3;
  std::vector<double> expected;
  for (int j = 0; j < 3; ++j) {
    double t = 0.0;
    for (int i = 0; i < 8; ++i) t += x[static_cast<std::size_t>(3 * i + j)] * (y[static_cast<std::size_t>(i)] - y_mean);
    t /= 8.0;
    expected.push_back(t > alpha ? t - alpha : (t < -alpha ? t + alpha : 0.0));
  }
  BOOST_TEST_MESSAGE("expected weights " << expected[0] << " " << expected[1] << " " << expected[2]);
  const auto fit = mf::lasso(lg::from_vector(x, {8, 3}, lg::float64), lg::from_vector(y, {8}, lg::float64),
                             {.alpha = alpha});
  const auto w = fit.weights.to_vector<double>();
  for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(w[j] == expected[j], tolerance(1e-14));
  BOOST_TEST(std::count(expected.begin(), expected.end(), 0.0) == 1);  // one weight is thresholded away
  BOOST_TEST(fit.intercept == y_mean, tolerance(1e-14));  // the columns have mean 0
  BOOST_TEST(fit.converged);
  BOOST_TEST(fit.iterations == 2);
}

BOOST_AUTO_TEST_CASE(lasso_without_penalty_is_least_squares) {
  lg::Generator generator(2);
  const Tensor x = lg::randn({50, 4}, lg::float64, &generator) + 1.0;
  const Tensor y = lg::randn({50}, lg::float64, &generator);
  const auto fit = mf::lasso(x, y, {.alpha = 0.0, .tolerance = 1e-13});
  // The normal equations of the centred problem.
  const Tensor xc = x - lg::mean(x, {0}, true), yc = (y - lg::mean(y)).reshape({50, 1});
  const Tensor w = lg::solve(xc.t().matmul(xc), xc.t().matmul(yc)).reshape({4});
  BOOST_TEST(manifold_test::max_abs_difference(fit.weights, w) < 1e-10);
  const double intercept = (lg::mean(y) - lg::sum(lg::mean(x, {0}) * w)).item();
  BOOST_TEST(std::abs(fit.intercept - intercept) < 1e-10);
  BOOST_TEST(fit.converged);
}

BOOST_AUTO_TEST_CASE(dci_scores_of_importance_matrices_worked_by_hand) {
  using boost::test_tools::tolerance;
  const auto identity = mf::dci_scores(lg::eye(3, lg::float64));
  BOOST_TEST(identity.disentanglement == 1.0, tolerance(1e-15));
  BOOST_TEST(identity.completeness == 1.0, tolerance(1e-15));
  const auto uniform = mf::dci_scores(lg::ones({3, 3}, lg::float64));
  BOOST_TEST(std::abs(uniform.disentanglement) < 1e-15);
  BOOST_TEST(std::abs(uniform.completeness) < 1e-15);
  // R = [[1, 1], [0, 2]]: code 0 serves both factors (D_0 = 0), code 1 one (D_1 = 1), each carries half the
  // weight (D = 1/2). Factor 0 reads code 0 only (C_0 = 1); factor 1 reads them 1:2 (C_1 = 1 - H_2(1/3, 2/3)).
  const auto hand = mf::dci_scores(lg::from_vector(std::vector<double>{1, 1, 0, 2}, {2, 2}, lg::float64));
  const double h = -(std::log2(1.0 / 3.0) / 3.0 + 2.0 * std::log2(2.0 / 3.0) / 3.0);
  BOOST_TEST(hand.disentanglement == 0.5, tolerance(1e-15));
  BOOST_TEST((hand.code_disentanglement.to_vector<double>() == std::vector<double>{0.0, 1.0}));
  BOOST_TEST((hand.code_weights.to_vector<double>() == std::vector<double>{0.5, 0.5}));
  BOOST_TEST(hand.completeness == 0.5 * (1.0 + (1.0 - h)), tolerance(1e-14));
  // A code with no weight at all counts for nothing in D.
  const auto unused = mf::dci_scores(lg::from_vector(std::vector<double>{1, 0, 0, 0, 0, 1}, {3, 2}, lg::float64));
  BOOST_TEST(unused.disentanglement == 1.0, tolerance(1e-15));
  BOOST_TEST(unused.completeness == 1.0, tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(dci_is_near_one_for_a_disentangled_code_and_near_zero_for_a_mixed_one) {
  lg::Generator generator(3);
  const std::int64_t n = 1000;
  const Tensor factors = lg::rand({n, 4}, lg::float64, &generator);
  // Disentangled: code j = factor j + noise 1e-3, plus a fifth code of pure noise.
  const Tensor clean = lg::cat({factors + 1e-3 * lg::randn({n, 4}, lg::float64, &generator),
                                lg::randn({n, 1}, lg::float64, &generator)},
                               1);
  const auto good = mf::dci(clean, factors);
  BOOST_TEST_MESSAGE("DCI disentangled: D " << good.scores.disentanglement << ", C " << good.scores.completeness
                                            << ", error " << good.informativeness_error << "\nR " << good.importance);
  // The Lasso sets every cross weight to exactly 0 (what is left of a factor after its own code is below alpha).
  BOOST_TEST(good.scores.disentanglement > 0.999);
  BOOST_TEST(good.scores.completeness > 0.999);
  BOOST_TEST(good.informativeness_error < 0.02);
  // Entangled: a Hadamard rotation gives every code +-1/2 of every (centred) factor. The factors are recovered
  // perfectly (a rotation is invertible) but from all codes equally.
  const Tensor mixed = (factors - 0.5).matmul(hadamard4());
  const auto bad = mf::dci(mixed, factors);
  BOOST_TEST_MESSAGE("DCI entangled: D " << bad.scores.disentanglement << ", C " << bad.scores.completeness
                                         << ", error " << bad.informativeness_error << "\nR " << bad.importance);
  BOOST_TEST(bad.scores.disentanglement < 0.02);
  BOOST_TEST(bad.scores.completeness < 0.02);
  BOOST_TEST(bad.informativeness_error < 0.05);
  // Integer factors work the same way as regression targets.
  const auto discrete = mf::dci(clean, (factors * 10.0).to(lg::int64));
  BOOST_TEST(discrete.scores.disentanglement > 0.99);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  using lg::testing::expect_error;
  const Tensor codes = lg::randn({10, 3}, lg::float64);
  const Tensor factors = lg::from_vector(std::vector<std::int64_t>(20, 1), {10, 2});
  expect_error<lg::ShapeError>([&] { mf::mutual_information(codes, lg::zeros({9, 2}, lg::int64)); },
                               "mutual_information", {"[10, 3]", "[9, 2]"});
  expect_error<lg::DTypeError>([&] { mf::mutual_information(codes, lg::zeros({10, 2})); }, "mutual_information",
                               {"int64", "float32"});
  expect_error<lg::ValueError>([&] { mf::mutual_information(codes, factors, {.bins = 1}); }, "mutual_information",
                               {"bins must be >= 2, got 1"});
  expect_error<lg::ValueError>([&] { mf::mutual_information_gap(codes, factors); }, "mutual_information_gap",
                               {"factor 0 is constant"});
  expect_error<lg::ValueError>([&] { mf::mutual_information_gap(codes.narrow(1, 0, 1), factors); },
                               "mutual_information_gap", {"m >= 2"});
  expect_error<lg::ValueError>([&] { mf::lasso(codes, lg::zeros({10}, lg::float64), {.alpha = -1.0}); }, "lasso",
                               {"alpha must be finite and >= 0, got -1"});
  expect_error<lg::ShapeError>([&] { mf::lasso(codes, lg::zeros({9}, lg::float64)); }, "lasso", {"[10]", "[9]"});
  expect_error<lg::ValueError>([&] { mf::dci(codes, lg::randn({10, 2}), {.train_fraction = 1.0}); }, "dci",
                               {"train_fraction must be in (0, 1), got 1"});
  expect_error<lg::ValueError>([&] { mf::dci(codes, factors); }, "dci", {"factor 0 is constant"});
  expect_error<lg::ValueError>(
      [&] { mf::dci_scores(lg::from_vector(std::vector<double>{1, -1, 0, 2}, {2, 2}, lg::float64)); }, "dci_scores",
      {"importance must be finite and >= 0, found -1"});
  expect_error<lg::ShapeError>([&] { mf::dci_scores(lg::ones({1, 3}, lg::float64)); }, "dci_scores", {"[1, 3]"});
}

BOOST_AUTO_TEST_SUITE_END()
