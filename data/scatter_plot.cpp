// save_scatter_plot: 2-D codes coloured by class on a small RGB canvas, with
// an axes box, the data range written at the box's corners (the 5x7 pixel font),
// zero lines when zero is in range, a legend row of class swatches, and an
// optional title above it.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "autograd/error.hpp"
#include "data/canvas.hpp"
#include "data/png.hpp"

namespace lg::data {
namespace {

using detail::black;
using detail::Canvas;
using detail::Color;
using detail::light_gray;

constexpr int font_scale = 2;

std::int64_t text_width(std::string_view text) { return detail::text_width(text, font_scale); }

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

struct Range {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void include(double value) {
    low = std::min(low, value);
    high = std::max(high, value);
  }
  // Empty or single-valued ranges widen to something drawable, then 5% each side.
  void pad() {
    if (!(low <= high)) low = -1.0, high = 1.0;
    if (high - low < 1e-12 * std::max(1.0, std::abs(low))) low -= 1.0, high += 1.0;
    const double margin = 0.05 * (high - low);
    low -= margin;
    high += margin;
  }
};

}  // namespace

void save_scatter_plot(const std::string& path, const Tensor& points, const Tensor& labels, std::int64_t width,
                       std::int64_t height) {
  save_scatter_plot(path, points, labels, "", width, height);
}

void save_scatter_plot(const std::string& path, const Tensor& points, const Tensor& labels, const std::string& title,
                       std::int64_t width, std::int64_t height) {
  save_scatter_plot(path, points, labels, title, {}, width, height);
}

void save_scatter_plot(const std::string& path, const Tensor& points, const Tensor& labels, const std::string& title,
                       const std::vector<std::string>& class_names, std::int64_t width, std::int64_t height) {
  check<ValueError>(class_names.empty() || class_names.size() == 10, path,
                    "class_names: expected 10 names (or none for the digits), found ", class_names.size());
  check<ShapeError>(points.defined() && points.dim() == 2 && points.size(1) == 2, path,
                    "points: expected a [N, 2] tensor, found ",
                    points.defined() ? shape_str(points.shape()) : std::string("an undefined tensor"));
  check<ShapeError>(labels.defined() && labels.dim() == 1 && labels.size(0) == points.size(0), path,
                    "labels: expected a [", points.size(0), "] tensor, found ",
                    labels.defined() ? shape_str(labels.shape()) : std::string("an undefined tensor"));
  check<DTypeError>(labels.dtype() == int64, path, "labels: expected int64, found ", labels.dtype());
  check<DeviceError>(points.device() == cpu && labels.device() == cpu, path, "expected cpu tensors, found points on ",
                     points.device(), " and labels on ", labels.device());
  check<ValueError>(width >= 200 && height >= 150, path, "size: expected at least 200 x 150 pixels, found ", width,
                    " x ", height);
  const std::vector<double> xy = points.detach().to_vector<double>();
  const std::vector<std::int64_t> classes = labels.to_vector<std::int64_t>();
  for (std::size_t i = 0; i < classes.size(); ++i)
    check<ValueError>(classes[i] >= 0 && classes[i] <= 9, path, "label at index ", i,
                      ": expected a class in [0, 9], found ", classes[i]);

  Range x_range, y_range;
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1])) {
      x_range.include(xy[2 * i]);
      y_range.include(xy[2 * i + 1]);
    }
  x_range.pad();
  y_range.pad();

  // The legend: a swatch and the class's digit or name per class, wrapped onto as many rows as it needs.
  const std::int64_t left = 10 + text_width("-0.000e+00"), right = width - 16;
  std::vector<std::string> names = class_names;
  for (std::size_t c = 0; names.size() < 10; ++c) names.push_back(std::to_string(c));
  struct Entry {
    std::int64_t column, row;
  };
  std::vector<Entry> entries;
  std::int64_t legend_x = 0, rows = 1;
  for (const std::string& name : names) {
    const std::int64_t entry_width = 18 + text_width(name) + 18;
    if (legend_x > 0 && left + legend_x + entry_width > right) {
      legend_x = 0;
      ++rows;
    }
    entries.push_back({legend_x, rows - 1});
    legend_x += entry_width;
  }
  const std::int64_t row_height = detail::text_height(font_scale) + 8;

  // The box leaves room for the title and the legend above, the y range on the left and the x range below.
  const std::int64_t title_space = title.empty() ? 0 : detail::text_height(font_scale) + 10;
  const std::int64_t legend_top = 12 + title_space;
  const std::int64_t top = legend_top + rows * row_height + 8, bottom = height - 30;
  check<ValueError>(bottom - top >= 40, path, "size: ", width, " x ", height,
                    " pixels leave no room for the plot under its legend");
  const auto to_column = [&](double x) {
    return left + static_cast<std::int64_t>(std::lround((x - x_range.low) / (x_range.high - x_range.low) * double(right - left)));
  };
  const auto to_row = [&](double y) {
    return bottom - static_cast<std::int64_t>(std::lround((y - y_range.low) / (y_range.high - y_range.low) * double(bottom - top)));
  };

  Canvas canvas(width, height);
  if (x_range.low < 0 && x_range.high > 0) canvas.fill_rect(to_column(0.0), top, 1, bottom - top, light_gray);
  if (y_range.low < 0 && y_range.high > 0) canvas.fill_rect(left, to_row(0.0), right - left, 1, light_gray);
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (!std::isfinite(xy[2 * i]) || !std::isfinite(xy[2 * i + 1])) continue;
    const std::int64_t column = to_column(xy[2 * i]), row = to_row(xy[2 * i + 1]);
    const Color color = detail::tab10[static_cast<std::size_t>(classes[i])];
    for (std::int64_t dy = -1; dy <= 1; ++dy)  // a 3x3 dot, translucent so density shows
      for (std::int64_t dx = -1; dx <= 1; ++dx) canvas.blend(column + dx, row + dy, color, 0.6);
  }
  canvas.draw_rect(left, top, right - left + 1, bottom - top + 1, black);

  const std::string x_low = number_text(x_range.low), x_high = number_text(x_range.high);
  const std::string y_low = number_text(y_range.low), y_high = number_text(y_range.high);
  canvas.draw_text(left, bottom + 8, x_low, black, font_scale);
  canvas.draw_text(right - text_width(x_high) + font_scale, bottom + 8, x_high, black, font_scale);
  canvas.draw_text(left - 6 - text_width(y_high), top, y_high, black, font_scale);
  canvas.draw_text(left - 6 - text_width(y_low), bottom - detail::text_height(font_scale), y_low, black, font_scale);

  for (std::size_t c = 0; c < entries.size(); ++c) {
    const std::int64_t x = left + entries[c].column, y = legend_top + entries[c].row * row_height;
    canvas.fill_rect(x, y, 14, 14, detail::tab10[c]);
    canvas.draw_text(x + 18, y, names[c], black, font_scale);
  }
  canvas.draw_text((width - text_width(title)) / 2, 10, title, black, font_scale);
  write_png(path, width, height, 3, canvas.pixels());
}

}  // namespace lg::data
