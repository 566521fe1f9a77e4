// PNG output: files written by write_png, save_image_grid and
// save_scatter_plot are read back with libpng and checked for size and pixels.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include "data/canvas.hpp"
#include "error_match.hpp"
#include "idx_fixtures.hpp"
#include "png_reader.hpp"

using test_data::Image;
using test_data::read_png;

BOOST_AUTO_TEST_SUITE(png_output)

BOOST_AUTO_TEST_CASE(gray_and_rgb_round_trip) {
  test_data::ScratchFolder folder;
  std::vector<std::uint8_t> gray = {0, 64, 128, 255, 1, 2};
  lg::data::write_png(folder.path() + "/gray.png", 3, 2, 1, gray);
  const Image g = read_png(folder.path() + "/gray.png");
  BOOST_TEST((g.width == 3 && g.height == 2 && g.channels == 1));
  BOOST_TEST(g.pixels == gray, boost::test_tools::per_element());

  std::vector<std::uint8_t> rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
  lg::data::write_png(folder.path() + "/rgb.png", 2, 2, 3, rgb);
  const Image c = read_png(folder.path() + "/rgb.png");
  BOOST_TEST((c.width == 2 && c.height == 2 && c.channels == 3));
  BOOST_TEST(c.pixels == rgb, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(image_grid_places_each_image_with_padding) {
  test_data::ScratchFolder folder;
  // Three 2 x 2 gray images: values 0, 0.5 and 1 (clamped from 2), two columns, padding 1.
  const lg::Tensor images = lg::from_vector(std::vector<float>{0, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, 2, 2, 2, 2},
                                            {3, 1, 2, 2});
  const std::string path = folder.path() + "/grid.png";
  lg::data::save_image_grid(path, images, 2, 1);
  const Image grid = read_png(path);
  BOOST_TEST((grid.width == 7 && grid.height == 7 && grid.channels == 1));
  BOOST_TEST(grid.at(0, 0) == 255);  // padding is white
  BOOST_TEST(grid.at(1, 1) == 0);    // image 0 at (1, 1)
  BOOST_TEST(grid.at(2, 2) == 0);
  BOOST_TEST(grid.at(3, 1) == 255);  // the gap between columns
  BOOST_TEST(grid.at(4, 1) == 128);  // image 1 at (4, 1): round(0.5 * 255)
  BOOST_TEST(grid.at(1, 4) == 255);  // image 2 at (1, 4), clamped to 1
  BOOST_TEST(grid.at(4, 4) == 255);  // no fourth image: background
}

BOOST_AUTO_TEST_CASE(rgb_grid) {
  test_data::ScratchFolder folder;
  lg::Tensor images = lg::zeros({2, 3, 4, 4});
  images.select(0, 1).select(0, 2).fill_(1.0);  // image 1 is blue
  const std::string path = folder.path() + "/rgb_grid.png";
  lg::data::save_image_grid(path, images, 8, 0);
  const Image grid = read_png(path);
  BOOST_TEST((grid.width == 8 && grid.height == 4 && grid.channels == 3));
  BOOST_TEST((grid.at(5, 1, 0) == 0 && grid.at(5, 1, 1) == 0 && grid.at(5, 1, 2) == 255));
  BOOST_TEST(grid.at(1, 1, 2) == 0);
}

BOOST_AUTO_TEST_CASE(titled_grid_scales_each_pixel_and_leaves_room_for_the_text) {
  test_data::ScratchFolder folder;
  // Two rows of one 2 x 2 image each: image 0 has one white pixel (top left), image 1 is mid gray.
  const lg::Tensor images = lg::from_vector(std::vector<float>{1, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f}, {2, 1, 2, 2});
  const std::string bare = folder.path() + "/bare.png", titled = folder.path() + "/titled.png";
  lg::data::save_image_grid(bare, images, {.columns = 1, .padding = 1, .scale = 3});
  const Image plain = read_png(bare);
  // Scaled: padding 3, cells 6 x 6; one column, two rows.
  BOOST_TEST((plain.width == 12 && plain.height == 21 && plain.channels == 3));
  for (std::int64_t y = 3; y < 6; ++y)
    for (std::int64_t x = 3; x < 6; ++x) BOOST_TEST(plain.at(x, y, 1) == 255);  // the white pixel, 3 x 3
  BOOST_TEST(plain.at(6, 3, 0) == 0);                                            // its black neighbour
  BOOST_TEST(plain.at(3, 12, 2) == 128);                                         // image 1, gray
  BOOST_TEST(plain.at(3, 10, 2) == 255);                                         // padding between rows

  lg::data::save_image_grid(titled, images,
                            {.columns = 1, .padding = 1, .scale = 3, .title = "T", .row_labels = {"in", "out"}});
  const Image text = read_png(titled);
  BOOST_TEST(text.width > plain.width);    // the labels' column
  BOOST_TEST(text.height > plain.height);  // the title's row
  // The grid sits at the bottom right: its last pixel row and column are the padding, white; image 1's
  // bottom-right pixel is gray.
  BOOST_TEST(text.at(text.width - 1, text.height - 1, 0) == 255);
  BOOST_TEST(text.at(text.width - 4, text.height - 4, 0) == 128);
  std::int64_t dark = 0;  // the title's and labels' ink
  for (std::int64_t y = 0; y < text.height; ++y)
    for (std::int64_t x = 0; x < text.width - plain.width; ++x) dark += text.at(x, y, 0) == 0;
  BOOST_TEST(dark > 20);

  test_data::check_throws_with<lg::ValueError>(
      [&] { lg::data::save_image_grid(titled, images, {.columns = 1, .scale = 0}); }, {titled, "scale"});
  test_data::check_throws_with<lg::ValueError>(
      [&] { lg::data::save_image_grid(titled, images, {.columns = 1, .row_labels = {"a", "b", "c"}}); },
      {"row_labels", "3 labels", "2 rows"});
}

BOOST_AUTO_TEST_CASE(scatter_plot_has_the_legend_colours_and_the_dots) {
  test_data::ScratchFolder folder;
  std::vector<float> points;
  std::vector<std::int64_t> labels;
  for (int i = 0; i < 200; ++i) {
    points.push_back(static_cast<float>(i % 10));
    points.push_back(static_cast<float>(i % 7));
    labels.push_back(i % 10);
  }
  const std::string path = folder.path() + "/scatter.png";
  lg::data::save_scatter_plot(path, lg::from_vector(points, {200, 2}), lg::from_vector(labels, {200}), 400, 300);
  const Image plot = read_png(path);
  BOOST_TEST((plot.width == 400 && plot.height == 300 && plot.channels == 3));
  // The first legend swatch is class 0's colour (31, 119, 180); some dot pixel is class 3's (214, 39, 40) blended.
  bool swatch_found = false, colored_dot = false;
  for (std::int64_t y = 0; y < 40; ++y)
    for (std::int64_t x = 0; x < plot.width; ++x)
      swatch_found = swatch_found || (plot.at(x, y, 0) == 31 && plot.at(x, y, 1) == 119 && plot.at(x, y, 2) == 180);
  for (std::int64_t y = 40; y < plot.height - 30; ++y)
    for (std::int64_t x = 0; x < plot.width; ++x)
      colored_dot = colored_dot || (plot.at(x, y, 0) > 200 && plot.at(x, y, 1) < 120 && plot.at(x, y, 2) < 120);
  BOOST_TEST(swatch_found);
  BOOST_TEST(colored_dot);
  BOOST_TEST((plot.at(plot.width - 1, plot.height - 1, 0) == 255));  // white margin
}

BOOST_AUTO_TEST_CASE(scatter_plot_title_sits_above_the_legend) {
  test_data::ScratchFolder folder;
  const std::string path = folder.path() + "/titled.png";
  const lg::Tensor points = lg::from_vector(std::vector<float>{0, 0, 1, 1, 2, 0}, {3, 2});
  lg::data::save_scatter_plot(path, points, lg::from_vector(std::vector<std::int64_t>{0, 1, 2}, {3}), "Latent codes");
  const Image plot = read_png(path);
  BOOST_TEST((plot.width == 640 && plot.height == 480));
  std::int64_t title_ink = 0, swatch_top = plot.height;
  for (std::int64_t y = 0; y < 60; ++y)
    for (std::int64_t x = 0; x < plot.width; ++x) {
      title_ink += y < 26 && plot.at(x, y, 0) < 100 && plot.at(x, y, 1) < 100 && plot.at(x, y, 2) < 100;
      if (plot.at(x, y, 0) == 31 && plot.at(x, y, 1) == 119 && plot.at(x, y, 2) == 180)
        swatch_top = std::min(swatch_top, y);
    }
  BOOST_TEST(title_ink > 50);
  BOOST_TEST(swatch_top >= 26);  // the legend moved down below the title
}

BOOST_AUTO_TEST_CASE(scatter_plot_legend_names_wrap_onto_rows) {
  test_data::ScratchFolder folder;
  const lg::Tensor points = lg::from_vector(std::vector<float>{0, 0, 1, 1, 2, 0}, {3, 2});
  const lg::Tensor labels = lg::from_vector(std::vector<std::int64_t>{0, 1, 9}, {3});
  // The row of the first pixel of a class's swatch colour, scanning from the top.
  const auto swatch_row = [](const Image& plot, std::size_t c) {
    const auto color = lg::data::detail::tab10[c];
    for (std::int64_t y = 0; y < plot.height; ++y)
      for (std::int64_t x = 0; x < plot.width; ++x)
        if (plot.at(x, y, 0) == color.red && plot.at(x, y, 1) == color.green && plot.at(x, y, 2) == color.blue) return y;
    return plot.height;
  };
  const std::string digits = folder.path() + "/digits.png", named = folder.path() + "/named.png";
  lg::data::save_scatter_plot(digits, points, labels, "Codes");
  lg::data::save_scatter_plot(named, points, labels, "Codes", lg::data::fashion_mnist_class_names());
  const Image digit_plot = read_png(digits), named_plot = read_png(named);
  // Digits fit in one legend row; the ten Fashion-MNIST names need more at 640 pixels.
  BOOST_TEST(swatch_row(digit_plot, 9) == swatch_row(digit_plot, 0));
  BOOST_TEST(swatch_row(named_plot, 9) > swatch_row(named_plot, 0));
  BOOST_TEST(lg::data::fashion_mnist_class_names().size() == 10u);
  BOOST_TEST(lg::data::fashion_mnist_class_names()[0] == "T-shirt/top");
  test_data::check_throws_with<lg::ValueError>(
      [&] { lg::data::save_scatter_plot(named, points, labels, "Codes", {"one", "two"}); },
      {named, "class_names", "found 2"});
}

BOOST_AUTO_TEST_CASE(errors_name_the_path) {
  using test_data::check_throws_with;
  const std::string unwritable = "/nonexistent-folder/x.png";
  check_throws_with<lg::IOError>([&] { lg::data::write_png(unwritable, 1, 1, 1, std::vector<std::uint8_t>{0}); },
                                 {unwritable, "write"});
  check_throws_with<lg::ShapeError>([&] { lg::data::save_image_grid("g.png", lg::zeros({2, 2, 4, 4}), 2, 1); },
                                    {"g.png", "[2, 2, 4, 4]"});
  check_throws_with<lg::ValueError>(
      [&] {
        lg::data::save_scatter_plot("s.png", lg::zeros({2, 2}), lg::from_vector(std::vector<std::int64_t>{0, 12}, {2}));
      },
      {"s.png", "label at index 1", "found 12"});
}

BOOST_AUTO_TEST_SUITE_END()
