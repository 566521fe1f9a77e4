// The rows of the manifold table (see manifold_cases.hpp).
#include "manifold_cases.hpp"

namespace manifold_test {

namespace mf = lg::manifold;
using lg::Tensor;

double max_abs(const Tensor& a) {
  double worst = 0.0;
  for (const double value : a.to_vector<double>()) worst = std::max(worst, std::abs(value));
  return worst;
}

double max_abs_difference(const Tensor& a, const Tensor& b) { return max_abs(a - b); }

double frobenius(const Tensor& a) { return std::sqrt(lg::sum(a * a).item<double>()); }

namespace {

Tensor noise(const Tensor& like, lg::Generator& generator, double scale) {
  return lg::randn(like.shape(), lg::float64, &generator) * scale;
}

Tensor mT(const Tensor& x) { return lg::matrix_transpose(x); }

// ||X^T V + V^T X||_F: V is tangent to Stiefel at X.
double stiefel_residual(const Tensor& x, const Tensor& v) {
  const Tensor product = lg::matmul(mT(x), v);
  return frobenius(product + mT(product));
}

ManifoldCase stiefel_case(std::int64_t n, std::int64_t p, mf::StiefelMetric metric, mf::StiefelRetraction retraction) {
  auto manifold = std::make_shared<mf::Stiefel>(n, p, metric, retraction);
  // Householder QR returns X only to rounding for X + 0.
  // QR and the polar factor are computed from X + V itself, so R_x(0) = x only to rounding.
  const bool exact = retraction != mf::StiefelRetraction::qr && retraction != mf::StiefelRetraction::polar;
  return {manifold->name(), manifold,
          [](const Tensor& x, lg::Generator& g) { return x + noise(x, g, 0.3); }, stiefel_residual, 1e-12, exact};
}

ManifoldCase spd_case(mf::SPDMetric metric, mf::SPDRetraction retraction) {
  auto manifold = std::make_shared<mf::SPD>(4, metric, retraction);
  // A symmetric matrix with some negative eigenvalues, so that project() has eigenvalues to clamp.
  auto ambient = [](const Tensor& x, lg::Generator& g) {
    return lg::symmetric_part(noise(x, g, 1.0)) - 0.5 * lg::eye(4, lg::float64);
  };
  auto residual = [](const Tensor&, const Tensor& v) { return frobenius(v - mT(v)); };
  return {manifold->name(), manifold, ambient, residual, 1e-12, true};
}

}  // namespace

std::vector<ManifoldCase> manifold_cases() {
  std::vector<ManifoldCase> cases;
  const auto near = [](const Tensor& x, lg::Generator& g) { return x + noise(x, g, 0.3); };

  ManifoldCase euclidean{"Euclidean", mf::euclidean(), near, {}};
  euclidean.batched = false;
  cases.push_back(euclidean);

  auto sphere = std::make_shared<mf::Sphere>(5);
  cases.push_back({sphere->name(), sphere, [](const Tensor& x, lg::Generator& g) { return 2.0 * x + noise(x, g, 0.3); },
                   [](const Tensor& x, const Tensor& v) { return max_abs(lg::sum(x * v, {-1})); }, 1e-14, true});

  for (const auto metric : {mf::StiefelMetric::euclidean, mf::StiefelMetric::canonical})
    for (const auto retraction : {mf::StiefelRetraction::qr, mf::StiefelRetraction::polar,
                                  mf::StiefelRetraction::cayley, mf::StiefelRetraction::exponential})
      cases.push_back(stiefel_case(6, 3, metric, retraction));
  // n > 2p: the canonical exp's QR route.
  cases.push_back(stiefel_case(7, 2, mf::StiefelMetric::canonical, mf::StiefelRetraction::exponential));

  auto grassmann = std::make_shared<mf::Grassmann>(6, 3);
  cases.push_back({grassmann->name(), grassmann, near,
                   [](const Tensor& x, const Tensor& v) { return frobenius(lg::matmul(mT(x), v)); }, 1e-12, false});

  for (const auto metric : {mf::SPDMetric::affine_invariant, mf::SPDMetric::log_euclidean})
    for (const auto retraction : {mf::SPDRetraction::exponential, mf::SPDRetraction::second_order})
      cases.push_back(spd_case(metric, retraction));

  auto fixed_rank = std::make_shared<mf::FixedRankPSD>(5, 2);
  cases.push_back({fixed_rank->name(), fixed_rank, near,
                   [](const Tensor& y, const Tensor& v) {
                     const Tensor product = lg::matmul(mT(y), v);
                     return frobenius(product - mT(product));
                   },
                   1e-12, true});

  auto product = std::make_shared<mf::Product>(std::vector<std::shared_ptr<const mf::Manifold>>{
      std::make_shared<mf::Sphere>(3), std::make_shared<mf::Stiefel>(4, 2, mf::StiefelMetric::canonical,
                                                                      mf::StiefelRetraction::polar),
      std::make_shared<mf::SPD>(3)});
  // The product's ambient point: each factor's ambient point (here: a small perturbation, which keeps
  // the SPD part positive definite and the others full rank).
  // Not exact at zero: the Stiefel factor's polar retraction is exact only to rounding.
  cases.push_back({product->name(), product, [](const Tensor& x, lg::Generator& g) { return x + noise(x, g, 0.05); },
                   {}, 1e-12, false});
  return cases;
}

}  // namespace manifold_test
