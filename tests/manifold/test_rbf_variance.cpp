// The RBF variance head: on toy data with a known residual standard deviation
// the fitted sigma near the data matches it (within 10%); sigma rises
// monotonically away from the data towards 1/sqrt(zeta); the expected metric
// with the head exceeds the mean's alone off the data; sigma's Jacobian by
// forward mode equals reverse mode and central differences; the formula on a
// hand-made state; the errors.
#include <cmath>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

// Codes [n, d] (uniform in [-1, 1] for d = 1, standard normal otherwise), decoded means [n, D] (a smooth map of the
// codes) and targets = means + sd_i * noise, the true standard deviation sd_i in each output dim i.
struct Toy {
  Tensor codes, means, targets;
};

Toy make_toy(std::int64_t n, std::int64_t d, const std::vector<double>& sd, std::uint64_t seed) {
  lg::Generator g(seed);
  const auto out = static_cast<std::int64_t>(sd.size());
  std::vector<double> z, mu, x;
  for (std::int64_t i = 0; i < n; ++i) {
    double first = 0.0;
    for (std::int64_t j = 0; j < d; ++j) {
      const double value = d == 1 ? 2.0 * g.next_double() - 1.0 : g.next_normal();
      z.push_back(value);
      if (j == 0) first = value;
    }
    for (std::int64_t k = 0; k < out; ++k) {
      const double m = std::sin(3.0 * first + static_cast<double>(k));
      mu.push_back(m);
      x.push_back(m + sd[static_cast<std::size_t>(k)] * g.next_normal());
    }
  }
  return {lg::from_vector(z, {n, d}, lg::float64), lg::from_vector(mu, {n, out}, lg::float64),
          lg::from_vector(x, {n, out}, lg::float64)};
}

Tensor column_of(const std::vector<double>& values) {
  return lg::from_vector(values, {static_cast<std::int64_t>(values.size()), 1}, lg::float64);
}

// Points r * (1, 1) / sqrt(2) on a ray of the plane, [R, 2].
Tensor ray(const std::vector<double>& radii) {
  std::vector<double> points;
  for (const double r : radii) points.insert(points.end(), {r / std::sqrt(2.0), r / std::sqrt(2.0)});
  return lg::from_vector(points, {static_cast<std::int64_t>(radii.size()), 2}, lg::float64);
}

// sigma rises from `before` to `after` further out: strictly until it reaches 1/sqrt(zeta) = 10 in floating point.
void rises(double before, double after) {
  if (before < 10.0 * (1.0 - 1e-12))
    BOOST_TEST(after > before);
  else
    BOOST_TEST(after == 10.0, boost::test_tools::tolerance(1e-12));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rbf_variance)

BOOST_AUTO_TEST_CASE(sigma_near_the_data_matches_the_noise_1d) {
  const Toy toy = make_toy(6000, 1, {0.1, 0.4}, 1);
  const mf::RBFVarianceOptions options{.centres = 6, .curvature = 2.0, .zeta = 1e-2, .seed = 2};
  const auto head = mf::RBFVariance::fit(toy.codes, toy.targets, toy.means, options);
  BOOST_TEST((head.weights().shape() == lg::Shape{2, 6}));
  BOOST_TEST(head.loss_history().back() < head.loss_history().front());
  const auto sigma = head.standard_deviation(column_of({-0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75})).to_vector<double>();
  for (std::size_t p = 0; p < 7; ++p) {
    BOOST_TEST(std::abs(sigma[2 * p] / 0.1 - 1.0) < 0.1, "dim 0 at point " << p << ": sigma " << sigma[2 * p]);
    BOOST_TEST(std::abs(sigma[2 * p + 1] / 0.4 - 1.0) < 0.1, "dim 1 at point " << p << ": sigma " << sigma[2 * p + 1]);
  }
  // Deterministic: the same seed, the same bits.
  const auto again = mf::RBFVariance::fit(toy.codes, toy.targets, toy.means, options);
  BOOST_TEST((again.weights().to_vector<double>() == head.weights().to_vector<double>()));
}

BOOST_AUTO_TEST_CASE(sigma_grows_away_from_the_data_to_one_over_sqrt_zeta) {
  // 1-d: beyond the data's end sigma rises monotonically in both dims and ends at 1/sqrt(zeta) = 10.
  const Toy line = make_toy(600, 1, {0.1, 0.4}, 3);
  const auto head = mf::RBFVariance::fit(line.codes, line.targets, line.means,
                                         {.centres = 6, .zeta = 1e-2, .fit_steps = 200, .seed = 1});
  const std::vector<double> beyond = {1.0, 1.25, 1.5, 2.0, 3.0, 5.0, 8.0};
  for (const double sign : {1.0, -1.0}) {
    std::vector<double> z;
    for (const double r : beyond) z.push_back(sign * r);
    const auto sigma = head.standard_deviation(column_of(z)).to_vector<double>();
    for (std::size_t p = 1; p < beyond.size(); ++p)
      for (std::size_t i = 0; i < 2; ++i) rises(sigma[2 * (p - 1) + i], sigma[2 * p + i]);
    BOOST_TEST(sigma[2 * (beyond.size() - 1)] > 5.0);
  }
  const auto far = head.standard_deviation(column_of({40.0})).to_vector<double>();
  for (const double s : far) BOOST_TEST(s == 10.0, boost::test_tools::tolerance(1e-9));

  // 2-d: a standard normal blob, sigma 0.2 near its middle, rising along a ray from beyond every centre.
  const Toy blob = make_toy(4000, 2, {0.2, 0.2, 0.2}, 4);
  const auto plane = mf::RBFVariance::fit(blob.codes, blob.targets, blob.means, {.centres = 10, .seed = 5});
  const auto middle = plane.standard_deviation(ray({0.0, 0.5})).to_vector<double>();
  for (const double s : middle) BOOST_TEST(std::abs(s / 0.2 - 1.0) < 0.1, "sigma near the middle " << s);
  const double reach = std::sqrt(lg::max(lg::sum(plane.centres() * plane.centres(), {1})).item());
  std::vector<double> radii;
  for (int step = 0; step < 12; ++step) radii.push_back(reach + 0.1 + 0.5 * step);
  const auto rising = plane.standard_deviation(ray(radii)).to_vector<double>();
  for (std::size_t p = 1; p < radii.size(); ++p)
    for (std::size_t i = 0; i < 3; ++i) rises(rising[3 * (p - 1) + i], rising[3 * p + i]);
  BOOST_TEST(plane.standard_deviation(ray({60.0})).to_vector<double>()[0] == 10.0,
             boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(expected_metric_exceeds_the_means_off_the_data) {
  const Toy blob = make_toy(1000, 2, {0.2, 0.2, 0.2}, 6);
  const auto head = mf::RBFVariance::fit(blob.codes, blob.targets, blob.means, {.centres = 12, .seed = 2});
  const Tensor a = lg::from_vector(std::vector<double>{1.0, 0.5, -0.3, 0.2, 1.2, 0.7}, {2, 3}, lg::float64);
  const lg::Function mean = [a](const Tensor& z) { return lg::matmul(z, a); };  // J_mu = A^T everywhere
  // The middle of the data, a ray out of it from radius 3 to 9, and a point far out.
  std::vector<double> radii = {0.0};
  for (int step = 0; step <= 24; ++step) radii.push_back(3.0 + 0.25 * step);
  radii.push_back(20.0);
  const Tensor points = ray(radii);
  const Tensor plain = mf::pullback_metric(mean, points);
  const Tensor gaussian = mf::gaussian_pullback_metric(mean, head.standard_deviation_map(), points);
  const auto trace = [](const Tensor& g) { return lg::sum(lg::diagonal(g), {-1}).to_vector<double>(); };
  const auto t_plain = trace(plain), t_gaussian = trace(gaussian);
  // G_gauss - G_mean = J_sigma^T J_sigma is positive semi-definite everywhere...
  const auto gap = lg::eigvalsh(gaussian - plain).to_vector<double>();
  for (const double e : gap) BOOST_TEST(e >= -1e-10);
  // ...negligible at the data's middle; many times G_mean off the data, where sigma rises (its peak beyond
  // radius 4, outside this standard normal blob); gone again far out, where sigma has settled at 1/sqrt(zeta).
  BOOST_TEST(t_gaussian[0] < 1.01 * t_plain[0], "middle: " << t_gaussian[0] << " vs " << t_plain[0]);
  std::size_t peak = 1;
  for (std::size_t p = 1; p + 1 < radii.size(); ++p)
    if (t_gaussian[p] / t_plain[p] > t_gaussian[peak] / t_plain[peak]) peak = p;
  BOOST_TEST(t_gaussian[peak] > 10.0 * t_plain[peak], "peak: " << t_gaussian[peak] << " vs " << t_plain[peak]);
  BOOST_TEST(radii[peak] > 4.0);
  BOOST_TEST(t_gaussian.back() == t_plain.back(), boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(jacobian_forward_equals_reverse_and_finite_differences) {
  const Toy blob = make_toy(400, 2, {0.2, 0.5, 0.1}, 7);
  const auto head = mf::RBFVariance::fit(blob.codes, blob.targets, blob.means,
                                         {.centres = 6, .fit_steps = 100, .seed = 3});
  const lg::Function sigma = head.standard_deviation_map();
  const Tensor z = lg::from_vector(std::vector<double>{0.1, -0.2, 1.5, 0.7, -2.5, 2.0, 3.0, -3.5}, {4, 2}, lg::float64);
  const Tensor forward = lg::jacobian(sigma, z, {.mode = lg::JacobianMode::forward});
  const Tensor reverse = lg::jacobian(sigma, z, {.mode = lg::JacobianMode::reverse});
  BOOST_TEST((forward.shape() == lg::Shape{4, 3, 2}));
  const double scale = lg::max(lg::abs(reverse)).item();
  BOOST_TEST(scale > 0.1);
  BOOST_TEST(lg::max(lg::abs(forward - reverse)).item() <= 1e-12 * scale);
  // Central differences, one latent coordinate at a time.
  const double h = 1e-6;
  const auto j = reverse.to_vector<double>();
  for (std::int64_t c = 0; c < 2; ++c) {
    std::vector<double> step(8, 0.0);
    for (std::int64_t b = 0; b < 4; ++b) step[static_cast<std::size_t>(2 * b + c)] = h;
    const Tensor e = lg::from_vector(step, {4, 2}, lg::float64);
    const auto difference = ((sigma(z + e) - sigma(z - e)) * (0.5 / h)).to_vector<double>();
    for (std::size_t b = 0; b < 4; ++b)
      for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(std::abs(difference[3 * b + i] - j[(3 * b + i) * 2 + static_cast<std::size_t>(c)]) <= 1e-6 * scale);
  }
}

BOOST_AUTO_TEST_CASE(formula_on_a_given_state_and_dtypes) {
  const Tensor centres = lg::from_vector(std::vector<double>{0.0, 0.0, 1.0, 0.0}, {2, 2}, lg::float64);
  const Tensor lambda = lg::from_vector(std::vector<double>{1.0, 2.0}, {2}, lg::float64);
  const Tensor w = lg::from_vector(std::vector<double>{1.0, 2.0}, {1, 2}, lg::float64);
  const mf::RBFVariance head(centres, lambda, w, 0.5);
  const Tensor z = lg::from_vector(std::vector<double>{0.0, 1.0}, {1, 2}, lg::float64);
  const double beta = std::exp(-1.0) + 2.0 * std::exp(-4.0) + 0.5;
  BOOST_TEST(head.precision(z).item() == beta, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(head.standard_deviation(z).item() == 1.0 / std::sqrt(beta), boost::test_tools::tolerance(1e-14));
  const Tensor single = head.standard_deviation(z.to(lg::float32));
  BOOST_TEST(single.dtype() == lg::float32);
  BOOST_TEST(single.item() == 1.0 / std::sqrt(beta), boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(errors_name_the_op_and_the_values) {
  const Toy toy = make_toy(10, 2, {0.1, 0.1}, 8);
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::RBFVariance::fit(toy.codes, toy.targets, toy.means, {.centres = 11}); }, "RBFVariance::fit",
      {"[1, 10]", "11"});
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::RBFVariance::fit(toy.codes, toy.targets, toy.means, {.centres = 2, .zeta = 0.0}); },
      "RBFVariance::fit", {"zeta"});
  lg::testing::expect_error<lg::ShapeError>(
      [&] { mf::RBFVariance::fit(toy.codes, toy.targets, toy.means.narrow(1, 0, 1), {.centres = 2}); },
      "RBFVariance::fit", {"[10, 2]", "[10, 1]"});
  lg::testing::expect_error<lg::DTypeError>(
      [&] { mf::RBFVariance::fit(lg::zeros({10, 2}, lg::int64), toy.targets, toy.means, {.centres = 2}); },
      "RBFVariance::fit", {"int64"});
  lg::testing::expect_error<lg::ValueError>([] { mf::RBFVariance().precision(lg::zeros({1, 2}, lg::float64)); },
                                            "RBFVariance::precision", {"empty"});
  const auto head = mf::RBFVariance::fit(toy.codes, toy.targets, toy.means, {.centres = 2, .fit_steps = 2});
  lg::testing::expect_error<lg::ShapeError>([&] { head.standard_deviation(lg::zeros({3, 5}, lg::float64)); },
                                            "RBFVariance::precision", {"[3, 5]"});
  lg::testing::expect_error<lg::ValueError>(
      [] {
        mf::RBFVariance(lg::zeros({2, 2}, lg::float64), lg::ones({2}, lg::float64), -lg::ones({1, 2}, lg::float64),
                        1.0);
      },
      "RBFVariance", {"non-negative"});
}

BOOST_AUTO_TEST_SUITE_END()
