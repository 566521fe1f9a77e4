// Axis ranges with round tick values, for the line plot: a linear axis steps
// by 1, 2, 2.5 or 5 times a power of ten; a log axis marks powers of ten.
// Private to data/, not user API.
#pragma once
#include <string>
#include <vector>

namespace lg::data::detail {

// One tick: its position in data units and the text written next to it.
struct Tick {
  double value;
  std::string label;
};

// The drawn range of an axis (its ends are round values) and its ticks, in increasing order.
struct Axis {
  double low, high;
  std::vector<Tick> ticks;
};

// A linear axis covering [low, high] (finite, low <= high), widened to the
// nearest multiples of a round step, with 4 to 6 ticks. A single value gets a
// range around it.
Axis linear_axis(double low, double high);

// A log axis covering [low, high] (0 < low <= high), widened to whole powers
// of ten, with 4 to 6 ticks: powers of ten written "1e-3", skipping some when
// there are many decades, or 1-2-5 / 1-3 steps within one or two decades.
Axis log_axis(double low, double high);

}  // namespace lg::data::detail
