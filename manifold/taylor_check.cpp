// The Taylor check: one gradient, then cost values along the retraction curve.
#include "manifold/taylor_check.hpp"

#include <cmath>
#include <limits>

#include "autograd/engine.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold {

namespace {

// The least-squares slope of log(errors) against log(steps) over [begin, end).
double fitted_slope(const std::vector<double>& steps, const std::vector<double>& errors, std::size_t begin,
                    std::size_t end) {
  if (end < begin + 2) return std::numeric_limits<double>::quiet_NaN();
  double mean_x = 0.0, mean_y = 0.0;
  for (std::size_t i = begin; i < end; ++i) {
    mean_x += std::log(steps[i]);
    mean_y += std::log(errors[i]);
  }
  const auto count = static_cast<double>(end - begin);
  mean_x /= count;
  mean_y /= count;
  double covariance = 0.0, variance = 0.0;
  for (std::size_t i = begin; i < end; ++i) {
    const double dx = std::log(steps[i]) - mean_x;
    covariance += dx * (std::log(errors[i]) - mean_y);
    variance += dx * dx;
  }
  return covariance / variance;
}

}  // namespace

TaylorCheckResult taylor_check(const Manifold& manifold, const std::function<Tensor(const Tensor&)>& cost,
                               const Tensor& x, const Tensor& xi, const TaylorCheckOptions& options) {
  manifold.check_point("taylor_check", x);
  check<ShapeError>(xi.defined() && xi.shape() == x.shape(), "taylor_check",
                    "the direction must have the point's shape ", shape_str(x.shape()));
  check<ValueError>(options.samples >= 3 && options.smallest_step > 0.0 && options.largest_step > options.smallest_step,
                    "taylor_check", "expected at least 3 samples over 0 < smallest_step < largest_step");
  TaylorCheckResult result;
  const EnableGradGuard record;
  const Tensor point = x.detach().requires_grad_();
  const Tensor value = cost(point);
  check<ShapeError>(value.numel() == 1, "taylor_check", "the cost must return one value, got shape ",
                    shape_str(value.shape()));
  const Tensor euclidean_grad = grad({value}, {point})[0];
  const NoGradGuard no_record;
  const double f0 = value.item<double>();
  const Tensor riemannian = manifold.riemannian_gradient(x, euclidean_grad);
  const Tensor off_tangent = riemannian - manifold.project_tangent(x, riemannian);
  result.tangent_error = std::sqrt(sum(off_tangent * off_tangent).item<double>());
  const double slope_term = sum(manifold.inner(x, riemannian, xi)).item<double>();

  const double ratio = std::log(options.largest_step / options.smallest_step);
  for (std::size_t i = 0; i < options.samples; ++i) {
    const double t =
        options.smallest_step * std::exp(ratio * static_cast<double>(i) / static_cast<double>(options.samples - 1));
    const double moved = cost(manifold.retract(x, xi * t)).item<double>();
    result.steps.push_back(t);
    result.errors.push_back(std::abs(moved - f0 - t * slope_term));
  }
  // The window: contiguous samples with t <= largest_fitted_step and E above the round-off floor.
  const double floor = 1e4 * std::numeric_limits<double>::epsilon() * (std::abs(f0) + 1.0);
  std::size_t begin = 0, end = 0;
  while (end < result.steps.size() && result.steps[end] <= options.largest_fitted_step * (1 + 1e-12)) ++end;
  while (begin < end && result.errors[begin] <= floor) ++begin;
  result.window_begin = begin;
  result.window_end = end;
  result.slope = fitted_slope(result.steps, result.errors, begin, end);
  return result;
}

}  // namespace lg::manifold
