// Canvas: clipped pixel writes, rectangles, Bresenham lines with a square pen,
// and text in the 5 x 7 font (a hollow box for characters it lacks).
#include "data/canvas.hpp"

#include <cmath>
#include <cstdlib>

#include "data/pixel_font.hpp"

namespace lg::data::detail {
namespace {

// The second and later bytes of a UTF-8 character: they belong to the box the first byte drew.
bool is_utf8_continuation(char character) { return (static_cast<unsigned char>(character) & 0xC0) == 0x80; }

}  // namespace

std::int64_t text_width(std::string_view text, int scale) {
  std::int64_t characters = 0;
  for (const char character : text) characters += is_utf8_continuation(character) ? 0 : 1;
  return characters * glyph_advance * scale;
}

std::int64_t text_height(int scale) { return glyph_height * scale; }

Canvas::Canvas(std::int64_t width, std::int64_t height)
    : width_(width), height_(height), pixels_(static_cast<std::size_t>(width * height * 3), 255) {}

void Canvas::blend(std::int64_t x, std::int64_t y, Color color, double alpha) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  std::uint8_t* pixel = &pixels_[static_cast<std::size_t>((y * width_ + x) * 3)];
  const std::array<std::uint8_t, 3> channels = {color.red, color.green, color.blue};
  for (std::size_t c = 0; c < 3; ++c)
    pixel[c] = static_cast<std::uint8_t>(std::lround((1.0 - alpha) * pixel[c] + alpha * channels[c]));
}

void Canvas::fill_rect(std::int64_t left, std::int64_t top, std::int64_t w, std::int64_t h, Color color) {
  for (std::int64_t y = top; y < top + h; ++y)
    for (std::int64_t x = left; x < left + w; ++x) blend(x, y, color);
}

void Canvas::draw_rect(std::int64_t left, std::int64_t top, std::int64_t w, std::int64_t h, Color color) {
  fill_rect(left, top, w, 1, color);
  fill_rect(left, top + h - 1, w, 1, color);
  fill_rect(left, top, 1, h, color);
  fill_rect(left + w - 1, top, 1, h, color);
}

void Canvas::draw_line(std::int64_t x0, std::int64_t y0, std::int64_t x1, std::int64_t y1, Color color,
                       int thickness) {
  // Bresenham: step along both axes, keeping the accumulated error of the ideal line within half a pixel.
  const std::int64_t dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
  const std::int64_t step_x = x0 < x1 ? 1 : -1, step_y = y0 < y1 ? 1 : -1;
  const std::int64_t offset = (thickness - 1) / 2;  // centres the pen on the line
  std::int64_t error = dx + dy;
  while (true) {
    fill_rect(x0 - offset, y0 - offset, thickness, thickness, color);
    if (x0 == x1 && y0 == y1) break;
    const std::int64_t doubled = 2 * error;
    if (doubled >= dy) {
      error += dy;
      x0 += step_x;
    }
    if (doubled <= dx) {
      error += dx;
      y0 += step_y;
    }
  }
}

void Canvas::draw_text(std::int64_t left, std::int64_t top, std::string_view text, Color color, int scale) {
  for (const char character : text) {
    if (is_utf8_continuation(character)) continue;
    if (const std::optional<GlyphRows> glyph = find_glyph(character)) {
      for (int row = 0; row < glyph_height; ++row)
        for (int column = 0; column < glyph_width; ++column)
          if ((*glyph)[static_cast<std::size_t>(row)] & (1 << (glyph_width - 1 - column)))
            fill_rect(left + column * scale, top + row * scale, scale, scale, color);
    } else {
      draw_rect(left, top, glyph_width * scale, glyph_height * scale, color);
    }
    left += glyph_advance * scale;
  }
}

}  // namespace lg::data::detail
