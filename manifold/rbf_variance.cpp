#include "manifold/rbf_variance.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "autograd/engine.hpp"
#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/kmeans.hpp"
#include "manifold/pairwise_distances.hpp"
#include "optim/adam.hpp"
#include "optim/scheduler.hpp"

namespace lg::manifold {
namespace {

void check_rows(const char* op, const Tensor& t, const char* name) {
  check<ValueError>(t.defined(), op, name, " are undefined");
  check<ShapeError>(t.dim() == 2 && t.size(0) >= 1 && t.size(1) >= 1, op, "expected ", name, " [N, ...] as rows, got ",
                    shape_str(t.shape()));
  check<DTypeError>(t.is_floating_point(), op, "expected float32 or float64 ", name, ", got ", t.dtype());
}

// v(z) [B, K] = exp(-lambda_k |z - c_k|^2), in z's dtype.
Tensor activations(const Tensor& z, const Tensor& centres, const Tensor& bandwidths) {
  const Tensor c = to_device(centres.to(z.dtype()), z.device());
  const Tensor lambda = to_device(bandwidths.to(z.dtype()), z.device());
  return exp(pairwise_squared_distances(z, c) * (-lambda));
}

// beta = v W^T + zeta, [B, D].
Tensor precision_of(const Tensor& v, const Tensor& weights, double zeta) {
  return matmul(v, matrix_transpose(weights)) + zeta;
}

// The negative log-likelihood per point and dim, mean_{n, i} (beta r^2 - log beta) / 2.
Tensor loss_of(const Tensor& beta, const Tensor& squared_residuals) {
  return mean(beta * squared_residuals - log(beta)) * 0.5;
}

}  // namespace

RBFVariance::RBFVariance(Tensor centres, Tensor bandwidths, Tensor weights, double zeta)
    : centres_(std::move(centres)), bandwidths_(std::move(bandwidths)), weights_(std::move(weights)), zeta_(zeta) {
  const char* op = "RBFVariance";
  check_rows(op, centres_, "centres");
  check_rows(op, weights_, "weights");
  check<ValueError>(bandwidths_.defined(), op, "the bandwidths are undefined");
  const std::int64_t k = centres_.size(0);
  check<ShapeError>(bandwidths_.shape() == Shape{k} && weights_.size(1) == k, op, "expected centres [K, d], "
                    "bandwidths [K] and weights [D, K], got ", shape_str(centres_.shape()), ", ",
                    shape_str(bandwidths_.shape()), " and ", shape_str(weights_.shape()));
  check<ValueError>(zeta_ > 0.0 && std::isfinite(zeta_), op, "zeta must be positive, got ", zeta_);
  NoGradGuard no_grad;
  centres_ = to_device(centres_.detach(), cpu).to(float64).contiguous();
  bandwidths_ = to_device(bandwidths_.detach(), cpu).to(float64).contiguous();
  weights_ = to_device(weights_.detach(), cpu).to(float64).contiguous();
  check<ValueError>(min(bandwidths_).item() > 0.0, op, "the bandwidths must be positive, smallest ",
                    min(bandwidths_).item());
  check<ValueError>(min(weights_).item() >= 0.0, op, "the weights must be non-negative, smallest ",
                    min(weights_).item());
}

RBFVariance RBFVariance::fit(const Tensor& codes, const Tensor& targets, const Tensor& means,
                             const RBFVarianceOptions& options) {
  const char* op = "RBFVariance::fit";
  check_rows(op, codes, "codes");
  check_rows(op, targets, "targets");
  check_rows(op, means, "means");
  const std::int64_t n = codes.size(0);
  check<ShapeError>(targets.shape() == means.shape() && targets.size(0) == n, op,
                    "expected codes [N, d], targets [N, D] and means [N, D], got ", shape_str(codes.shape()), ", ",
                    shape_str(targets.shape()), " and ", shape_str(means.shape()));
  check<ValueError>(options.centres >= 1 && options.centres <= n, op, "centres must be in [1, N] = [1, ", n,
                    "], got ", options.centres);
  check<ValueError>(options.curvature > 0.0 && std::isfinite(options.curvature), op,
                    "curvature must be positive, got ", options.curvature);
  check<ValueError>(options.zeta > 0.0 && std::isfinite(options.zeta), op, "zeta must be positive, got ",
                    options.zeta);
  check<ValueError>(options.fit_steps >= 0, op, "fit_steps must be non-negative, got ", options.fit_steps);
  check<ValueError>(options.lr > 0.0 && std::isfinite(options.lr), op, "lr must be positive, got ", options.lr);

  Tensor z, squared_residuals;
  {
    NoGradGuard no_grad;
    z = to_device(codes.detach(), cpu).to(float64).contiguous();
    const Tensor r = to_device(targets.detach(), cpu).to(float64) - to_device(means.detach(), cpu).to(float64);
    squared_residuals = (r * r).contiguous();
  }

  // Centres and bandwidths: lambda_k = 1/2 (a mean distance_k)^(-2); a one-point cluster takes the mean of the others.
  const KMeansResult clusters = kmeans(z, options.centres, {.iterations = options.kmeans_iterations,
                                                            .seed = options.seed});
  std::vector<double> spread = clusters.mean_distances.to_vector<double>();
  double total = 0.0;
  std::int64_t positive = 0;
  for (const double s : spread)
    if (s > 0.0) {
      total += s;
      ++positive;
    }
  const double fallback = positive > 0 ? total / static_cast<double>(positive) : 1.0;
  std::vector<double> lambda(spread.size());
  for (std::size_t k = 0; k < spread.size(); ++k) {
    const double width = options.curvature * (spread[k] > 0.0 ? spread[k] : fallback);
    lambda[k] = 0.5 / (width * width);
  }
  const std::int64_t k = options.centres, d_out = targets.size(1);
  const Tensor bandwidths = from_vector(lambda, {k}, float64);

  // The start: beta_i ~ 1 / mean_n r_ni^2 on average over the codes, W_ik = beta_i / mean_n sum_k v_k(z_n).
  const Tensor v = [&] {
    NoGradGuard no_grad;
    return activations(z, clusters.centres.to(float64), bandwidths).contiguous();
  }();
  std::vector<double> variance = mean(squared_residuals, {0}).to_vector<double>();
  double mean_variance = 0.0;
  for (const double s : variance) mean_variance += s / static_cast<double>(variance.size());
  const double floor = mean_variance > 0.0 ? 1e-6 * mean_variance : 1.0;
  const double coverage = std::max(sum(v).item() / static_cast<double>(n), 1e-12);
  std::vector<double> log_weights(static_cast<std::size_t>(d_out * k));
  for (std::int64_t i = 0; i < d_out; ++i)
    for (std::int64_t c = 0; c < k; ++c)
      log_weights[static_cast<std::size_t>(i * k + c)] =
          std::log(1.0 / std::max(variance[static_cast<std::size_t>(i)], floor) / coverage);
  Tensor u = from_vector(log_weights, {d_out, k}, float64);
  u.requires_grad_();

  std::vector<double> history;
  {
    optim::Adam optimizer(std::vector<Tensor>{u}, optim::AdamOptions{.lr = options.lr});
    std::unique_ptr<optim::CosineAnnealing> schedule;
    if (options.fit_steps >= 1)
      schedule = std::make_unique<optim::CosineAnnealing>(
          optimizer, optim::CosineAnnealingOptions{.total_steps = options.fit_steps});
    for (std::int64_t step = 0;; ++step) {
      const Tensor loss = loss_of(precision_of(v, exp(u), options.zeta), squared_residuals);
      history.push_back(loss.item());
      if (step == options.fit_steps) break;
      u.set_grad(grad({loss}, {u})[0]);
      optimizer.step();
      schedule->step();
    }
  }
  NoGradGuard no_grad;
  RBFVariance fitted(clusters.centres.to(float64), bandwidths, exp(u.detach()), options.zeta);
  fitted.loss_history_ = std::move(history);
  return fitted;
}

Tensor RBFVariance::precision(const Tensor& z) const {
  const char* op = "RBFVariance::precision";
  check<ValueError>(defined(), op, "the head is empty (fit it first)");
  check<ValueError>(z.defined(), op, "z is undefined");
  check<ShapeError>(z.dim() == 2 && z.size(1) == centres_.size(1), op, "expected latent points z [B, ",
                    centres_.size(1), "], got ", shape_str(z.shape()));
  check<DTypeError>(z.is_floating_point(), op, "expected float32 or float64 latent points, got ", z.dtype());
  const Tensor w = to_device(weights_.to(z.dtype()), z.device());
  return precision_of(activations(z, centres_, bandwidths_), w, zeta_);
}

Tensor RBFVariance::standard_deviation(const Tensor& z) const { return rsqrt(precision(z)); }

Function RBFVariance::standard_deviation_map() const {
  return [head = *this](const Tensor& z) { return head.standard_deviation(z); };
}

}  // namespace lg::manifold
