// Discrete geodesics under fixed decoders with known geodesics: the circle and
// the flat torus (isometric: straight latent lines), the sphere in (theta, phi)
// (not isometric: great circles, shorter than the straight latent line); a
// batch equals its curves alone; the k-nearest-neighbour graph's initial curves
// (exact on a chain of codes, around the hole of an annulus, steered by a
// decoder); and the errors.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

// The unit circle: z [P, 1] -> (cos z, sin z).
Tensor circle(const Tensor& z) { return lg::cat({lg::cos(z), lg::sin(z)}, 1); }

// The flat torus: (z1, z2) -> (cos z1, sin z1, cos z2, sin z2).
Tensor torus(const Tensor& z) {
  const Tensor z1 = lg::narrow(z, 1, 0, 1), z2 = lg::narrow(z, 1, 1, 1);
  return lg::cat({lg::cos(z1), lg::sin(z1), lg::cos(z2), lg::sin(z2)}, 1);
}

// The unit sphere in polar coordinates: (theta, phi) -> (sin theta cos phi, sin theta sin phi, cos theta).
Tensor sphere(const Tensor& z) {
  const Tensor theta = lg::narrow(z, 1, 0, 1), phi = lg::narrow(z, 1, 1, 1);
  return lg::cat({lg::sin(theta) * lg::cos(phi), lg::sin(theta) * lg::sin(phi), lg::cos(theta)}, 1);
}

std::vector<double> sphere_point(double theta, double phi) {
  return {std::sin(theta) * std::cos(phi), std::sin(theta) * std::sin(phi), std::cos(theta)};
}

std::vector<double> cross(const std::vector<double>& u, const std::vector<double>& v) {
  return {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
}

double dot(const std::vector<double>& u, const std::vector<double>& v) {
  return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
}

// The largest |difference| between two tensors of one shape.
double max_difference(const Tensor& a, const Tensor& b) { return lg::max(lg::abs(a - b)).item(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(geodesic)

BOOST_AUTO_TEST_CASE(straight_curves_hit_both_ends_exactly) {
  const Tensor a = lg::tensor({{0.1, -0.3}}, lg::float64), b = lg::tensor({{0.7, 0.9}}, lg::float64);
  const Tensor z = mf::straight_curves(a, b, 3);
  BOOST_TEST((z.shape() == lg::Shape{1, 4, 2}));
  const auto v = z.to_vector<double>();
  BOOST_TEST(v[0] == 0.1);
  BOOST_TEST(v[1] == -0.3);
  BOOST_TEST(v[6] == 0.7);
  BOOST_TEST(v[7] == 0.9);
  BOOST_TEST(v[2] == 0.3, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(v[3] == 0.1, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(circle_geodesic_is_evenly_spaced_from_a_perturbed_start) {
  const std::int64_t t = 64;
  const double a = 0.2, b = 2.0;
  // Uneven spacing: s^2 instead of s.
  std::vector<double> initial;
  for (std::int64_t i = 0; i <= t; ++i) {
    const double s = static_cast<double>(i) / static_cast<double>(t);
    initial.push_back(a + (b - a) * s * s);
  }
  const Tensor start = lg::from_vector(std::vector<double>{a}, {1, 1}, lg::float64);
  const Tensor end = lg::from_vector(std::vector<double>{b}, {1, 1}, lg::float64);
  const auto result = mf::geodesics(circle, start, end,
                                    {.points = t, .iterations = 1000, .lr = 2e-2,
                                     .initial = lg::from_vector(initial, {1, t + 1, 1}, lg::float64)});
  const double length = result.lengths.item(), energy = result.energies.item();
  BOOST_TEST(std::abs(length - (b - a)) / (b - a) < 1e-3);
  BOOST_TEST(energy == length * length, boost::test_tools::tolerance(1e-6));  // constant speed
  BOOST_TEST(max_difference(result.curves, mf::straight_curves(start, end, t)) < 1e-3);
  BOOST_TEST(result.energy_history.back() < result.energy_history.front());
}

BOOST_AUTO_TEST_CASE(flat_torus_geodesics_are_straight_lines) {
  const std::int64_t t = 32;
  const Tensor a = lg::tensor({{0.1, -0.4}, {1.0, 0.5}}, lg::float64);
  const Tensor b = lg::tensor({{1.2, 0.7}, {-0.3, 2.0}}, lg::float64);
  const Tensor straight = mf::straight_curves(a, b, t);
  // Perturbed: a bump sin(pi s) (0.3, -0.2) added, zero at both ends.
  const Tensor s = lg::reshape(lg::linspace(0.0, 1.0, t + 1, lg::float64), {1, t + 1, 1});
  const Tensor bump = lg::sin(s * std::numbers::pi) * lg::reshape(lg::tensor({0.3, -0.2}, lg::float64), {1, 1, 2});
  for (const auto optimizer : {mf::GeodesicOptimizer::adam, mf::GeodesicOptimizer::sgd}) {
    const bool adam = optimizer == mf::GeodesicOptimizer::adam;
    // SGD with momentum 0.9 on E = T sum |dz|^2 (near the line): curvature at most 8 T, so lr < 3.8 / (8 T).
    const auto result = mf::geodesics(torus, a, b,
                                      {.points = t, .iterations = 500, .lr = 1e-2,
                                       .optimizer = optimizer, .initial = straight + bump});
    BOOST_TEST(max_difference(result.curves, straight) < 2e-3, (adam ? "adam" : "sgd"));
    const auto lengths = result.lengths.to_vector<double>();
    BOOST_TEST(std::abs(lengths[0] - std::hypot(1.1, 1.1)) / std::hypot(1.1, 1.1) < 1e-3);
    BOOST_TEST(std::abs(lengths[1] - std::hypot(1.3, 1.5)) / std::hypot(1.3, 1.5) < 1e-3);
    // The straight line is the discrete minimiser here: the solver cannot beat it, and nearly reaches it.
    const auto straight_lengths = result.straight_lengths.to_vector<double>();
    for (std::size_t i = 0; i < 2; ++i) {
      BOOST_TEST(lengths[i] >= straight_lengths[i] - 1e-12);
      BOOST_TEST(lengths[i] <= straight_lengths[i] * (1.0 + 1e-5));
    }
  }
}

BOOST_AUTO_TEST_CASE(sphere_geodesics_follow_great_circles) {
  const std::int64_t t = 32;
  // (theta, phi) pairs away from the poles; the first two on one latitude, where the great circle bends poleward.
  const std::vector<double> from{1.2, 0.0, 1.0, -0.5, 2.0, 0.3}, to{1.2, 1.5, 1.4, 1.2, 1.7, 1.9};
  const Tensor a = lg::from_vector(from, {3, 2}, lg::float64), b = lg::from_vector(to, {3, 2}, lg::float64);
  const auto result = mf::geodesics(sphere, a, b, {.points = t, .iterations = 500, .lr = 1e-2});
  const auto lengths = result.lengths.to_vector<double>();
  const auto straight = result.straight_lengths.to_vector<double>();
  const auto x = mf::decode_curves(sphere, result.curves).to_vector<double>();  // [3, T + 1, 3]
  for (std::size_t p = 0; p < 3; ++p) {
    const auto u = sphere_point(from[2 * p], from[2 * p + 1]), v = sphere_point(to[2 * p], to[2 * p + 1]);
    const auto normal = cross(u, v);
    const double sine = std::sqrt(dot(normal, normal));
    const double great_circle = std::atan2(sine, dot(u, v));
    BOOST_TEST_MESSAGE("sphere pair " << p << ": length " << lengths[p] << ", great circle " << great_circle
                                      << ", straight latent line " << straight[p]);
    BOOST_TEST(std::abs(lengths[p] - great_circle) / great_circle < 1e-3);
    BOOST_TEST(lengths[p] < straight[p] * (1.0 - 1e-3));  // the straight latent line is not a geodesic
    // Every decoded point lies near the plane through 0, g(a) and g(b).
    double off_plane = 0.0;
    for (std::int64_t i = 0; i <= t; ++i) {
      const std::size_t at = (p * static_cast<std::size_t>(t + 1) + static_cast<std::size_t>(i)) * 3;
      const std::vector<double> point{x[at], x[at + 1], x[at + 2]};
      off_plane = std::max(off_plane, std::abs(dot(point, normal)) / sine);
    }
    BOOST_TEST(off_plane < 2e-3);
  }
  BOOST_TEST(result.iterations > 0);
}

BOOST_AUTO_TEST_CASE(a_batch_follows_the_same_iterates_as_its_curves_alone) {
  const std::vector<double> from{1.2, 0.0, 1.0, -0.5, 2.0, 0.3}, to{1.2, 1.5, 1.4, 1.2, 1.7, 1.9};
  const Tensor a = lg::from_vector(from, {3, 2}, lg::float64), b = lg::from_vector(to, {3, 2}, lg::float64);
  // No early stop (it is the one decision the batch shares): the same 60 steps for all.
  const mf::GeodesicOptions options{.points = 12, .iterations = 60, .lr = 2e-2, .tolerance = 0.0};
  const auto batch = mf::geodesics(sphere, a, b, options);
  BOOST_TEST(batch.iterations == 60);
  BOOST_TEST(batch.energy_history.size() == 61u);
  for (std::int64_t p = 0; p < 3; ++p) {
    const auto alone = mf::geodesics(sphere, lg::narrow(a, 0, p, 1), lg::narrow(b, 0, p, 1), options);
    BOOST_TEST(max_difference(lg::narrow(batch.curves, 0, p, 1), alone.curves) < 1e-12);
    BOOST_TEST(lg::narrow(batch.energies, 0, p, 1).item() == alone.energies.item(),
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(alone.energies.item() < alone.energy_history.front());
  }
}

BOOST_AUTO_TEST_CASE(early_stop_and_one_segment) {
  // Started on the geodesic, the energy hardly changes: it stops long before the 1000 steps, near where it started
  // (Adam's steps are about lr long whatever the gradient's size, so it wanders a little way, here < lr / 10).
  const Tensor a = lg::tensor({{0.1, -0.4}}, lg::float64), b = lg::tensor({{1.2, 0.7}}, lg::float64);
  const auto converged = mf::geodesics(torus, a, b, {.points = 8, .iterations = 1000, .lr = 1e-2, .tolerance = 1e-6});
  BOOST_TEST(converged.iterations < 1000);
  BOOST_TEST(max_difference(converged.curves, mf::straight_curves(a, b, 8)) < 1e-3);
  BOOST_TEST(converged.energies.item() == converged.energy_history.front(), boost::test_tools::tolerance(1e-5));
  // T = 1: nothing to optimise, the straight segment.
  const auto segment = mf::geodesics(torus, a, b, {.points = 1});
  BOOST_TEST(segment.iterations == 0);
  BOOST_TEST((segment.curves.shape() == lg::Shape{1, 2, 2}));
  BOOST_TEST(segment.lengths.item() == segment.straight_lengths.item());
  BOOST_TEST(segment.energy_history.size() == 1u);
}

BOOST_AUTO_TEST_CASE(graph_curves_on_a_chain_are_exact) {
  // Codes 0, 1, ..., 9 on the x axis; from (-1, 0) to (10, 0) the path visits them all: T = 11 gives
  // the points -1, 0, ..., 10 exactly (up to rounding of the arc lengths).
  std::vector<double> chain;
  for (int i = 0; i < 10; ++i) chain.insert(chain.end(), {static_cast<double>(i), 0.0});
  const Tensor codes = lg::from_vector(chain, {10, 2}, lg::float64);
  const Tensor z = mf::graph_initial_curves(codes, lg::tensor({{-1.0, 0.0}}, lg::float64),
                                            lg::tensor({{10.0, 0.0}}, lg::float64), {.neighbours = 2, .points = 11});
  BOOST_TEST((z.shape() == lg::Shape{1, 12, 2}));
  const auto v = z.to_vector<double>();
  for (int i = 0; i <= 11; ++i) {
    BOOST_TEST(v[static_cast<std::size_t>(2 * i)] == static_cast<double>(i - 1), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(v[static_cast<std::size_t>(2 * i + 1)] == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(graph_curves_go_around_the_hole_of_an_annulus) {
  lg::Generator g(11);
  const std::int64_t m = 400, t = 32;
  const double inner = 1.0, outer = 2.0;
  const auto radius = lg::uniform({m}, inner, outer, lg::float64, &g).to_vector<double>();
  const auto angle = lg::uniform({m}, 0.0, 2.0 * std::numbers::pi, lg::float64, &g).to_vector<double>();
  std::vector<double> ring;
  for (std::size_t i = 0; i < radius.size(); ++i)
    ring.insert(ring.end(), {radius[i] * std::cos(angle[i]), radius[i] * std::sin(angle[i])});
  const Tensor codes = lg::from_vector(ring, {m, 2}, lg::float64);
  const Tensor a = lg::tensor({{-1.5, 0.0}, {0.0, 1.5}}, lg::float64);
  const Tensor b = lg::tensor({{1.5, 0.0}, {0.0, -1.5}}, lg::float64);
  const Tensor z = mf::graph_initial_curves(codes, a, b, {.neighbours = 8, .points = t});
  BOOST_TEST((z.shape() == lg::Shape{2, t + 1, 2}));
  const Tensor radii = lg::sqrt(lg::sum(z * z, {-1}));
  BOOST_TEST(lg::min(radii).item() >= inner - 0.05);  // every point outside the hole, up to a chord's sag
  BOOST_TEST(lg::min(lg::sqrt(lg::sum(mf::straight_curves(a, b, t) * mf::straight_curves(a, b, t), {-1}))).item() <
             0.1);  // while the straight lines cross it
  // Ends exact, and the path no longer than half a circle of radius 1.5 with some slack for the zigzag.
  BOOST_TEST(max_difference(lg::narrow(z, 1, 0, 1), lg::unsqueeze(a, 1)) == 0.0);
  BOOST_TEST(max_difference(lg::narrow(z, 1, t, 1), lg::unsqueeze(b, 1)) == 0.0);
  const auto lengths = mf::latent_length(z).to_vector<double>();
  for (double l : lengths) {
    BOOST_TEST(l > std::numbers::pi * inner);
    BOOST_TEST(l < std::numbers::pi * 1.5 * 1.3);
  }
  // The identity decoder weighs edges as the latent distance does: the same curves.
  const auto identity = [](const Tensor& c) { return c; };
  const Tensor decoded = mf::graph_initial_curves(codes, a, b, {.neighbours = 8, .points = t, .decoder = identity});
  BOOST_TEST(max_difference(decoded, z) < 1e-12);
}

BOOST_AUTO_TEST_CASE(graph_initial_curves_escape_the_straight_lines_local_minimum) {
  // A decoder that lifts the unit disc: g(z) = (z, 10 relu(1 - |z|^2)). From (-1.5, 0) to (1.5, 0) the straight
  // line climbs over the bump (decoded length about 23) and, by symmetry, the solver never leaves it; the
  // geodesic skirts the disc: 2 sqrt(1.5^2 - 1) + pi - 2 arccos(1 / 1.5) = 3.695.
  const auto bump = [](const Tensor& z) {
    return lg::cat({z, lg::relu(1.0 - lg::sum(z * z, {1}, true)) * 10.0}, 1);
  };
  lg::Generator g(12);
  const std::int64_t m = 300, t = 32;
  const auto radius = lg::uniform({m}, 1.0, 2.0, lg::float64, &g).to_vector<double>();
  const auto angle = lg::uniform({m}, 0.0, 2.0 * std::numbers::pi, lg::float64, &g).to_vector<double>();
  std::vector<double> ring;
  for (std::size_t i = 0; i < radius.size(); ++i)
    ring.insert(ring.end(), {radius[i] * std::cos(angle[i]), radius[i] * std::sin(angle[i])});
  const Tensor codes = lg::from_vector(ring, {m, 2}, lg::float64);
  const Tensor a = lg::tensor({{-1.5, 0.0}}, lg::float64), b = lg::tensor({{1.5, 0.0}}, lg::float64);
  const mf::GeodesicOptions options{.points = t, .iterations = 300, .lr = 1e-2};
  const auto straight = mf::geodesics(bump, a, b, options);
  mf::GeodesicOptions from_graph = options;
  from_graph.initial = mf::graph_initial_curves(codes, a, b, {.neighbours = 8, .points = t, .decoder = bump});
  const auto around = mf::geodesics(bump, a, b, from_graph);
  const double best = 2.0 * std::sqrt(1.25) + std::numbers::pi - 2.0 * std::acos(1.0 / 1.5);
  BOOST_TEST_MESSAGE("bump: from the straight line " << straight.lengths.item() << ", from the graph "
                                                     << around.lengths.item() << ", geodesic " << best);
  BOOST_TEST(straight.lengths.item() > 20.0);
  BOOST_TEST(around.lengths.item() < best * 1.01);
  BOOST_TEST(around.lengths.item() > best * (1.0 - 1e-3));  // chords of the arc are a little shorter
}

BOOST_AUTO_TEST_CASE(a_decoder_steers_the_graph_path) {
  // Two routes from (0, 0) to (4, 0): y = 1 (latent length 6) and y = -1.2 (6.4), too far apart to be joined
  // at k = 2. In the latent metric the upper one wins; a decoder that stretches y > 0 by 5 makes it 4 + 2 sqrt(26).
  std::vector<double> routes;
  for (int i = 0; i <= 4; ++i) routes.insert(routes.end(), {static_cast<double>(i), 1.0});
  for (int i = 0; i <= 4; ++i) routes.insert(routes.end(), {static_cast<double>(i), -1.2});
  const Tensor codes = lg::from_vector(routes, {10, 2}, lg::float64);
  const Tensor a = lg::tensor({{0.0, 0.0}}, lg::float64), b = lg::tensor({{4.0, 0.0}}, lg::float64);
  // T = 12 and 16 put the routes' corners (at arc lengths 1, 5 of 6 and 1.2, 5.2 of 6.4) on samples.
  const Tensor upper = mf::graph_initial_curves(codes, a, b, {.neighbours = 2, .points = 12});
  BOOST_TEST(lg::min(lg::narrow(upper, 2, 1, 1)).item() >= 0.0);
  BOOST_TEST(mf::latent_length(upper).item() == 6.0, boost::test_tools::tolerance(1e-12));
  const auto stretch = [](const Tensor& z) { return lg::cat({z, lg::relu(lg::narrow(z, 1, 1, 1)) * 5.0}, 1); };
  const Tensor lower = mf::graph_initial_curves(codes, a, b, {.neighbours = 2, .points = 16, .decoder = stretch});
  BOOST_TEST(lg::max(lg::narrow(lower, 2, 1, 1)).item() <= 0.0);
  BOOST_TEST(mf::latent_length(lower).item() == 6.4, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(errors) {
  using lg::testing::expect_error;
  const Tensor a = lg::zeros({3, 2}, lg::float64), b = lg::ones({3, 2}, lg::float64);
  expect_error<lg::ShapeError>([&] { mf::geodesics(torus, a, lg::ones({2, 2}, lg::float64)); }, "geodesics: ",
                               {"[3, 2]", "[2, 2]"});
  expect_error<lg::ValueError>([&] { mf::geodesics(torus, a, b, {.points = 0}); }, "geodesics: ", {"T >= 1"});
  expect_error<lg::ValueError>([&] { mf::geodesics(torus, a, b, {.lr = 0.0}); }, "geodesics: ", {"lr"});
  expect_error<lg::ShapeError>(
      [&] { mf::geodesics(torus, a, b, {.points = 4, .initial = lg::zeros({3, 4, 2}, lg::float64)}); },
      "geodesics: ", {"[3, 5, 2]", "[3, 4, 2]"});
  const Tensor ints = lg::zeros({3, 2}, lg::int64);
  expect_error<lg::DTypeError>([&] { mf::geodesics(torus, ints, ints); }, "geodesics: ", {"int64"});
  expect_error<lg::ValueError>([&] { mf::straight_curves(a, b, 0); }, "straight_curves: ", {"T = 0"});
  // Two clusters far apart at k = 2: no path from one to the other.
  const Tensor codes =
      lg::tensor({{0.0, 0.0}, {0.1, 0.0}, {0.0, 0.1}, {9.0, 9.0}, {9.1, 9.0}, {9.0, 9.1}}, lg::float64);
  const Tensor here = lg::tensor({{0.05, 0.05}}, lg::float64), there = lg::tensor({{9.05, 9.05}}, lg::float64);
  expect_error<lg::ValueError>([&] { mf::graph_initial_curves(codes, here, there, {.neighbours = 2}); },
                               "graph_initial_curves: ", {"not connected", "raise neighbours"});
  expect_error<lg::ShapeError>([&] { mf::graph_initial_curves(lg::zeros({6, 3}, lg::float64), a, b); },
                               "graph_initial_curves: ", {"[6, 3]"});
  expect_error<lg::ValueError>([&] { mf::graph_initial_curves(codes, a, b, {.neighbours = 6}); },
                               "graph_initial_curves: ", {"neighbours k"});
  expect_error<lg::ValueError>([&] { mf::graph_initial_curves(codes, a, b, {.points = 0}); }, "graph_initial_curves: ",
                               {"T >= 1"});
}

BOOST_AUTO_TEST_SUITE_END()
