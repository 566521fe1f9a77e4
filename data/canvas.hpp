// A white RGB canvas the plots draw on: pixels, rectangles, thick lines and
// text in the 5 x 7 pixel font. Private to data/ (the plots' shared drawing),
// not user API; write_png turns pixels() into a file.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace lg::data::detail {

// An 8-bit RGB colour.
struct Color {
  std::uint8_t red, green, blue;
};

// The ten "tab10" colours: distinct, and readable on white. Series and classes cycle through them.
inline constexpr std::array<Color, 10> tab10 = {{{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
                                                 {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127},
                                                 {188, 189, 34}, {23, 190, 207}}};
// Text, axes and ticks.
inline constexpr Color black{0, 0, 0};
// Zero lines and grid lines: visible, but behind the data.
inline constexpr Color light_gray{220, 220, 220};

// Width in pixels of `text` drawn at `scale`: one advance per character
// (UTF-8 continuation bytes take none, so "é" is one box wide).
std::int64_t text_width(std::string_view text, int scale);
// Height in pixels of a line of text drawn at `scale`.
std::int64_t text_height(int scale);

// A width x height RGB image, white at first. Drawing outside it is clipped.
class Canvas {
 public:
  // A white canvas of width x height pixels.
  Canvas(std::int64_t width, std::int64_t height);

  // Width in pixels.
  std::int64_t width() const { return width_; }
  // Height in pixels.
  std::int64_t height() const { return height_; }

  // Mixes `color` into pixel (x, y) with opacity alpha (1: replace it).
  void blend(std::int64_t x, std::int64_t y, Color color, double alpha = 1.0);
  // Fills the w x h rectangle whose top-left pixel is (left, top).
  void fill_rect(std::int64_t left, std::int64_t top, std::int64_t w, std::int64_t h, Color color);
  // Draws the 1-pixel outline of the w x h rectangle whose top-left pixel is (left, top).
  void draw_rect(std::int64_t left, std::int64_t top, std::int64_t w, std::int64_t h, Color color);
  // Draws a straight line from (x0, y0) to (x1, y1) (Bresenham), each step
  // stamping a thickness x thickness square, so diagonals stay as thick as flats.
  void draw_line(std::int64_t x0, std::int64_t y0, std::int64_t x1, std::int64_t y1, Color color, int thickness);
  // Writes `text` with its top-left corner at (left, top), each font pixel a
  // scale x scale square. A character without a glyph is drawn as a hollow box.
  void draw_text(std::int64_t left, std::int64_t top, std::string_view text, Color color, int scale);

  // The pixels, row-major, 3 bytes (R, G, B) a pixel, as write_png takes them.
  const std::vector<std::uint8_t>& pixels() const { return pixels_; }

 private:
  std::int64_t width_, height_;
  std::vector<std::uint8_t> pixels_;
};

}  // namespace lg::data::detail
