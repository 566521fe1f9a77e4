// Procedural sprites: a dSprites-like dataset (Matthey, Higgins, Hassabis and
// Lerchner 2017, "dSprites: disentanglement testing sprites dataset") drawn in
// code, so every image comes with the exact values of the five factors that
// made it, and nothing needs downloading.
//
// Each image shows one white shape on black, set by five independent factors:
//   0 shape     square, ellipse, heart                    (the label)
//   1 scale     `scales` values, linspace(min_scale, max_scale)
//   2 rotation  `rotations` values k 2 pi / rotations, k = 0..rotations-1,
//               counter-clockwise as seen
//   3 x         `positions` values linspace(0, 1): left to right
//   4 y         `positions` values linspace(0, 1): top to bottom
// With the defaults (3 x 6 x 40 x 32 x 32) that is dSprites' 737,280
// combinations at 64 x 64. Rotation is not one-to-one for every shape: a
// square looks the same after a quarter turn (its rotation is defined mod
// pi/2), an ellipse after a half turn (mod pi); only the heart tells all 40
// angles apart. dSprites has the same ambiguity; a metric that scores how
// well a code recovers "rotation" should be read with it in mind.
//
// Sizes: at scale 1 the square's side is `sprite_size` times the image side;
// the ellipse has semi-axes 0.6 and 0.3 of that side, and the heart fits the
// same enclosing circle as the square (radius side / sqrt 2).
// Positions place the shape's centre between a margin of that radius at the
// largest scale on each side, so no sprite is ever cut off by the border.
//
// Images are anti-aliased (data/rasterize.hpp): each pixel is its covered
// area, so the images change continuously as a factor moves.
//
// sprite_grid renders every combination in order (shape slowest, y fastest, as
// dSprites does); sample_sprites draws each factor uniformly and independently
// from a seeded generator; render_sprites draws any given rows of factor indices.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "data/dataset.hpp"

namespace lg::data {

// The shapes a sprite can take; the value is the label and the shape factor's index.
enum class SpriteShape : std::int64_t { square = 0, ellipse = 1, heart = 2 };

// "square", "ellipse" or "heart".
std::string sprite_shape_name(SpriteShape shape);

// Which factor values the sprites take, and how they are drawn.
struct SpriteOptions {
  // Side of the square images in pixels (>= 8); 64 as dSprites, 28 to sit beside MNIST.
  std::int64_t image_size = 64;
  // The shapes, in factor-index order (non-empty, no repeats).
  std::vector<SpriteShape> shapes = {SpriteShape::square, SpriteShape::ellipse, SpriteShape::heart};
  // Number of scale values, linspace(min_scale, max_scale) (>= 1; 1 gives max_scale).
  std::int64_t scales = 6;
  // Smallest scale (> 0).
  double min_scale = 0.5;
  // Largest scale (>= min_scale).
  double max_scale = 1.0;
  // Number of rotation values, k 2 pi / rotations (>= 1).
  std::int64_t rotations = 40;
  // Number of x values and of y values, linspace(0, 1) (>= 1; 1 gives the centre, 0.5).
  std::int64_t positions = 32;
  // Side of the square at scale 1 as a fraction of the image side (> 0, and sprite_size * max_scale <= 0.7,
  // so that the largest sprite fits at every position).
  double sprite_size = 0.25;
  // Subsamples per pixel side for anti-aliasing (>= 1).
  std::int64_t supersampling = 4;
};

// The number of factors of a sprite (shape, scale, rotation, x, y).
inline constexpr std::int64_t sprite_factor_count = 5;

// Procedural sprites and their factors.
struct SpriteDataset {
  // images float32 [N, 1, S, S] in [0, 1]; labels int64 [N], the shape index; name "sprites".
  Dataset dataset;
  // int64 [N, 5]: each image's index into each factor's values (columns in factor_names order).
  Tensor factor_indices;
  // float64 [N, 5]: the values themselves: shape index, scale, angle (radians), x and y in [0, 1].
  Tensor factor_values;
  // {"shape", "scale", "rotation", "x", "y"}.
  std::vector<std::string> factor_names;
  // How many values each factor takes (the number of classes of each column of factor_indices).
  std::vector<std::int64_t> factor_sizes;
};

// The values each factor takes under `options` (factor_names order; the shape's are its indices 0, 1, ...).
std::vector<std::vector<double>> sprite_factor_values(const SpriteOptions& options);

// Every combination of factor values, shape slowest and y fastest; ValueError on invalid options or when the
// images would exceed 2^31 bytes (the dSprites defaults would take 12 GB: sample them instead).
SpriteDataset sprite_grid(const SpriteOptions& options = {});

// `count` sprites with each factor index drawn uniformly and independently from Generator(seed).
SpriteDataset sample_sprites(std::int64_t count, std::uint64_t seed, const SpriteOptions& options = {});

// The sprites of the given rows of factor indices (int64 [N, 5], each within its factor's size);
// ShapeError / DTypeError / ValueError naming the offending shape, dtype or row.
SpriteDataset render_sprites(const Tensor& factor_indices, const SpriteOptions& options = {});

}  // namespace lg::data
