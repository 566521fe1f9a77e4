// save_line_plot: plots are written into a scratch folder, read back with
// libpng and checked for their size, the series' colours, the title's ink,
// breaks at skipped points, and every error.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <cmath>
#include <filesystem>
#include <limits>

#include "error_match.hpp"
#include "idx_fixtures.hpp"
#include "png_reader.hpp"

namespace {

using lg::data::LinePlotOptions;
using lg::data::PlotSeries;
using test_data::Image;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

struct Rgb {
  std::uint8_t red, green, blue;
};
// The first three tab10 colours, the first three series' colours.
constexpr Rgb blue{31, 119, 180}, orange{255, 127, 14}, green{44, 160, 44};

struct Region {
  std::int64_t left, top, right, bottom;  // half-open: [left, right) x [top, bottom)
};

std::int64_t count_color(const Image& image, Rgb color, Region region) {
  std::int64_t count = 0;
  for (std::int64_t y = region.top; y < region.bottom; ++y)
    for (std::int64_t x = region.left; x < region.right; ++x)
      count += image.at(x, y, 0) == color.red && image.at(x, y, 1) == color.green && image.at(x, y, 2) == color.blue;
  return count;
}

// Pixels of text or axes: every channel dark.
std::int64_t count_dark(const Image& image, Region region) {
  std::int64_t count = 0;
  for (std::int64_t y = region.top; y < region.bottom; ++y)
    for (std::int64_t x = region.left; x < region.right; ++x)
      count += image.at(x, y, 0) < 100 && image.at(x, y, 1) < 100 && image.at(x, y, 2) < 100;
  return count;
}

Region whole(const Image& image) { return {0, 0, image.width, image.height}; }

// Three decaying curves over 0..1000, like training losses.
std::vector<PlotSeries> three_losses() {
  std::vector<PlotSeries> series = {{"train", {}, {}}, {"test", {}, {}}, {"KL (nats)", {}, {}}};
  for (int i = 0; i <= 100; ++i) {
    const double step = 10.0 * i;
    for (std::size_t s = 0; s < series.size(); ++s) {
      series[s].x.push_back(step);
      series[s].y.push_back((3.0 - double(s)) * std::exp(-step / (200.0 + 100.0 * double(s))) + 0.01);
    }
  }
  return series;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(line_plot)

BOOST_AUTO_TEST_CASE(three_series_on_a_log_axis_show_their_colours_and_the_title) {
  test_data::ScratchFolder folder;
  const std::string path = folder.path() + "/losses.png";
  lg::data::save_line_plot(path, three_losses(),
                           {.title = "Loss per step", .x_label = "step", .y_label = "loss", .log_y = true});
  BOOST_REQUIRE(std::filesystem::exists(path));
  const Image plot = test_data::read_png(path);
  BOOST_TEST((plot.width == 800 && plot.height == 500 && plot.channels == 3));
  // Each curve is hundreds of pixels long; the legend's swatch alone is a few dozen.
  BOOST_TEST(count_color(plot, blue, whole(plot)) > 300);
  BOOST_TEST(count_color(plot, orange, whole(plot)) > 300);
  BOOST_TEST(count_color(plot, green, whole(plot)) > 300);
  // The title is centred in the top rows: ink there, and white in the corners beside it.
  BOOST_TEST(count_dark(plot, {plot.width / 4, 0, 3 * plot.width / 4, 40}) > 100);
  BOOST_TEST(count_dark(plot, {0, 0, 60, 12}) == 0);
  BOOST_TEST((plot.at(plot.width - 1, plot.height - 1, 0) == 255));  // a white margin
}

BOOST_AUTO_TEST_CASE(linear_axes_at_a_chosen_size) {
  test_data::ScratchFolder folder;
  const std::string path = folder.path() + "/small.png";
  lg::data::save_line_plot(path, {{"a", {0, 1, 2, 3}, {1, -2, 4, 0.5}}, {"b", {0, 3}, {0, 0}}},
                           {.title = "small", .width = 300, .height = 200});
  const Image plot = test_data::read_png(path);
  BOOST_TEST((plot.width == 300 && plot.height == 200 && plot.channels == 3));
  BOOST_TEST(count_color(plot, blue, whole(plot)) > 100);
  BOOST_TEST(count_color(plot, orange, whole(plot)) > 50);
}

// A horizontal line y = 1 from x = 0 to 10 with its point at x = 5 skipped:
// the middle of its row is blank between x = 4 and x = 6, the rest drawn.
void check_break_at_the_skipped_point(double skipped_y, bool log_y) {
  test_data::ScratchFolder folder;
  const std::string path = folder.path() + "/broken.png";
  PlotSeries line{"line", {}, {}};
  for (int i = 0; i <= 10; ++i) {
    line.x.push_back(i);
    line.y.push_back(i == 5 ? skipped_y : 1.0);
  }
  lg::data::save_line_plot(path, {line}, {.log_y = log_y});
  const Image plot = test_data::read_png(path);
  std::int64_t line_row = -1, first = plot.width, last = -1;  // the row with the most line pixels, its ends
  std::int64_t most = 0;
  for (std::int64_t y = 0; y < plot.height; ++y) {
    const std::int64_t count = count_color(plot, blue, {0, y, plot.width, y + 1});
    if (count > most) {
      most = count;
      line_row = y;
    }
  }
  BOOST_REQUIRE(line_row >= 0);
  for (std::int64_t x = 0; x < plot.width; ++x)
    if (count_color(plot, blue, {x, line_row, x + 1, line_row + 1}) > 0) {
      first = std::min(first, x);
      last = x;
    }
  const std::int64_t centre = (first + last) / 2, tenth = (last - first) / 10;
  BOOST_TEST(count_color(plot, blue, {centre - tenth + 3, line_row, centre + tenth - 3, line_row + 1}) == 0);
  BOOST_TEST(count_color(plot, blue, {first, line_row, centre - tenth - 1, line_row + 1}) ==
             centre - tenth - 1 - first);
  // (last is the pen's second column beyond the box's right edge, which the edge covers.)
  BOOST_TEST(count_color(plot, blue, {centre + tenth + 2, line_row, last - 1, line_row + 1}) ==
             last - 1 - centre - tenth - 2);
}

BOOST_AUTO_TEST_CASE(the_line_breaks_at_nan_inf_and_non_positive_log_values) {
  check_break_at_the_skipped_point(not_a_number, false);
  check_break_at_the_skipped_point(inf, false);
  check_break_at_the_skipped_point(-inf, true);
  check_break_at_the_skipped_point(0.0, true);
  check_break_at_the_skipped_point(-3.0, true);
}

BOOST_AUTO_TEST_CASE(a_point_alone_between_breaks_is_a_dot) {
  test_data::ScratchFolder folder;
  const std::string path = folder.path() + "/dot.png";
  lg::data::save_line_plot(path, {{"dot", {0, 1, 2}, {not_a_number, 4.0, not_a_number}}});
  const Image plot = test_data::read_png(path);
  // The point is the middle of both axes' ranges; the legend sits in a corner, far from it.
  const std::int64_t x = plot.width / 2, y = plot.height / 2;
  BOOST_TEST(count_color(plot, blue, {x - 60, y - 60, x + 60, y + 60}) >= 16);  // a 4 x 4 dot
}

BOOST_AUTO_TEST_CASE(the_legend_goes_where_the_curves_are_not) {
  // A flat line along the bottom and a rising one ending top right: the legend's
  // first choice, top right, would hide the rising one's end; top left is empty.
  test_data::ScratchFolder folder;
  const std::string path = folder.path() + "/legend.png";
  lg::data::save_line_plot(path, {{"flat", {0, 1}, {0, 0}}, {"rising", {0, 1}, {0, 1}}});
  const Image plot = test_data::read_png(path);
  const Region top_left{0, 0, plot.width / 2, plot.height / 2};
  const Region top_right{plot.width / 2, 0, plot.width, plot.height / 3};
  BOOST_TEST(count_color(plot, blue, top_left) > 0);  // the legend's swatches
  BOOST_TEST(count_color(plot, orange, top_left) > 0);
  BOOST_TEST(count_color(plot, blue, top_right) == 0);
}

BOOST_AUTO_TEST_CASE(characters_outside_the_font_are_drawn_as_boxes) {
  test_data::ScratchFolder folder;
  const auto title_ink = [&](const std::string& title) {
    const std::string path = folder.path() + "/title.png";
    lg::data::save_line_plot(path, three_losses(), {.title = title});
    const Image plot = test_data::read_png(path);
    return count_dark(plot, {plot.width / 4, 0, 3 * plot.width / 4, 40});
  };
  BOOST_TEST(title_ink("  ") == 0);
  BOOST_TEST(title_ink("\x01\x7f") > 50);  // control characters: two boxes
  BOOST_TEST(title_ink("\xc3\xa9") > 20);  // UTF-8 e-acute: one box
}

BOOST_AUTO_TEST_CASE(errors_start_with_the_function_and_the_path) {
  using test_data::check_throws_with;
  const std::string path = "plot.png";
  check_throws_with<lg::ValueError>([&] { lg::data::save_line_plot(path, {}); },
                                    {"save_line_plot: plot.png", "at least one series"});
  check_throws_with<lg::ShapeError>(
      [&] { lg::data::save_line_plot(path, {{"fine", {1, 2}, {1, 2}}, {"short", {1, 2, 3}, {1, 2}}}); },
      {"save_line_plot: plot.png", "series 1 (\"short\")", "found 3 x and 2 y"});
  check_throws_with<lg::ValueError>(
      [&] { lg::data::save_line_plot(path, {{"nan", {not_a_number, 1, inf}, {1, not_a_number, 1}}}); },
      {"save_line_plot: plot.png", "no point to draw"});
  check_throws_with<lg::ValueError>([&] { lg::data::save_line_plot(path, {{"empty", {}, {}}}); },
                                    {"save_line_plot: plot.png", "no point to draw"});
  check_throws_with<lg::ValueError>(
      [&] { lg::data::save_line_plot(path, {{"negative", {1, 2}, {0, -1}}}, {.log_y = true}); },
      {"save_line_plot: plot.png", "no point to draw", "y <= 0"});
  check_throws_with<lg::ValueError>(
      [&] { lg::data::save_line_plot(path, {{"a", {1}, {1}}}, {.width = 100, .height = 80}); },
      {"save_line_plot: plot.png", "100 x 80"});
  check_throws_with<lg::ValueError>(
      [&] { lg::data::save_line_plot(path, {{"a", {1}, {1}}}, {.width = 800, .height = 100000}); },
      {"save_line_plot: plot.png", "800 x 100000"});
  const std::string unwritable = "/nonexistent-folder/plot.png";
  check_throws_with<lg::IOError>([&] { lg::data::save_line_plot(unwritable, {{"a", {1, 2}, {1, 2}}}); },
                                 {"save_line_plot: " + unwritable, "write"});
}

// A heat map rising from left to right behind one curve: the box is shaded light on the left, dark blue on
// the right, the curve is drawn over it, a NaN cell is left white, and bad heat maps are refused.
BOOST_AUTO_TEST_CASE(a_heat_map_behind_the_curves) {
  test_data::ScratchFolder folder;
  const std::string path = folder.path() + "/heat.png";
  lg::data::HeatMap heat{.values = {}, .rows = 4, .columns = 8, .x_low = 0.0, .x_high = 8.0, .y_low = 0.0,
                         .y_high = 4.0};
  for (std::int64_t r = 0; r < 4; ++r)
    for (std::int64_t c = 0; c < 8; ++c) heat.values.push_back(r == 3 && c == 0 ? std::nan("") : double(c));
  lg::data::save_line_plot(path, {{"a", {1, 7}, {2, 2}}}, {.title = "heat", .background = heat});
  const Image plot = test_data::read_png(path);
  BOOST_TEST(count_color(plot, blue, whole(plot)) > 100);  // the curve, over the shading
  // Sample a row a quarter of the way down the box, away from the curve at y = 2.
  const std::int64_t y = plot.height / 2 + plot.height / 6;
  int lighter = 0;
  for (std::int64_t x = plot.width / 5; x + plot.width / 5 < plot.width * 4 / 5; x += 20)
    lighter += plot.at(x, y, 0) > plot.at(x + plot.width / 5, y, 0) ? 1 : 0;
  BOOST_TEST(lighter >= 3);  // darker to the right
  test_data::check_throws_with<lg::ShapeError>(
      [&] {
        lg::data::HeatMap bad = heat;
        bad.values.pop_back();
        lg::data::save_line_plot(path, {{"a", {1, 7}, {2, 2}}}, {.background = bad});
      },
      {"background", "4 * 8"});
  test_data::check_throws_with<lg::ValueError>(
      [&] { lg::data::save_line_plot(path, {{"a", {1, 7}, {2, 2}}}, {.log_y = true, .background = heat}); },
      {"linear y axis"});
}

BOOST_AUTO_TEST_SUITE_END()
