// The branch-free float32 exp and log1p (autograd/backend/cpu/float_math.hpp) against float64, swept
// over every 61st float32 bit pattern of their ranges, and the float32 ops built on them.
#include <boost/test/unit_test.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <latentgeo.hpp>

#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "instruction_sets.hpp"
#include "autograd/backend/cpu/fast/float_math.hpp"

namespace {

using lg::kernel::fast::vector_exp;
using lg::kernel::fast::vector_log1p_unit;
using lg::kernel::fast::vector_softplus_of_minus_abs;

// |got - want| in units in the last place of float32 at `want` (normal range).
double ulps(float got, double want) {
  if (want == 0.0) return got == 0.0f ? 0.0 : std::numeric_limits<double>::infinity();
  int exponent = 0;
  std::frexp(want, &exponent);
  return std::abs(static_cast<double>(got) - want) / std::ldexp(1.0, exponent - 24);
}

// Calls check(x) on every 61st float32 in [low, high] (both of one sign, |low| <= |high| by bits).
template <class Check>
void sweep(float low, float high, Check&& check) {
  const std::uint32_t first = std::bit_cast<std::uint32_t>(low), last = std::bit_cast<std::uint32_t>(high);
  for (std::uint32_t bits = first; bits <= last; bits += 61) check(std::bit_cast<float>(bits));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(float_math)

BOOST_AUTO_TEST_CASE(exp_is_within_one_ulp_of_float64) {
  double worst = 0.0;
  float worst_at = 0.0f;
  auto check = [&](float x) {
    const double error = ulps(vector_exp(x), std::exp(static_cast<double>(x)));
    if (error > worst) worst = error, worst_at = x;
  };
  sweep(0.0f, 88.37f, check);
  sweep(-0.0f, -87.33f, check);
  BOOST_TEST(worst <= 1.0, "worst " << worst << " ulp at " << worst_at);
  BOOST_TEST(vector_exp(0.0f) == 1.0f);
  BOOST_TEST(std::isnan(vector_exp(std::numeric_limits<float>::quiet_NaN())));
  const float tiny = vector_exp(-1000.0f);  // clamped: 2^-126 p(r), or 0 with denormals flushed
  BOOST_TEST((tiny >= 0.0f && tiny <= std::numeric_limits<float>::min()));
  BOOST_TEST(std::isinf(vector_exp(88.4f)));
  BOOST_TEST(std::isinf(vector_exp(1000.0f)));
}

BOOST_AUTO_TEST_CASE(log1p_is_within_two_ulp_of_float64_on_the_unit_interval) {
  double worst = 0.0;
  float worst_at = 0.0f;
  sweep(std::numeric_limits<float>::min(), 1.0f, [&](float e) {
    const double error = ulps(vector_log1p_unit(e), std::log1p(static_cast<double>(e)));
    if (error > worst) worst = error, worst_at = e;
  });
  BOOST_TEST(worst <= 2.0, "worst " << worst << " ulp at " << worst_at);
  BOOST_TEST(vector_log1p_unit(0.0f) == 0.0f);
}

BOOST_AUTO_TEST_CASE(softplus_of_minus_abs_is_within_two_ulp_of_float64) {
  double worst = 0.0;
  float worst_at = 0.0f;
  auto check = [&](float x) {
    const double want = std::log1p(std::exp(-std::abs(static_cast<double>(x))));
    const double error = ulps(vector_softplus_of_minus_abs(x), want);
    if (error > worst) worst = error, worst_at = x;
  };
  sweep(0.0f, 87.0f, check);
  sweep(-0.0f, -87.0f, check);
  BOOST_TEST(worst <= 2.0, "worst " << worst << " ulp at " << worst_at);
  BOOST_TEST(std::isnan(vector_softplus_of_minus_abs(std::numeric_limits<float>::quiet_NaN())));
}

// The float32 ops that use them: sigmoid and the fused binary cross-entropy, against float64.
BOOST_AUTO_TEST_CASE(float32_sigmoid_and_bce_with_logits_match_float64) {
  lg::Generator g(17);
  const auto x64 = lg::randn({4096}, lg::float64, &g) * 12.0;
  const auto t64 = lg::rand({4096}, lg::float64, &g);
  const auto x32 = x64.to(lg::float32), t32 = t64.to(lg::float32);
  // Compare against float64 evaluated at the float32 inputs.
  const auto xr = x32.to(lg::float64), tr = t32.to(lg::float64);
  const auto s32 = lg::sigmoid(x32).to_vector<double>(), s64 = lg::sigmoid(xr).to_vector<double>();
  double worst = 0.0;
  for (std::size_t i = 0; i < s32.size(); ++i) worst = std::max(worst, ulps(static_cast<float>(s32[i]), s64[i]));
  BOOST_TEST(worst <= 3.0, "sigmoid worst " << worst << " ulp");
  const double loss32 = lg::mean_binary_cross_entropy_with_logits(x32, t32).item();
  const double loss64 = lg::mean_binary_cross_entropy_with_logits(xr, tr).item();
  BOOST_TEST(std::abs(loss32 - loss64) <= 1e-6 * std::abs(loss64), loss32 << " against " << loss64);
}

// The row loops compiled for each instruction set (Note [vector width]) that this CPU runs: each within
// the same ulp bounds of float64 as the scalar functions, on rows whose lengths leave vector tails,
// and a value's result does not depend on where in a row it sits (the thread split moves row starts).
BOOST_AUTO_TEST_CASE(row_loops_of_every_instruction_set_this_cpu_has_match_float64) {
  using lg::kernel::fast::VectorIsa;
  std::vector<float> x, t;
  for (int i = 0; i < 4099; ++i) {
    x.push_back(static_cast<float>(std::ldexp(std::sin(i * 0.37), (i % 6) - 3) * 12.0));
    t.push_back(static_cast<float>(0.5 + 0.5 * std::cos(i * 1.3)));
  }
  const std::vector<VectorIsa> isas = instruction_sets_this_cpu_runs();
  BOOST_TEST(isas.size() >= 1);  // baseline at least
  for (const VectorIsa isa : isas) {
    BOOST_TEST_CONTEXT(lg::kernel::fast::vector_isa_name(isa)) {
      std::vector<float> s(x.size()), l(x.size()), shifted(x.size());
      lg::kernel::fast::sigmoid_row(isa, x.data(), s.data(), static_cast<std::int64_t>(x.size()));
      lg::kernel::fast::bce_with_logits_row(isa, x.data(), t.data(), l.data(), static_cast<std::int64_t>(x.size()));
      double worst_sigmoid = 0.0, worst_bce = 0.0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const double xi = x[i], ti = t[i];
        worst_sigmoid = std::max(worst_sigmoid, ulps(s[i], 1.0 / (1.0 + std::exp(-xi))));
        const double want = std::max(xi, 0.0) - xi * ti + std::log1p(std::exp(-std::abs(xi)));
        // max(x, 0) - x t rounds at the scale of |x| (a float32 product), so the error is relative to that.
        worst_bce = std::max(worst_bce, std::abs(l[i] - want) / std::max(1.0, std::abs(xi)));
      }
      BOOST_TEST_MESSAGE("sigmoid " << worst_sigmoid << " ulp, bce " << worst_bce);
      BOOST_TEST(worst_sigmoid <= 3.0, "sigmoid worst " << worst_sigmoid << " ulp");
      BOOST_TEST(worst_bce <= 1e-6, "bce_with_logits worst error relative to max(1, |x|) " << worst_bce);
      // The same values from an odd start: each result is the one computed at offset 0.
      lg::kernel::fast::sigmoid_row(isa, x.data() + 3, shifted.data() + 3, static_cast<std::int64_t>(x.size()) - 3);
      bool same = true;
      for (std::size_t i = 3; i < x.size(); ++i) same = same && shifted[i] == s[i];
      BOOST_TEST(same, "a value's sigmoid depends on its place in the row");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
