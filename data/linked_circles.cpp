#include "data/linked_circles.hpp"

#include <cmath>
#include <numbers>
#include <vector>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"

namespace lg::data {
namespace {

constexpr double two_pi = 2.0 * std::numbers::pi;

void check_radius_and_dtype(const char* op, double radius, DType dtype) {
  check<ValueError>(std::isfinite(radius) && radius > 0.0, op, "radius must be positive and finite, got ", radius);
  check<ValueError>(is_floating(dtype), op, "dtype must be float32 or float64, got ", dtype);
}

// C_label(t) for plain values, appended to `out` as three coordinates.
void append_point(std::vector<double>& out, double t, std::int64_t label, double radius) {
  const double c = std::cos(t), s = std::sin(t);
  if (label == 0)
    out.insert(out.end(), {radius * c, radius * s, 0.0});
  else
    out.insert(out.end(), {radius * (1.0 + c), 0.0, radius * s});
}

Tensor points_of(const std::vector<double>& t, const std::vector<std::int64_t>& labels, double radius,
                 DType dtype) {
  std::vector<double> xyz;
  xyz.reserve(3 * t.size());
  for (std::size_t i = 0; i < t.size(); ++i) append_point(xyz, t[i], labels[i], radius);
  return from_vector(xyz, {static_cast<std::int64_t>(t.size()), 3}, dtype);
}

LinkedCircles make(std::vector<double> t, std::vector<std::int64_t> labels, double radius, DType dtype) {
  const auto n = static_cast<std::int64_t>(t.size());
  Tensor points = points_of(t, labels, radius, dtype);
  return {points, from_vector(t, {n}, float64), from_vector(labels, {n})};
}

}  // namespace

Tensor linked_circles_at(const Tensor& parameters, const Tensor& labels, double radius, DType dtype) {
  const char* op = "linked_circles_at";
  check_radius_and_dtype(op, radius, dtype);
  check<ValueError>(parameters.defined() && labels.defined(), op, "parameters and labels must be defined");
  check<DTypeError>(parameters.dtype() == float64, op, "parameters: expected float64, got ", parameters.dtype());
  check<DTypeError>(labels.dtype() == int64, op, "labels: expected int64, got ", labels.dtype());
  check<ShapeError>(parameters.dim() == 1 && parameters.size(0) >= 1 && labels.shape() == parameters.shape(), op,
                    "expected parameters and labels of one shape [N], N >= 1, got ", shape_str(parameters.shape()),
                    " and ", shape_str(labels.shape()));
  const std::vector<double> t = parameters.to_vector<double>();
  const std::vector<std::int64_t> circle = labels.to_vector<std::int64_t>();
  for (std::size_t i = 0; i < t.size(); ++i) {
    check<ValueError>(std::isfinite(t[i]), op, "parameter ", i, " is not finite: ", t[i]);
    check<ValueError>(circle[i] == 0 || circle[i] == 1, op, "label ", i, " must be 0 (C1) or 1 (C2), got ",
                      circle[i]);
  }
  return points_of(t, circle, radius, dtype);
}

LinkedCircles sample_linked_circles(const LinkedCirclesOptions& options, Generator& generator) {
  const char* op = "sample_linked_circles";
  check<ValueError>(options.count >= 2, op, "count must be >= 2 (a point on each circle), got ", options.count);
  check_radius_and_dtype(op, options.radius, options.dtype);
  const std::int64_t first = (options.count + 1) / 2;
  std::vector<double> t(static_cast<std::size_t>(options.count));
  std::vector<std::int64_t> labels(t.size());
  for (std::int64_t i = 0; i < options.count; ++i) {
    t[static_cast<std::size_t>(i)] = two_pi * generator.next_double();
    labels[static_cast<std::size_t>(i)] = i < first ? 0 : 1;
  }
  return make(std::move(t), std::move(labels), options.radius, options.dtype);
}

LinkedCircles sample_linked_circles(const LinkedCirclesOptions& options, std::uint64_t seed) {
  Generator generator(seed);
  return sample_linked_circles(options, generator);
}

LinkedCircles linked_circles_grid(std::int64_t n, double radius, DType dtype) {
  const char* op = "linked_circles_grid";
  check<ValueError>(n >= 1, op, "n must be >= 1, got ", n);
  check_radius_and_dtype(op, radius, dtype);
  std::vector<double> t;
  std::vector<std::int64_t> labels;
  for (std::int64_t circle = 0; circle < 2; ++circle)
    for (std::int64_t k = 0; k < n; ++k) {
      t.push_back(two_pi * static_cast<double>(k) / static_cast<double>(n));
      labels.push_back(circle);
    }
  return make(std::move(t), std::move(labels), radius, dtype);
}

}  // namespace lg::data
