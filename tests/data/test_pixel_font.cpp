// The plots' 5 x 7 font and the canvas text drawing: every character the
// plots use has a glyph, the hand-typed table has no blank or duplicated
// glyph, and a character without a glyph is drawn as a visible box.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "data/canvas.hpp"
#include "data/pixel_font.hpp"

namespace {

using lg::data::detail::find_glyph;
using lg::data::detail::GlyphRows;

// Letters, digits, and the punctuation of titles, labels and tick numbers ("2.5e-3", "loss (log)", "[0, 1]").
const std::string characters_plots_use =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:;-+=()/%_'[]<>^*#|";

std::int64_t ink(const lg::data::detail::Canvas& canvas) {
  std::int64_t count = 0;
  for (const std::uint8_t channel : canvas.pixels()) count += channel == 0 ? 1 : 0;
  return count / 3;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pixel_font)

BOOST_AUTO_TEST_CASE(every_character_the_plots_use_has_a_glyph) {
  for (const char character : characters_plots_use) {
    const std::optional<GlyphRows> glyph = find_glyph(character);
    BOOST_TEST_CONTEXT("character '" << character << "'") {
      BOOST_TEST(glyph.has_value());
      if (glyph && character != ' ') {
        bool lit = false;
        for (const std::uint8_t row : *glyph) lit = lit || row != 0;
        BOOST_TEST(lit);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(printable_ascii_glyphs_fit_five_columns_and_differ) {
  std::set<GlyphRows> seen;
  for (char character = ' '; character <= '~'; ++character) {
    const std::optional<GlyphRows> glyph = find_glyph(character);
    BOOST_TEST_CONTEXT("character '" << character << "'") {
      BOOST_REQUIRE(glyph.has_value());
      for (const std::uint8_t row : *glyph) BOOST_TEST(row < 32);
      BOOST_TEST(seen.insert(*glyph).second);  // no glyph typed twice (0 and O, 1 and l and I differ)
    }
  }
}

BOOST_AUTO_TEST_CASE(other_bytes_have_no_glyph) {
  BOOST_TEST(!find_glyph('\x01').has_value());
  BOOST_TEST(!find_glyph('\x7f').has_value());
  BOOST_TEST(!find_glyph('\xc3').has_value());
}

BOOST_AUTO_TEST_CASE(a_character_without_a_glyph_is_a_hollow_box) {
  using namespace lg::data::detail;
  Canvas canvas(20, 20);
  canvas.draw_text(1, 1, "\xc3\xa9", black, 2);  // e-acute in UTF-8: one character, one box
  BOOST_TEST(text_width("\xc3\xa9", 2) == glyph_advance * 2);
  BOOST_TEST(ink(canvas) == 2 * (10 + 14) - 4);  // the outline of a 10 x 14 box
  const auto red = [&](std::int64_t x, std::int64_t y) { return canvas.pixels()[std::size_t((y * 20 + x) * 3)]; };
  BOOST_TEST(red(1, 1) == 0);  // its corners are drawn
  BOOST_TEST(red(10, 14) == 0);
  BOOST_TEST(red(5, 7) == 255);  // its inside is not
}

BOOST_AUTO_TEST_CASE(text_is_drawn_at_an_integer_scale) {
  using namespace lg::data::detail;
  Canvas small(10, 10), large(20, 20);
  small.draw_text(0, 0, "H", black, 1);
  large.draw_text(0, 0, "H", black, 2);
  BOOST_TEST(ink(small) == 7 + 7 + 3);  // two 7-pixel stems and the bar between them
  BOOST_TEST(ink(large) == 4 * ink(small));
  BOOST_TEST(text_width("Hi", 3) == 2 * 6 * 3);
  BOOST_TEST(text_height(3) == 21);
}

BOOST_AUTO_TEST_SUITE_END()
