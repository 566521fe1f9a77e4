// The seeded random generator. The engine is MT19937-64 (mersenne_twister.hpp: the numbers of
// std::mt19937_64, which the standard fixes, drawn faster); the uniform and normal transforms are our
// own (the standard library's distributions differ between implementations). Numbers are drawn on
// one thread in element order, so the stream never depends on the thread count.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "autograd/mersenne_twister.hpp"

namespace lg {

// A seeded stream of random numbers (mt19937_64); the same seed gives the same numbers on every platform.
class Generator {
 public:
  // A generator seeded with seed.
  explicit Generator(std::uint64_t seed = 0) { manual_seed(seed); }
  // Restarts the stream from seed, dropping any cached normal.
  void manual_seed(std::uint64_t seed);
  // The seed last set.
  std::uint64_t seed() const { return seed_; }

  // The engine's next raw 64-bit output.
  std::uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double next_double() { return to_double(engine_()); }
  // Fills `out` with the next out.size() uniforms: the numbers of that many next_double() calls.
  void next_doubles(std::span<double> out);
  // Standard normal by the Box-Muller transform (pairs; the second is cached).
  double next_normal();
  // Fills `out` with the next out.size() standard normals: the same numbers, bit for bit, as that many
  // next_normal() calls, but the uniforms are drawn first (one stream, in order) and the transform of
  // the pairs runs on lg::num_threads() threads.
  void next_normals(std::span<double> out);
  // next_normals() before its transform: out holds the same numbers except that each pair
  // [start + 2k, start + 2k + 1], for k < (out.size() - start) / 2, is still the pair's two uniforms (u1 in
  // (0, 1], u2 in [0, 1)), which box_muller() turns into the two normals. Returns start (0 or 1). For
  // transforms of one's own that must give the same numbers, such as the float32 one of normal().
  std::size_t next_normal_uniforms(std::span<double> out);
  // Uniform integer in [0, n) without modulo bias.
  std::uint64_t next_below(std::uint64_t n);

  // The whole state as text (seed, cached normal, engine), for checkpoints.
  std::string state() const;
  // Restores a state from state(); ValueError when the text is malformed.
  void set_state(const std::string& state);

 private:
  // A raw number's top 53 bits as a double in [0, 1).
  static double to_double(std::uint64_t raw) { return static_cast<double>(raw >> 11) * 0x1.0p-53; }

  MersenneTwister64 engine_;
  std::uint64_t seed_ = 0;
  bool has_cached_normal_ = false;
  double cached_normal_ = 0.0;
};

// The Box-Muller transform of `count` uniform pairs (u1, u2) in place, pair k at values[2k], values[2k + 1]:
// r = sqrt(-2 log u1), a = 2 pi u2, the pair becomes (r cos a, r sin a); on lg::num_threads() threads,
// each pair on its own, so the numbers do not depend on the thread count.
void box_muller(double* values, std::int64_t count);

// The process-wide generator that random factories use when given none (seed 0 at start).
Generator& default_generator();
// Seeds the default generator.
void manual_seed(std::uint64_t seed);

}  // namespace lg
