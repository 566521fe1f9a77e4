// Procedural sprites: the same seed gives the same sprites, the grid enumerates
// every combination in dSprites' order, a square covers exactly the pixels it
// should (area side^2), the image moves with x and y as the position map says,
// the rotation symmetries the header documents, and a DataLoader over them.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <cmath>
#include <numbers>

#include "common/expect_error.hpp"

namespace {

namespace ld = lg::data;

// Sum and centre of mass (x, y in pixels, pixel centres at c + 1/2) of one image [S * S].
struct Moments {
  double mass = 0.0, x = 0.0, y = 0.0;
};

Moments moments(const std::vector<float>& image, std::int64_t size) {
  Moments m;
  for (std::int64_t r = 0; r < size; ++r)
    for (std::int64_t c = 0; c < size; ++c) {
      const double v = image[static_cast<std::size_t>(r * size + c)];
      m.mass += v;
      m.x += v * (static_cast<double>(c) + 0.5);
      m.y += v * (static_cast<double>(r) + 0.5);
    }
  m.x /= m.mass;
  m.y /= m.mass;
  return m;
}

// The single sprite of factor indices {shape, scale, rotation, x, y}, as a flat image.
std::vector<float> sprite(const std::vector<std::int64_t>& factors, const ld::SpriteOptions& options) {
  return ld::render_sprites(lg::from_vector(factors, {1, 5}), options).dataset.images.to_vector<float>();
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double largest = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(double{a[i]} - double{b[i]}));
  return largest;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sprites)

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_sprites) {
  const ld::SpriteOptions options{.image_size = 28};
  const auto a = ld::sample_sprites(40, 7, options), b = ld::sample_sprites(40, 7, options);
  const auto c = ld::sample_sprites(40, 8, options);
  BOOST_TEST((a.dataset.images.shape() == lg::Shape{40, 1, 28, 28}));
  BOOST_TEST(a.dataset.images.dtype() == lg::float32);
  BOOST_TEST(a.dataset.images.to_vector<float>() == b.dataset.images.to_vector<float>());
  BOOST_TEST(a.factor_indices.to_vector<std::int64_t>() == b.factor_indices.to_vector<std::int64_t>());
  BOOST_TEST(a.factor_indices.to_vector<std::int64_t>() != c.factor_indices.to_vector<std::int64_t>());
  BOOST_TEST(a.dataset.name == "sprites");
  // The label is the shape index, the first factor.
  const auto indices = a.factor_indices.to_vector<std::int64_t>();
  const auto labels = a.dataset.labels.to_vector<std::int64_t>();
  for (std::size_t i = 0; i < labels.size(); ++i) BOOST_TEST(labels[i] == indices[5 * i]);
}

BOOST_AUTO_TEST_CASE(the_grid_holds_every_combination_in_order_with_values_in_range) {
  const ld::SpriteOptions options{.image_size = 16, .scales = 2, .rotations = 3, .positions = 2};
  const auto grid = ld::sprite_grid(options);
  const std::int64_t n = 3 * 2 * 3 * 2 * 2;
  BOOST_TEST((grid.factor_sizes == std::vector<std::int64_t>{3, 2, 3, 2, 2}));
  BOOST_TEST((grid.factor_names == std::vector<std::string>{"shape", "scale", "rotation", "x", "y"}));
  BOOST_TEST((grid.factor_indices.shape() == lg::Shape{n, 5}));
  BOOST_TEST(grid.factor_values.dtype() == lg::float64);
  const auto indices = grid.factor_indices.to_vector<std::int64_t>();
  const auto values = grid.factor_values.to_vector<double>();
  const auto table = ld::sprite_factor_values(options);
  BOOST_TEST((table[1] == std::vector<double>{0.5, 1.0}));
  BOOST_TEST(table[2][1] == 2.0 * std::numbers::pi / 3.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST((table[3] == std::vector<double>{0.0, 1.0}));
  for (std::int64_t i = 0; i < n; ++i) {
    // Mixed radix, y fastest.
    const std::vector<std::int64_t> expected{i / 24, (i / 12) % 2, (i / 4) % 3, (i / 2) % 2, i % 2};
    for (std::size_t f = 0; f < 5; ++f) {
      const auto at = static_cast<std::size_t>(i) * 5 + f;
      BOOST_TEST(indices[at] == expected[f]);
      BOOST_TEST(values[at] == table[f][static_cast<std::size_t>(expected[f])]);
    }
    BOOST_TEST(values[static_cast<std::size_t>(i) * 5 + 2] < 2.0 * std::numbers::pi);
  }
  const auto pixels = grid.dataset.images.to_vector<float>();
  BOOST_TEST(*std::min_element(pixels.begin(), pixels.end()) >= 0.0f);
  BOOST_TEST(*std::max_element(pixels.begin(), pixels.end()) <= 1.0f);
  // Every sprite is drawn (no empty image).
  for (std::int64_t i = 0; i < n; ++i) BOOST_TEST(lg::sum(grid.dataset.images.select(0, i)).item() > 2.0);
}

BOOST_AUTO_TEST_CASE(a_square_covers_exactly_its_pixels) {
  // 64 x 64, side 0.25 * 64 = 16 pixels at scale 1, centred at x = y = 0.5, i.e. pixel 32: the square covers
  // pixels 24..39 in both directions, whole, and nothing else.
  const ld::SpriteOptions options{
      .image_size = 64, .shapes = {ld::SpriteShape::square}, .scales = 1, .rotations = 8, .positions = 3};
  const auto image = sprite({0, 0, 0, 1, 1}, options);
  for (std::int64_t r = 0; r < 64; ++r)
    for (std::int64_t c = 0; c < 64; ++c) {
      const bool inside = r >= 24 && r < 40 && c >= 24 && c < 40;
      BOOST_TEST(image[static_cast<std::size_t>(r * 64 + c)] == (inside ? 1.0f : 0.0f));
    }
  // Off the pixel grid (x = 0, so the centre is at the margin 16 / sqrt 2 = 11.31...) the area is still
  // side^2: the edge ramps of straight edges integrate exactly; only the corners round off a little.
  const Moments shifted = moments(sprite({0, 0, 0, 0, 0}, options), 64);
  BOOST_TEST(shifted.mass == 256.0, boost::test_tools::tolerance(1e-3));
  BOOST_TEST(shifted.x == 16.0 / std::numbers::sqrt2, boost::test_tools::tolerance(1e-4));
  BOOST_TEST(shifted.y == 16.0 / std::numbers::sqrt2, boost::test_tools::tolerance(1e-4));
  // Turned by 45 degrees (rotation index 1 of 8): the same area, the same centre.
  const Moments turned = moments(sprite({0, 0, 1, 1, 1}, options), 64);
  BOOST_TEST(turned.mass == 256.0, boost::test_tools::tolerance(5e-3));
  BOOST_TEST(turned.x == 32.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(turned.y == 32.0, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(the_image_moves_with_x_and_y) {
  // Each position step moves the centre by (64 - 2 margin) / 31 pixels, margin = 16 / sqrt 2.
  const ld::SpriteOptions options{.image_size = 64};
  const double step = (64.0 - 32.0 / std::numbers::sqrt2) / 31.0;
  for (const std::int64_t shape : {0, 1, 2}) {
    const Moments start = moments(sprite({shape, 5, 3, 4, 10}, options), 64);
    const Moments right = moments(sprite({shape, 5, 3, 5, 10}, options), 64);
    const Moments far = moments(sprite({shape, 5, 3, 24, 10}, options), 64);
    const Moments down = moments(sprite({shape, 5, 3, 4, 17}, options), 64);
    BOOST_TEST(right.x - start.x == step, boost::test_tools::tolerance(1e-2));
    BOOST_TEST(far.x - start.x == 20.0 * step, boost::test_tools::tolerance(1e-3));
    BOOST_TEST(std::abs(far.y - start.y) < 2e-2);
    BOOST_TEST(down.y - start.y == 7.0 * step, boost::test_tools::tolerance(1e-3));
    BOOST_TEST(std::abs(down.x - start.x) < 2e-2);
    BOOST_TEST(far.mass == start.mass, boost::test_tools::tolerance(1e-3));
  }
}

BOOST_AUTO_TEST_CASE(rotation_is_defined_mod_the_shapes_symmetry) {
  // With 4 rotations (quarter turns): a square is unchanged by every one, an ellipse by a half turn only,
  // a heart by none. The centre x = y = 0.5 lies on the pixel grid, so quarter turns map pixels to pixels.
  const ld::SpriteOptions options{.image_size = 32, .scales = 1, .rotations = 4, .positions = 3};
  const auto at = [&](std::int64_t shape, std::int64_t rotation) {
    return sprite({shape, 0, rotation, 1, 1}, options);
  };
  BOOST_TEST(max_difference(at(0, 0), at(0, 1)) < 1e-6);
  BOOST_TEST(max_difference(at(1, 0), at(1, 2)) < 1e-6);
  BOOST_TEST(max_difference(at(1, 0), at(1, 1)) > 0.5);
  for (const std::int64_t r : {1, 2, 3}) BOOST_TEST(max_difference(at(2, 0), at(2, r)) > 0.5);
}

BOOST_AUTO_TEST_CASE(a_dataloader_iterates_the_sprites) {
  const auto sprites = ld::sample_sprites(20, 3, {.image_size = 28});
  ld::DataLoader loader(sprites.dataset, {.batch_size = 8, .shuffle = false});
  BOOST_TEST(loader.batches_per_epoch() == 3);
  std::int64_t rows = 0;
  while (auto batch = loader.next()) {
    BOOST_TEST(batch->images.size(1) == 1);
    BOOST_TEST(batch->images.size(2) == 28);
    const auto labels = batch->labels.to_vector<std::int64_t>();
    const auto expected = sprites.dataset.labels.narrow(0, rows, batch->images.size(0)).to_vector<std::int64_t>();
    BOOST_TEST(labels == expected);
    rows += batch->images.size(0);
  }
  BOOST_TEST(rows == 20);
}

BOOST_AUTO_TEST_CASE(bad_options_and_factors_are_refused) {
  using lg::testing::expect_error;
  expect_error<lg::ValueError>([] { ld::sample_sprites(4, 0, {.image_size = 4}); }, "sample_sprites",
                               {"image_size must be >= 8, got 4"});
  expect_error<lg::ValueError>([] { ld::sample_sprites(0, 0); }, "sample_sprites", {"count must be >= 1"});
  const std::vector<ld::SpriteShape> twice{ld::SpriteShape::heart, ld::SpriteShape::heart};
  expect_error<lg::ValueError>([&] { ld::sprite_grid({.shapes = twice}); }, "sprite_grid",
                               {"shapes[0] and shapes[1] are both heart"});
  expect_error<lg::ValueError>([] { ld::sprite_grid({.max_scale = 2.0, .sprite_size = 0.5}); }, "sprite_grid",
                               {"sprite_size * max_scale <= 0.7"});
  expect_error<lg::ValueError>([] { ld::sprite_grid(); }, "sprite_grid", {"737280", "use sample_sprites"});
  const lg::Tensor outside = lg::from_vector(std::vector<std::int64_t>{0, 0, 0, 32, 0}, {1, 5});
  expect_error<lg::ValueError>([&] { ld::render_sprites(outside); }, "render_sprites",
                               {"row 0, factor 3: index 32 is outside [0, 32)"});
  expect_error<lg::ShapeError>([] { ld::render_sprites(lg::zeros({2, 4}, lg::int64)); }, "render_sprites",
                               {"expected [N, 5], got [2, 4]"});
  expect_error<lg::DTypeError>([] { ld::render_sprites(lg::zeros({2, 5})); }, "render_sprites", {"float32"});
}

BOOST_AUTO_TEST_SUITE_END()
