// Procedural data with known structure, drawn in code (nothing to download):
//   sprites.png      dSprites-like sprites (data/sprites.hpp): one factor varied per row
//                    from a fixed heart, then a row of random samples
//   rotation.png     the circle S^1: an arrow turned by theta = 2 pi k / 12
//   translation.png  the flat square [0, 1]^2: a disk on a 6 x 6 grid of positions
//   sphere.png       the sphere S^2: a marker dot on a globe, bright in front and dim behind,
//                    along the great circle through the poles (x-z) and along the equator (x-y)
// (data/known_manifolds.hpp has the geometry: exact distances, midpoints and pair samplers.)
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace {

struct Options {
  std::string out = "out/procedural_data";
  std::int64_t image_size = 64;  // of the sprites
  std::int64_t seed = 0;
};

// One row of `columns` sprites: the base factor indices with factor `factor` set to `values` (black tiles after).
std::vector<std::int64_t> sprite_row(const std::vector<std::int64_t>& base, std::size_t factor,
                                     const std::vector<std::int64_t>& values, std::size_t columns) {
  std::vector<std::int64_t> rows;
  for (std::size_t c = 0; c < columns; ++c) {
    std::vector<std::int64_t> row = base;
    row[factor] = c < values.size() ? values[c] : -1;  // -1: a blank tile
    rows.insert(rows.end(), row.begin(), row.end());
  }
  return rows;
}

// `count` indices spread evenly over [0, size).
std::vector<std::int64_t> spread(std::int64_t size, std::int64_t count) {
  std::vector<std::int64_t> values;
  for (std::int64_t k = 0; k < std::min(size, count); ++k) values.push_back(k * size / std::min(size, count));
  return values;
}

void write_sprites(const Options& o, const std::string& path) {
  const std::size_t columns = 10;
  const lg::data::SpriteOptions options{.image_size = o.image_size};
  const auto values = lg::data::sprite_factor_values(options);
  const std::vector<std::int64_t> base{2, static_cast<std::int64_t>(values[1].size()) - 1, 0,
                                       static_cast<std::int64_t>(values[3].size()) / 2,
                                       static_cast<std::int64_t>(values[4].size()) / 2};
  std::vector<std::int64_t> indices;
  const std::vector<std::string> names{"shape", "scale", "rotation", "x", "y"};
  for (std::size_t f = 0; f < names.size(); ++f) {
    const auto row = sprite_row(base, f, spread(static_cast<std::int64_t>(values[f].size()), 10), columns);
    indices.insert(indices.end(), row.begin(), row.end());
  }
  // Blank tiles are drawn as the base sprite and then blacked out.
  std::vector<std::int64_t> drawable = indices;
  std::vector<bool> blank;
  for (std::size_t i = 0; i < drawable.size(); i += 5) {
    bool is_blank = false;
    for (std::size_t f = 0; f < 5; ++f)
      if (drawable[i + f] < 0) {
        drawable[i + f] = base[f];
        is_blank = true;
      }
    blank.push_back(is_blank);
  }
  const auto n = static_cast<std::int64_t>(blank.size());
  const lg::data::SpriteDataset varied = lg::data::render_sprites(lg::from_vector(drawable, {n, 5}), options);
  std::vector<double> mask;
  for (const bool b : blank) mask.push_back(b ? 0.0 : 1.0);
  const lg::Tensor shown = varied.dataset.images * lg::from_vector(mask, {n, 1, 1, 1});
  const lg::data::SpriteDataset random =
      lg::data::sample_sprites(static_cast<std::int64_t>(columns), static_cast<std::uint64_t>(o.seed), options);
  std::vector<std::string> labels = names;
  labels.push_back("random");
  lg::data::save_image_grid(path, lg::cat({shown, random.dataset.images}, 0),
                            {.columns = static_cast<std::int64_t>(columns),
                             .scale = o.image_size >= 64 ? 2 : 3,
                             .title = "procedural sprites: one factor varied per row",
                             .row_labels = labels});
}

void write_rotation(const std::string& path) {
  const lg::data::RotatedArrowImages circle;
  lg::data::save_image_grid(path, circle.render(circle.grid(12)),
                            {.columns = 12, .title = "S^1: an arrow turned by theta = 2 pi k / 12"});
}

void write_translation(const std::string& path) {
  const lg::data::TranslatedDiskImages square;
  std::vector<double> points;  // laid out as the disk moves: y down the rows, x across
  for (int row = 0; row < 6; ++row)
    for (int column = 0; column < 6; ++column) points.insert(points.end(), {column / 5.0, row / 5.0});
  lg::data::save_image_grid(path, square.render(lg::from_vector(points, {36, 2}, lg::float64)),
                            {.columns = 6, .title = "[0,1]^2: a disk at (x, y) = (column, row) / 5"});
}

void write_sphere(const std::string& path) {
  const lg::data::SphereDirectionImages sphere;
  std::vector<double> u;
  for (int k = 0; k < 12; ++k) {  // through the poles, in the x-z plane
    const double a = 2.0 * std::numbers::pi * k / 12.0;
    u.insert(u.end(), {std::sin(a), 0.0, std::cos(a)});
  }
  for (int k = 0; k < 12; ++k) {  // the equator
    const double a = 2.0 * std::numbers::pi * k / 12.0;
    u.insert(u.end(), {std::cos(a), std::sin(a), 0.0});
  }
  lg::data::save_image_grid(path, sphere.render(lg::from_vector(u, {24, 3}, lg::float64)),
                            {.columns = 12,
                             .title = "S^2: a dot on a globe, bright in front (z > 0), dim behind",
                             .row_labels = {"x-z circle", "x-y circle"}});
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Pictures of the procedural datasets: sprites, and images of the circle, the square and the sphere."};
  app.add_option("--out", o.out, "output folder");
  app.add_option("--image-size", o.image_size, "side of the sprite images in pixels")->check(CLI::Range(8, 256));
  app.add_option("--seed", o.seed, "seed of the random sprites")->check(CLI::Range(0, 1 << 30));
  CLI11_PARSE(app, argc, argv);
  try {
    const auto start = std::chrono::steady_clock::now();
    std::filesystem::create_directories(o.out);
    const std::vector<std::pair<std::string, std::string>> written{
        {"sprites.png", "sprites, one factor per row (shape, scale, rotation, x, y) and random samples"},
        {"rotation.png", "the circle: an arrow at 12 angles"},
        {"translation.png", "the square: a disk at 6 x 6 positions"},
        {"sphere.png", "the sphere: a dot on a globe along two great circles"}};
    write_sprites(o, o.out + "/sprites.png");
    write_rotation(o.out + "/rotation.png");
    write_translation(o.out + "/translation.png");
    write_sphere(o.out + "/sphere.png");
    for (const auto& [file, what] : written)
      std::printf("wrote %s/%s: %s\n", o.out.c_str(), file.c_str(), what.c_str());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("done in %.2f s\n", seconds);
  } catch (const lg::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
