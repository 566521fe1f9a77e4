// save_line_plot: the layout is computed from the text it must hold (title,
// y label and tick labels above and left of the box, x tick labels and x label
// below), then drawn back to front: grid, curves, box and ticks, text, legend.
#include "data/line_plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "autograd/error.hpp"
#include "data/axis_ticks.hpp"
#include "data/canvas.hpp"
#include "data/png.hpp"

namespace lg::data {
namespace {

using detail::Axis;
using detail::black;
using detail::Canvas;
using detail::Color;
using detail::text_height;
using detail::text_width;

constexpr std::int64_t margin = 12;      // between the image edge and anything drawn
constexpr std::int64_t tick_length = 5;  // tick marks point out of the box
constexpr int line_thickness = 2;
constexpr Color white{255, 255, 255};

struct Point {
  std::int64_t column, row;
};

// A point is drawn when both coordinates are finite (and y > 0 on a log axis).
bool drawable(double x, double y, bool log_y) { return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0); }

// Maps data coordinates to pixels inside the box [left, right] x [top, bottom].
struct Frame {
  std::int64_t left, top, right, bottom;
  Axis x_axis, y_axis;
  bool log_y;

  std::int64_t column(double x) const { return left + scaled(x, x_axis.low, x_axis.high, right - left); }
  std::int64_t row(double y) const {
    if (log_y) return bottom - scaled(std::log10(y), std::log10(y_axis.low), std::log10(y_axis.high), bottom - top);
    return bottom - scaled(y, y_axis.low, y_axis.high, bottom - top);
  }
  // (value - low) / (high - low) of `pixels`, clamped into the box.
  static std::int64_t scaled(double value, double low, double high, std::int64_t pixels) {
    const double fraction = std::clamp((value - low) / (high - low), 0.0, 1.0);
    return static_cast<std::int64_t>(std::lround(fraction * double(pixels)));
  }
};

void check_arguments(const std::string& path, const std::vector<PlotSeries>& series, const LinePlotOptions& options) {
  check<ValueError>(!series.empty(), "save_line_plot", path, ": series: expected at least one series, found none");
  constexpr std::int64_t max_side = 16384;  // a bigger plot is a mistake, not a wish for 800 MB of pixels
  check<ValueError>(options.width >= 200 && options.height >= 150 && options.width <= max_side &&
                        options.height <= max_side,
                    "save_line_plot", path, ": size: expected 200 x 150 to ", max_side, " x ", max_side,
                    " pixels, found ", options.width, " x ", options.height);
  bool any_point = false;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const PlotSeries& curve = series[i];
    check<ShapeError>(curve.x.size() == curve.y.size(), "save_line_plot", path, ": series ", i, " (\"", curve.name,
                      "\"): expected as many y values as x values, found ", curve.x.size(), " x and ",
                      curve.y.size(), " y");
    for (std::size_t j = 0; j < curve.x.size() && !any_point; ++j)
      any_point = drawable(curve.x[j], curve.y[j], options.log_y);
  }
  check<ValueError>(any_point, "save_line_plot", path, ": no point to draw: every point has a NaN or infinite ",
                    options.log_y ? "coordinate or y <= 0 (log_y)" : "coordinate");
  const HeatMap& heat = options.background;
  if (heat.rows == 0) return;
  check<ValueError>(!options.log_y, "save_line_plot", path, ": a background heat map needs a linear y axis");
  check<ShapeError>(heat.rows > 0 && heat.columns > 0 &&
                        static_cast<std::int64_t>(heat.values.size()) == heat.rows * heat.columns,
                    "save_line_plot", path, ": background: expected rows * columns = ", heat.rows, " * ",
                    heat.columns, " values, found ", heat.values.size());
  check<ValueError>(heat.x_low < heat.x_high && heat.y_low < heat.y_high, "save_line_plot", path,
                    ": background: expected x_low < x_high and y_low < y_high");
}

// The heat map's value at a cell as it is shaded (log10 when asked), NaN where it is not drawn.
double shade_value(const HeatMap& heat, double value) {
  if (!std::isfinite(value) || (heat.log_scale && value <= 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return heat.log_scale ? std::log10(value) : value;
}


// The axes around every drawable point (and the heat map's ranges, when there is one).
std::array<Axis, 2> fit_axes(const std::vector<PlotSeries>& series, bool log_y, const HeatMap& heat) {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  double x_low = infinity, x_high = -infinity, y_low = infinity, y_high = -infinity;
  if (heat.rows > 0) {
    x_low = heat.x_low;
    x_high = heat.x_high;
    y_low = heat.y_low;
    y_high = heat.y_high;
  }
  for (const PlotSeries& curve : series)
    for (std::size_t j = 0; j < curve.x.size(); ++j)
      if (drawable(curve.x[j], curve.y[j], log_y)) {
        x_low = std::min(x_low, curve.x[j]);
        x_high = std::max(x_high, curve.x[j]);
        y_low = std::min(y_low, curve.y[j]);
        y_high = std::max(y_high, curve.y[j]);
      }
  return {detail::linear_axis(x_low, x_high),
          log_y ? detail::log_axis(y_low, y_high) : detail::linear_axis(y_low, y_high)};
}

// Fills the box with the heat map: each pixel takes the cell under it, shaded from light to dark blue.
void draw_heat_map(Canvas& canvas, const Frame& frame, const HeatMap& heat) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (double v : heat.values) {
    const double shaded = shade_value(heat, v);
    if (std::isnan(shaded)) continue;
    low = std::min(low, shaded);
    high = std::max(high, shaded);
  }
  if (!(low <= high)) return;  // nothing to shade
  const double span = high > low ? high - low : 1.0;
  for (std::int64_t row = frame.top; row <= frame.bottom; ++row)
    for (std::int64_t column = frame.left; column <= frame.right; ++column) {
      const double x = frame.x_axis.low + (frame.x_axis.high - frame.x_axis.low) * double(column - frame.left) /
                                              double(std::max<std::int64_t>(1, frame.right - frame.left));
      const double y = frame.y_axis.low + (frame.y_axis.high - frame.y_axis.low) * double(frame.bottom - row) /
                                              double(std::max<std::int64_t>(1, frame.bottom - frame.top));
      const double cx = (x - heat.x_low) / (heat.x_high - heat.x_low) * double(heat.columns);
      const double cy = (y - heat.y_low) / (heat.y_high - heat.y_low) * double(heat.rows);
      if (cx < 0 || cy < 0 || cx >= double(heat.columns) || cy >= double(heat.rows)) continue;
      const auto cell = static_cast<std::size_t>(std::int64_t(cy) * heat.columns + std::int64_t(cx));
      const double shaded = shade_value(heat, heat.values[cell]);
      if (std::isnan(shaded)) continue;
      const double t = (shaded - low) / span;  // 0 light, 1 dark
      const auto mix = [t](double light, double dark) {
        return static_cast<std::uint8_t>(std::lround(light + t * (dark - light)));
      };
      canvas.fill_rect(column, row, 1, 1, Color{mix(250, 40), mix(250, 60), mix(245, 140)});
    }
}

void draw_curve(Canvas& canvas, const Frame& frame, const PlotSeries& curve, Color color) {
  std::optional<Point> previous;
  for (std::size_t j = 0; j < curve.x.size(); ++j) {
    if (!drawable(curve.x[j], curve.y[j], frame.log_y)) {
      previous.reset();  // the line breaks at a skipped point
      continue;
    }
    const Point point{frame.column(curve.x[j]), frame.row(curve.y[j])};
    const bool next_drawable = j + 1 < curve.x.size() && drawable(curve.x[j + 1], curve.y[j + 1], frame.log_y);
    if (previous)
      canvas.draw_line(previous->column, previous->row, point.column, point.row, color, line_thickness);
    else if (!next_drawable)  // alone between breaks: a dot, or it would not show
      canvas.draw_line(point.column, point.row, point.column, point.row, color, 2 * line_thickness);
    previous = point;
  }
}

void draw_axes(Canvas& canvas, const Frame& frame, int scale) {
  for (const detail::Tick& tick : frame.x_axis.ticks) {
    const std::int64_t column = frame.column(tick.value);
    canvas.fill_rect(column, frame.top, 1, frame.bottom - frame.top, detail::light_gray);
    canvas.fill_rect(column, frame.bottom, 1, tick_length, black);
    canvas.draw_text(column - text_width(tick.label, scale) / 2, frame.bottom + tick_length + 4, tick.label, black,
                     scale);
  }
  for (const detail::Tick& tick : frame.y_axis.ticks) {
    const std::int64_t row = frame.row(tick.value);
    canvas.fill_rect(frame.left, row, frame.right - frame.left, 1, detail::light_gray);
    canvas.fill_rect(frame.left - tick_length, row, tick_length, 1, black);
    canvas.draw_text(frame.left - tick_length - 4 - text_width(tick.label, scale) + scale, row - text_height(scale) / 2,
                     tick.label, black, scale);
  }
}

// Pixels of the curves (neither white nor grid gray) in a rectangle: where the legend would hide data.
std::int64_t curve_pixels(const Canvas& canvas, std::int64_t left, std::int64_t top, std::int64_t w, std::int64_t h) {
  const auto is = [](const std::uint8_t* pixel, Color color) {
    return pixel[0] == color.red && pixel[1] == color.green && pixel[2] == color.blue;
  };
  std::int64_t count = 0;
  for (std::int64_t y = std::max<std::int64_t>(top, 0); y < std::min(top + h, canvas.height()); ++y)
    for (std::int64_t x = std::max<std::int64_t>(left, 0); x < std::min(left + w, canvas.width()); ++x) {
      const std::uint8_t* pixel = &canvas.pixels()[static_cast<std::size_t>((y * canvas.width() + x) * 3)];
      count += is(pixel, white) || is(pixel, detail::light_gray) ? 0 : 1;
    }
  return count;
}

// A white box of swatches and names, in the box corner that covers the fewest curve pixels.
void draw_legend(Canvas& canvas, const Frame& frame, const std::vector<PlotSeries>& series, int scale) {
  const std::int64_t swatch = 12 * scale, padding = 4 * scale, row_height = text_height(scale) + 3 * scale;
  std::int64_t name_width = 0;
  for (const PlotSeries& curve : series) name_width = std::max(name_width, text_width(curve.name, scale));
  const std::int64_t w = padding + swatch + padding + name_width + padding;
  const std::int64_t h = padding + static_cast<std::int64_t>(series.size()) * row_height;
  const std::int64_t inset = 8;
  const std::array<Point, 4> corners = {{{frame.right - inset - w, frame.top + inset},
                                         {frame.left + inset, frame.top + inset},
                                         {frame.right - inset - w, frame.bottom - inset - h},
                                         {frame.left + inset, frame.bottom - inset - h}}};
  Point corner = corners[0];
  std::int64_t fewest = curve_pixels(canvas, corner.column, corner.row, w, h);
  for (const Point& candidate : corners) {
    const std::int64_t covered = curve_pixels(canvas, candidate.column, candidate.row, w, h);
    if (covered < fewest) {
      fewest = covered;
      corner = candidate;
    }
  }
  canvas.fill_rect(corner.column, corner.row, w, h, white);
  canvas.draw_rect(corner.column, corner.row, w, h, black);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::int64_t top = corner.row + padding + static_cast<std::int64_t>(i) * row_height;
    const std::int64_t middle = top + text_height(scale) / 2;
    canvas.draw_line(corner.column + padding, middle, corner.column + padding + swatch, middle,
                     detail::tab10[i % detail::tab10.size()], line_thickness + 1);
    canvas.draw_text(corner.column + 2 * padding + swatch, top, series[i].name, black, scale);
  }
}

}  // namespace

void save_line_plot(const std::string& path, const std::vector<PlotSeries>& series, const LinePlotOptions& options) {
  check_arguments(path, series, options);
  const auto [x_axis, y_axis] = fit_axes(series, options.log_y, options.background);
  const std::int64_t width = options.width, height = options.height;
  const int scale = width >= 480 && height >= 300 ? 2 : 1;  // text size; small images get small text
  const int title_scale = text_width(options.title, scale + 1) <= width - 2 * margin ? scale + 1 : scale;

  // The box: room above for the title and y label, left for the y tick labels, below for the x ones and x label.
  std::int64_t y_label_width = 0;
  for (const detail::Tick& tick : y_axis.ticks) y_label_width = std::max(y_label_width, text_width(tick.label, scale));
  const std::int64_t line = text_height(scale) + 4 * scale;
  std::int64_t top = margin + line / 2;
  if (!options.title.empty()) top += text_height(title_scale) + 4 * scale;
  if (!options.y_label.empty()) top += line + 2 * scale;  // clear of the top tick label
  std::int64_t bottom = height - margin - tick_length - line;
  if (!options.x_label.empty()) bottom -= line;
  const std::int64_t left = margin + y_label_width + tick_length + 4;
  const std::int64_t right = width - margin - text_width(x_axis.ticks.back().label, scale) / 2;
  const Frame frame{left, top, right, bottom, x_axis, y_axis, options.log_y};

  Canvas canvas(width, height);
  if (options.background.rows > 0) draw_heat_map(canvas, frame, options.background);
  draw_axes(canvas, frame, scale);
  for (std::size_t i = 0; i < series.size(); ++i)
    draw_curve(canvas, frame, series[i], detail::tab10[i % detail::tab10.size()]);
  canvas.draw_rect(left, top, right - left + 1, bottom - top + 1, black);
  canvas.draw_text((width - text_width(options.title, title_scale)) / 2, margin, options.title, black, title_scale);
  canvas.draw_text(margin, top - line - 2 * scale, options.y_label, black, scale);
  canvas.draw_text((left + right - text_width(options.x_label, scale)) / 2, height - margin - text_height(scale),
                   options.x_label, black, scale);
  draw_legend(canvas, frame, series, scale);
  try {
    write_png(path, width, height, 3, canvas.pixels());
  } catch (const IOError& error) {
    throw IOError("save_line_plot: " + std::string(error.what()));
  }
}

}  // namespace lg::data
