// SPD distances, the log-Euclidean embedding and the log-Euclidean Gaussian kernel (see kernels.hpp).
#include "manifold/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "autograd/grad_mode.hpp"
#include "manifold/matrix_helpers.hpp"
#include "manifold/pairwise_distances.hpp"

namespace lg::manifold {

using detail::mT;

namespace {

void check_square(std::string_view op, const Tensor& a, const char* name) {
  check<ValueError>(a.defined(), op, name, " is undefined");
  check<ShapeError>(a.dim() >= 2 && a.size(-1) == a.size(-2) && a.size(-1) >= 1, op, name,
                    ": expected square matrices [..., n, n], got ", shape_str(a.shape()));
  check<DTypeError>(a.is_floating_point(), op, name, ": expected float32 or float64, got ", a.dtype());
}

// ValueError unless each matrix of a is symmetric (to sqrt(eps) of its largest entry) and, after adding
// shift I, positive definite.
void check_spd(std::string_view op, const Tensor& a, const char* name, double shift = 0.0) {
  check_square(op, a, name);
  NoGradGuard no_grad;
  const double eps = a.dtype() == float32 ? static_cast<double>(std::numeric_limits<float>::epsilon())
                                          : std::numeric_limits<double>::epsilon();
  const std::int64_t n = a.size(-1);
  const Tensor flat = a.reshape({-1, n * n});
  const std::vector<double> largest = max(abs(flat), -1).values.to_vector<double>();
  const std::vector<double> skew = max(abs(flat - mT(a).reshape({-1, n * n})), -1).values.to_vector<double>();
  const std::vector<double> smallest =
      eigvalsh(symmetric_part(a.reshape({-1, n, n}))).narrow(-1, 0, 1).to_vector<double>();
  for (std::size_t item = 0; item < largest.size(); ++item) {
    check<ValueError>(skew[item] <= std::sqrt(eps) * largest[item], op, name,
                      ": expected symmetric matrices, but matrix ", item, " of ", shape_str(a.shape()),
                      " has |A - A^T| up to ", skew[item]);
    check<ValueError>(smallest[item] + shift > 0.0, op, name,
                      shift == 0.0 ? ": expected positive-definite matrices, but matrix "
                                   : ": expected positive semi-definite matrices (X + delta I positive definite), "
                                     "but matrix ",
                      item, " of ", shape_str(a.shape()), " has the smallest eigenvalue ", smallest[item]);
  }
}

// The set of matrices [N, n, n] of a pairwise op.
void check_set(std::string_view op, const Tensor& a, const char* name) {
  check<ValueError>(a.defined(), op, name, " is undefined");
  check<ShapeError>(a.dim() == 3 && a.size(-1) == a.size(-2), op, name, ": expected a set of matrices [N, n, n], got ",
                    shape_str(a.shape()));
  check_spd(op, a, name);
}

// ShapeError/ValueError unless factors holds at least one set of square matrices [..., N, n_k, n_k], all with
// the same items, each symmetric and, after adding delta I, positive definite.
void check_factors(std::string_view op, const std::vector<Tensor>& factors, const char* name, double delta) {
  check<ValueError>(!factors.empty(), op, name, ": expected at least one factor");
  for (std::size_t k = 0; k < factors.size(); ++k) {
    const std::string label = std::string(name) + "[" + std::to_string(k) + "]";
    const Tensor& s = factors[k];
    check_square(op, s, label.c_str());
    check<ShapeError>(s.dim() >= 3, op, label, ": expected a set of matrices [..., N, n, n], got ",
                      shape_str(s.shape()));
    check<ShapeError>(Shape(s.shape().begin(), s.shape().end() - 2) ==
                          Shape(factors[0].shape().begin(), factors[0].shape().end() - 2),
                      op, label, " ", shape_str(s.shape()), " and ", name, "[0] ", shape_str(factors[0].shape()),
                      " differ in their number of items");
    check_spd(op, s, label.c_str(), delta);
  }
}

// Each item's flattened matrix logs, concatenated over the factors: [..., N, sum n_k^2].
Tensor log_features(const std::vector<Tensor>& factors, double delta) {
  std::vector<Tensor> flat;
  for (const Tensor& s : factors) {
    const Tensor logs = delta > 0.0 ? logm(symmetric_part(s) + delta * detail::identity_like(s, s.size(-1)))
                                    : logm(symmetric_part(s));
    flat.push_back(flatten(logs, -2, -1));
  }
  return flat.size() == 1 ? flat[0] : cat(flat, -1);
}

void check_kernel_options(std::string_view op, const LogEuclideanKernelOptions& options) {
  check<ValueError>(std::isfinite(options.bandwidth) && options.bandwidth > 0.0, op,
                    "the bandwidth must be finite and > 0, got ", options.bandwidth);
  check<ValueError>(std::isfinite(options.delta) && options.delta >= 0.0, op, "delta must be finite and >= 0, got ",
                    options.delta);
}

}  // namespace

Tensor affine_invariant_distance(const Tensor& a, const Tensor& b) {
  const char* op = "affine_invariant_distance";
  check_spd(op, a, "a");
  check_spd(op, b, "b");
  check<ShapeError>(a.size(-1) == b.size(-1), op, "a ", shape_str(a.shape()), " and b ", shape_str(b.shape()),
                    " hold matrices of different sizes");
  return SPD(a.size(-1), SPDMetric::affine_invariant).distance(a, b);
}

Tensor log_euclidean_distance(const Tensor& a, const Tensor& b) {
  const char* op = "log_euclidean_distance";
  check_spd(op, a, "a");
  check_spd(op, b, "b");
  check<ShapeError>(a.size(-1) == b.size(-1), op, "a ", shape_str(a.shape()), " and b ", shape_str(b.shape()),
                    " hold matrices of different sizes");
  return SPD(a.size(-1), SPDMetric::log_euclidean).distance(a, b);
}

Tensor pairwise_spd_distances(const Tensor& a, const Tensor& b, SPDMetric metric) {
  const char* op = "pairwise_spd_distances";
  check_set(op, a, "a");
  check_set(op, b, "b");
  check<ShapeError>(a.size(-1) == b.size(-1), op, "a ", shape_str(a.shape()), " and b ", shape_str(b.shape()),
                    " hold matrices of different sizes");
  if (metric == SPDMetric::log_euclidean) {
    // Euclidean distances of the flattened logs: one GEMM.
    const Tensor la = flatten(logm(symmetric_part(a)), -2, -1), lb = flatten(logm(symmetric_part(b)), -2, -1);
    return sqrt(pairwise_squared_distances(la, lb));
  }
  // [N, 1, n, n] against [1, M, n, n]: a's inverse square roots once each, then all N M pairs.
  return SPD(a.size(-1), metric).distance(a.unsqueeze(1), b.unsqueeze(0));
}

Tensor pairwise_spd_distances(const Tensor& a, SPDMetric metric) {
  const char* op = "pairwise_spd_distances";
  check_set(op, a, "a");
  // The GEMM behind the squared distances need not round (i, j) and (j, i) alike: symmetrise (the zero
  // diagonal stays exactly zero).
  if (metric == SPDMetric::log_euclidean)
    return sqrt(symmetric_part(pairwise_squared_distances(flatten(logm(symmetric_part(a)), -2, -1))));
  // d(A_i, A_j) and d(A_j, A_i) agree only to rounding: average them, and zero the diagonal exactly.
  const Tensor d = SPD(a.size(-1), metric).distance(a.unsqueeze(1), a.unsqueeze(0));
  const Tensor off_diagonal = 1.0 - detail::identity_like(d, a.size(0));
  return 0.5 * (d + mT(d)) * off_diagonal;
}

Tensor log_euclidean_embedding(const Tensor& x, double delta) {
  const char* op = "log_euclidean_embedding";
  check<ValueError>(std::isfinite(delta) && delta > 0.0, op, "delta must be finite and > 0, got ", delta);
  check_spd(op, x, "x", delta);
  return symmetric_part(logm(symmetric_part(x) + delta * detail::identity_like(x, x.size(-1))));
}

Tensor log_euclidean_features(const std::vector<Tensor>& factors, double delta) {
  const char* op = "log_euclidean_features";
  check<ValueError>(std::isfinite(delta) && delta >= 0.0, op, "delta must be finite and >= 0, got ", delta);
  check_factors(op, factors, "factors", delta);
  return log_features(factors, delta);
}

Tensor log_euclidean_gaussian_kernel(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                     const LogEuclideanKernelOptions& options) {
  const char* op = "log_euclidean_gaussian_kernel";
  check_kernel_options(op, options);
  check_factors(op, x, "x", options.delta);
  check_factors(op, y, "y", options.delta);
  check<ValueError>(x.size() == y.size(), op, "x has ", x.size(), " factors and y ", y.size());
  for (std::size_t k = 0; k < x.size(); ++k)
    check<ShapeError>(x[k].size(-1) == y[k].size(-1), op, "factor ", k, ": x ", shape_str(x[k].shape()), " and y ",
                      shape_str(y[k].shape()), " hold matrices of different sizes");
  const Tensor fx = log_features(x, options.delta), fy = log_features(y, options.delta);
  return gaussian_of_squared_distances(pairwise_squared_distances(fx, fy), options.bandwidth);
}

Tensor log_euclidean_gaussian_gram(const std::vector<Tensor>& x, const LogEuclideanKernelOptions& options) {
  const char* op = "log_euclidean_gaussian_gram";
  check_kernel_options(op, options);
  check_factors(op, x, "x", options.delta);
  const Tensor fx = log_features(x, options.delta);
  // Symmetrised as in pairwise_spd_distances: exactly symmetric, ones on the diagonal.
  return gaussian_of_squared_distances(symmetric_part(pairwise_squared_distances(fx)), options.bandwidth);
}

Tensor gaussian_of_squared_distances(const Tensor& squared_distances, double bandwidth) {
  check<ValueError>(std::isfinite(bandwidth) && bandwidth > 0.0, "gaussian_of_squared_distances",
                    "bandwidth must be finite and positive, got ", bandwidth);
  return exp(squared_distances * (-0.5 / (bandwidth * bandwidth)));
}

double median_distance_bandwidth(const Tensor& squared_distances) {
  const char* op = "median_distance_bandwidth";
  check<ShapeError>(squared_distances.dim() == 2 && squared_distances.size(0) == squared_distances.size(1) &&
                        squared_distances.size(0) >= 2,
                    op, "expected squared distances [N, N] with N >= 2, got ", shape_str(squared_distances.shape()));
  const std::int64_t n = squared_distances.size(0);
  const std::vector<double> d2 = squared_distances.to_vector<double>();
  std::vector<double> pairs;
  pairs.reserve(static_cast<std::size_t>(n * (n - 1) / 2));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = i + 1; j < n; ++j) pairs.push_back(d2[static_cast<std::size_t>(i * n + j)]);
  const auto middle = pairs.begin() + static_cast<std::ptrdiff_t>(pairs.size() / 2);
  std::nth_element(pairs.begin(), middle, pairs.end());
  return std::sqrt(std::max(*middle, 1e-300));
}

}  // namespace lg::manifold
