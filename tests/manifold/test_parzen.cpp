// Parzen windows against a direct float64 loop over points and samples, the
// one-sample case (a single Gaussian) far out in the tails, convergence to the
// Gaussian convolution N(0, (s^2 + sigma^2) I) for many samples from N(0, s^2 I)
// with a tolerance from the estimator's own variance, the bandwidth chooser
// against a loop over the grid, gradients and the errors.
#include <cmath>
#include <numbers>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

// log p(x_i) by the formula, one point and one sample at a time in float64, logsumexp by hand.
std::vector<double> direct_log_density(const Tensor& points, const Tensor& samples, double sigma) {
  const auto x = points.to_vector<double>(), mu = samples.to_vector<double>();
  const std::int64_t n = points.size(0), m = samples.size(0), d = points.size(1);
  std::vector<double> result;
  for (std::int64_t i = 0; i < n; ++i) {
    std::vector<double> exponents;
    for (std::int64_t j = 0; j < m; ++j) {
      double d2 = 0.0;
      for (std::int64_t c = 0; c < d; ++c) {
        const double diff = x[static_cast<std::size_t>(i * d + c)] - mu[static_cast<std::size_t>(j * d + c)];
        d2 += diff * diff;
      }
      exponents.push_back(-d2 / (2.0 * sigma * sigma));
    }
    const double top = *std::max_element(exponents.begin(), exponents.end());
    double total = 0.0;
    for (double e : exponents) total += std::exp(e - top);
    result.push_back(top + std::log(total / static_cast<double>(m)) -
                     static_cast<double>(d) * std::log(sigma * std::sqrt(2.0 * std::numbers::pi)));
  }
  return result;
}

// log N(x; 0, v I) in D dims for |x|^2 = r2.
double log_gaussian(double r2, double v, std::int64_t d) {
  return -0.5 * r2 / v - 0.5 * static_cast<double>(d) * std::log(2.0 * std::numbers::pi * v);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parzen)

BOOST_AUTO_TEST_CASE(matches_a_direct_loop) {
  lg::Generator g(1);
  const Tensor points = lg::randn({7, 4}, lg::float64, &g), samples = lg::randn({13, 4}, lg::float64, &g) * 1.5;
  for (double sigma : {0.2, 0.7, 3.0}) {
    const auto expected = direct_log_density(points, samples, sigma);
    // Blocks of 3 rows: the last block is short.
    const auto got = mf::parzen_log_density(points, samples, sigma, {.block_rows = 3}).to_vector<double>();
    const auto whole = mf::parzen_log_density(points, samples, sigma).to_vector<double>();
    for (std::size_t i = 0; i < expected.size(); ++i) {
      BOOST_TEST(got[i] == expected[i], boost::test_tools::tolerance(1e-12));
      BOOST_TEST(whole[i] == expected[i], boost::test_tools::tolerance(1e-12));
    }
    // float32 inputs: the same within float32 rounding of distances ~ 10 (relative 1e-6, over 2 sigma^2).
    const auto single =
        mf::parzen_log_density(points.to(lg::float32), samples.to(lg::float32), sigma).to_vector<double>();
    for (std::size_t i = 0; i < expected.size(); ++i)
      BOOST_TEST(std::abs(single[i] - expected[i]) <= 1e-4 / (sigma * sigma) + 1e-4 * std::abs(expected[i]));
    // The mean and the standard error (divisor N) of the same values.
    double mean = 0.0;
    for (double v : expected) mean += v / 7.0;
    double var = 0.0;
    for (double v : expected) var += (v - mean) * (v - mean) / 7.0;
    const mf::ParzenLogLikelihood ll = mf::parzen_log_likelihood(points, samples, sigma, {.block_rows = 2});
    BOOST_TEST(ll.mean == mean, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(ll.standard_error == std::sqrt(var / 7.0), boost::test_tools::tolerance(1e-10));
  }
}

// With one sample the window is one Gaussian, log N(x; mu, sigma^2 I), even 10^3 sigmas out where exp underflows.
BOOST_AUTO_TEST_CASE(one_sample_is_one_gaussian_even_far_in_the_tail) {
  const Tensor mu = lg::from_vector(std::vector<double>{1.0, -2.0, 0.5}, {1, 3}, lg::float64);
  const Tensor x = lg::from_vector(std::vector<double>{1.0, -2.0, 0.5, 101.0, -2.0, 0.5}, {2, 3}, lg::float64);
  const auto got = mf::parzen_log_density(x, mu, 0.1).to_vector<double>();
  BOOST_TEST(got[0] == log_gaussian(0.0, 0.01, 3), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(got[1] == log_gaussian(1e4, 0.01, 3), boost::test_tools::tolerance(1e-12));  // about -5e5
}

// Samples mu_j ~ N(0, s^2 I): E_mu N(x; mu, sigma^2 I) = N(x; 0, (s^2 + sigma^2) I), so the window density p_M(x)
// converges to it. Its relative variance is (E K^2 / (E K)^2 - 1) / M with, for K = N(x; mu, sigma^2 I),
//   E K^2 = (4 pi sigma^2)^(-D/2) N(x; 0, (s^2 + sigma^2 / 2) I),
// and log p_M has about that relative standard deviation; the test allows 5 of them.
BOOST_AUTO_TEST_CASE(converges_to_the_gaussian_convolution) {
  lg::Generator g(2);
  const std::int64_t d = 3, m = 100000;
  const double s = 1.0, sigma = 0.5;
  const Tensor samples = lg::randn({m, d}, lg::float64, &g) * s;
  const Tensor points =
      lg::from_vector(std::vector<double>{0, 0, 0, 1, 0, 0, 0.5, -1, 1, 2, 1, 0}, {4, d}, lg::float64);
  const auto got = mf::parzen_log_density(points, samples, sigma).to_vector<double>();
  const auto x = points.to_vector<double>();
  for (std::int64_t i = 0; i < 4; ++i) {
    double r2 = 0.0;
    for (std::int64_t c = 0; c < d; ++c) {
      const double xc = x[static_cast<std::size_t>(i * d + c)];
      r2 += xc * xc;
    }
    const double log_mean = log_gaussian(r2, s * s + sigma * sigma, d);
    const double log_second = -0.5 * static_cast<double>(d) * std::log(4.0 * std::numbers::pi * sigma * sigma) +
                              log_gaussian(r2, s * s + sigma * sigma / 2.0, d);
    const double relative_std = std::sqrt((std::exp(log_second - 2.0 * log_mean) - 1.0) / static_cast<double>(m));
    BOOST_TEST(std::abs(got[static_cast<std::size_t>(i)] - log_mean) <= 5.0 * relative_std,
               "point " << i << ": " << got[static_cast<std::size_t>(i)] << " vs " << log_mean << ", allowed "
                        << 5.0 * relative_std);
  }
}

BOOST_AUTO_TEST_CASE(bandwidth_chooser_picks_the_grid_maximum) {
  lg::Generator g(3);
  // A model's samples and validation points from the same N(0, I) in 5 dims: the best width is inside the grid.
  const Tensor samples = lg::randn({500, 5}, lg::float64, &g), validation = lg::randn({200, 5}, lg::float64, &g);
  const mf::ParzenBandwidth chosen = mf::choose_parzen_bandwidth(validation, samples, {.block_rows = 64});
  const std::vector<double> grid = mf::default_parzen_sigmas();
  BOOST_TEST(grid.size() == 10u);
  BOOST_TEST(grid.front() == 0.1, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(grid.back() == 1.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(grid[1] / grid[0] == std::pow(10.0, 1.0 / 9.0), boost::test_tools::tolerance(1e-12));
  // Brute force: the protocol's mean log-likelihood at every grid value.
  std::size_t best = 0;
  std::vector<double> means;
  for (double sigma : grid) means.push_back(mf::parzen_log_likelihood(validation, samples, sigma).mean);
  for (std::size_t i = 1; i < means.size(); ++i)
    if (means[i] > means[best]) best = i;
  BOOST_TEST(chosen.mean_log_likelihoods.size() == grid.size());
  for (std::size_t i = 0; i < grid.size(); ++i)
    BOOST_TEST(chosen.mean_log_likelihoods[i] == means[i], boost::test_tools::tolerance(1e-12));
  BOOST_TEST(chosen.sigma == grid[best]);
  BOOST_TEST((best > 0 && best + 1 < grid.size()), "the maximum sits at the grid's edge: " << best);
  // Another grid.
  const mf::ParzenBandwidth coarse = mf::choose_parzen_bandwidth(validation, samples, {.sigmas = {0.05, 5.0, 0.6}});
  BOOST_TEST(coarse.sigma == 0.6);
}

BOOST_AUTO_TEST_CASE(gradients_by_finite_differences) {
  lg::Generator g(4);
  Tensor x = lg::randn({3, 2}, lg::float64, &g), mu = lg::randn({4, 2}, lg::float64, &g);
  x.requires_grad_();
  mu.requires_grad_();
  const auto result = lg::gradcheck(
      "parzen_log_density",
      [](const std::vector<Tensor>& in) { return mf::parzen_log_density(in[0], in[1], 0.8, {.block_rows = 2}); },
      {x, mu});
  BOOST_TEST(result.passed, result.report);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  const Tensor x = lg::zeros({3, 2}, lg::float64), mu = lg::zeros({5, 2}, lg::float64);
  lg::testing::expect_error<lg::ValueError>([&] { mf::parzen_log_density(x, mu, 0.0); }, "parzen_log_density",
                                              {"sigma must be positive", "got 0"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::parzen_log_likelihood(x, mu, -1.0); }, "parzen_log_density",
                                              {"sigma"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::parzen_log_density(x, lg::zeros({5, 3}, lg::float64), 1.0); },
                                              "parzen_log_density", {"[3, 2]", "[5, 3]"});
  lg::testing::expect_error<lg::DTypeError>([&] { mf::parzen_log_density(x, lg::zeros({5, 2}), 1.0); },
                                              "parzen_log_density", {"float64", "float32"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::choose_parzen_bandwidth(x, mu, {.sigmas = {}}); },
                                              "choose_parzen_bandwidth", {"grid is empty"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::choose_parzen_bandwidth(x, mu, {.sigmas = {0.1, -0.2}}); },
                                              "choose_parzen_bandwidth", {"got -0.2"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::parzen_log_density(x, mu, 1.0, {.block_rows = -1}); },
                                              "parzen_log_density", {"block_rows"});
}

BOOST_AUTO_TEST_SUITE_END()
