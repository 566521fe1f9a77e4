#include "autograd/mersenne_twister.hpp"

#include <algorithm>
#include <sstream>

namespace lg {
namespace {

constexpr std::size_t kN = MersenneTwister64::kStateWords;
constexpr std::size_t kShift = 156;                       // m: the word the recurrence reaches back to
constexpr std::uint64_t kTwistConstant = 0xB5026F5AA96619E9ULL;  // a
constexpr std::uint64_t kUpperMask = ~std::uint64_t{0} << 31;  // the top 33 bits of a word
constexpr std::uint64_t kLowerMask = ~kUpperMask;

// The top bits of `upper` joined to the low bits of `lower`, shifted right once, and xored with the
// twist constant when the bit shifted out is set (a mask, not a branch: the bit is random).
std::uint64_t mix(std::uint64_t upper, std::uint64_t lower) {
  const std::uint64_t y = (upper & kUpperMask) | (lower & kLowerMask);
  return (y >> 1) ^ ((0 - (y & 1)) & kTwistConstant);
}

}  // namespace

void MersenneTwister64::seed_with(std::uint64_t seed) {
  words_[0] = seed;
  for (std::size_t i = 1; i < kN; ++i)
    words_[i] = 6364136223846793005ULL * (words_[i - 1] ^ (words_[i - 1] >> 62)) + i;
  position_ = kN;
}

void MersenneTwister64::twist() {
  // Word k becomes words[k + m] ^ mix(words[k], words[k + 1]), indices modulo n, in order of k: the
  // first n - m read words not yet replaced, the rest read words this pass already replaced. Split at
  // the wrap so each loop runs without index arithmetic modulo n (and vectorises).
  for (std::size_t k = 0; k < kN - kShift; ++k) words_[k] = words_[k + kShift] ^ mix(words_[k], words_[k + 1]);
  for (std::size_t k = kN - kShift; k < kN - 1; ++k)
    words_[k] = words_[k + kShift - kN] ^ mix(words_[k], words_[k + 1]);
  words_[kN - 1] = words_[kShift - 1] ^ mix(words_[kN - 1], words_[0]);
  position_ = 0;
}

void MersenneTwister64::fill(std::span<std::uint64_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (position_ >= kN) twist();
    const std::size_t take = std::min(out.size() - done, kN - position_);
    const std::uint64_t* from = words_.data() + position_;
    std::uint64_t* to = out.data() + done;
    for (std::size_t i = 0; i < take; ++i) to[i] = temper(from[i]);
    position_ += take;
    done += take;
  }
}

std::string MersenneTwister64::to_text() const {
  std::ostringstream text;
  for (const std::uint64_t word : words_) text << word << ' ';
  text << position_;
  return text.str();
}

bool MersenneTwister64::from_text(const std::string& text) {
  std::istringstream in(text);
  MersenneTwister64 read;
  for (std::uint64_t& word : read.words_) in >> word;
  in >> read.position_;
  if (in.fail() || read.position_ > kN) return false;
  *this = read;
  return true;
}

}  // namespace lg
