// Fréchet means with known answers: the matrix geometric mean of two SPD
// matrices, the pole for points placed symmetrically around it on the sphere,
// the geodesic midpoint on the Grassmannian, and expm(mean logm) for the
// log-Euclidean metric.
#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;
using manifold_test::max_abs_difference;

BOOST_AUTO_TEST_SUITE(frechet_mean)

BOOST_AUTO_TEST_CASE(spd_affine_invariant_mean_of_two_is_the_geometric_mean) {
  const mf::SPD spd(4);
  lg::Generator g(21);
  const Tensor points = spd.random_point(g, lg::float64, {2});
  const Tensor a = points.select(0, 0), b = points.select(0, 1);
  // A # B = A^{1/2} (A^{-1/2} B A^{-1/2})^{1/2} A^{1/2} (Bhatia 2007, ch. 4).
  const Tensor root = lg::sqrtm(a), inverse_root = lg::inverse(root);
  const Tensor geometric = lg::matmul(
      root, lg::matmul(lg::sqrtm(lg::symmetric_part(lg::matmul(inverse_root, lg::matmul(b, inverse_root)))), root));
  const mf::FrechetMeanResult result = mf::frechet_mean(spd, points);
  BOOST_TEST(result.converged, "gradient norm " << result.gradient_norm << " after " << result.iterations);
  BOOST_TEST(max_abs_difference(result.mean, geometric) <= 1e-9 * manifold_test::max_abs(geometric));
}

BOOST_AUTO_TEST_CASE(sphere_mean_of_symmetric_points_is_the_pole) {
  const mf::Sphere sphere(3);
  const double s = std::sin(0.4), c = std::cos(0.4);
  // Four points at angle 0.4 from the pole e_3, at right angles to each other around it.
  const Tensor points = lg::tensor({{s, 0, c}, {-s, 0, c}, {0, s, c}, {0, -s, c}}, lg::float64);
  const mf::FrechetMeanResult result = mf::frechet_mean(sphere, points, {.tolerance = 1e-14});
  BOOST_TEST(result.converged, "gradient norm " << result.gradient_norm);
  BOOST_TEST(max_abs_difference(result.mean, lg::tensor({0.0, 0.0, 1.0}, lg::float64)) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(grassmann_mean_of_two_is_the_midpoint) {
  const mf::Grassmann grassmann(6, 2);
  lg::Generator g(22);
  const Tensor x = grassmann.random_point(g);
  const Tensor v = grassmann.random_tangent(x, g) * 0.8;
  const Tensor y = grassmann.exp(x, v);
  const mf::FrechetMeanResult result = mf::frechet_mean(grassmann, lg::stack({x, y}));
  BOOST_TEST(result.converged, "gradient norm " << result.gradient_norm);
  const Tensor midpoint = grassmann.exp(x, v * 0.5);
  BOOST_TEST(grassmann.distance(result.mean, midpoint).item<double>() <= 1e-7);
  const double to_x = grassmann.distance(result.mean, x).item<double>();
  BOOST_TEST(std::abs(to_x - 0.4) <= 1e-10);
}

BOOST_AUTO_TEST_CASE(log_euclidean_mean_is_closed_form) {
  const mf::SPD spd(3, mf::SPDMetric::log_euclidean);
  lg::Generator g(23);
  const Tensor points = spd.random_point(g, lg::float64, {5});
  const mf::FrechetMeanResult result = mf::frechet_mean(spd, points);
  const Tensor closed_form = lg::expm(lg::mean(lg::logm(points), {0}));
  BOOST_TEST(result.converged, "gradient norm " << result.gradient_norm);
  BOOST_TEST(max_abs_difference(result.mean, closed_form) <= 1e-12 * manifold_test::max_abs(closed_form));
}

BOOST_AUTO_TEST_CASE(a_manifold_without_log_is_refused) {
  const mf::Stiefel stiefel(4, 2);
  lg::Generator g(24);
  lg::testing::expect_error<lg::ValueError>(
      [&] { (void)mf::frechet_mean(stiefel, stiefel.random_point(g, lg::float64, {3})); },
      "frechet_mean: ", {"Stiefel(4, 2)"});
}

BOOST_AUTO_TEST_SUITE_END()
