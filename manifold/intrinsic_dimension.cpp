// TwoNN, Levina-Bickel MLE and local PCA (see intrinsic_dimension.hpp). The neighbours come from
// nearest_neighbours; the per-point formulas run on the host over its [N, k] distances.
#include "manifold/intrinsic_dimension.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "autograd/random.hpp"
#include "manifold/pairwise_distances.hpp"

namespace lg::manifold {
namespace {

// Points [N, D] of a floating dtype with N >= min_rows.
void check_points(const char* op, const Tensor& points, std::int64_t min_rows) {
  check<ValueError>(points.defined(), op, "points is undefined");
  check<ShapeError>(points.dim() == 2, op, "expected points [N, D], got ", shape_str(points.shape()));
  check<DTypeError>(points.is_floating_point(), op, "expected float32 or float64 points, got ", points.dtype());
  check<ValueError>(points.size(0) >= min_rows, op, "expected at least ", min_rows, " points, got ",
                    shape_str(points.shape()));
}

std::size_t at(std::int64_t row, std::int64_t column, std::int64_t columns) {
  return static_cast<std::size_t>(row * columns + column);
}

// Neighbours [N, k] from nearest_neighbours with k >= min_columns; returns k.
std::int64_t check_neighbours(const char* op, const Neighbours& neighbours, std::int64_t min_columns) {
  const Tensor& d = neighbours.distances;
  check<ValueError>(d.defined(), op, "neighbours.distances is undefined");
  check<ShapeError>(d.dim() == 2 && d.size(1) >= min_columns, op, "expected neighbour distances [N, k] with k >= ",
                    min_columns, ", got ", shape_str(d.shape()));
  return d.size(1);
}

}  // namespace

double twonn_dimension(const Tensor& points, const TwoNNOptions& options) {
  check_points("twonn_dimension", points, 3);
  return twonn_dimension(nearest_neighbours(points, 2), options);
}

double twonn_dimension(const Neighbours& neighbours, const TwoNNOptions& options) {
  const char* op = "twonn_dimension";
  const std::int64_t k = check_neighbours(op, neighbours, 2);
  check<ValueError>(options.discard_fraction >= 0.0 && options.discard_fraction < 1.0, op,
                    "discard_fraction must be in [0, 1), got ", options.discard_fraction);
  const std::int64_t n = neighbours.distances.size(0);
  check<ValueError>(n >= 3, op, "expected at least 3 points, got ", n);
  const std::vector<double> r = neighbours.distances.to_vector<double>();
  std::vector<double> log_mu(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    const double r1 = r[at(i, 0, k)], r2 = r[at(i, 1, k)];
    check<ValueError>(r1 > 0.0, op, "point ", i, " has a duplicate (nearest-neighbour distance 0)");
    log_mu[static_cast<std::size_t>(i)] = std::log(r2 / r1);
  }
  if (options.method == TwoNNMethod::maximum_likelihood) {
    double total = 0.0;
    for (double v : log_mu) total += v;
    check<ValueError>(total > 0.0, op, "every point's two nearest neighbours are equally far (mu = 1)");
    return static_cast<double>(n - 1) / total;
  }
  // The paper's fit: F_i = i / N for the i-th smallest mu (i = 1..N), the largest ones dropped.
  std::sort(log_mu.begin(), log_mu.end());
  const auto kept = std::min<std::int64_t>(
      n - 1, static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - options.discard_fraction))));
  check<ValueError>(kept >= 1, op, "discard_fraction ", options.discard_fraction, " leaves no point of ", n);
  double xy = 0.0, xx = 0.0;
  for (std::int64_t i = 1; i <= kept; ++i) {
    const double x = log_mu[static_cast<std::size_t>(i - 1)];
    const double y = -std::log1p(-static_cast<double>(i) / static_cast<double>(n));
    xy += x * y;
    xx += x * x;
  }
  check<ValueError>(xx > 0.0, op, "the kept points' two nearest neighbours are equally far (mu = 1)");
  return xy / xx;
}

double mle_dimension(const Tensor& points, const MleDimensionOptions& options) {
  const char* op = "mle_dimension";
  check_points(op, points, 3);
  const std::int64_t n = points.size(0);
  check<ValueError>(options.k1 >= 2 && options.k1 <= options.k2 && options.k2 < n, op,
                    "expected 2 <= k1 <= k2 < N = ", n, ", got k1 = ", options.k1, ", k2 = ", options.k2);
  return mle_dimension(nearest_neighbours(points, options.k2), options);
}

double mle_dimension(const Neighbours& neighbours, const MleDimensionOptions& options) {
  const char* op = "mle_dimension";
  const std::int64_t columns = check_neighbours(op, neighbours, 2);
  const std::int64_t n = neighbours.distances.size(0), k2 = options.k2;
  check<ValueError>(options.k1 >= 2 && options.k1 <= k2 && k2 <= columns, op, "expected 2 <= k1 <= k2 <= ",
                    columns, " (the neighbours given), got k1 = ", options.k1, ", k2 = ", k2);
  const std::vector<double> t = neighbours.distances.to_vector<double>();
  for (std::int64_t i = 0; i < n; ++i)
    check<ValueError>(t[at(i, 0, columns)] > 0.0, op, "point ", i,
                      " has a duplicate (nearest-neighbour distance 0)");
  std::vector<double> log_t(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) log_t[i] = std::log(t[i]);
  double total = 0.0;
  for (std::int64_t k = options.k1; k <= k2; ++k) {
    double pooled = 0.0;  // the sum over points of 1/m_k(x), or of m_k(x)
    for (std::int64_t i = 0; i < n; ++i) {
      double inverse = 0.0;  // 1/m_k(x) = mean_{j<k} log(T_k / T_j)
      for (std::int64_t j = 0; j < k - 1; ++j) inverse += log_t[at(i, k - 1, columns)] - log_t[at(i, j, columns)];
      inverse /= static_cast<double>(k - 1);
      if (options.average_inverses) {
        pooled += inverse;
      } else {
        check<ValueError>(inverse > 0.0, op, "point ", i, "'s ", k, " nearest neighbours are equally far");
        pooled += 1.0 / inverse;
      }
    }
    if (options.average_inverses) {
      check<ValueError>(pooled > 0.0, op, "every point's ", k, " nearest neighbours are equally far");
      total += static_cast<double>(n) / pooled;
    } else {
      total += pooled / static_cast<double>(n);
    }
  }
  return total / static_cast<double>(k2 - options.k1 + 1);
}

LocalPcaDimension local_pca_dimension(const Tensor& points, const LocalPcaOptions& options) {
  const char* op = "local_pca_dimension";
  check_points(op, points, 2);
  const std::int64_t n = points.size(0), d = points.size(1), k = options.neighbours;
  check<ValueError>(k >= 1 && k < n, op, "neighbours must be in [1, ", n - 1, "] (the other points), got ", k);
  check<ValueError>(options.variance_fraction > 0.0 && options.variance_fraction <= 1.0, op,
                    "variance_fraction must be in (0, 1], got ", options.variance_fraction);
  check<ValueError>(options.samples >= 1, op, "samples must be >= 1, got ", options.samples);
  NoGradGuard no_grad;
  const Tensor x = to_device(points, cpu).to(float64);
  // The sampled rows: the first `samples` of a seeded permutation, or every row.
  Tensor rows;
  if (options.samples >= n) {
    rows = arange(n);
  } else {
    Generator generator(options.seed);
    rows = randperm(n, &generator).narrow(0, 0, options.samples);
  }
  const std::int64_t s = rows.size(0);
  // Each sampled point with its k nearest neighbours (itself among them, at distance 0): [s, k + 1] rows.
  const Tensor neighbourhoods = nearest_neighbours(index_select(x, 0, rows), x, k + 1).indices;
  const Tensor patches = index_select(x, 0, neighbourhoods.reshape({s * (k + 1)})).reshape({s, k + 1, d});
  const Tensor centred = patches - mean(patches, {1}, true);
  // The covariance's nonzero eigenvalues, from the smaller of the two Gram matrices.
  const Tensor gram = k + 1 <= d ? matmul(centred, matrix_transpose(centred))
                                 : matmul(matrix_transpose(centred), centred);
  const std::vector<double> eigenvalues = eigvalsh(gram).to_vector<double>();  // ascending per point
  const std::int64_t m = gram.size(-1);
  std::vector<std::int64_t> dims(static_cast<std::size_t>(s));
  for (std::int64_t p = 0; p < s; ++p) {
    double trace = 0.0;
    for (std::int64_t j = 0; j < m; ++j) trace += std::max(0.0, eigenvalues[at(p, j, m)]);
    std::int64_t count = 0;
    double reached = 0.0;
    // The largest eigenvalues first, until they hold the fraction (a flat neighbourhood has dimension 0).
    for (std::int64_t j = m - 1; j >= 0 && trace > 0.0 && reached < options.variance_fraction * trace; --j) {
      reached += std::max(0.0, eigenvalues[at(p, j, m)]);
      ++count;
    }
    dims[static_cast<std::size_t>(p)] = count;
  }
  std::vector<std::int64_t> sorted = dims;
  std::sort(sorted.begin(), sorted.end());
  double total = 0.0;
  for (std::int64_t v : dims) total += static_cast<double>(v);
  const auto half = static_cast<std::size_t>(s / 2);
  const double median = s % 2 == 1 ? static_cast<double>(sorted[half])
                                   : 0.5 * static_cast<double>(sorted[half - 1] + sorted[half]);
  return {total / static_cast<double>(s), median, from_vector(dims, {s}), rows};
}

}  // namespace lg::manifold
