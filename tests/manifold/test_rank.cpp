// Numerical ranks of matrices built with known singular values, the tolerance
// options, the effective rank's closed forms, the stratum of latents with dead
// channels and rows, and the errors.
#include <cmath>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

// A random m x k matrix with orthonormal columns.
Tensor orthonormal(std::int64_t m, std::int64_t k, lg::Generator& g) {
  return lg::qr(lg::randn({m, k}, lg::float64, &g)).q;
}

// U diag(s) V^T with random orthonormal U [m, k], V [n, k]: a matrix with the singular values s.
Tensor with_singular_values(std::int64_t m, std::int64_t n, const std::vector<double>& s, lg::Generator& g) {
  const auto k = static_cast<std::int64_t>(s.size());
  return lg::matmul(orthonormal(m, k, g) * lg::from_vector(s, {k}, lg::float64),
                    lg::matrix_transpose(orthonormal(n, k, g)));
}

// Q diag(s) Q^T, exactly symmetric: a PSD matrix with the eigenvalues s (all >= 0).
Tensor with_eigenvalues(const std::vector<double>& s, lg::Generator& g) {
  const auto n = static_cast<std::int64_t>(s.size());
  const Tensor q = orthonormal(n, n, g);
  return lg::symmetric_part(lg::matmul(q * lg::from_vector(s, {n}, lg::float64), lg::matrix_transpose(q)));
}

std::vector<std::int64_t> ints(const Tensor& t) { return t.to_vector<std::int64_t>(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(rank)

BOOST_AUTO_TEST_CASE(matrix_rank_counts_singular_values_above_the_tolerance) {
  lg::Generator g(21);
  const Tensor a = with_singular_values(7, 5, {3.0, 1.0, 1e-3, 0.0, 0.0}, g);
  BOOST_TEST(mf::matrix_rank(a).dtype() == lg::int64);
  BOOST_TEST(mf::matrix_rank(a).item<std::int64_t>() == 3);
  BOOST_TEST(mf::matrix_rank(a, {.relative = 1e-2}).item<std::int64_t>() == 2);   // 1e-3 < 3e-2
  BOOST_TEST(mf::matrix_rank(a, {.relative = 0.0, .absolute = 0.5}).item<std::int64_t>() == 2);
  BOOST_TEST(mf::matrix_rank(a, {.relative = 1e-4, .absolute = 2.0}).item<std::int64_t>() == 1);  // the larger wins
  BOOST_TEST(mf::matrix_rank(lg::zeros({3, 4}, lg::float64)).item<std::int64_t>() == 0);
  // A product B C of a [6, 2] and a [2, 4] factor: rank 2; batched over [2, 3].
  const Tensor low = lg::matmul(lg::randn({2, 3, 6, 2}, lg::float64, &g), lg::randn({2, 3, 2, 4}, lg::float64, &g));
  const Tensor ranks = mf::matrix_rank(low);
  BOOST_TEST((ranks.shape() == lg::Shape{2, 3}));
  BOOST_TEST((ints(ranks) == std::vector<std::int64_t>(6, 2)));
  // The default tolerance follows the input's dtype: 1e-9 is a direction in float64, rounding in float32.
  const Tensor d = lg::diag_embed(lg::tensor({1.0, 1e-9}, lg::float64));
  BOOST_TEST(mf::matrix_rank(d).item<std::int64_t>() == 2);
  BOOST_TEST(mf::matrix_rank(d.to(lg::float32)).item<std::int64_t>() == 1);
}

BOOST_AUTO_TEST_CASE(psd_rank_counts_eigenvalues) {
  lg::Generator g(22);
  const Tensor a = with_eigenvalues({5.0, 2.0, 1e-4, 0.0, 0.0, 0.0}, g);
  BOOST_TEST(mf::psd_rank(a).item<std::int64_t>() == 3);
  BOOST_TEST(mf::psd_rank(a, {.relative = 1e-3}).item<std::int64_t>() == 2);
  BOOST_TEST(mf::psd_rank(a, {.relative = 0.0, .absolute = 3.0}).item<std::int64_t>() == 1);
  // X X^T of X [6, 3], batched and in float32 too.
  const Tensor x = lg::randn({4, 6, 3}, lg::float64, &g);
  const Tensor xxt = lg::matmul(x, lg::matrix_transpose(x));
  BOOST_TEST((ints(mf::psd_rank(xxt)) == std::vector<std::int64_t>(4, 3)));
  BOOST_TEST((ints(mf::psd_rank(xxt.to(lg::float32))) == std::vector<std::int64_t>(4, 3)));
  BOOST_TEST(mf::psd_rank(lg::zeros({3, 3}, lg::float64)).item<std::int64_t>() == 0);
  // A covariance of n points has rank at most n - 1.
  BOOST_TEST(mf::psd_rank(mf::covariance(lg::randn({4, 10}, lg::float64, &g))).item<std::int64_t>() == 3);
}

BOOST_AUTO_TEST_CASE(effective_rank_closed_forms) {
  lg::Generator g(23);
  // k equal nonzero values: exactly k. Rank one: 1.
  const Tensor three = with_eigenvalues({2.0, 2.0, 2.0, 0.0}, g);
  BOOST_TEST(std::abs(mf::psd_effective_rank(three).item() - 3.0) <= 1e-12);
  BOOST_TEST(std::abs(mf::effective_rank(three).item() - 3.0) <= 1e-12);
  BOOST_TEST(std::abs(mf::effective_rank(with_singular_values(5, 3, {4.0}, g)).item() - 1.0) <= 1e-12);
  // p = (1/2, 1/4, 1/4): H = 1.5 log 2, erank = 2^1.5.
  const Tensor a = with_singular_values(6, 4, {2.0, 1.0, 1.0}, g);
  BOOST_TEST(std::abs(mf::effective_rank(a).item() - std::pow(2.0, 1.5)) <= 1e-12);
  BOOST_TEST(std::abs(mf::psd_effective_rank(with_eigenvalues({2.0, 1.0, 1.0}, g)).item() - std::pow(2.0, 1.5)) <=
             1e-12);
  // Between 1 and the rank, batched, in the input's dtype.
  const Tensor batch = lg::randn({3, 5, 4}, lg::float32, &g);
  const Tensor e = mf::effective_rank(batch);
  BOOST_TEST((e.shape() == lg::Shape{3}));
  BOOST_TEST(e.dtype() == lg::float32);
  for (const double v : e.to_vector<double>()) BOOST_TEST((v > 1.0 && v < 4.0));
}

BOOST_AUTO_TEST_CASE(effective_rank_gradient_by_finite_differences) {
  lg::Generator g(24);
  Tensor a = lg::randn({4, 3}, lg::float64, &g);
  a.requires_grad_();
  const auto result = lg::gradcheck(
      "effective_rank", [](const std::vector<Tensor>& in) { return mf::effective_rank(in[0]); }, {a});
  BOOST_TEST(result.passed, result.report);
}

BOOST_AUTO_TEST_CASE(generic_latents_reach_the_largest_stratum) {
  lg::Generator g(25);
  // (min(C, HW - 1), min(H, CW - 1), min(W, CH - 1)).
  const Tensor z = lg::randn({2, 4, 3, 5}, lg::float64, &g);
  const Tensor stratum = mf::latent_stratum(z);
  BOOST_TEST((stratum.shape() == lg::Shape{2, 3}));
  BOOST_TEST(stratum.dtype() == lg::int64);
  BOOST_TEST((ints(stratum) == std::vector<std::int64_t>{4, 3, 5, 4, 3, 5}));
  // Centring binds: C = 6 channels over H W = 4 positions span at most 3 directions.
  const Tensor narrow = lg::randn({6, 2, 2}, lg::float32, &g);
  BOOST_TEST((ints(mf::latent_stratum(narrow)) == std::vector<std::int64_t>{3, 2, 2}));
}

BOOST_AUTO_TEST_CASE(dead_channels_and_rows_lower_the_stratum) {
  lg::Generator g(26);
  const std::int64_t c = 4, h = 3, w = 5;
  std::vector<double> values = lg::randn({2, c, h, w}, lg::float64, &g).to_vector<double>();
  const auto at = [&](std::int64_t e, std::int64_t ci, std::int64_t hi, std::int64_t wi) -> double& {
    return values[static_cast<std::size_t>(((e * c + ci) * h + hi) * w + wi)];
  };
  // Example 0: channel 2 constant (0.7), image row 1 constant (0.7) in every channel: one rank fewer for S_1
  // and S_2; S_3 keeps all W = 5. Example 1 stays generic.
  for (std::int64_t hi = 0; hi < h; ++hi)
    for (std::int64_t wi = 0; wi < w; ++wi) at(0, 2, hi, wi) = 0.7;
  for (std::int64_t ci = 0; ci < c; ++ci)
    for (std::int64_t wi = 0; wi < w; ++wi) at(0, ci, 1, wi) = 0.7;
  const Tensor z = lg::from_vector(values, {2, c, h, w}, lg::float64);
  BOOST_TEST((ints(mf::latent_stratum(z)) == std::vector<std::int64_t>{3, 2, 5, 4, 3, 5}));
  BOOST_TEST((ints(mf::latent_stratum(z.to(lg::float32))) == std::vector<std::int64_t>{3, 2, 5, 4, 3, 5}));
  // Example 1 with two channels equal: S_1 loses one rank.
  for (std::int64_t hi = 0; hi < h; ++hi)
    for (std::int64_t wi = 0; wi < w; ++wi) at(1, 3, hi, wi) = at(1, 0, hi, wi);
  const Tensor twins = lg::from_vector(values, {2, c, h, w}, lg::float64).select(0, 1);
  BOOST_TEST((ints(mf::latent_stratum(twins)) == std::vector<std::int64_t>{3, 3, 5}));
  // A huge relative tolerance keeps only the leading direction of each.
  BOOST_TEST((ints(mf::latent_stratum(twins, {.relative = 0.999})) == std::vector<std::int64_t>{1, 1, 1}));
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  const Tensor a = lg::eye(3, lg::float64);
  lg::testing::expect_error<lg::ValueError>([&] { mf::matrix_rank(a, {.relative = -1.0}); }, "matrix_rank",
                                              {"relative tolerance", "-1"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::psd_rank(a, {.absolute = std::nan("")}); }, "psd_rank",
                                              {"absolute tolerance", "nan"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::psd_rank(lg::zeros({3, 2}, lg::float64)); }, "psd_rank",
                                              {"square", "[3, 2]"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::matrix_rank(lg::zeros({3}, lg::float64)); }, "matrix_rank",
                                              {"[3]"});
  lg::testing::expect_error<lg::DTypeError>([&] { mf::matrix_rank(lg::zeros({2, 2}, lg::int64)); }, "matrix_rank",
                                              {"int64"});
  const Tensor not_psd = lg::diag_embed(lg::tensor({1.0, -1.0}, lg::float64));
  lg::testing::expect_error<lg::ValueError>([&] { mf::psd_rank(not_psd); }, "psd_rank",
                                              {"positive semi-definite", "eigenvalue -1"});
  const Tensor not_symmetric = lg::tensor({{1.0, 1.0}, {0.0, 1.0}}, lg::float64);
  lg::testing::expect_error<lg::ValueError>([&] { mf::psd_effective_rank(not_symmetric); }, "psd_effective_rank",
                                              {"symmetric"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::effective_rank(lg::zeros({2, 3}, lg::float64)); },
                                              "effective_rank", {"zero matrix"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::latent_stratum(lg::zeros({3, 3}, lg::float64)); },
                                              "latent_stratum", {"[..., C, H, W]", "[3, 3]"});
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::latent_stratum(lg::zeros({2, 2, 2}, lg::float64), {.relative = -0.5}); }, "latent_stratum",
      {"-0.5"});
}

BOOST_AUTO_TEST_SUITE_END()
