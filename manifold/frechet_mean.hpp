// The Fréchet (Karcher) mean of points p_1..p_k on a manifold with exp and log:
// the minimiser of f(x) = (1 / 2k) sum_i d(x, p_i)^2, whose Riemannian gradient
// is -(1/k) sum_i log_x(p_i) (Karcher 1977; Pennec 2006, "Intrinsic statistics
// on Riemannian manifolds", §4.1). Riemannian gradient descent with unit step,
//   x <- exp_x( (1/k) sum_i log_x(p_i) ),
// is Pennec's fixed-point iteration; it converges (linearly) for points in a
// geodesically convex ball, and in a few steps on SPD with the affine-invariant
// metric. With the log-Euclidean metric the mean is closed form,
// expm((1/k) sum_i logm(p_i)) (Arsigny et al. 2007), returned after one step.
// The iteration starts at p_1 and stops when ||grad f||_x <= tolerance or after
// max_iterations.
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"
#include "manifold/manifold.hpp"

namespace lg::manifold {

// Options of frechet_mean.
struct FrechetMeanOptions {
  double tolerance = 1e-10;          // on the Riemannian gradient norm
  std::int64_t max_iterations = 100;
};

// The mean and how the iteration ended.
struct FrechetMeanResult {
  Tensor mean;                 // a point, shaped point_shape()
  std::int64_t iterations = 0;  // exp steps taken
  double gradient_norm = 0.0;  // ||(1/k) sum_i log_x(p_i)||_x at the returned mean
  bool converged = false;      // gradient_norm <= tolerance
};

// The Fréchet mean of `points` [k, point_shape...] (k >= 1); ValueError when the manifold has no exp or log.
FrechetMeanResult frechet_mean(const Manifold& manifold, const Tensor& points, const FrechetMeanOptions& options = {});

}  // namespace lg::manifold
