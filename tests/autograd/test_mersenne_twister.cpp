// Our MT19937-64 (autograd/mersenne_twister.hpp) against the standard library's std::mt19937_64: the
// same numbers one at a time and in blocks of every awkward size, the same state text, and text that is
// not a state refused.
#include <boost/test/unit_test.hpp>

#include <random>
#include <sstream>
#include <vector>

#include <latentgeo.hpp>

namespace {

std::string standard_text(const std::mt19937_64& engine) {
  std::ostringstream text;
  text << engine;
  return text.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mersenne_twister)

BOOST_AUTO_TEST_CASE(single_numbers_equal_the_standard_engine) {
  for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{5489}, std::uint64_t{42}, ~std::uint64_t{0}}) {
    std::mt19937_64 standard(seed);
    lg::MersenneTwister64 ours(seed);
    int mismatches = 0;
    for (int i = 0; i < 5000; ++i) mismatches += ours() != standard();
    BOOST_TEST(mismatches == 0, "seed " << seed);
  }
  // The standard's own check value: the 10000th number of a default-seeded engine.
  lg::MersenneTwister64 ours;
  for (int i = 0; i < 9999; ++i) ours();
  BOOST_TEST(ours() == 9981545732273789042ULL);
}

// Blocks that start and end anywhere in the 312-word state, mixed with single draws.
BOOST_AUTO_TEST_CASE(blocks_equal_as_many_single_numbers) {
  std::mt19937_64 standard(7);
  lg::MersenneTwister64 ours(7);
  for (const std::size_t size : {0, 1, 7, 311, 312, 313, 1, 624, 1000, 5, 2500}) {
    std::vector<std::uint64_t> block(size);
    ours.fill(block);
    std::vector<std::uint64_t> expected(size);
    for (auto& value : expected) value = standard();
    BOOST_TEST(block == expected, "block of " << size);
    BOOST_TEST(ours() == standard(), "the draw after a block of " << size);
  }
}

BOOST_AUTO_TEST_CASE(state_text_round_trips_and_is_the_standard_engines) {
  for (const int draws : {0, 1, 311, 312, 313, 1000}) {
    std::mt19937_64 standard(3);
    lg::MersenneTwister64 ours(3);
    for (int i = 0; i < draws; ++i) {
      standard();
      ours();
    }
#if defined(__GLIBCXX__)
    // Generator states saved while the engine was libstdc++'s are this text.
    BOOST_TEST(ours.to_text() == standard_text(standard), "after " << draws << " draws");
#endif
    lg::MersenneTwister64 restored(99);
    BOOST_REQUIRE(restored.from_text(ours.to_text()));
    BOOST_TEST((restored == ours));
    lg::MersenneTwister64 from_standard(99);
    BOOST_REQUIRE(from_standard.from_text(standard_text(standard)));
    for (int i = 0; i < 700; ++i) BOOST_TEST_REQUIRE(from_standard() == standard());
  }
}

BOOST_AUTO_TEST_CASE(text_that_is_not_a_state_is_refused_and_changes_nothing) {
  lg::MersenneTwister64 engine(5);
  const lg::MersenneTwister64 before = engine;
  const std::string good = engine.to_text();
  const std::string words_only = good.substr(0, good.rfind(' '));
  for (const std::string& bad : {std::string{}, std::string{"not a state"}, words_only,  // 312 words, no position
                                 words_only + " 313",                                   // past the block
                                 words_only + " -1", std::string{"1 2 3"}}) {
    BOOST_TEST(!engine.from_text(bad), "accepted: " << bad.substr(0, 40));
    BOOST_TEST((engine == before));
  }
}

BOOST_AUTO_TEST_CASE(generator_blocks_of_uniforms_equal_single_draws) {
  lg::Generator blocks(17), singles(17);
  for (const std::size_t size : {0, 3, 255, 256, 257, 1000}) {
    std::vector<double> drawn(size);
    blocks.next_doubles(drawn);
    int mismatches = 0;
    for (const double value : drawn) mismatches += value != singles.next_double();
    BOOST_TEST(mismatches == 0, "block of " << size);
  }
  BOOST_TEST(blocks.state() == singles.state());
}

BOOST_AUTO_TEST_SUITE_END()
