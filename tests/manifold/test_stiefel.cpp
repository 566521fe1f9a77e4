// Stiefel specifics: the exponential map of each metric solves its geodesic
// equation (EAS98 §2.2 and §2.4), the two agree on O(n), the Cayley retraction
// equals its n x n formula, and retractions keep the component of O(n) they
// start on (det -1 stays det -1).
#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;
using manifold_test::frobenius;
using manifold_test::max_abs_difference;

namespace {

Tensor mT(const Tensor& x) { return lg::matrix_transpose(x); }

// The residual of the geodesic equation at exp_x(t v), with velocity and acceleration by central
// differences of step h: Euclidean metric  X'' + X (X'^T X') = 0;
// canonical metric  X'' + X' X'^T X + X ((X^T X')^2 + X'^T X') = 0.
double geodesic_residual(const mf::Stiefel& stiefel, const Tensor& x, const Tensor& v, double t) {
  const double h = 1e-4;
  const Tensor before = stiefel.exp(x, v * (t - h)), at = stiefel.exp(x, v * t), after = stiefel.exp(x, v * (t + h));
  const Tensor velocity = (after - before) / (2 * h);
  const Tensor acceleration = (after - 2.0 * at + before) / (h * h);
  if (stiefel.metric() == mf::StiefelMetric::euclidean)
    return frobenius(acceleration + lg::matmul(at, lg::matmul(mT(velocity), velocity)));
  const Tensor a = lg::matmul(mT(at), velocity);
  return frobenius(acceleration + lg::matmul(velocity, lg::matmul(mT(velocity), at)) +
                   lg::matmul(at, lg::matmul(a, a) + lg::matmul(mT(velocity), velocity)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(stiefel)

BOOST_AUTO_TEST_CASE(exp_solves_the_geodesic_equation_of_its_metric) {
  for (const auto metric : {mf::StiefelMetric::euclidean, mf::StiefelMetric::canonical})
    for (const std::int64_t n : {5, 9}) {  // 5 <= 2p: the n x n route of the canonical exp; 9 > 2p: the QR route
      const mf::Stiefel stiefel(n, 3, metric);
      lg::Generator g(31);
      const Tensor x = stiefel.random_point(g);
      const Tensor v = stiefel.random_tangent(x, g) * 1.3;
      for (const double t : {0.3, 1.0}) {
        const double residual = geodesic_residual(stiefel, x, v, t);
        BOOST_TEST(residual <= 1e-5, stiefel.name() << " at t = " << t << ": residual " << residual);
      }
      // The wrong metric's equation is not solved (the check can fail).
      const mf::Stiefel other(
          n, 3, metric == mf::StiefelMetric::euclidean ? mf::StiefelMetric::canonical : mf::StiefelMetric::euclidean);
      const Tensor curve = stiefel.exp(x, v);
      BOOST_TEST(max_abs_difference(curve, other.exp(x, v)) > 1e-3);
    }
}

BOOST_AUTO_TEST_CASE(on_the_orthogonal_group_both_metrics_give_x_expm_of_xtv) {
  const mf::Stiefel euclidean(4, 4, mf::StiefelMetric::euclidean), canonical(4, 4, mf::StiefelMetric::canonical);
  lg::Generator g(32);
  const Tensor x = euclidean.random_point(g);
  const Tensor v = euclidean.random_tangent(x, g) * 2.0;
  const Tensor want = lg::matmul(x, lg::matrix_exp(lg::matmul(mT(x), v)));
  BOOST_TEST(max_abs_difference(euclidean.exp(x, v), want) <= 1e-12);
  BOOST_TEST(max_abs_difference(canonical.exp(x, v), want) <= 1e-12);
}

// V = X A (A skew) has no normal part: both geodesics are X expm(A), and the canonical exp's QR
// route (n > 2p) meets the QR of a zero matrix.
BOOST_AUTO_TEST_CASE(exp_of_a_vertical_tangent_is_x_expm_a) {
  for (const auto metric : {mf::StiefelMetric::euclidean, mf::StiefelMetric::canonical}) {
    const mf::Stiefel stiefel(7, 2, metric);
    lg::Generator g(36);
    const Tensor x = stiefel.random_point(g);
    const Tensor a = lg::skew_part(lg::randn({2, 2}, lg::float64, &g));
    const Tensor want = lg::matmul(x, lg::matrix_exp(a));
    const double gap = max_abs_difference(stiefel.exp(x, lg::matmul(x, a)), want);
    BOOST_TEST(gap <= 1e-13, stiefel.name() << ": differs by " << gap);
  }
}

BOOST_AUTO_TEST_CASE(cayley_retraction_is_the_cayley_transform) {
  const mf::Stiefel stiefel(6, 2, mf::StiefelMetric::euclidean, mf::StiefelRetraction::cayley);
  lg::Generator g(33);
  const Tensor x = stiefel.random_point(g);
  const Tensor v = stiefel.random_tangent(x, g) * 0.7;
  const Tensor p = v - 0.5 * lg::matmul(x, lg::matmul(mT(x), v));
  const Tensor w = lg::matmul(p, mT(x)) - lg::matmul(x, mT(p));
  const Tensor identity = lg::eye(6, lg::float64);
  const Tensor want = lg::solve(identity - 0.5 * w, lg::matmul(identity + 0.5 * w, x));
  BOOST_TEST(max_abs_difference(stiefel.retract(x, v), want) <= 1e-13);
}

// pymanopt#301: O(n) has two components; a retraction-based method stays on the one it starts on,
// so the initial point chooses it (flip one column of a det +1 point to get det -1).
BOOST_AUTO_TEST_CASE(retractions_keep_the_component_of_o_n) {
  for (const auto retraction : {mf::StiefelRetraction::qr, mf::StiefelRetraction::polar, mf::StiefelRetraction::cayley,
                                mf::StiefelRetraction::exponential}) {
    const mf::Stiefel orthogonal(4, 4, mf::StiefelMetric::euclidean, retraction);
    lg::Generator g(34);
    Tensor x = orthogonal.random_point(g);
    if (lg::det(x).item<double>() > 0) x = x * lg::tensor({-1.0, 1.0, 1.0, 1.0}, lg::float64);
    for (int step = 0; step < 20; ++step) {
      x = orthogonal.retract(x, orthogonal.random_tangent(x, g) * 0.8);
      const double determinant = lg::det(x).item<double>();
      BOOST_TEST(std::abs(determinant + 1.0) <= 1e-10, orthogonal.name()
                                                           << " step " << step << ": det " << determinant);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_sizes_and_shapes_are_refused) {
  lg::testing::expect_error<lg::ValueError>([] { mf::Stiefel(2, 3); }, "Stiefel: ", {"n = 2", "p = 3"});
  lg::testing::expect_error<lg::ValueError>([] { mf::Stiefel(3, 0); }, "Stiefel: ");
  const mf::Stiefel stiefel(5, 2);
  lg::testing::expect_error<lg::ShapeError>(
      [&] {
        (void)stiefel.retract(lg::zeros({5, 3}, lg::float64), lg::zeros({5, 3}, lg::float64));
      },
      "Stiefel::qr_retract: ", {"[5, 2]", "[5, 3]"});
  lg::Generator g(35);
  const Tensor x = stiefel.random_point(g);
  lg::testing::expect_error<lg::ShapeError>(
      [&] {
        (void)stiefel.project_tangent(x, lg::zeros({2, 5}, lg::float64));
      },
      "Stiefel::project_tangent: ", {"[2, 5]", "[5, 2]"});
}

BOOST_AUTO_TEST_SUITE_END()
