#include "autograd/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <sstream>

#include "autograd/error.hpp"
#include "autograd/threads.hpp"

namespace lg {

void Generator::manual_seed(std::uint64_t seed) {
  seed_ = seed;
  engine_.seed_with(seed);
  has_cached_normal_ = false;
}

double Generator::next_normal() {
  if (has_cached_normal_) {
    has_cached_normal_ = false;
    return cached_normal_;
  }
  const double u1 = 1.0 - next_double();  // in (0, 1], so log is finite
  const double u2 = next_double();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * M_PI * u2;
  cached_normal_ = radius * std::sin(angle);
  has_cached_normal_ = true;
  return radius * std::cos(angle);
}

std::size_t Generator::next_normal_uniforms(std::span<double> out) {
  std::size_t start = 0;
  if (!out.empty() && has_cached_normal_) {
    out[0] = next_normal();
    start = 1;
  }
  const std::size_t pairs = (out.size() - start) / 2;
  // In stream order: each pair's two uniforms, exactly as next_normal() draws them.
  next_doubles(out.subspan(start, 2 * pairs));
  for (std::size_t k = 0; k < pairs; ++k) out[start + 2 * k] = 1.0 - out[start + 2 * k];
  if ((out.size() - start) % 2 == 1) out[out.size() - 1] = next_normal();  // leaves the pair's second cached
  return start;
}

void Generator::next_doubles(std::span<double> out) {
  // Raw numbers a block at a time (the engine's fast path), on the stack.
  constexpr std::size_t kBlock = 256;
  std::uint64_t raw[kBlock];
  for (std::size_t done = 0; done < out.size(); done += kBlock) {
    const std::size_t take = std::min(kBlock, out.size() - done);
    engine_.fill({raw, take});
    for (std::size_t i = 0; i < take; ++i) out[done + i] = to_double(raw[i]);
  }
}

void Generator::next_normals(std::span<double> out) {
  const std::size_t start = next_normal_uniforms(out);
  box_muller(out.data() + start, static_cast<std::int64_t>((out.size() - start) / 2));
}

void box_muller(double* values, std::int64_t count) {
  // The same expressions as next_normal(), so that the numbers are its numbers.
#pragma omp parallel for schedule(static) num_threads(num_threads()) if (count > 4096)
  for (std::int64_t k = 0; k < count; ++k) {
    const double radius = std::sqrt(-2.0 * std::log(values[2 * k]));
    const double angle = 2.0 * M_PI * values[2 * k + 1];
    values[2 * k] = radius * std::cos(angle);
    values[2 * k + 1] = radius * std::sin(angle);
  }
}

std::uint64_t Generator::next_below(std::uint64_t n) {
  const std::uint64_t limit = n == 0 ? 0 : (~std::uint64_t{0}) - (~std::uint64_t{0}) % n;
  std::uint64_t r;
  do r = engine_();
  while (r >= limit);
  return r % n;
}

std::string Generator::state() const {
  std::ostringstream out;
  std::uint64_t cached_bits;
  std::memcpy(&cached_bits, &cached_normal_, sizeof cached_bits);
  out << seed_ << ' ' << has_cached_normal_ << ' ' << cached_bits << ' ' << engine_.to_text();
  return out.str();
}

void Generator::set_state(const std::string& state) {
  std::istringstream in(state);
  std::uint64_t seed, cached_bits;
  bool has_cached;
  MersenneTwister64 engine;
  in >> seed >> has_cached >> cached_bits;
  const bool header_read = !in.fail();
  const std::string engine_text(std::istreambuf_iterator<char>(in), {});
  check<ValueError>(header_read && engine.from_text(engine_text), "Generator::set_state",
                    "malformed generator state");
  seed_ = seed;
  has_cached_normal_ = has_cached;
  std::memcpy(&cached_normal_, &cached_bits, sizeof cached_bits);
  engine_ = engine;
}

Generator& default_generator() {
  static Generator generator(0);
  return generator;
}

void manual_seed(std::uint64_t seed) { default_generator().manual_seed(seed); }

}  // namespace lg
