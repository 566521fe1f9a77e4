// save_scatter_plot: 2-D codes coloured by class on a small RGB canvas, with
// an axes box, the data range written at the box's corners (a 3x5 pixel font),
// zero lines when zero is in range, and a legend row of class swatches.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "autograd/error.hpp"
#include "data/png.hpp"

namespace lg::data {
namespace {

struct Color {
  std::uint8_t red, green, blue;
};

// The ten "tab10" colours: distinct, and readable on white.
constexpr std::array<Color, 10> class_colors = {{{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
                                                 {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127},
                                                 {188, 189, 34}, {23, 190, 207}}};
constexpr Color black{0, 0, 0};
constexpr Color light_gray{220, 220, 220};

// Glyphs of 3 x 5 pixels, one row of 3 bits (left bit first) per entry.
constexpr std::string_view glyph_characters = "0123456789-.e+";
constexpr std::array<std::array<std::uint8_t, 5>, 14> glyphs = {{
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
    {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
    {0, 0, 7, 0, 0}, {0, 0, 0, 0, 2}, {7, 4, 7, 4, 7}, {0, 2, 7, 2, 0},
}};
constexpr int font_scale = 2;
constexpr int glyph_advance = 4 * font_scale;  // 3 pixels and a space

class Canvas {
 public:
  Canvas(std::int64_t width, std::int64_t height)
      : width_(width), height_(height), pixels_(static_cast<std::size_t>(width * height * 3), 255) {}

  void blend(std::int64_t x, std::int64_t y, Color color, double alpha = 1.0) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    std::uint8_t* pixel = &pixels_[static_cast<std::size_t>((y * width_ + x) * 3)];
    const std::array<std::uint8_t, 3> channels = {color.red, color.green, color.blue};
    for (int c = 0; c < 3; ++c)
      pixel[c] = static_cast<std::uint8_t>(std::lround((1.0 - alpha) * pixel[c] + alpha * channels[static_cast<std::size_t>(c)]));
  }
  void fill_rect(std::int64_t left, std::int64_t top, std::int64_t w, std::int64_t h, Color color) {
    for (std::int64_t y = top; y < top + h; ++y)
      for (std::int64_t x = left; x < left + w; ++x) blend(x, y, color);
  }
  void draw_text(std::int64_t left, std::int64_t top, std::string_view text, Color color) {
    for (const char character : text) {
      const std::size_t glyph = glyph_characters.find(character);
      if (glyph != std::string_view::npos)
        for (int row = 0; row < 5; ++row)
          for (int column = 0; column < 3; ++column)
            if (glyphs[glyph][static_cast<std::size_t>(row)] & (4 >> column))
              fill_rect(left + column * font_scale, top + row * font_scale, font_scale, font_scale, color);
      left += glyph_advance;
    }
  }
  const std::vector<std::uint8_t>& pixels() const { return pixels_; }

 private:
  std::int64_t width_, height_;
  std::vector<std::uint8_t> pixels_;
};

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

std::int64_t text_width(std::string_view text) { return static_cast<std::int64_t>(text.size()) * glyph_advance; }

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

  // The box leaves room for the legend above, the y range on the left and the x range below.
  const std::int64_t left = 10 + text_width("-0.000e+00"), right = width - 16;
  const std::int64_t top = 36, bottom = height - 30;
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
    const Color color = class_colors[static_cast<std::size_t>(classes[i])];
    for (std::int64_t dy = -1; dy <= 1; ++dy)  // a 3x3 dot, translucent so density shows
      for (std::int64_t dx = -1; dx <= 1; ++dx) canvas.blend(column + dx, row + dy, color, 0.6);
  }
  canvas.fill_rect(left, top, right - left + 1, 1, black);
  canvas.fill_rect(left, bottom, right - left + 1, 1, black);
  canvas.fill_rect(left, top, 1, bottom - top + 1, black);
  canvas.fill_rect(right, top, 1, bottom - top + 1, black);

  const std::string x_low = number_text(x_range.low), x_high = number_text(x_range.high);
  const std::string y_low = number_text(y_range.low), y_high = number_text(y_range.high);
  canvas.draw_text(left, bottom + 8, x_low, black);
  canvas.draw_text(right - text_width(x_high) + font_scale, bottom + 8, x_high, black);
  canvas.draw_text(left - 6 - text_width(y_high), top, y_high, black);
  canvas.draw_text(left - 6 - text_width(y_low), bottom - 5 * font_scale, y_low, black);

  // Legend: a swatch and the class digit for each of the ten classes.
  const std::int64_t entry_width = 36;
  std::int64_t legend_left = std::max<std::int64_t>(left, (width - 10 * entry_width) / 2);
  for (std::size_t c = 0; c < class_colors.size(); ++c, legend_left += entry_width) {
    canvas.fill_rect(legend_left, 12, 12, 12, class_colors[c]);
    canvas.draw_text(legend_left + 16, 13, std::to_string(c), black);
  }
  write_png(path, width, height, 3, canvas.pixels());
}

}  // namespace lg::data
