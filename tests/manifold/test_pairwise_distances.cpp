// Pairwise distances and nearest neighbours against plain float64 loops over
// the points; exact zeros on the diagonal and for duplicate points; gradients
// by finite differences; and the errors.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

double squared_distance(const std::vector<double>& a, std::int64_t i, const std::vector<double>& b, std::int64_t j,
                        std::int64_t d) {
  double total = 0.0;
  for (std::int64_t c = 0; c < d; ++c) {
    const double diff = a[static_cast<std::size_t>(i * d + c)] - b[static_cast<std::size_t>(j * d + c)];
    total += diff * diff;
  }
  return total;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pairwise_distances)

BOOST_AUTO_TEST_CASE(match_a_loop_over_the_points) {
  lg::Generator g(1);
  const Tensor x = lg::randn({7, 5}, lg::float64, &g), y = lg::randn({4, 5}, lg::float64, &g) * 3.0;
  const auto xs = x.to_vector<double>(), ys = y.to_vector<double>();
  const auto d = mf::pairwise_squared_distances(x, y).to_vector<double>();
  for (std::int64_t i = 0; i < 7; ++i)
    for (std::int64_t j = 0; j < 4; ++j)
      BOOST_TEST(d[static_cast<std::size_t>(i * 4 + j)] == squared_distance(xs, i, ys, j, 5),
                 boost::test_tools::tolerance(1e-12));
  const auto self = mf::pairwise_squared_distances(x).to_vector<double>();
  for (std::int64_t i = 0; i < 7; ++i) {
    BOOST_TEST(self[static_cast<std::size_t>(i * 7 + i)] == 0.0);  // exactly
    for (std::int64_t j = 0; j < 7; ++j)
      BOOST_TEST(self[static_cast<std::size_t>(i * 7 + j)] == self[static_cast<std::size_t>(j * 7 + i)],
                 boost::test_tools::tolerance(1e-12));
  }
  // Batched: each batch entry on its own.
  const Tensor xb = lg::randn({3, 6, 2}, lg::float32, &g), yb = lg::randn({3, 5, 2}, lg::float32, &g);
  const Tensor batched = mf::pairwise_squared_distances(xb, yb);
  BOOST_TEST((batched.shape() == lg::Shape{3, 6, 5}));
  for (std::int64_t b = 0; b < 3; ++b)
    BOOST_TEST(lg::max(lg::abs(batched.select(0, b) - mf::pairwise_squared_distances(xb.select(0, b), yb.select(0, b))))
                   .item() == 0.0);
}

BOOST_AUTO_TEST_CASE(never_negative_for_nearly_equal_points) {
  const Tensor x = lg::from_vector(std::vector<double>{1e8, 1.0, 1e8, 1.0 + 1e-9}, {2, 2}, lg::float64);
  BOOST_TEST(lg::min(mf::pairwise_squared_distances(x, x)).item() >= 0.0);
}

BOOST_AUTO_TEST_CASE(gradients_by_finite_differences) {
  lg::Generator g(2);
  Tensor x = lg::randn({4, 3}, lg::float64, &g), y = lg::randn({5, 3}, lg::float64, &g);
  x.requires_grad_();
  y.requires_grad_();
  const auto result = lg::gradcheck(
      "pairwise_squared_distances",
      [](const std::vector<Tensor>& in) { return mf::pairwise_squared_distances(in[0], in[1]); }, {x, y});
  BOOST_TEST(result.passed, result.report);
}

BOOST_AUTO_TEST_CASE(nearest_neighbours_match_a_sort_of_each_row) {
  lg::Generator g(3);
  // More rows than one distance block holds would need 2^22 / 3000 ~ 1400 rows: 3000 points cross blocks.
  const std::int64_t n = 3000, d = 3, k = 4;
  const Tensor points = lg::randn({n, d}, lg::float64, &g);
  const auto p = points.to_vector<double>();
  const auto found = mf::nearest_neighbours(points, k);
  const auto distances = found.distances.to_vector<double>();
  const auto indices = found.indices.to_vector<std::int64_t>();
  for (std::int64_t i : {std::int64_t{0}, std::int64_t{1500}, n - 1}) {
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    order.erase(order.begin() + i);
    std::sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
      return squared_distance(p, i, p, a, d) < squared_distance(p, i, p, b, d);
    });
    for (std::int64_t j = 0; j < k; ++j) {
      BOOST_TEST(indices[static_cast<std::size_t>(i * k + j)] == order[static_cast<std::size_t>(j)]);
      BOOST_TEST(distances[static_cast<std::size_t>(i * k + j)] ==
                     std::sqrt(squared_distance(p, i, p, order[static_cast<std::size_t>(j)], d)),
                 boost::test_tools::tolerance(1e-9));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_duplicate_is_a_neighbour_at_distance_zero_but_a_point_is_not_its_own) {
  const Tensor points = lg::from_vector(std::vector<double>{0, 0, 0, 0, 5, 5}, {3, 2}, lg::float64);
  const auto found = mf::nearest_neighbours(points, 1);
  BOOST_TEST((found.indices.to_vector<std::int64_t>() == std::vector<std::int64_t>{1, 0, 0}));
  BOOST_TEST(found.distances.to_vector<double>()[0] == 0.0);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  const Tensor points = lg::zeros({3, 2});
  lg::testing::expect_error<lg::ValueError>([&] { mf::nearest_neighbours(points, 3); }, "nearest_neighbours",
                                              {"k must be in [1, 2]"});
  lg::testing::expect_error<lg::ShapeError>(
      [&] { mf::pairwise_squared_distances(points, lg::zeros({3, 4})); }, "pairwise_squared_distances",
      {"[3, 2]", "[3, 4]"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::pairwise_squared_distances(lg::zeros({3})); },
                                              "pairwise_squared_distances", {"[3]"});
}

BOOST_AUTO_TEST_SUITE_END()
