// Parzen-window log-likelihoods by blocks of test points (see parzen.hpp).
#include "manifold/parzen.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/pairwise_distances.hpp"

namespace lg::manifold {
namespace {

void check_sets(const char* op, const Tensor& points, const Tensor& samples, std::int64_t block_rows) {
  check<ValueError>(points.defined() && samples.defined(), op, "points or samples is undefined");
  check<ShapeError>(points.dim() == 2 && samples.dim() == 2 && points.size(1) == samples.size(1), op,
                    "expected points [N, D] and samples [M, D] with one D, got ", shape_str(points.shape()), " and ",
                    shape_str(samples.shape()));
  check<DTypeError>(points.is_floating_point() && points.dtype() == samples.dtype(), op,
                    "expected points and samples of one floating dtype, got ", points.dtype(), " and ",
                    samples.dtype());
  check<ValueError>(points.size(0) >= 1 && samples.size(0) >= 1, op, "expected at least one point and one sample, got ",
                    shape_str(points.shape()), " and ", shape_str(samples.shape()));
  check<ValueError>(block_rows >= 0, op, "block_rows must be >= 0 (0: automatic), got ", block_rows);
}

void check_sigma(const char* op, double sigma) {
  check<ValueError>(std::isfinite(sigma) && sigma > 0.0, op, "sigma must be positive and finite, got ", sigma);
}

std::int64_t rows_per_block(std::int64_t block_rows, std::int64_t samples) {
  if (block_rows > 0) return block_rows;
  return std::max<std::int64_t>(1, (std::int64_t{1} << 22) / std::max<std::int64_t>(1, samples));
}

// log p for squared distances d2 [B, M] at width sigma in D dims: [B].
Tensor log_density_of(const Tensor& d2, double sigma, std::int64_t dims) {
  const auto m = static_cast<double>(d2.size(1));
  const double normaliser = static_cast<double>(dims) * std::log(sigma * std::sqrt(2.0 * std::numbers::pi));
  return logsumexp(d2 * (-0.5 / (sigma * sigma)), {1}) - (std::log(m) + normaliser);
}

}  // namespace

Tensor parzen_log_density(const Tensor& points, const Tensor& samples, double sigma, const ParzenOptions& options) {
  const char* op = "parzen_log_density";
  check_sets(op, points, samples, options.block_rows);
  check_sigma(op, sigma);
  const std::int64_t n = points.size(0), rows = rows_per_block(options.block_rows, samples.size(0));
  std::vector<Tensor> blocks;
  for (std::int64_t start = 0; start < n; start += rows) {
    const Tensor block = points.narrow(0, start, std::min(rows, n - start));
    blocks.push_back(log_density_of(pairwise_squared_distances(block, samples), sigma, points.size(1)));
  }
  return blocks.size() == 1 ? blocks.front() : cat(blocks, 0);
}

ParzenLogLikelihood parzen_log_likelihood(const Tensor& points, const Tensor& samples, double sigma,
                                          const ParzenOptions& options) {
  NoGradGuard no_grad;
  const std::vector<double> values =
      to_device(parzen_log_density(points, samples, sigma, options), cpu).to_vector<double>();
  const auto n = static_cast<double>(values.size());
  double total = 0.0;
  for (double v : values) total += v;
  const double mean_value = total / n;
  double squares = 0.0;
  for (double v : values) squares += (v - mean_value) * (v - mean_value);
  return {mean_value, std::sqrt(squares / n) / std::sqrt(n)};
}

std::vector<double> default_parzen_sigmas() {
  std::vector<double> sigmas;
  for (int i = 0; i < 10; ++i) sigmas.push_back(std::pow(10.0, -1.0 + static_cast<double>(i) / 9.0));
  return sigmas;
}

ParzenBandwidth choose_parzen_bandwidth(const Tensor& validation, const Tensor& samples,
                                        const ParzenBandwidthOptions& options) {
  const char* op = "choose_parzen_bandwidth";
  check_sets(op, validation, samples, options.block_rows);
  check<ValueError>(!options.sigmas.empty(), op, "the sigma grid is empty");
  for (double sigma : options.sigmas) check_sigma(op, sigma);
  NoGradGuard no_grad;
  const std::int64_t n = validation.size(0), rows = rows_per_block(options.block_rows, samples.size(0));
  std::vector<double> totals(options.sigmas.size(), 0.0);
  for (std::int64_t start = 0; start < n; start += rows) {
    const Tensor d2 = pairwise_squared_distances(validation.narrow(0, start, std::min(rows, n - start)), samples);
    for (std::size_t s = 0; s < options.sigmas.size(); ++s)
      totals[s] += sum(log_density_of(d2, options.sigmas[s], validation.size(1))).item<double>();
  }
  ParzenBandwidth result;
  for (double total : totals) result.mean_log_likelihoods.push_back(total / static_cast<double>(n));
  const auto best = std::max_element(result.mean_log_likelihoods.begin(), result.mean_log_likelihoods.end());
  result.sigma = options.sigmas[static_cast<std::size_t>(best - result.mean_log_likelihoods.begin())];
  return result;
}

}  // namespace lg::manifold
