// The float32 normals of normal_float32.cpp (Note [float32 normals]) are, value for value, the floats
// that rounding box_muller()'s doubles gives: on every instruction set this CPU has, for millions of
// generator pairs, for uniforms at the edges (u1 = 1, 2^-53, where the log's reduction switches) and
// angles next to multiples of pi/2 (where the sincos reduction loses the most), and for a mean and a
// scale; and lg::normal in float32 equals lg::normal in float64 rounded, whatever the size and cache.
#include <boost/test/unit_test.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include <latentgeo.hpp>

#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "instruction_sets.hpp"

namespace {

using lg::kernel::fast::VectorIsa;

// The plain result: box_muller() in double, then float32(mean + stddev z).
std::vector<float> plain_normals(std::vector<double> pairs, double mean, double stddev) {
  lg::box_muller(pairs.data(), static_cast<std::int64_t>(pairs.size() / 2));
  std::vector<float> out(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) out[i] = static_cast<float>(mean + stddev * pairs[i]);
  return out;
}

// How many of the values differ in any bit (NaN never arises: u1 > 0).
std::size_t mismatches(const std::vector<float>& a, const std::vector<float>& b) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < a.size(); ++i) count += std::bit_cast<std::uint32_t>(a[i]) != std::bit_cast<std::uint32_t>(b[i]);
  return count;
}

// Uniform pairs as the generator draws them, then the edge cases.
std::vector<double> test_pairs(std::size_t generated) {
  lg::Generator generator(2024);
  std::vector<double> pairs;
  for (std::size_t k = 0; k < generated; ++k) {
    pairs.push_back(1.0 - generator.next_double());
    pairs.push_back(generator.next_double());
  }
  const std::vector<double> u1s = {1.0, std::nextafter(1.0, 0.0), 0x1p-53, 0.5, std::nextafter(0.5, 1.0),
                                   0.7071067811865476, 0.7071067811865475, 0.35355339059327373, 1e-10, 0.999};
  std::vector<double> u2s = {0.0, std::nextafter(1.0, 0.0), 1e-300};
  for (const double quarter : {0.25, 0.5, 0.75, 0.125, 0.375, 0.625, 0.875}) {
    double below = quarter, above = quarter;
    u2s.push_back(quarter);
    for (int step = 0; step < 3; ++step) {
      below = std::nextafter(below, 0.0);
      above = std::nextafter(above, 1.0);
      u2s.push_back(below);
      u2s.push_back(above);
    }
  }
  for (const double u1 : u1s)
    for (const double u2 : u2s) {
      pairs.push_back(u1);
      pairs.push_back(u2);
    }
  return pairs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(normal_float32)

BOOST_AUTO_TEST_CASE(every_instruction_set_gives_the_plain_floats) {
  const std::vector<double> pairs = test_pairs(1 << 21);
  const auto count = static_cast<std::int64_t>(pairs.size() / 2);
  const std::vector<VectorIsa> isas = instruction_sets_this_cpu_runs();
  BOOST_TEST(isas.size() >= 1);  // baseline at least
  for (const VectorIsa isa : isas) {
    for (const auto& [mean, stddev] : std::vector<std::pair<double, double>>{{0.0, 1.0}, {0.3, 0.02}, {-2.0, 5.0}}) {
      BOOST_TEST_CONTEXT(lg::kernel::fast::vector_isa_name(isa) << ", mean " << mean << ", stddev " << stddev) {
        std::vector<float> fast(pairs.size());
        const std::int64_t redone =
            lg::kernel::fast::normals_float32(isa, pairs.data(), count, mean, stddev, fast.data());
        BOOST_TEST(mismatches(fast, plain_normals(pairs, mean, stddev)) == 0u);
        // Redone pairs are the rare ones near a float boundary: about one in a million.
        BOOST_TEST_MESSAGE(redone << " of " << count << " pairs redone with the C library");
        BOOST_TEST(redone <= count / 10000);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(normal_in_float32_is_normal_in_float64_rounded) {
  for (const std::int64_t size : {0, 1, 2, 7, 4097, 20001}) {
    lg::Generator a(5), b(5);
    // An odd draw first leaves a cached normal, which the next call hands out first.
    (void)lg::randn({1}, lg::float32, &a);
    (void)lg::randn({1}, lg::float64, &b);
    const std::vector<float> got = lg::normal({size}, 0.5, 2.0, lg::float32, &a).to_vector<float>();
    const std::vector<double> wide = lg::normal({size}, 0.5, 2.0, lg::float64, &b).to_vector<double>();
    std::vector<float> want(wide.size());
    for (std::size_t i = 0; i < wide.size(); ++i) want[i] = static_cast<float>(wide[i]);
    BOOST_TEST(mismatches(got, want) == 0u, "size " << size);
    BOOST_TEST(a.state() == b.state(), "size " << size);
  }
}

BOOST_AUTO_TEST_SUITE_END()
