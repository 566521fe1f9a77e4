#include "data/sprites.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/random.hpp"
#include "data/rasterize.hpp"

namespace lg::data {
namespace {

// The heart is enlarged so that its enclosing circle is the square's (radius 1 / sqrt 2 of the side).
const double heart_enlargement = 1.0 / (std::numbers::sqrt2 * heart_radius);

void check_options(const char* op, const SpriteOptions& o) {
  check<ValueError>(o.image_size >= 8, op, "image_size must be >= 8, got ", o.image_size);
  check<ValueError>(!o.shapes.empty(), op, "shapes is empty");
  for (std::size_t i = 0; i < o.shapes.size(); ++i) {
    const auto value = static_cast<std::int64_t>(o.shapes[i]);
    check<ValueError>(value >= 0 && value <= 2, op, "shapes[", i, "] is not a SpriteShape (value ", value, ")");
    for (std::size_t j = 0; j < i; ++j)
      check<ValueError>(o.shapes[j] != o.shapes[i], op, "shapes[", j, "] and shapes[", i, "] are both ",
                        sprite_shape_name(o.shapes[i]));
  }
  check<ValueError>(o.scales >= 1, op, "scales must be >= 1, got ", o.scales);
  check<ValueError>(o.min_scale > 0.0 && o.min_scale <= o.max_scale, op,
                    "expected 0 < min_scale <= max_scale, got min_scale ", o.min_scale, " and max_scale ",
                    o.max_scale);
  check<ValueError>(o.rotations >= 1, op, "rotations must be >= 1, got ", o.rotations);
  check<ValueError>(o.positions >= 1, op, "positions must be >= 1, got ", o.positions);
  check<ValueError>(o.sprite_size > 0.0 && o.sprite_size * o.max_scale <= 0.7, op,
                    "expected sprite_size > 0 and sprite_size * max_scale <= 0.7, got sprite_size ", o.sprite_size,
                    " and max_scale ", o.max_scale);
  check<ValueError>(o.supersampling >= 1, op, "supersampling must be >= 1, got ", o.supersampling);
}

std::vector<double> spaced(double low, double high, std::int64_t count, double single) {
  if (count == 1) return {single};
  std::vector<double> values;
  for (std::int64_t i = 0; i < count; ++i)
    values.push_back(low + (high - low) * static_cast<double>(i) / static_cast<double>(count - 1));
  return values;
}

// One sprite's pixels (row-major, image_size^2) from its factor values.
std::vector<double> draw(SpriteShape shape, double scale, double angle, double x, double y, const SpriteOptions& o) {
  const double size = static_cast<double>(o.image_size);
  const double side = o.sprite_size * size * scale;
  const double margin = o.sprite_size * size * o.max_scale / std::numbers::sqrt2;
  const Point centre{margin + x * (size - 2.0 * margin), margin + y * (size - 2.0 * margin)};
  SignedDistance distance;
  switch (shape) {
    case SpriteShape::square:
      distance = [frame = ShapeFrame(centre, angle, side), side](Point p) {
        return side * box_distance(frame.to_shape(p), 0.5, 0.5);
      };
      break;
    case SpriteShape::ellipse:
      distance = [frame = ShapeFrame(centre, angle, side), side](Point p) {
        return side * ellipse_distance(frame.to_shape(p), 0.6, 0.3);
      };
      break;
    case SpriteShape::heart: {
      const double unit = side * heart_enlargement;
      distance = [frame = ShapeFrame(centre, angle, unit), unit](Point p) {
        return unit * heart_distance(frame.to_shape(p));
      };
      break;
    }
  }
  return rasterize(o.image_size, o.image_size, distance,
                   {.supersampling = o.supersampling, .radius = side / std::numbers::sqrt2, .centre = centre});
}

}  // namespace

std::string sprite_shape_name(SpriteShape shape) {
  switch (shape) {
    case SpriteShape::square:
      return "square";
    case SpriteShape::ellipse:
      return "ellipse";
    case SpriteShape::heart:
      return "heart";
  }
  fail<ValueError>("sprite_shape_name", "not a SpriteShape (value ", static_cast<std::int64_t>(shape), ")");
}

std::vector<std::vector<double>> sprite_factor_values(const SpriteOptions& options) {
  check_options("sprite_factor_values", options);
  std::vector<double> shapes;
  for (std::size_t i = 0; i < options.shapes.size(); ++i) shapes.push_back(static_cast<double>(i));
  std::vector<double> rotations;
  for (std::int64_t k = 0; k < options.rotations; ++k)
    rotations.push_back(2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(options.rotations));
  return {shapes, spaced(options.min_scale, options.max_scale, options.scales, options.max_scale), rotations,
          spaced(0.0, 1.0, options.positions, 0.5), spaced(0.0, 1.0, options.positions, 0.5)};
}

SpriteDataset render_sprites(const Tensor& factor_indices, const SpriteOptions& options) {
  const char* op = "render_sprites";
  check_options(op, options);
  check<ValueError>(factor_indices.defined(), op, "factor_indices is undefined");
  check<DTypeError>(factor_indices.dtype() == int64, op, "factor_indices: expected int64, got ",
                    factor_indices.dtype());
  check<ShapeError>(factor_indices.dim() == 2 && factor_indices.size(1) == sprite_factor_count, op,
                    "factor_indices: expected [N, 5], got ", shape_str(factor_indices.shape()));
  const auto values = sprite_factor_values(options);
  const std::int64_t n = factor_indices.size(0), pixels = options.image_size * options.image_size;
  const std::vector<std::int64_t> indices = factor_indices.to_vector<std::int64_t>();
  std::vector<float> images(static_cast<std::size_t>(n * pixels));
  std::vector<double> factor_values(indices.size());
  std::vector<std::int64_t> labels(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    std::array<double, sprite_factor_count> v{};
    for (std::int64_t f = 0; f < sprite_factor_count; ++f) {
      const auto at = static_cast<std::size_t>(i * sprite_factor_count + f);
      const auto size = static_cast<std::int64_t>(values[static_cast<std::size_t>(f)].size());
      check<ValueError>(indices[at] >= 0 && indices[at] < size, op, "row ", i, ", factor ", f, ": index ",
                        indices[at], " is outside [0, ", size, ")");
      v[static_cast<std::size_t>(f)] = values[static_cast<std::size_t>(f)][static_cast<std::size_t>(indices[at])];
      factor_values[at] = v[static_cast<std::size_t>(f)];
    }
    const std::int64_t shape_index = indices[static_cast<std::size_t>(i * sprite_factor_count)];
    labels[static_cast<std::size_t>(i)] = shape_index;
    const std::vector<double> image =
        draw(options.shapes[static_cast<std::size_t>(shape_index)], v[1], v[2], v[3], v[4], options);
    std::transform(image.begin(), image.end(), images.begin() + i * pixels,
                   [](double p) { return static_cast<float>(p); });
  }
  std::vector<std::int64_t> sizes;
  for (const auto& factor : values) sizes.push_back(static_cast<std::int64_t>(factor.size()));
  return {.dataset = {from_vector(images, {n, 1, options.image_size, options.image_size}), from_vector(labels, {n}),
                      "sprites"},
          .factor_indices = from_vector(indices, {n, sprite_factor_count}),
          .factor_values = from_vector(factor_values, {n, sprite_factor_count}, float64),
          .factor_names = {"shape", "scale", "rotation", "x", "y"},
          .factor_sizes = sizes};
}

SpriteDataset sprite_grid(const SpriteOptions& options) {
  const char* op = "sprite_grid";
  check_options(op, options);
  std::vector<std::int64_t> sizes;
  for (const auto& factor : sprite_factor_values(options)) sizes.push_back(static_cast<std::int64_t>(factor.size()));
  // Each size is at most a few thousand in practice; compare in double so a product cannot overflow.
  double count = 1.0;
  for (const std::int64_t size : sizes) count *= static_cast<double>(size);
  const double bytes = count * static_cast<double>(options.image_size * options.image_size) * 4.0;
  check<ValueError>(bytes <= 2147483648.0, op, "the grid of ", count, " images of ", options.image_size, " x ",
                    options.image_size, " would take ", bytes, " bytes (more than 2^31): use sample_sprites");
  const auto n = static_cast<std::int64_t>(count);
  std::vector<std::int64_t> indices(static_cast<std::size_t>(n * sprite_factor_count));
  for (std::int64_t i = 0; i < n; ++i) {
    std::int64_t rest = i;
    for (std::int64_t f = sprite_factor_count - 1; f >= 0; --f) {  // y fastest
      indices[static_cast<std::size_t>(i * sprite_factor_count + f)] = rest % sizes[static_cast<std::size_t>(f)];
      rest /= sizes[static_cast<std::size_t>(f)];
    }
  }
  return render_sprites(from_vector(indices, {n, sprite_factor_count}), options);
}

SpriteDataset sample_sprites(std::int64_t count, std::uint64_t seed, const SpriteOptions& options) {
  const char* op = "sample_sprites";
  check_options(op, options);
  check<ValueError>(count >= 1, op, "count must be >= 1, got ", count);
  std::vector<std::int64_t> sizes;
  for (const auto& factor : sprite_factor_values(options)) sizes.push_back(static_cast<std::int64_t>(factor.size()));
  Generator generator(seed);
  std::vector<std::int64_t> indices(static_cast<std::size_t>(count * sprite_factor_count));
  for (std::size_t at = 0; at < indices.size(); ++at)
    indices[at] = static_cast<std::int64_t>(
        generator.next_below(static_cast<std::uint64_t>(sizes[at % static_cast<std::size_t>(sprite_factor_count)])));
  return render_sprites(from_vector(indices, {count, sprite_factor_count}), options);
}

}  // namespace lg::data
