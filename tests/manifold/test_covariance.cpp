// Covariances and Gram matrices against float64 loops over the points, the mode
// unfoldings element by element, the mode covariances against their defining sum,
// and the errors.
#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;
using manifold_test::max_abs_difference;

namespace {

std::size_t at(std::int64_t i) { return static_cast<std::size_t>(i); }

// The covariance of the rows of x [n, d] (row-major values) by two loops.
std::vector<double> covariance_loop(const std::vector<double>& x, std::int64_t n, std::int64_t d, double correction) {
  std::vector<double> mean(at(d), 0.0), c(at(d * d), 0.0);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t a = 0; a < d; ++a) mean[at(a)] += x[at(i * d + a)] / static_cast<double>(n);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t a = 0; a < d; ++a)
      for (std::int64_t b = 0; b < d; ++b)
        c[at(a * d + b)] += (x[at(i * d + a)] - mean[at(a)]) * (x[at(i * d + b)] - mean[at(b)]) /
                            (static_cast<double>(n) - correction);
  return c;
}

double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double worst = a.size() == b.size() ? 0.0 : 1e300;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(covariance)

BOOST_AUTO_TEST_CASE(covariance_and_gram_match_loops) {
  lg::Generator g(11);
  const Tensor x = lg::randn({9, 4}, lg::float64, &g) * 2.0 + 1.5;
  const auto xs = x.to_vector<double>();
  BOOST_TEST(max_abs_difference(mf::covariance(x).to_vector<double>(), covariance_loop(xs, 9, 4, 1.0)) <= 1e-13);
  BOOST_TEST(max_abs_difference(mf::covariance(x, 0.0).to_vector<double>(), covariance_loop(xs, 9, 4, 0.0)) <= 1e-13);
  const auto gram = mf::gram(x).to_vector<double>();
  BOOST_TEST((mf::gram(x).shape() == lg::Shape{9, 9}));
  for (std::int64_t i = 0; i < 9; ++i)
    for (std::int64_t j = 0; j < 9; ++j) {
      double dot = 0.0;
      for (std::int64_t a = 0; a < 4; ++a) dot += xs[at(i * 4 + a)] * xs[at(j * 4 + a)];
      BOOST_TEST(std::abs(gram[at(i * 9 + j)] - dot) <= 1e-12);
    }
  // Batched: each entry on its own.
  const Tensor xb = lg::randn({3, 6, 2}, lg::float64, &g);
  const Tensor cb = mf::covariance(xb);
  BOOST_TEST((cb.shape() == lg::Shape{3, 2, 2}));
  for (std::int64_t b = 0; b < 3; ++b)
    BOOST_TEST(max_abs_difference(cb.select(0, b), mf::covariance(xb.select(0, b))) <= 1e-15);
}

BOOST_AUTO_TEST_CASE(mode_unfoldings_place_each_element_as_documented) {
  const std::int64_t c = 2, h = 3, w = 4;
  std::vector<double> values(at(c * h * w));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
  const Tensor z = lg::from_vector(values, {c, h, w}, lg::float64);
  const auto z1 = mf::mode_unfolding(z, 1).to_vector<double>();
  const auto z2 = mf::mode_unfolding(z, 2).to_vector<double>();
  const auto z3 = mf::mode_unfolding(z, 3).to_vector<double>();
  BOOST_TEST((mf::mode_unfolding(z, 2).shape() == lg::Shape{h, c * w}));
  BOOST_TEST((mf::mode_unfolding(z, 3).shape() == lg::Shape{w, c * h}));
  for (std::int64_t ci = 0; ci < c; ++ci)
    for (std::int64_t hi = 0; hi < h; ++hi)
      for (std::int64_t wi = 0; wi < w; ++wi) {
        const double v = values[at((ci * h + hi) * w + wi)];
        BOOST_TEST(z1[at(ci * h * w + hi * w + wi)] == v);
        BOOST_TEST(z2[at(hi * c * w + ci * w + wi)] == v);
        BOOST_TEST(z3[at(wi * c * h + ci * h + hi)] == v);
      }
}

BOOST_AUTO_TEST_CASE(mode_covariances_follow_their_definition) {
  lg::Generator g(12);
  const std::int64_t b = 2, c = 3, h = 4, w = 5;
  const Tensor z = lg::randn({b, c, h, w}, lg::float64, &g);
  const mf::ModeCovariances s = mf::mode_covariances(z);
  BOOST_TEST((s.channels.shape() == lg::Shape{b, c, c}));
  BOOST_TEST((s.rows.shape() == lg::Shape{b, h, h}));
  BOOST_TEST((s.columns.shape() == lg::Shape{b, w, w}));
  const auto zs = z.to_vector<double>();
  const auto value = [&](std::int64_t e, std::int64_t ci, std::int64_t hi, std::int64_t wi) {
    return zs[at(((e * c + ci) * h + hi) * w + wi)];
  };
  for (std::int64_t e = 0; e < b; ++e) {
    // S_2 straight from its definition: rows h, columns the (c, w) pairs, centred over the columns.
    std::vector<double> row_mean(at(h), 0.0), s2(at(h * h), 0.0);
    const double columns = static_cast<double>(c * w);
    for (std::int64_t hi = 0; hi < h; ++hi)
      for (std::int64_t ci = 0; ci < c; ++ci)
        for (std::int64_t wi = 0; wi < w; ++wi) row_mean[at(hi)] += value(e, ci, hi, wi) / columns;
    for (std::int64_t p = 0; p < h; ++p)
      for (std::int64_t q = 0; q < h; ++q)
        for (std::int64_t ci = 0; ci < c; ++ci)
          for (std::int64_t wi = 0; wi < w; ++wi)
            s2[at(p * h + q)] += (value(e, ci, p, wi) - row_mean[at(p)]) * (value(e, ci, q, wi) - row_mean[at(q)]) /
                                 (columns - 1.0);
    BOOST_TEST(max_abs_difference(s.rows.select(0, e).to_vector<double>(), s2) <= 1e-13);
    // S_1 and S_3 as covariances of the transposed unfoldings, by the loop above.
    const Tensor z1 = lg::matrix_transpose(mf::mode_unfolding(z.select(0, e), 1)).contiguous();
    const Tensor z3 = lg::matrix_transpose(mf::mode_unfolding(z.select(0, e), 3)).contiguous();
    BOOST_TEST(max_abs_difference(s.channels.select(0, e).to_vector<double>(),
                                  covariance_loop(z1.to_vector<double>(), h * w, c, 1.0)) <= 1e-13);
    BOOST_TEST(max_abs_difference(s.columns.select(0, e).to_vector<double>(),
                                  covariance_loop(z3.to_vector<double>(), c * h, w, 1.0)) <= 1e-13);
  }
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  const Tensor x = lg::zeros({3, 2}, lg::float64);
  lg::testing::expect_error<lg::ValueError>([&] { mf::covariance(x, 3.0); }, "covariance",
                                              {"[0, N) with N = 3", "[3, 2]"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::covariance(x, -1.0); }, "covariance", {"-1"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::covariance(lg::zeros({3})); }, "covariance", {"[3]"});
  lg::testing::expect_error<lg::DTypeError>([&] { mf::gram(lg::zeros({3, 2}, lg::int64)); }, "gram", {"int64"});
  const Tensor z = lg::zeros({2, 3, 4}, lg::float64);
  lg::testing::expect_error<lg::ValueError>([&] { mf::mode_unfolding(z, 0); }, "mode_unfolding",
                                              {"1 (channels), 2 (rows) or 3 (columns)", "got 0"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::mode_unfolding(x, 1); }, "mode_unfolding", {"[3, 2]"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::mode_covariances(lg::zeros({1, 1, 1}, lg::float64)); },
                                              "mode_covariances", {"at least 2 columns", "[1, 1, 1]"});
}

BOOST_AUTO_TEST_SUITE_END()
