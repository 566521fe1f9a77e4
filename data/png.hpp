// PNG output (libpng): a plain writer, image grids (inputs next to their
// reconstructions), and scatter plots of 2-D codes coloured by class. Line
// plots (convergence curves) are in data/line_plot.hpp.
// Every error throws IOError or ShapeError starting with the path.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg::data {

// Writes an 8-bit PNG. `pixels` is row-major, `channels` interleaved values a
// pixel: 1 (gray) or 3 (RGB); width * height * channels bytes.
void write_png(const std::string& path, std::int64_t width, std::int64_t height, int channels,
               std::span<const std::uint8_t> pixels);

// Tiles images [N, 1, H, W] or [N, 3, H, W] (values in [0, 1], clamped) into a
// grid of `columns` per row, `padding` white pixels between and around them.
// Put inputs in one row and reconstructions in the next to compare them.
void save_image_grid(const std::string& path, const Tensor& images, std::int64_t columns = 8,
                     std::int64_t padding = 2);

// How the titled save_image_grid lays images out.
struct ImageGridOptions {
  // Images per row.
  std::int64_t columns = 8;
  // White image pixels between and around the images (scaled with them).
  std::int64_t padding = 2;
  // Each image pixel becomes a scale x scale block, so a 28 x 28 digit is not a speck (>= 1).
  std::int64_t scale = 3;
  // Drawn centred above the grid when not empty.
  std::string title = {};
  // Drawn left of the rows, one per row from the top (fewer leave the rest unlabelled; more: ValueError).
  std::vector<std::string> row_labels = {};
};

// The same grid, scaled up, with a title and row labels (e.g. "input", "reconstruction"), as an RGB PNG.
// Implemented in image_grid.cpp.
void save_image_grid(const std::string& path, const Tensor& images, const ImageGridOptions& options);

// A scatter plot of points [N, 2] coloured by labels [N] (int64 in [0, 9]): an
// axes box with the data range at its corners, small dots, and a legend row
// of one swatch and digit per class. Implemented in scatter_plot.cpp.
void save_scatter_plot(const std::string& path, const Tensor& points, const Tensor& labels,
                       std::int64_t width = 640, std::int64_t height = 480);

// The same scatter plot with `title` centred above the legend (any text;
// characters outside printable ASCII are drawn as boxes).
void save_scatter_plot(const std::string& path, const Tensor& points, const Tensor& labels, const std::string& title,
                       std::int64_t width = 640, std::int64_t height = 480);

// The same with `class_names` (ten names, e.g. fashion_mnist_class_names()) in the legend instead of
// the digits, wrapped onto as many rows as they need; ValueError unless there are 10 names (or none).
void save_scatter_plot(const std::string& path, const Tensor& points, const Tensor& labels, const std::string& title,
                       const std::vector<std::string>& class_names, std::int64_t width = 640,
                       std::int64_t height = 480);

}  // namespace lg::data
