// A Riemannian gradient check, as Manopt's checkgradient (Boumal 2023, §4.8;
// Absil, Mahony & Sepulchre 2008, §4.1) turned from a plot into numbers.
//
// For a cost f, a point x and a tangent direction xi, a correct Riemannian
// gradient makes the error of the first-order model along the retraction
//   E(t) = | f(R_x(t xi)) - f(x) - t <grad f(x), xi>_x |
// shrink like t^2 (the retraction agrees with a curve through x with velocity xi
// to first order, so the remainder is second order). A wrong gradient leaves a
// term linear in t: slope 1. The check samples t log-spaced over [1e-6, 1e-1]
// and fits the slope of log E against log t by least squares on a window:
// the samples with t <= 1e-2 (third-order terms stay small) whose E is above
// the round-off floor 1e4 * eps * (|f(x)| + 1) (below it E is noise).
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

#include "autograd/tensor.hpp"
#include "manifold/manifold.hpp"

namespace lg::manifold {

// The samples and fitted slope of one Taylor check.
struct TaylorCheckResult {
  double slope = 0.0;           // least-squares slope of log E vs log t over the window (NaN: < 2 samples)
  double tangent_error = 0.0;   // ||grad - project_tangent(x, grad)||: how far the gradient is from tangent
  std::vector<double> steps;    // t, ascending
  std::vector<double> errors;   // E(t)
  std::size_t window_begin = 0;  // samples [window_begin, window_end) were fitted
  std::size_t window_end = 0;
};

// Options of taylor_check.
struct TaylorCheckOptions {
  std::size_t samples = 26;     // t = 10^-6 ... 10^-1, five per decade
  double smallest_step = 1e-6;
  double largest_step = 1e-1;
  double largest_fitted_step = 1e-2;
};

// The Taylor check of `cost` (a differentiable scalar function of a point) at x along the
// tangent direction xi, with the manifold's riemannian_gradient, inner and retract.
TaylorCheckResult taylor_check(const Manifold& manifold, const std::function<Tensor(const Tensor&)>& cost,
                               const Tensor& x, const Tensor& xi, const TaylorCheckOptions& options = {});

}  // namespace lg::manifold
