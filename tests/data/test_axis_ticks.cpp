// The line plot's axes: 4 to 6 round ticks that cover the data, on linear
// axes over ranges from 1e-7 to 1e9 wide, and powers of ten on log axes.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "data/axis_ticks.hpp"

namespace {

using lg::data::detail::Axis;

std::vector<std::string> labels(const Axis& axis) {
  std::vector<std::string> out;
  for (const auto& tick : axis.ticks) out.push_back(tick.label);
  return out;
}

// What every axis promises: 4 to 6 increasing, distinctly labelled ticks from low to high, around the data.
void check_axis(const Axis& axis, double low, double high) {
  BOOST_TEST_CONTEXT("range [" << low << ", " << high << "]") {
    BOOST_TEST(axis.ticks.size() >= 4u);
    BOOST_TEST(axis.ticks.size() <= 6u);
    BOOST_TEST(axis.low <= low);
    BOOST_TEST(axis.high >= high);
    BOOST_TEST(axis.ticks.front().value == axis.low);
    BOOST_TEST(axis.ticks.back().value == axis.high);
    const std::vector<std::string> texts = labels(axis);
    BOOST_TEST(std::set<std::string>(texts.begin(), texts.end()).size() == texts.size());
    for (std::size_t i = 1; i < axis.ticks.size(); ++i) BOOST_TEST(axis.ticks[i].value > axis.ticks[i - 1].value);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(axis_ticks)

BOOST_AUTO_TEST_CASE(linear_ticks_are_round_steps) {
  using lg::data::detail::linear_axis;
  BOOST_TEST(labels(linear_axis(0.03, 2.31)) == (std::vector<std::string>{"0.0", "0.5", "1.0", "1.5", "2.0", "2.5"}),
             boost::test_tools::per_element());
  BOOST_TEST(labels(linear_axis(1, 100)) == (std::vector<std::string>{"0", "25", "50", "75", "100"}),
             boost::test_tools::per_element());
  BOOST_TEST(labels(linear_axis(-0.3, 0.25)) == (std::vector<std::string>{"-0.50", "-0.25", "0.00", "0.25"}),
             boost::test_tools::per_element());
  BOOST_TEST(labels(linear_axis(0, 1e7)) == (std::vector<std::string>{"0", "2.5e6", "5e6", "7.5e6", "1e7"}),
             boost::test_tools::per_element());
  BOOST_TEST(labels(linear_axis(0, 3e-6)) == (std::vector<std::string>{"0", "1e-6", "2e-6", "3e-6"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_single_value_gets_a_range_around_it) {
  using lg::data::detail::linear_axis;
  check_axis(linear_axis(0.5, 0.5), 0.5, 0.5);
  check_axis(linear_axis(0, 0), 0, 0);
  check_axis(linear_axis(-1e6, -1e6), -1e6, -1e6);
  const Axis axis = linear_axis(0.5, 0.5);
  BOOST_TEST((axis.low < 0.5 && axis.high > 0.5));
}

BOOST_AUTO_TEST_CASE(linear_axes_over_many_random_ranges) {
  std::mt19937_64 generator(7);
  std::uniform_real_distribution<double> unit(-1.0, 1.0), magnitude(-7.0, 9.0);
  for (int trial = 0; trial < 2000; ++trial) {
    const double scale = std::pow(10.0, magnitude(generator));
    double low = unit(generator) * scale, high = unit(generator) * scale;
    if (low > high) std::swap(low, high);
    check_axis(lg::data::detail::linear_axis(low, high), low, high);
  }
}

BOOST_AUTO_TEST_CASE(log_ticks_are_powers_of_ten) {
  using lg::data::detail::log_axis;
  BOOST_TEST(labels(log_axis(0.0073, 2.3)) == (std::vector<std::string>{"1e-3", "1e-2", "1e-1", "1e0", "1e1"}),
             boost::test_tools::per_element());
  BOOST_TEST(labels(log_axis(0.2, 0.9)) == (std::vector<std::string>{"1e-1", "2e-1", "5e-1", "1e0"}),
             boost::test_tools::per_element());
  BOOST_TEST(labels(log_axis(0.02, 0.9)) == (std::vector<std::string>{"1e-2", "3e-2", "1e-1", "3e-1", "1e0"}),
             boost::test_tools::per_element());
  BOOST_TEST(labels(log_axis(1e-12, 1.0)) == (std::vector<std::string>{"1e-12", "1e-9", "1e-6", "1e-3", "1e0"}),
             boost::test_tools::per_element());
  check_axis(log_axis(1.0, 1.0), 1.0, 1.0);
}

BOOST_AUTO_TEST_CASE(log_axes_over_many_random_ranges) {
  std::mt19937_64 generator(11);
  std::uniform_real_distribution<double> exponent(-200.0, 200.0);
  for (int trial = 0; trial < 2000; ++trial) {
    const double span = std::pow(10.0, std::uniform_real_distribution<double>(-1.0, 2.5)(generator));
    const double first = exponent(generator);
    const double low = std::pow(10.0, first), high = std::pow(10.0, std::min(first + span, 240.0));
    check_axis(lg::data::detail::log_axis(low, high), low, high);
  }
}

BOOST_AUTO_TEST_SUITE_END()
