// Principal angles against subspaces built at known angles, including one at
// 1e-8, where cosine-based angles return 0 in float64.
#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;
using manifold_test::max_abs_difference;

namespace {

// Columns e_i (i < p) and cos(theta_i) e_i + sin(theta_i) e_{p+i}: subspaces at the angles theta.
struct Pair {
  Tensor a;
  Tensor b;
};

Pair at_angles(std::int64_t n, const std::vector<double>& angles) {
  const auto p = static_cast<std::int64_t>(angles.size());
  std::vector<double> a(static_cast<std::size_t>(n * p), 0.0), b(a.size(), 0.0);
  for (std::int64_t i = 0; i < p; ++i) {
    a[static_cast<std::size_t>(i * p + i)] = 1.0;
    b[static_cast<std::size_t>(i * p + i)] = std::cos(angles[static_cast<std::size_t>(i)]);
    b[static_cast<std::size_t>((p + i) * p + i)] = std::sin(angles[static_cast<std::size_t>(i)]);
  }
  return {lg::from_vector(a, {n, p}, lg::float64), lg::from_vector(b, {n, p}, lg::float64)};
}

// A random rotation of R^n and a random invertible mixing of the columns: the angles must not change.
Pair disguised(const Pair& pair, lg::Generator& g) {
  const std::int64_t n = pair.a.size(0), p = pair.a.size(1);
  const Tensor rotation = lg::qr(lg::randn({n, n}, lg::float64, &g)).q;
  const Tensor mix_a = lg::randn({p, p}, lg::float64, &g) + 3.0 * lg::eye(p, lg::float64);
  const Tensor mix_b = lg::randn({p, p}, lg::float64, &g) + 3.0 * lg::eye(p, lg::float64);
  return {lg::matmul(lg::matmul(rotation, pair.a), mix_a), lg::matmul(lg::matmul(rotation, pair.b), mix_b)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(principal_angles)

BOOST_AUTO_TEST_CASE(known_angles_come_back_ascending) {
  const std::vector<double> angles{1.4, 0.1, 0.7};
  const Pair pair = at_angles(7, angles);
  const Tensor got = mf::principal_angles(pair.a, pair.b);
  const Tensor want = lg::tensor({0.1, 0.7, 1.4}, lg::float64);
  BOOST_TEST(max_abs_difference(got, want) <= 1e-14);
  lg::Generator g(3);
  const Pair hidden = disguised(pair, g);
  BOOST_TEST(max_abs_difference(mf::principal_angles(hidden.a, hidden.b), want) <= 1e-12);
  const double squares = 0.01 + 0.49 + 1.96;
  BOOST_TEST(std::abs(mf::grassmann_distance(hidden.a, hidden.b).item<double>() - std::sqrt(squares)) <= 1e-12);
  const double sines = std::pow(std::sin(0.1), 2) + std::pow(std::sin(0.7), 2) + std::pow(std::sin(1.4), 2);
  BOOST_TEST(std::abs(mf::chordal_distance(hidden.a, hidden.b).item<double>() - std::sqrt(sines)) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(a_tiny_angle_keeps_its_digits) {
  const Pair pair = at_angles(5, {1e-8, 0.5});
  lg::Generator g(4);
  const Pair hidden = disguised(pair, g);
  const auto angles = mf::principal_angles(hidden.a, hidden.b).to_vector<double>();
  BOOST_TEST(std::abs(angles[0] - 1e-8) <= 1e-6 * 1e-8, "smallest angle " << angles[0]);
  BOOST_TEST(std::abs(angles[1] - 0.5) <= 1e-12);
  // The cosine route loses it: cos(1e-8) = 1 - 5e-17 rounds to 1 or 1 - 2.2e-16, whose arccos is
  // 0 or 2.1e-8, never 1e-8.
  const Tensor qa = lg::qr(hidden.a).q, qb = lg::qr(hidden.b).q;
  const double largest_cosine = lg::svdvals(lg::matmul(lg::matrix_transpose(qa), qb)).to_vector<double>()[0];
  BOOST_TEST(std::abs(std::acos(std::min(largest_cosine, 1.0)) - 1e-8) > 0.5e-8);
}

BOOST_AUTO_TEST_CASE(bases_of_different_widths_and_batches) {
  // B spans A's space plus one more direction: min(p, q) = 2 angles, both 0.
  lg::Generator g(5);
  const Tensor a = lg::randn({6, 2}, lg::float64, &g);
  const Tensor b = lg::cat({a, lg::randn({6, 1}, lg::float64, &g)}, 1);
  BOOST_TEST(lg::max(mf::principal_angles(a, b)).item<double>() <= 1e-7);
  BOOST_TEST(max_abs_difference(mf::principal_angles(a, b), mf::principal_angles(b, a)) == 0.0);
  BOOST_TEST(mf::principal_angles(b, a).size(-1) == 2);
  const Pair one = at_angles(5, {0.3, 0.9}), two = at_angles(5, {0.2, 1.1});
  const Tensor batched = mf::principal_angles(lg::stack({one.a, two.a}), lg::stack({one.b, two.b}));
  BOOST_TEST(max_abs_difference(batched, lg::tensor({{0.3, 0.9}, {0.2, 1.1}}, lg::float64)) <= 1e-14);
}

BOOST_AUTO_TEST_CASE(mismatched_bases_are_refused) {
  lg::testing::expect_error<lg::ShapeError>(
      [] { (void)mf::principal_angles(lg::zeros({5, 2}, lg::float64), lg::zeros({4, 2}, lg::float64)); },
      "principal_angles: ", {"[5, 2]", "[4, 2]"});
}

BOOST_AUTO_TEST_SUITE_END()
