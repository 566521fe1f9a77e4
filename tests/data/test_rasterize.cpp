// The anti-aliased renderer: signed distances of the primitive shapes at
// points whose answer is known, exact coverage of a straight edge, the
// coordinate change of a turned and scaled shape, and the errors.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <cmath>
#include <numbers>

#include "common/expect_error.hpp"

namespace ld = lg::data;

BOOST_AUTO_TEST_SUITE(rasterize)

BOOST_AUTO_TEST_CASE(signed_distances_of_the_primitives) {
  using boost::test_tools::tolerance;
  BOOST_TEST(ld::disk_distance({3.0, 4.0}, 2.0) == 3.0);
  BOOST_TEST(ld::disk_distance({0.0, 0.0}, 2.0) == -2.0);
  BOOST_TEST(ld::ring_distance({0.0, 0.0}, 2.0, 0.5) == 1.5);
  BOOST_TEST(ld::ring_distance({2.0, 0.0}, 2.0, 0.5) == -0.5);
  BOOST_TEST(ld::box_distance({4.0, 0.0}, 1.0, 2.0) == 3.0);                  // beside an edge
  BOOST_TEST(ld::box_distance({4.0, 6.0}, 1.0, 2.0) == 5.0);                  // off a corner: |(3, 4)|
  BOOST_TEST(ld::box_distance({0.5, 0.0}, 1.0, 2.0) == -0.5);                 // inside: to the nearest edge
  BOOST_TEST(ld::ellipse_distance({0.6, 0.0}, 0.6, 0.3) == 0.0, tolerance(1e-15));
  BOOST_TEST(ld::ellipse_distance({0.0, 0.4}, 0.6, 0.3) == 0.1, tolerance(1e-12));  // on an axis it is exact
  BOOST_TEST(ld::ellipse_distance({0.0, 0.0}, 0.6, 0.3) == -0.3);
  // A unit square given clockwise, and an L (non-convex) given counter-clockwise.
  const std::vector<ld::Point> square{{0, 0}, {0, 1}, {1, 1}, {1, 0}};
  BOOST_TEST(ld::polygon_distance({0.5, 0.25}, square) == -0.25);
  BOOST_TEST(ld::polygon_distance({2.0, 2.0}, square) == std::sqrt(2.0), tolerance(1e-15));
  const std::vector<ld::Point> ell{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}};
  BOOST_TEST(ld::polygon_distance({1.5, 1.5}, ell) == 0.5);  // in the notch, over its floor
  BOOST_TEST(ld::polygon_distance({1.6, 1.8}, ell) == 0.6, tolerance(1e-14));  // beside its wall
  BOOST_TEST(ld::polygon_distance({0.5, 1.5}, ell) == -0.5);
  // The heart: its tip 0.63 below the centre, its lobes' tops at 0.75 + sqrt(2)/4 - 0.63.
  BOOST_TEST(ld::heart_distance({0.0, -0.63}) == 0.0, tolerance(1e-15));
  BOOST_TEST(ld::heart_distance({0.0, -0.73}) == 0.1, tolerance(1e-12));
  BOOST_TEST(ld::heart_distance({0.25, 0.75 + std::sqrt(2.0) / 4.0 - 0.63}) == 0.0, tolerance(1e-12));
  BOOST_TEST(ld::heart_distance({0.0, 0.0}) < -0.1);
  // Every point of the heart lies within heart_radius of the centre.
  for (int k = 0; k < 360; ++k) {
    const double a = 2.0 * std::numbers::pi * k / 360.0;
    BOOST_TEST(ld::heart_distance({ld::heart_radius * std::cos(a), ld::heart_radius * std::sin(a)}) >= -1e-12);
  }
}

BOOST_AUTO_TEST_CASE(a_straight_edge_covers_its_exact_area) {
  // The half-plane x < 2.3 of a 3 x 4 image: columns 0 and 1 whole, column 2 covered 0.3, column 3 empty,
  // for every supersampling (the ramps of width 1/k tile the pixel).
  for (const std::int64_t k : {1, 2, 4, 5}) {
    const auto image =
        ld::rasterize(3, 4, [](ld::Point p) { return p.x - 2.3; }, {.supersampling = k, .radius = 10.0});
    for (std::int64_t r = 0; r < 3; ++r) {
      BOOST_TEST(image[static_cast<std::size_t>(r * 4 + 0)] == 1.0);
      BOOST_TEST(image[static_cast<std::size_t>(r * 4 + 1)] == 1.0);
      BOOST_TEST(image[static_cast<std::size_t>(r * 4 + 2)] == 0.3, boost::test_tools::tolerance(1e-12));
      BOOST_TEST(image[static_cast<std::size_t>(r * 4 + 3)] == 0.0);
    }
  }
  // Pixels beyond radius + 1 of the centre are left at 0 even where the shape would cover them.
  const auto clipped = ld::rasterize(1, 10, [](ld::Point) { return -1.0; }, {.radius = 1.0, .centre = {1.5, 0.5}});
  BOOST_TEST(clipped[0] == 1.0);
  BOOST_TEST(clipped[9] == 0.0);
}

BOOST_AUTO_TEST_CASE(shape_coordinates_turn_counter_clockwise_as_seen) {
  // A shape turned a quarter turn counter-clockwise: its +x axis points up the image (to smaller y).
  const ld::Point p = ld::to_shape_coordinates({10.0, 6.0}, {10.0, 10.0}, std::numbers::pi / 2.0, 2.0);
  BOOST_TEST(p.x == 2.0, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(std::abs(p.y) < 1e-14);
  // The frame kept for many points gives the same; a point right of the centre of an unturned shape is on +x.
  const ld::ShapeFrame frame({10.0, 10.0}, std::numbers::pi / 2.0, 2.0);
  BOOST_TEST(frame.to_shape({10.0, 6.0}).x == p.x);
  const ld::Point right = ld::ShapeFrame({1.0, 1.0}, 0.0, 0.5).to_shape({2.0, 0.5});
  BOOST_TEST(right.x == 2.0);
  BOOST_TEST(right.y == 1.0);  // above the centre: y up
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_refused) {
  using lg::testing::expect_error;
  const ld::SignedDistance any = [](ld::Point) { return 0.0; };
  expect_error<lg::ValueError>([&] { ld::rasterize(0, 4, any, {}); }, "rasterize", {"0 x 4"});
  expect_error<lg::ValueError>([&] { ld::rasterize(4, 4, any, {.supersampling = 0}); }, "rasterize",
                               {"supersampling must be >= 1, got 0"});
  expect_error<lg::ValueError>([&] { ld::rasterize(4, 4, any, {.radius = -1.0}); }, "rasterize", {"radius"});
  expect_error<lg::ValueError>([&] { ld::rasterize(4, 4, ld::SignedDistance{}, {}); }, "rasterize", {"empty"});
  expect_error<lg::ValueError>([] { ld::ShapeFrame({}, 0.0, 0.0); }, "ShapeFrame",
                               {"scale must be finite and > 0, got 0"});
  const std::vector<ld::Point> two{{0, 0}, {1, 1}};
  expect_error<lg::ValueError>([&] { ld::polygon_distance({}, two); }, "polygon_distance",
                               {"at least 3 vertices, got 2"});
}

BOOST_AUTO_TEST_SUITE_END()
