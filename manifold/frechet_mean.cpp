// Pennec's fixed-point iteration for the Fréchet mean (see frechet_mean.hpp).
#include "manifold/frechet_mean.hpp"

#include "autograd/ops/linalg.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/spd.hpp"

namespace lg::manifold {

namespace {

// (1/k) sum_i log_x(p_i), the negative Riemannian gradient of the Fréchet cost at x.
Tensor mean_log(const Manifold& manifold, const Tensor& x, const Tensor& points) {
  return mean(manifold.log(x.unsqueeze(0).expand(points.shape()), points), {0});
}

}  // namespace

FrechetMeanResult frechet_mean(const Manifold& manifold, const Tensor& points, const FrechetMeanOptions& options) {
  check<ValueError>(manifold.has_exp() && manifold.has_log(), "frechet_mean", manifold.name(),
                    " needs closed-form exp and log");
  manifold.check_point("frechet_mean", points);
  const auto point_rank = static_cast<std::int64_t>(manifold.point_shape().size());
  check<ShapeError>(points.dim() == point_rank + 1 && points.size(0) >= 1, "frechet_mean",
                    "expected points [k, point shape] with k >= 1, got ", shape_str(points.shape()));
  FrechetMeanResult result;
  Tensor x = points.select(0, 0);
  const auto* spd = dynamic_cast<const SPD*>(&manifold);
  if (spd != nullptr && spd->metric() == SPDMetric::log_euclidean) {
    x = expm(mean(logm(points), {0}));
    result.iterations = 1;
  }
  Tensor step = mean_log(manifold, x, points);
  result.gradient_norm = manifold.norm(x, step).item<double>();
  while (result.gradient_norm > options.tolerance && result.iterations < options.max_iterations) {
    x = manifold.exp(x, step);
    ++result.iterations;
    step = mean_log(manifold, x, points);
    result.gradient_norm = manifold.norm(x, step).item<double>();
  }
  result.mean = x;
  result.converged = result.gradient_norm <= options.tolerance;
  return result;
}

}  // namespace lg::manifold
