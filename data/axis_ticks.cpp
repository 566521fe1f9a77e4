// Round ticks. Linear: among steps m * 10^e (m in 1, 2, 2.5, 5) pick the one
// whose widened range [floor(low / step), ceil(high / step)] * step holds 4 to
// 6 ticks and wastes the least room, preferring 5 ticks on a tie; the steps
// grow by at most 2x, so one always fits. Log: whole decades, thinned or
// subdivided to 4 to 6 ticks.
#include "data/axis_ticks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace lg::data::detail {
namespace {

// Slack for values that sit on a tick up to rounding (0.3 / 0.1 = 2.9999999999999996).
constexpr double on_tick_slack = 1e-9;

// "%.*e" output, shortened: "2.50e-05" becomes "2.5e-5", "1.0e+06" becomes "1e6".
std::string scientific_text(double value, int decimals) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*e", decimals, value);
  const std::string full = text;
  const std::size_t e = full.find('e');
  std::string mantissa = full.substr(0, e);
  if (mantissa.find('.') != std::string::npos) {
    mantissa.erase(mantissa.find_last_not_of('0') + 1);
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  return mantissa + "e" + std::to_string(std::atoi(full.c_str() + e + 1));
}

std::string fixed_text(double value, int decimals) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Two ticks at the ends, for ranges too wide to step through (near the largest double).
Axis end_ticks_only(double low, double high) {
  return {low, high, {{low, scientific_text(low, 2)}, {high, scientific_text(high, 2)}}};
}

struct Step {
  double size;
  std::int64_t first, last;  // ticks at first * size, ..., last * size
  int exponent;              // size = mantissa * 10^exponent
  bool quarter;              // mantissa 2.5: one more decimal than the exponent says
};

// The labels of ticks i * size, with as many decimals as the step needs and
// scientific notation for very large or very small values.
std::vector<Tick> labelled_ticks(const Step& step) {
  const double largest = std::max(std::abs(double(step.first)), std::abs(double(step.last))) * step.size;
  const int extra = step.quarter ? 1 : 0;
  const bool scientific = largest >= 1e6 || step.exponent < -4;
  const int magnitude = static_cast<int>(std::floor(std::log10(largest)));
  std::vector<Tick> ticks;
  for (std::int64_t i = step.first; i <= step.last; ++i) {
    const double value = double(i) * step.size;
    if (scientific && value == 0.0)
      ticks.push_back({0.0, "0"});
    else if (scientific)
      ticks.push_back({value, scientific_text(value, std::max(0, magnitude - step.exponent + extra))});
    else
      ticks.push_back({value, fixed_text(value, std::max(0, -step.exponent + extra))});
  }
  return ticks;
}

// The multiple of `multiple` at or below `value`, and at or above it.
int round_down(int value, int multiple) {
  return static_cast<int>(std::floor(double(value) / multiple)) * multiple;
}
int round_up(int value, int multiple) { return static_cast<int>(std::ceil(double(value) / multiple)) * multiple; }

}  // namespace

Axis linear_axis(double low, double high) {
  if (!(high - low > 1e-12 * std::max({1.0, std::abs(low), std::abs(high)}))) {
    const double centre = 0.5 * (low + high);
    const double half = centre != 0.0 ? 0.1 * std::abs(centre) : 1.0;
    low = centre - half;
    high = centre + half;
  }
  const double span = high - low;
  if (!std::isfinite(span)) return end_ticks_only(low, high);
  const int top_exponent = static_cast<int>(std::floor(std::log10(span)));
  constexpr std::array<double, 4> mantissas = {1.0, 2.0, 2.5, 5.0};
  Step best{};
  double best_cost = std::numeric_limits<double>::infinity();
  for (int exponent = top_exponent - 2; exponent <= top_exponent + 1; ++exponent)
    for (const double mantissa : mantissas) {
      const double size = mantissa * std::pow(10.0, exponent);
      const auto first = static_cast<std::int64_t>(std::floor(low / size + on_tick_slack));
      const auto last = static_cast<std::int64_t>(std::ceil(high / size - on_tick_slack));
      const std::int64_t count = last - first + 1;
      if (count < 4 || count > 6 || !std::isfinite(double(last) * size) || !std::isfinite(double(first) * size))
        continue;
      // The widened span in units of the data span, and a small nudge towards 5 ticks.
      const double cost = double(last - first) * size / span + 0.01 * double(std::abs(count - 5));
      if (cost < best_cost) {
        best_cost = cost;
        best = {size, first, last, exponent, mantissa == 2.5};
      }
    }
  if (!std::isfinite(best_cost)) return end_ticks_only(low, high);
  return {double(best.first) * best.size, double(best.last) * best.size, labelled_ticks(best)};
}

Axis log_axis(double low, double high) {
  if (low == high) {  // a lone value: in the middle, not on an edge
    low /= 3.0;
    high *= 3.0;
  }
  // Exponents of the decades around [low, high], kept where doubles hold their powers of ten
  // even after widening to a stride (values beyond are drawn at the edge).
  int low_exponent = std::clamp(static_cast<int>(std::floor(std::log10(low) + on_tick_slack)), -250, 249);
  int high_exponent =
      std::clamp(static_cast<int>(std::ceil(std::log10(high) - on_tick_slack)), low_exponent + 1, 250);
  const int decades = high_exponent - low_exponent;

  // Within one or two decades, ticks between the powers of ten too.
  std::vector<double> mantissas = {1.0};
  if (decades == 1) mantissas = {1.0, 2.0, 5.0};
  if (decades == 2) mantissas = {1.0, 3.0};
  // Over many decades, every stride-th power of ten, the ends widened to multiples of the stride.
  int stride = std::max(1, (decades + 4) / 5);
  while (stride > 1 && (round_up(high_exponent, stride) - round_down(low_exponent, stride)) / stride + 1 > 6) ++stride;
  if (stride > 1) {
    low_exponent = round_down(low_exponent, stride);
    high_exponent = round_up(high_exponent, stride);
  }

  Axis axis{std::pow(10.0, low_exponent), std::pow(10.0, high_exponent), {}};
  for (int exponent = low_exponent; exponent <= high_exponent; exponent += stride)
    for (const double mantissa : mantissas)
      if (exponent < high_exponent || mantissa == 1.0) {
        const std::string label = std::to_string(static_cast<int>(mantissa)) + "e" + std::to_string(exponent);
        axis.ticks.push_back({mantissa * std::pow(10.0, exponent), label});
      }
  return axis;
}

}  // namespace lg::data::detail
