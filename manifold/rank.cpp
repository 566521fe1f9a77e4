// Numerical ranks, effective ranks and latent strata (see rank.hpp).
#include "manifold/rank.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "autograd/grad_mode.hpp"
#include "manifold/covariance.hpp"
#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

using detail::mT;

namespace {

double machine_epsilon(DType dtype) {
  return dtype == float32 ? static_cast<double>(std::numeric_limits<float>::epsilon())
                          : std::numeric_limits<double>::epsilon();
}

void check_tolerance(const char* op, const RankTolerance& tolerance) {
  if (tolerance.relative)
    check<ValueError>(std::isfinite(*tolerance.relative) && *tolerance.relative >= 0.0, op,
                      "the relative tolerance must be finite and >= 0, got ", *tolerance.relative);
  check<ValueError>(std::isfinite(tolerance.absolute) && tolerance.absolute >= 0.0, op,
                    "the absolute tolerance must be finite and >= 0, got ", tolerance.absolute);
}

void check_matrices(const char* op, const Tensor& a, bool square) {
  check<ValueError>(a.defined(), op, "the matrix is undefined");
  check<ShapeError>(a.dim() >= 2, op, "expected matrices [..., m, n], got ", shape_str(a.shape()));
  check<ShapeError>(!square || a.size(-1) == a.size(-2), op, "expected square matrices [..., n, n], got ",
                    shape_str(a.shape()));
  check<ShapeError>(a.size(-1) >= 1 && a.size(-2) >= 1, op, "expected non-empty matrices, got ", shape_str(a.shape()));
  check<DTypeError>(a.is_floating_point(), op, "expected float32 or float64, got ", a.dtype());
}

Shape batch_shape(const Tensor& a) { return Shape(a.shape().begin(), a.shape().end() - 2); }

// The count of values above max(absolute, relative * largest) in each run of k values: int64 [batch].
Tensor count_above(const std::vector<double>& values, std::int64_t k, const Shape& batch, double relative,
                   double absolute) {
  std::vector<std::int64_t> counts(values.size() / static_cast<std::size_t>(k));
  for (std::size_t item = 0; item < counts.size(); ++item) {
    const auto first = values.begin() + static_cast<std::ptrdiff_t>(item * static_cast<std::size_t>(k));
    const double largest = *std::max_element(first, first + k);
    const double threshold = std::max(absolute, relative * std::max(largest, 0.0));
    counts[item] = std::count_if(first, first + k, [threshold](double v) { return v > threshold; });
  }
  return from_vector(counts, batch);
}

// The float64 eigenvalues (ascending) of each symmetric PSD matrix of a [..., n, n], differentiable, after
// checking symmetry (to sqrt(eps) of the largest entry, eps of a's dtype) and that no eigenvalue is below
// -negative_tolerance * lambda_max (and below -absolute).
Tensor psd_eigenvalues(const char* op, const Tensor& a, double negative_tolerance, double absolute) {
  check_matrices(op, a, true);
  const double eps = machine_epsilon(a.dtype());
  const Tensor a64 = to_dtype(a, float64);
  const Tensor eigenvalues = eigvalsh(symmetric_part(a64));
  NoGradGuard no_grad;
  const std::int64_t n = a.size(-1);
  const std::vector<double> entries = abs(a64).to_vector<double>();
  const std::vector<double> asymmetry = abs(a64 - mT(a64)).to_vector<double>();
  const std::vector<double> values = eigenvalues.to_vector<double>();
  const auto items = static_cast<std::int64_t>(values.size()) / n;
  for (std::int64_t item = 0; item < items; ++item) {
    const auto at = [item, n](std::int64_t i) { return static_cast<std::ptrdiff_t>(item * n * n + i); };
    const double largest_entry = *std::max_element(entries.begin() + at(0), entries.begin() + at(n * n));
    const double skew = *std::max_element(asymmetry.begin() + at(0), asymmetry.begin() + at(n * n));
    check<ValueError>(skew <= std::sqrt(eps) * largest_entry, op, "expected symmetric matrices, but matrix ", item,
                      " of the batch ", shape_str(a.shape()), " has |A - A^T| up to ", skew, " (largest entry ",
                      largest_entry, ")");
    const double smallest = values[static_cast<std::size_t>(item * n)];
    const double largest = values[static_cast<std::size_t>(item * n + n - 1)];
    const double floor = std::max(absolute, negative_tolerance * std::max(largest, 0.0));
    check<ValueError>(smallest >= -floor, op, "expected positive semi-definite matrices, but matrix ", item,
                      " of the batch ", shape_str(a.shape()), " has the eigenvalue ", smallest, " (largest ", largest,
                      ")");
  }
  return eigenvalues;
}

// exp(-sum p log p) over the last dim of nonnegative values [..., k], p = values / their sum.
Tensor effective_rank_of(const char* op, const Tensor& values) {
  const Tensor total = sum(values, {-1}, true);
  {
    NoGradGuard no_grad;
    const std::vector<double> totals = total.to_vector<double>();
    for (std::size_t item = 0; item < totals.size(); ++item)
      check<ValueError>(totals[item] > 0.0, op, "the effective rank of a zero matrix is undefined (matrix ", item,
                        " of the batch)");
  }
  const Tensor p = values / total;
  const Tensor positive = p > 0.0;
  const Tensor p_log_p = where(positive, p * log(where(positive, p, ones_like(p))), zeros_like(p));
  return exp(-sum(p_log_p, {-1}));
}

}  // namespace

Tensor matrix_rank(const Tensor& a, const RankTolerance& tolerance) {
  const char* op = "matrix_rank";
  check_matrices(op, a, false);
  check_tolerance(op, tolerance);
  NoGradGuard no_grad;
  const std::int64_t m = a.size(-2), n = a.size(-1);
  const double relative = tolerance.relative.value_or(static_cast<double>(std::max(m, n)) * machine_epsilon(a.dtype()));
  const std::vector<double> values = svdvals(to_dtype(a, float64)).to_vector<double>();
  return count_above(values, std::min(m, n), batch_shape(a), relative, tolerance.absolute).to(a.device());
}

Tensor psd_rank(const Tensor& a, const RankTolerance& tolerance) {
  const char* op = "psd_rank";
  check_matrices(op, a, true);
  check_tolerance(op, tolerance);
  NoGradGuard no_grad;
  const std::int64_t n = a.size(-1);
  const double default_relative = static_cast<double>(n) * machine_epsilon(a.dtype());
  const double relative = tolerance.relative.value_or(default_relative);
  const Tensor values = psd_eigenvalues(op, a, std::max(relative, default_relative), tolerance.absolute);
  return count_above(values.to_vector<double>(), n, batch_shape(a), relative, tolerance.absolute).to(a.device());
}

Tensor effective_rank(const Tensor& a) {
  const char* op = "effective_rank";
  check_matrices(op, a, false);
  return to_dtype(effective_rank_of(op, svdvals(a)), a.dtype());
}

Tensor psd_effective_rank(const Tensor& a) {
  const char* op = "psd_effective_rank";
  check_matrices(op, a, true);
  const double relative = static_cast<double>(a.size(-1)) * machine_epsilon(a.dtype());
  const Tensor values = clamp(psd_eigenvalues(op, a, relative, 0.0), 0.0);
  return to_dtype(effective_rank_of(op, values), a.dtype());
}

Tensor latent_stratum(const Tensor& z, const RankTolerance& tolerance) {
  const char* op = "latent_stratum";
  check<ValueError>(z.defined(), op, "z is undefined");
  check<ShapeError>(z.dim() >= 3, op, "expected latents [..., C, H, W], got ", shape_str(z.shape()));
  check<DTypeError>(z.is_floating_point(), op, "expected float32 or float64, got ", z.dtype());
  check_tolerance(op, tolerance);
  NoGradGuard no_grad;
  const double eps = machine_epsilon(z.dtype());
  const ModeCovariances s = mode_covariances(to_dtype(z, float64));
  std::vector<Tensor> ranks;
  for (const Tensor& covariance_k : {s.channels, s.rows, s.columns}) {
    const std::int64_t n = covariance_k.size(-1);
    const double default_relative = static_cast<double>(n) * eps;
    const double relative = tolerance.relative.value_or(default_relative);
    const Tensor values = psd_eigenvalues(op, covariance_k, std::max(relative, default_relative), tolerance.absolute);
    ranks.push_back(
        count_above(values.to_vector<double>(), n, batch_shape(covariance_k), relative, tolerance.absolute));
  }
  return stack(ranks, -1).to(z.device());
}

}  // namespace lg::manifold
