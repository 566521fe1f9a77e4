// MT19937-64, the 64-bit Mersenne Twister of Matsumoto and Nishimura (2000), written out: the same
// numbers as std::mt19937_64 (the C++ standard fixes every constant), and a bulk fill() that draws a
// block of numbers in two tight loops. libstdc++'s engine is correct but slow here, about 4.7 ns a
// number: its twist picks the constant with a branch on a random bit, which the CPU mispredicts half
// of the time, and every call checks whether the block is used up. Ours is branch-free and tempers a
// whole block at once (under 1 ns a number), so drawing a [256, 512] probe costs ~0.1 ms, not 0.6.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace lg {

// The engine: 312 words of state, a twist that renews them all, and tempering of each word drawn.
class MersenneTwister64 {
 public:
  // n: the words of state, used up in order and renewed 312 at a time.
  static constexpr std::size_t kStateWords = 312;

  // Seeded as std::mt19937_64(seed) is.
  explicit MersenneTwister64(std::uint64_t seed = 5489) { seed_with(seed); }
  // Restarts from seed, as std::mt19937_64::seed(seed) does.
  void seed_with(std::uint64_t seed);

  // The next number (std::mt19937_64::operator()).
  std::uint64_t operator()() {
    if (position_ >= kStateWords) twist();
    return temper(words_[position_++]);
  }
  // The next out.size() numbers, the same as that many operator() calls.
  void fill(std::span<std::uint64_t> out);

  // The state as text in the layout of libstdc++'s operator<< for std::mt19937_64 (the 312 words,
  // then the position in the block, separated by spaces), so generator states saved before this
  // engine replaced it still load.
  std::string to_text() const;
  // Reads what to_text() wrote; false when the text is not such a state (nothing is changed then).
  bool from_text(const std::string& text);

  // Same state: the same numbers from here on.
  friend bool operator==(const MersenneTwister64&, const MersenneTwister64&) = default;

 private:
  // The recurrence: the next 312 words from the last 312.
  void twist();
  // The output function that spreads a word's bits.
  static std::uint64_t temper(std::uint64_t z) {
    z ^= (z >> 29) & 0x5555555555555555ULL;
    z ^= (z << 17) & 0x71D67FFFEDA60000ULL;
    z ^= (z << 37) & 0xFFF7EEE000000000ULL;
    return z ^ (z >> 43);
  }

  std::array<std::uint64_t, kStateWords> words_{};
  std::size_t position_ = kStateWords;  // the next word to temper; a twist is due at kStateWords
};

}  // namespace lg
