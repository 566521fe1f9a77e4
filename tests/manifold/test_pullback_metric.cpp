// Pullback metrics of decoders with known geometry: a linear map (G = A^T A
// everywhere), the unit circle (G = 1), spherical coordinates on the unit
// sphere (G = diag(1, sin^2 theta), magnification |sin theta|); the Bernoulli
// metric's two forms agree; the Gaussian one adds the two terms; G is
// symmetric positive semi-definite; and the errors.
#include <cmath>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

// (theta, phi) -> (sin theta cos phi, sin theta sin phi, cos theta), batched: [B, 2] -> [B, 3].
Tensor sphere(const Tensor& z) {
  const Tensor theta = z.narrow(1, 0, 1), phi = z.narrow(1, 1, 1);
  return lg::cat({lg::sin(theta) * lg::cos(phi), lg::sin(theta) * lg::sin(phi), lg::cos(theta)}, 1);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pullback_metric)

BOOST_AUTO_TEST_CASE(a_linear_decoder_pulls_back_its_gram_matrix) {
  lg::Generator g(1);
  const Tensor a = lg::randn({5, 3}, lg::float64, &g), b = lg::randn({5}, lg::float64, &g);
  const lg::Function decoder = [&](const Tensor& z) { return lg::matmul(z, a.t()) + b; };
  const Tensor z = lg::randn({4, 3}, lg::float64, &g);
  const Tensor metric = mf::pullback_metric(decoder, z);
  BOOST_TEST((metric.shape() == lg::Shape{4, 3, 3}));
  const Tensor expected = lg::matmul(a.t(), a);
  for (std::int64_t i = 0; i < 4; ++i)
    BOOST_TEST(manifold_test::max_abs_difference(metric.select(0, i), expected) < 1e-12);
}

BOOST_AUTO_TEST_CASE(the_circle_is_isometric_and_the_sphere_has_its_closed_form) {
  const lg::Function circle = [](const Tensor& z) { return lg::cat({lg::cos(z), lg::sin(z)}, 1); };
  const Tensor angles = lg::from_vector(std::vector<double>{-2.0, 0.1, 1.3}, {3, 1}, lg::float64);
  BOOST_TEST(manifold_test::max_abs_difference(mf::pullback_metric(circle, angles), lg::ones({3, 1, 1}, lg::float64)) <
             1e-14);

  const Tensor z = lg::from_vector(std::vector<double>{0.3, 1.0, 1.2, -2.0, 2.5, 0.4}, {3, 2}, lg::float64);
  const Tensor metric = mf::pullback_metric(sphere, z);
  const auto theta = z.narrow(1, 0, 1).to_vector<double>();
  const auto values = metric.to_vector<double>();
  const auto magnification = mf::magnification_factor(metric).to_vector<double>();
  for (std::size_t i = 0; i < 3; ++i) {
    const double s = std::sin(theta[i]);
    BOOST_TEST(values[4 * i] == 1.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(std::abs(values[4 * i + 1]) < 1e-12);
    BOOST_TEST(std::abs(values[4 * i + 2]) < 1e-12);
    BOOST_TEST(values[4 * i + 3] == s * s, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(magnification[i] == std::abs(s), boost::test_tools::tolerance(1e-10));
  }
}

BOOST_AUTO_TEST_CASE(the_bernoulli_metric_in_its_two_forms) {
  lg::Generator g(2);
  const Tensor w1 = lg::randn({6, 2}, lg::float64, &g), w2 = lg::randn({7, 6}, lg::float64, &g);
  const lg::Function logits = [&](const Tensor& z) { return lg::matmul(lg::tanh(lg::matmul(z, w1.t())), w2.t()); };
  const lg::Function probabilities = [&](const Tensor& z) { return lg::sigmoid(logits(z)); };
  const Tensor z = lg::randn({3, 2}, lg::float64, &g);
  const Tensor metric = mf::bernoulli_pullback_metric(logits, z);
  // J_p^T diag(1 / (p (1 - p))) J_p from the probabilities' Jacobian.
  const Tensor jp = lg::jacobian(probabilities, z);
  const Tensor p = probabilities(z);
  const Tensor expected = lg::matmul(lg::matrix_transpose(jp), jp / lg::unsqueeze(p * (1.0 - p), -1));
  BOOST_TEST(manifold_test::max_abs_difference(metric, expected) < 1e-10);
  // Symmetric positive semi-definite.
  BOOST_TEST(manifold_test::max_abs_difference(metric, lg::matrix_transpose(metric)) < 1e-14);
  BOOST_TEST(lg::min(lg::eigvalsh(metric)).item() > -1e-12);
}

BOOST_AUTO_TEST_CASE(the_gaussian_metric_adds_the_mean_and_the_spread) {
  lg::Generator g(3);
  const Tensor a = lg::randn({4, 2}, lg::float64, &g);
  const lg::Function mean = [&](const Tensor& z) { return lg::matmul(z, a.t()); };
  const lg::Function spread = [](const Tensor& z) { return lg::exp(lg::cat({z, z * 2.0}, 1)); };
  const Tensor z = lg::randn({2, 2}, lg::float64, &g);
  const Tensor metric = mf::gaussian_pullback_metric(mean, spread, z);
  const Tensor expected = mf::pullback_metric(mean, z) + mf::pullback_metric(spread, z);
  BOOST_TEST(manifold_test::max_abs_difference(metric, expected) < 1e-12);
  const lg::Function small = [](const Tensor& u) { return u; };
  lg::testing::expect_error<lg::ShapeError>([&] { mf::gaussian_pullback_metric(mean, small, z); },
                                            "gaussian_pullback_metric", {"[2, 4, 2]", "[2, 2, 2]"});
}

BOOST_AUTO_TEST_CASE(grid_and_errors) {
  const auto grid = mf::latent_grid(-1.0, 1.0, 0.0, 2.0, 3, 2).to_vector<double>();
  BOOST_TEST((grid == std::vector<double>{-1, 0, 0, 0, 1, 0, -1, 2, 0, 2, 1, 2}));
  lg::testing::expect_error<lg::ShapeError>([] { mf::pullback_metric(sphere, lg::zeros({2}, lg::float64)); },
                                            "pullback_metric", {"[2]"});
  lg::testing::expect_error<lg::ValueError>([] { mf::latent_grid(0, 1, 0, 1, 1, 5); }, "latent_grid", {"1 x 5"});
  // A singular metric has magnification 0 (to rounding), not NaN.
  const Tensor singular = lg::from_vector(std::vector<double>{1, 1, 1, 1}, {2, 2}, lg::float64);
  BOOST_TEST(mf::magnification_factor(singular).item() < 1e-7);
}

BOOST_AUTO_TEST_SUITE_END()
