// The two linked circles: every point on its circle (C1 in z = 0 at distance r
// from 0, C2 in y = 0 at distance r from (r, 0, 0)), every point exactly r from
// the other circle, the link itself (each circle crosses the other's plane once
// inside its disk and once outside), the grid's exact angles, the first half /
// second half labelling, seeds (same bits, different draws), and the errors.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <cmath>
#include <cstring>
#include <numbers>
#include <vector>

#include "common/expect_error.hpp"

namespace {

namespace ld = lg::data;
constexpr double pi = std::numbers::pi;

struct Point {
  double x, y, z;
};

std::vector<Point> rows_of(const lg::Tensor& points) {
  const std::vector<double> v = points.to(lg::float64).to_vector<double>();
  std::vector<Point> out;
  for (std::size_t i = 0; i + 2 < v.size(); i += 3) out.push_back({v[i], v[i + 1], v[i + 2]});
  return out;
}

// The distance from p to C1 (the circle of radius r about the z axis in z = 0).
double distance_to_c1(Point p, double r) { return std::hypot(p.z, std::hypot(p.x, p.y) - r); }
// The distance from p to C2 (the circle of radius r about the axis through (r, 0, 0) along y, in y = 0).
double distance_to_c2(Point p, double r) { return std::hypot(p.y, std::hypot(p.x - r, p.z) - r); }

}  // namespace

BOOST_AUTO_TEST_SUITE(linked_circles)

BOOST_AUTO_TEST_CASE(samples_lie_on_their_circle_and_r_from_the_other) {
  const double r = 1.7;
  const auto data = ld::sample_linked_circles({.count = 301, .radius = r}, 5);
  BOOST_TEST((data.points.shape() == lg::Shape{301, 3}));
  BOOST_TEST(data.points.dtype() == lg::float64);
  BOOST_TEST((data.parameters.shape() == lg::Shape{301}));
  BOOST_TEST(data.parameters.dtype() == lg::float64);
  BOOST_TEST(data.labels.dtype() == lg::int64);
  const auto points = rows_of(data.points);
  const auto t = data.parameters.to_vector<double>();
  const auto labels = data.labels.to_vector<std::int64_t>();
  for (std::size_t i = 0; i < points.size(); ++i) {
    BOOST_TEST_CONTEXT("point " << i) {
      BOOST_TEST((t[i] >= 0.0 && t[i] < 2.0 * pi));
      BOOST_TEST(labels[i] == (i < 151 ? 0 : 1));  // ceil(301 / 2) = 151 on C1, 150 on C2
      const Point p = points[i];
      if (labels[i] == 0) {
        BOOST_TEST(p.z == 0.0);
        BOOST_TEST(std::abs(std::hypot(p.x, p.y) - r) < 1e-12);
        BOOST_TEST(std::abs(std::atan2(p.y, p.x) - std::remainder(t[i], 2.0 * pi)) < 1e-12);
        BOOST_TEST(std::abs(distance_to_c2(p, r) - r) < 1e-12);
      } else {
        BOOST_TEST(p.y == 0.0);
        BOOST_TEST(std::abs(std::hypot(p.x - r, p.z) - r) < 1e-12);
        BOOST_TEST(std::abs(std::atan2(p.z, p.x - r) - std::remainder(t[i], 2.0 * pi)) < 1e-12);
        BOOST_TEST(std::abs(distance_to_c1(p, r) - r) < 1e-12);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_circles_are_linked) {
  // C2 meets the plane z = 0 where sin t = 0: t = 0 at x = 2r (outside C1's disk), t = pi at x = 0 (its centre).
  // C1 meets the plane y = 0 at t = 0, x = r (C2's centre), and at t = pi, x = -r (2r from C2's centre).
  const double r = 1.0;
  const auto t = lg::from_vector(std::vector<double>{0.0, pi, 0.0, pi}, {4}, lg::float64);
  const auto labels = lg::from_vector(std::vector<std::int64_t>{1, 1, 0, 0}, {4});
  const auto p = rows_of(ld::linked_circles_at(t, labels, r));
  BOOST_TEST(std::abs(p[0].z) < 1e-15);
  BOOST_TEST(std::abs(p[1].z) < 1e-15);
  BOOST_TEST(std::hypot(p[0].x, p[0].y) > r);   // outside the disk of C1
  BOOST_TEST(std::hypot(p[1].x, p[1].y) < r);   // inside it: C2 passes through C1's disk once
  BOOST_TEST(std::abs(p[2].y) < 1e-15);
  BOOST_TEST(std::abs(p[3].y) < 1e-15);
  BOOST_TEST(std::hypot(p[2].x - r, p[2].z) < r);  // inside C2's disk
  BOOST_TEST(std::hypot(p[3].x - r, p[3].z) > r);  // outside it
  // The linking number as a Gauss integral would be +-1; its parity is the count of crossings of C2 through C1's
  // disk on a fine grid: exactly one sign change of z inside the disk per turn.
  const auto grid = ld::linked_circles_grid(4001, r);
  const auto c2 = rows_of(grid.points.narrow(0, 4001, 4001));
  int inside_crossings = 0;
  for (std::size_t i = 0; i < c2.size(); ++i) {
    const Point a = c2[i], b = c2[(i + 1) % c2.size()];
    if ((a.z < 0.0) != (b.z < 0.0) && std::hypot(0.5 * (a.x + b.x), 0.5 * (a.y + b.y)) < r) ++inside_crossings;
  }
  BOOST_TEST(inside_crossings == 1);
}

BOOST_AUTO_TEST_CASE(grid_is_evenly_spaced_c1_first) {
  const auto grid = ld::linked_circles_grid(8, 2.0, lg::float32);
  BOOST_TEST((grid.points.shape() == lg::Shape{16, 3}));
  BOOST_TEST(grid.points.dtype() == lg::float32);
  const auto t = grid.parameters.to_vector<double>();
  const auto labels = grid.labels.to_vector<std::int64_t>();
  for (std::size_t i = 0; i < 16; ++i) {
    BOOST_TEST(t[i] == 2.0 * pi * static_cast<double>(i % 8) / 8.0);
    BOOST_TEST(labels[i] == (i < 8 ? 0 : 1));
  }
  const auto p = rows_of(grid.points);
  BOOST_TEST(p[2].x == 0.0, boost::test_tools::tolerance(1e-6));  // C1 at t = pi/2: (0, r, 0)
  BOOST_TEST(p[2].y == 2.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(p[12].x == 0.0, boost::test_tools::tolerance(1e-6));  // C2 at t = pi: (0, 0, 0)
  BOOST_TEST(p[10].z == 2.0, boost::test_tools::tolerance(1e-6));  // C2 at t = pi/2: (r, 0, r)
  BOOST_TEST(p[10].x == 2.0, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(same_seed_same_bits_other_seed_other_points) {
  const auto a = ld::sample_linked_circles({.count = 200}, 11);
  const auto b = ld::sample_linked_circles({.count = 200}, 11);
  const auto c = ld::sample_linked_circles({.count = 200}, 12);
  const auto pa = a.points.to_vector<double>(), pb = b.points.to_vector<double>(), pc = c.points.to_vector<double>();
  BOOST_TEST(std::memcmp(pa.data(), pb.data(), pa.size() * sizeof(double)) == 0);
  BOOST_TEST((a.parameters.to_vector<double>() == b.parameters.to_vector<double>()));
  const auto ta = a.parameters.to_vector<double>(), tc = c.parameters.to_vector<double>();
  std::size_t same_t = 0, same_coordinates = 0;
  for (std::size_t i = 0; i < ta.size(); ++i) same_t += ta[i] == tc[i];
  for (std::size_t i = 0; i < pa.size(); ++i) same_coordinates += pa[i] == pc[i];
  BOOST_TEST(same_t == 0u);
  BOOST_TEST(same_coordinates == 200u);  // only C1's z = 0 and C2's y = 0, one coordinate of each point
  // A generator is drawn one value a point, in order: two points from Generator(11) are the first two above.
  lg::Generator generator(11);
  const auto first = ld::sample_linked_circles({.count = 2}, generator);
  BOOST_TEST(first.parameters.to_vector<double>()[0] == a.parameters.to_vector<double>()[0]);
  BOOST_TEST(first.parameters.to_vector<double>()[1] == a.parameters.to_vector<double>()[1]);
  // float32 points are the float64 ones rounded.
  const auto single = ld::sample_linked_circles({.count = 200, .dtype = lg::float32}, 11);
  BOOST_TEST(single.points.dtype() == lg::float32);
  BOOST_TEST((single.points.to_vector<float>() == a.points.to(lg::float32).to_vector<float>()));
}

BOOST_AUTO_TEST_CASE(bad_options_are_refused_naming_the_op) {
  using lg::testing::expect_error;
  expect_error<lg::ValueError>([] { ld::sample_linked_circles({.count = 1}, 0); }, "sample_linked_circles",
                               {"count", "1"});
  expect_error<lg::ValueError>([] { ld::sample_linked_circles({.radius = 0.0}, 0); }, "sample_linked_circles",
                               {"radius", "0"});
  expect_error<lg::ValueError>([] { ld::sample_linked_circles({.radius = std::nan("")}, 0); },
                               "sample_linked_circles", {"radius"});
  expect_error<lg::ValueError>([] { ld::sample_linked_circles({.dtype = lg::int64}, 0); }, "sample_linked_circles",
                               {"dtype", "int64"});
  expect_error<lg::ValueError>([] { ld::linked_circles_grid(0); }, "linked_circles_grid", {"n", "0"});
  expect_error<lg::ValueError>([] { ld::linked_circles_grid(4, -1.0); }, "linked_circles_grid", {"radius", "-1"});
  const auto t = lg::from_vector(std::vector<double>{0.0, 1.0}, {2}, lg::float64);
  const auto labels = lg::from_vector(std::vector<std::int64_t>{0, 2}, {2});
  expect_error<lg::ValueError>([&] { ld::linked_circles_at(t, labels); }, "linked_circles_at", {"label 1", "2"});
  const auto infinite = lg::from_vector(std::vector<double>{0.0, INFINITY}, {2}, lg::float64);
  const auto good = lg::from_vector(std::vector<std::int64_t>{0, 1}, {2});
  expect_error<lg::ValueError>([&] { ld::linked_circles_at(infinite, good); }, "linked_circles_at",
                               {"parameter 1", "not finite"});
  expect_error<lg::DTypeError>([&] { ld::linked_circles_at(t.to(lg::float32), good); }, "linked_circles_at",
                               {"float64", "float32"});
  expect_error<lg::ShapeError>([&] { ld::linked_circles_at(t.reshape({2, 1}), good); }, "linked_circles_at",
                               {"[2, 1]", "[2]"});
}

BOOST_AUTO_TEST_SUITE_END()
