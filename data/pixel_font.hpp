// A 5 x 7 pixel font for the plots' text: every printable ASCII character
// (space to '~'). Private to data/: the plots draw with it through Canvas.
#pragma once
#include <array>
#include <cstdint>
#include <optional>

namespace lg::data::detail {

// Glyph size in font pixels; Canvas draws each font pixel as a scale x scale square.
inline constexpr int glyph_width = 5;
// Glyph height in font pixels (no descenders below it: g, j, p, q, y sit higher).
inline constexpr int glyph_height = 7;
// Horizontal distance between glyph origins: the glyph and one blank column.
inline constexpr int glyph_advance = glyph_width + 1;

// One glyph, top row first; in each row bit 4 is the leftmost pixel.
using GlyphRows = std::array<std::uint8_t, glyph_height>;

// The glyph of a printable ASCII character, or nothing for any other byte
// (the caller draws a visible box instead, so no character vanishes silently).
std::optional<GlyphRows> find_glyph(char character);

}  // namespace lg::data::detail
