// Images of known manifolds: distances and midpoints against closed forms
// (including the wrap of the circle and the tiny angles that arccos gets
// wrong), pair samplers at an exact distance, the images one to one on a grid
// (every distinct pair of parameters gives clearly different images) and
// smooth (the image difference halves when the parameter step halves), and the
// errors.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <cmath>
#include <memory>
#include <numbers>

#include "common/expect_error.hpp"

namespace {

namespace ld = lg::data;
using lg::Tensor;
constexpr double pi = std::numbers::pi;

Tensor rows(const std::vector<double>& values, std::int64_t columns) {
  return lg::from_vector(values, {static_cast<std::int64_t>(values.size()) / columns, columns}, lg::float64);
}

std::vector<std::unique_ptr<ld::ImageManifold>> all_manifolds() {
  std::vector<std::unique_ptr<ld::ImageManifold>> all;
  all.push_back(std::make_unique<ld::RotatedArrowImages>());
  all.push_back(std::make_unique<ld::TranslatedDiskImages>());
  all.push_back(std::make_unique<ld::SphereDirectionImages>());
  return all;
}

// The L2 distance between two images [1, S, S] or [S * S] given as flat vectors.
double image_distance(const Tensor& a, const Tensor& b) {
  return lg::norm((a.to(lg::float64) - b.to(lg::float64)).reshape({-1})).item();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(known_manifolds)

BOOST_AUTO_TEST_CASE(circle_distances_and_midpoints_wrap_around) {
  using boost::test_tools::tolerance;
  const ld::RotatedArrowImages circle;
  const Tensor a = rows({0.1, 6.0, 1.0, 2.0}, 1), b = rows({6.2, 0.5, 1.0 + 4.0 * pi, 2.5}, 1);
  const auto d = circle.distance(a, b).to_vector<double>();
  BOOST_TEST(d.size() == 4u);
  BOOST_TEST(d[0] == 2.0 * pi - 6.1, tolerance(1e-12));
  BOOST_TEST(d[1] == 2.0 * pi - 5.5, tolerance(1e-12));
  BOOST_TEST(std::abs(d[2]) < 1e-12);  // a full two turns apart is no distance
  BOOST_TEST(d[3] == 0.5, tolerance(1e-12));
  const auto m = circle.midpoint(a, b).to_vector<double>();
  BOOST_TEST(m[0] == 0.1 - 0.5 * (2.0 * pi - 6.1), tolerance(1e-12));   // backwards across 0
  BOOST_TEST(m[1] == 6.0 + 0.5 * (2.0 * pi - 5.5) - 2.0 * pi, tolerance(1e-12));  // forwards across 2 pi
  BOOST_TEST(m[2] == 1.0, tolerance(1e-12));
  BOOST_TEST(m[3] == 2.25, tolerance(1e-12));
  lg::testing::expect_error<lg::ValueError>([&] { circle.midpoint(rows({1.0}, 1), rows({1.0 + pi}, 1)); },
                                            "RotatedArrowImages::midpoint", {"antipodal"});
}

BOOST_AUTO_TEST_CASE(square_and_sphere_distances_and_midpoints) {
  using boost::test_tools::tolerance;
  const ld::TranslatedDiskImages square;
  BOOST_TEST(square.distance(rows({0, 0}, 2), rows({0.3, 0.4}, 2)).item() == 0.5, tolerance(1e-15));
  BOOST_TEST((square.midpoint(rows({0, 0}, 2), rows({0.3, 0.4}, 2)).to_vector<double>() ==
              std::vector<double>{0.15, 0.2}));
  const ld::SphereDirectionImages sphere;
  BOOST_TEST(sphere.distance(rows({1, 0, 0}, 3), rows({0, 1, 0}, 3)).item() == pi / 2.0, tolerance(1e-15));
  BOOST_TEST(sphere.distance(rows({1, 0, 0}, 3), rows({-1, 0, 0}, 3)).item() == pi, tolerance(1e-15));
  // 1e-9 rad apart: arccos(u . v) would give 0 or 1.5e-8; atan2 keeps every digit.
  const double tiny = 1e-9;
  BOOST_TEST(sphere.distance(rows({1, 0, 0}, 3), rows({std::cos(tiny), std::sin(tiny), 0}, 3)).item() == tiny,
             tolerance(1e-6));
  const auto m = sphere.midpoint(rows({1, 0, 0}, 3), rows({0, 1, 0}, 3)).to_vector<double>();
  BOOST_TEST(m[0] == std::sqrt(0.5), tolerance(1e-15));
  BOOST_TEST(m[1] == std::sqrt(0.5), tolerance(1e-15));
  BOOST_TEST(m[2] == 0.0);
  lg::testing::expect_error<lg::ValueError>([&] { sphere.midpoint(rows({0, 0, 1}, 3), rows({0, 0, -1}, 3)); },
                                            "SphereDirectionImages::midpoint", {"row 0", "antipodal"});
}

BOOST_AUTO_TEST_CASE(pairs_lie_at_the_requested_distance_and_midpoints_halve_it) {
  for (const auto& manifold : all_manifolds()) {
    BOOST_TEST_CONTEXT(manifold->name()) {
      lg::Generator generator(5);
      for (const double d : {0.0, 0.3, 0.9, manifold->max_pair_distance()}) {
        const auto pairs = manifold->sample_pairs(200, d, generator);
        BOOST_TEST((pairs.first.shape() == lg::Shape{200, manifold->parameter_size()}));
        const auto found = manifold->distance(pairs.first, pairs.second).to_vector<double>();
        for (const double f : found) BOOST_TEST(std::abs(f - d) < 1e-12);
        // Both points are valid parameters (render checks them: on the square, on the sphere).
        BOOST_CHECK_NO_THROW(manifold->labels(pairs.first));
        BOOST_CHECK_NO_THROW(manifold->labels(pairs.second));
        if (d >= 3.0) continue;  // antipodal on the circle and the sphere: no unique midpoint
        const Tensor middle = manifold->midpoint(pairs.first, pairs.second);
        for (const double f : manifold->distance(pairs.first, middle).to_vector<double>())
          BOOST_TEST(std::abs(f - d / 2.0) < 1e-12);
        for (const double f : manifold->distance(middle, pairs.second).to_vector<double>())
          BOOST_TEST(std::abs(f - d / 2.0) < 1e-12);
      }
      // The uniform samples cover the manifold: every label bin is hit.
      const auto labels = manifold->labels(manifold->sample(2000, generator)).to_vector<std::int64_t>();
      for (std::int64_t k = 0; k < 10; ++k) BOOST_TEST(std::count(labels.begin(), labels.end(), k) > 100);
    }
  }
}

BOOST_AUTO_TEST_CASE(images_are_one_to_one_on_a_grid) {
  // 64 evenly spread parameters each; the closest pair of distinct parameters must still give images far apart,
  // relative to how far apart the parameters are.
  for (const auto& manifold : all_manifolds()) {
    BOOST_TEST_CONTEXT(manifold->name()) {
      const Tensor grid = manifold->name() == "rotation" ? manifold->grid(64) : manifold->grid(8);
      const std::int64_t n = grid.size(0);
      BOOST_TEST(n == 64);
      const Tensor images = manifold->render(grid).reshape({n, -1}).to(lg::float64);
      const auto d2 = lg::manifold::pairwise_squared_distances(images).to_vector<double>();
      std::vector<std::int64_t> first, second;
      for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = i + 1; j < n; ++j) {
          first.push_back(i);
          second.push_back(j);
        }
      const auto pairs = static_cast<std::int64_t>(first.size());
      const auto gaps = manifold
                            ->distance(lg::index_select(grid, 0, lg::from_vector(first, {pairs})),
                                       lg::index_select(grid, 0, lg::from_vector(second, {pairs})))
                            .to_vector<double>();
      double smallest = 1e300, smallest_ratio = 1e300;
      for (std::size_t p = 0; p < first.size(); ++p) {
        const double image_gap = std::sqrt(d2[static_cast<std::size_t>(first[p] * n + second[p])]);
        smallest = std::min(smallest, image_gap);
        smallest_ratio = std::min(smallest_ratio, image_gap / gaps[p]);
      }
      BOOST_TEST_MESSAGE(manifold->name() << ": smallest image distance " << smallest << ", smallest ratio "
                                          << smallest_ratio);
      // Measured: 3.9, 6.5 and 1.5 (the sphere's closest grid neighbours differ mostly in the dot's brightness);
      // ratios 2.0, 8.2 and 1.3 (the sphere's from far pairs: two dots can differ only so much).
      BOOST_TEST(smallest > 1.0);
      BOOST_TEST(smallest_ratio > 1.0);
    }
  }
}

BOOST_AUTO_TEST_CASE(images_change_linearly_with_small_parameter_steps) {
  // ||I(p + h v) - I(p)|| / h for h = 0.02, 0.01, 0.005, 0.0025 stays within 10% (measured: within 4%):
  // halving the step halves the difference. The anti-aliased images are Lipschitz, with no jumps and no flat
  // steps however small the move; at moves of a pixel or more an edge's L2 change grows more slowly than the
  // move, so the steps are kept below half a pixel.
  struct Probe {
    std::unique_ptr<ld::ImageManifold> manifold;
    std::vector<double> start, direction;
  };
  std::vector<Probe> probes;
  probes.push_back({std::make_unique<ld::RotatedArrowImages>(), {0.3}, {1.0}});
  probes.push_back({std::make_unique<ld::TranslatedDiskImages>(), {0.4, 0.55}, {0.6, 0.8}});
  probes.push_back({std::make_unique<ld::SphereDirectionImages>(), {0.6, 0.0, 0.8}, {0.0, 1.0, 0.0}});
  probes.push_back({std::make_unique<ld::SphereDirectionImages>(), {1.0, 0.0, 0.0}, {0.0, 0.0, 1.0}});  // equator
  for (const auto& probe : probes) {
    BOOST_TEST_CONTEXT(probe.manifold->name()) {
      const std::int64_t d = probe.manifold->parameter_size();
      const Tensor start = rows(probe.start, d);
      std::vector<double> differences;
      for (const double h : {0.02, 0.01, 0.005, 0.0025}) {
        std::vector<double> moved(probe.start.size());
        double length = 0.0;
        for (std::size_t k = 0; k < moved.size(); ++k) {
          moved[k] = probe.start[k] + h * probe.direction[k];
          length += moved[k] * moved[k];
        }
        if (d == 3)
          for (double& v : moved) v /= std::sqrt(length);  // back onto the sphere
        const Tensor end = rows(moved, d);
        const double step = probe.manifold->distance(start, end).item();
        differences.push_back(image_distance(probe.manifold->render(start), probe.manifold->render(end)) / step);
      }
      BOOST_TEST_MESSAGE(probe.manifold->name() << ": |dI| / step " << differences[0] << " " << differences[1] << " "
                                                << differences[2] << " " << differences[3]);
      for (std::size_t k = 1; k < differences.size(); ++k)
        BOOST_TEST(std::abs(differences[k] / differences[0] - 1.0) < 0.1);
    }
  }
}

BOOST_AUTO_TEST_CASE(datasets_of_images_with_labels) {
  const ld::SphereDirectionImages sphere({.image_size = 16});
  const auto a = sphere.sample_images(30, 4), b = sphere.sample_images(30, 4);
  BOOST_TEST((a.dataset.images.shape() == lg::Shape{30, 1, 16, 16}));
  BOOST_TEST(a.dataset.images.dtype() == lg::float32);
  BOOST_TEST(a.dataset.name == "sphere");
  BOOST_TEST(a.parameters.to_vector<double>() == b.parameters.to_vector<double>());
  BOOST_TEST(a.dataset.images.to_vector<float>() == b.dataset.images.to_vector<float>());
  const auto p = a.parameters.to_vector<double>();
  const auto labels = a.dataset.labels.to_vector<std::int64_t>();
  for (std::size_t i = 0; i < labels.size(); ++i)
    BOOST_TEST(labels[i] == std::min<std::int64_t>(9, static_cast<std::int64_t>(5.0 * (p[3 * i + 2] + 1.0))));
  const auto pixels = a.dataset.images.to_vector<float>();
  BOOST_TEST(*std::min_element(pixels.begin(), pixels.end()) >= 0.0f);
  BOOST_TEST(*std::max_element(pixels.begin(), pixels.end()) <= 1.0f);
  ld::DataLoader loader(a.dataset, {.batch_size = 16});
  BOOST_TEST(loader.batches_per_epoch() == 2);
  // The circle's labels are tenths of a turn, the square's tenths of x.
  const ld::RotatedArrowImages circle;
  BOOST_TEST((circle.labels(rows({0.0, 0.7, -0.1, 2.0 * pi - 1e-9}, 1)).to_vector<std::int64_t>() ==
              std::vector<std::int64_t>{0, 1, 9, 9}));
  const ld::TranslatedDiskImages square;
  BOOST_TEST((square.labels(rows({0.0, 0.5, 0.35, 0.1, 1.0, 0.0}, 2)).to_vector<std::int64_t>() ==
              std::vector<std::int64_t>{0, 3, 9}));
  // The grids: n angles, n x n positions (x slower), n^2 unit vectors with z descending.
  BOOST_TEST(circle.grid(4).to_vector<double>()[1] == pi / 2.0);
  BOOST_TEST((square.grid(3).to_vector<double>() ==
              std::vector<double>{0, 0, 0, 0.5, 0, 1, 0.5, 0, 0.5, 0.5, 0.5, 1, 1, 0, 1, 0.5, 1, 1}));
  const auto fibonacci = sphere.grid(3).to_vector<double>();
  for (std::size_t i = 0; i < 9; ++i) {
    BOOST_TEST(std::hypot(fibonacci[3 * i], fibonacci[3 * i + 1], fibonacci[3 * i + 2]) == 1.0,
               boost::test_tools::tolerance(1e-15));
    BOOST_TEST(fibonacci[3 * i + 2] == 1.0 - (2.0 * static_cast<double>(i) + 1.0) / 9.0,
               boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(bad_parameters_and_requests_are_refused) {
  using lg::testing::expect_error;
  const ld::TranslatedDiskImages square;
  const ld::SphereDirectionImages sphere;
  lg::Generator generator(0);
  expect_error<lg::ValueError>([&] { square.render(rows({0.5, 1.5}, 2)); }, "TranslatedDiskImages::render",
                               {"row 0", "outside [0, 1]^2"});
  expect_error<lg::ValueError>([&] { sphere.render(rows({1, 1, 0}, 3)); }, "SphereDirectionImages::render",
                               {"row 0", "not a unit vector"});
  expect_error<lg::DTypeError>([&] { sphere.render(lg::zeros({2, 3})); }, "SphereDirectionImages::render",
                               {"float64", "float32"});
  expect_error<lg::ShapeError>([&] { sphere.render(rows({1, 0}, 2)); }, "SphereDirectionImages::render",
                               {"[N, 3]", "[1, 2]"});
  expect_error<lg::ShapeError>([&] { square.distance(rows({0, 0}, 2), rows({0, 0, 1, 1}, 2)); },
                               "TranslatedDiskImages::distance", {"[1, 2]", "[2, 2]"});
  expect_error<lg::ValueError>([&] { square.sample_pairs(3, 1.2, generator); }, "TranslatedDiskImages::sample_pairs",
                               {"distance must be in [0, 1]", "1.2"});
  expect_error<lg::ValueError>([&] { sphere.sample_pairs(0, 0.1, generator); },
                               "SphereDirectionImages::sample_pairs", {"count must be >= 1"});
  expect_error<lg::ValueError>([&] { ld::RotatedArrowImages circle({.image_size = 4}); }, "ImageManifold",
                               {"image_size must be >= 8, got 4"});
  expect_error<lg::ValueError>([&] { ld::RotatedArrowImages circle({.supersampling = 0}); }, "ImageManifold",
                               {"supersampling must be >= 1"});
  expect_error<lg::ValueError>([&] { sphere.grid(0); }, "SphereDirectionImages::grid", {"n must be >= 1"});
}

BOOST_AUTO_TEST_SUITE_END()
