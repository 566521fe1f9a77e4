// The Riemannian gradient check (Manopt's checkgradient, as assertions): for
// five costs the fitted slope of the first-order model's error is 2 and the
// Riemannian gradient is tangent. Each cost is a plain differentiable function
// of the point; taylor_check takes its Euclidean gradient by autograd and turns
// it into the Riemannian one with the manifold's riemannian_gradient().
#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

Tensor mT(const Tensor& x) { return lg::matrix_transpose(x); }

Tensor symmetric_matrix(std::int64_t n, lg::Generator& g) {
  return lg::symmetric_part(lg::randn({n, n}, lg::float64, &g));
}

void expect_second_order(const mf::Manifold& m, const std::function<Tensor(const Tensor&)>& cost, const Tensor& x,
                         const Tensor& xi) {
  const mf::TaylorCheckResult result = mf::taylor_check(m, cost, x, xi);
  BOOST_TEST_MESSAGE(m.name() << ": slope " << result.slope << ", tangent error " << result.tangent_error << ", "
                              << result.window_end - result.window_begin << " samples fitted");
  BOOST_TEST_CONTEXT(m.name() << ": window [" << result.window_begin << ", " << result.window_end << ") of "
                              << result.steps.size()) {
    BOOST_TEST((result.slope >= 1.95 && result.slope <= 2.05), "fitted slope " << result.slope);
    BOOST_TEST(result.tangent_error <= 1e-12, "gradient off the tangent space by " << result.tangent_error);
    BOOST_TEST(result.window_end - result.window_begin >= 5u, "too few samples fitted");
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(taylor_check)

// Brockett cost tr(X^T A X N) with N = diag(p, ..., 1) on St(n, p) (Absil et al. 2008, §4.8).
BOOST_AUTO_TEST_CASE(brockett_cost_on_stiefel_with_either_metric) {
  for (const auto metric : {mf::StiefelMetric::euclidean, mf::StiefelMetric::canonical})
    for (const auto retraction : {mf::StiefelRetraction::qr, mf::StiefelRetraction::cayley}) {
      const mf::Stiefel stiefel(7, 3, metric, retraction);
      lg::Generator g(11);
      const Tensor a = symmetric_matrix(7, g);
      const Tensor n = lg::diag_embed(lg::tensor({3.0, 2.0, 1.0}, lg::float64));
      const auto brockett = [&](const Tensor& x) {
        return lg::trace(lg::matmul(mT(x), lg::matmul(a, lg::matmul(x, n))));
      };
      const Tensor x = stiefel.random_point(g);
      expect_second_order(stiefel, brockett, x, stiefel.random_tangent(x, g));
    }
}

// Rayleigh quotient x^T A x on the sphere.
BOOST_AUTO_TEST_CASE(rayleigh_quotient_on_the_sphere) {
  const mf::Sphere sphere(8);
  lg::Generator g(12);
  const Tensor a = symmetric_matrix(8, g);
  const auto rayleigh = [&](const Tensor& x) { return lg::dot(x, lg::matmul(a, x)); };
  const Tensor x = sphere.random_point(g);
  expect_second_order(sphere, rayleigh, x, sphere.random_tangent(x, g));
}

// The Karcher-mean cost (1/2k) sum_i d(X, P_i)^2 on SPD with the affine-invariant metric (the
// requirement), and with the log-Euclidean one, whose Riemannian gradient goes through the
// divided differences of log.
BOOST_AUTO_TEST_CASE(karcher_mean_cost_on_spd) {
  for (const auto metric : {mf::SPDMetric::affine_invariant, mf::SPDMetric::log_euclidean})
    for (const auto retraction : {mf::SPDRetraction::exponential, mf::SPDRetraction::second_order}) {
      const mf::SPD spd(3, metric, retraction);
      lg::Generator g(13);
      const Tensor anchors = spd.random_point(g, lg::float64, {4});
      const auto karcher = [&](const Tensor& x) {
        const Tensor d = spd.distance(x.unsqueeze(0).expand(anchors.shape()), anchors);
        return lg::sum(d * d) / 8.0;
      };
      const Tensor x = spd.random_point(g);
      expect_second_order(spd, karcher, x, spd.random_tangent(x, g));
    }
}

// The St-RKM objective's shape (Pandey et al. 2021): a PCA term tr(C - U U^T C) with C = Z^T Z
// for fixed latents Z, plus a smooth autoencoder-like term on the projections U U^T z.
BOOST_AUTO_TEST_CASE(st_rkm_objective_on_stiefel) {
  for (const auto metric : {mf::StiefelMetric::euclidean, mf::StiefelMetric::canonical}) {
    const mf::Stiefel stiefel(6, 2, metric, mf::StiefelRetraction::cayley);
    lg::Generator g(14);
    const Tensor z = lg::randn({10, 6}, lg::float64, &g);
    const Tensor c = lg::matmul(mT(z), z);
    const Tensor decoder = lg::randn({6, 6}, lg::float64, &g) * 0.3;
    const auto st_rkm = [&](const Tensor& u) {
      const Tensor pca = lg::trace(c - lg::matmul(u, lg::matmul(mT(u), c)));
      const Tensor projected = lg::matmul(z, lg::matmul(u, mT(u)));  // rows U U^T z_j
      const Tensor reconstruction = lg::tanh(lg::matmul(projected, decoder));
      return pca + 0.5 * lg::sum((reconstruction - z) * (reconstruction - z));
    };
    const Tensor u = stiefel.random_point(g);
    expect_second_order(stiefel, st_rkm, u, stiefel.random_tangent(u, g));
  }
}

// PCA as -tr(X^T C X) on the Grassmannian.
BOOST_AUTO_TEST_CASE(pca_cost_on_grassmann) {
  const mf::Grassmann grassmann(8, 3);
  lg::Generator g(15);
  const Tensor z = lg::randn({20, 8}, lg::float64, &g);
  const Tensor c = lg::matmul(mT(z), z) / 20.0;
  const auto pca = [&](const Tensor& x) { return -lg::trace(lg::matmul(mT(x), lg::matmul(c, x))); };
  const Tensor x = grassmann.random_point(g);
  expect_second_order(grassmann, pca, x, grassmann.random_tangent(x, g));
}

// A wrong gradient is caught: scaling the cost's gradient by 1.5 (a cost whose autograd gradient
// disagrees with its values) gives slope 1.
BOOST_AUTO_TEST_CASE(a_wrong_gradient_gives_slope_one) {
  const mf::Sphere sphere(5);
  lg::Generator g(16);
  const Tensor a = symmetric_matrix(5, g);
  const auto wrong = [&](const Tensor& x) {
    const Tensor value = lg::dot(x, lg::matmul(a, x));
    return value + 0.5 * (value - value.detach());  // same value, gradient times 1.5
  };
  const Tensor x = sphere.random_point(g);
  const mf::TaylorCheckResult result = mf::taylor_check(sphere, wrong, x, sphere.random_tangent(x, g));
  BOOST_TEST(std::abs(result.slope - 1.0) <= 0.05, "fitted slope " << result.slope);
}

BOOST_AUTO_TEST_SUITE_END()
