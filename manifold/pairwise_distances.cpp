#include "manifold/pairwise_distances.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold {
namespace {

void check_points(const char* op, const Tensor& x, const char* name) {
  check<ValueError>(x.defined(), op, name, " is undefined");
  check<ShapeError>(x.dim() >= 2, op, name, ": expected points as rows [..., N, D], got ", shape_str(x.shape()));
  check<DTypeError>(x.is_floating_point(), op, name, ": expected float32 or float64, got ", x.dtype());
}

// Rows of x [N, D] per block of the distance matrix: about 2^22 entries (16 or 32 MB) at a time.
std::int64_t block_rows(std::int64_t reference_rows) {
  return std::max<std::int64_t>(1, (std::int64_t{1} << 22) / std::max<std::int64_t>(1, reference_rows));
}

}  // namespace

Tensor pairwise_squared_distances(const Tensor& x, const Tensor& y) {
  const char* op = "pairwise_squared_distances";
  check_points(op, x, "x");
  check_points(op, y, "y");
  check<ShapeError>(x.size(-1) == y.size(-1), op, "x ", shape_str(x.shape()), " and y ", shape_str(y.shape()),
                    " differ in their last (coordinate) dim");
  const Tensor x_norms = sum(x * x, {-1}, true);  // [..., N, 1]
  const Tensor y_norms = sum(y * y, {-1}, true);  // [..., M, 1]
  // One GEMM gives every entry: with x' = [x, |x|^2, 1] and y' = [-2 y, 1, |y|^2],
  //   x'_i . y'_j = |x_i|^2 + |y_j|^2 - 2 x_i . y_j,
  // so the [N, M] result is written once by the GEMM and once more by the clamp, the least any
  // formula can do (adding the norms after a plain X Y^T would take three more passes over it).
  const Tensor x_augmented = cat({x, x_norms, ones_like(x_norms)}, -1);
  const Tensor y_augmented = cat({y * -2.0, ones_like(y_norms), y_norms}, -1);
  return relu(matmul(x_augmented, matrix_transpose(y_augmented)));
}

Tensor pairwise_squared_distances(const Tensor& x) {
  check_points("pairwise_squared_distances", x, "x");
  // The same formula, then the diagonal set to exactly zero (rounding leaves it a few ulps off): in place
  // when no graph is recorded, else by a mask, so that backward sees no in-place change.
  Tensor distances = pairwise_squared_distances(x, x);
  if (!(grad_mode_enabled() && distances.requires_grad())) {
    diagonal(distances).fill_(0.0);
    return distances;
  }
  const Tensor off_diagonal = 1.0 - to_device(eye(x.size(-2), x.dtype()), x.device());
  return distances * off_diagonal;
}

Neighbours nearest_neighbours(const Tensor& points, const Tensor& reference, std::int64_t k) {
  const char* op = "nearest_neighbours";
  check_points(op, points, "points");
  check_points(op, reference, "reference");
  check<ShapeError>(points.dim() == 2 && reference.dim() == 2, op, "expected points [N, D] and reference [M, D], got ",
                    shape_str(points.shape()), " and ", shape_str(reference.shape()));
  const std::int64_t n = points.size(0), m = reference.size(0);
  check<ValueError>(k >= 1 && k <= m, op, "k must be in [1, ", m, "] (the reference rows), got ", k);
  NoGradGuard no_grad;
  std::vector<double> distances(static_cast<std::size_t>(n * k));
  std::vector<std::int64_t> indices(static_cast<std::size_t>(n * k));
  std::vector<std::int64_t> order(static_cast<std::size_t>(m));
  const std::int64_t rows = block_rows(m);
  for (std::int64_t start = 0; start < n; start += rows) {
    const std::int64_t count = std::min(rows, n - start);
    const std::vector<double> block =
        to_device(pairwise_squared_distances(points.narrow(0, start, count), reference), cpu).to_vector<double>();
    for (std::int64_t r = 0; r < count; ++r) {
      const double* row = block.data() + r * m;
      std::iota(order.begin(), order.end(), std::int64_t{0});
      std::partial_sort(order.begin(), order.begin() + k, order.end(), [row](std::int64_t a, std::int64_t b) {
        return row[a] < row[b] || (row[a] == row[b] && a < b);
      });
      for (std::int64_t j = 0; j < k; ++j) {
        distances[static_cast<std::size_t>((start + r) * k + j)] = std::sqrt(row[order[static_cast<std::size_t>(j)]]);
        indices[static_cast<std::size_t>((start + r) * k + j)] = order[static_cast<std::size_t>(j)];
      }
    }
  }
  return {from_vector(distances, {n, k}, points.dtype()), from_vector(indices, {n, k})};
}

Neighbours nearest_neighbours(const Tensor& points, std::int64_t k) {
  const char* op = "nearest_neighbours";
  check_points(op, points, "points");
  check<ShapeError>(points.dim() == 2, op, "expected points [N, D], got ", shape_str(points.shape()));
  const std::int64_t n = points.size(0);
  check<ValueError>(k >= 1 && k < n, op, "k must be in [1, ", n - 1, "] (the other points), got ", k);
  // One neighbour more among all the points, then each point itself dropped from its own row (it is at
  // distance 0, but a duplicate may tie with it, so drop it by index, not by position).
  const Neighbours all = nearest_neighbours(points, points, k + 1);
  const std::vector<double> d = all.distances.to_vector<double>();
  const std::vector<std::int64_t> idx = all.indices.to_vector<std::int64_t>();
  std::vector<double> distances;
  std::vector<std::int64_t> indices;
  distances.reserve(static_cast<std::size_t>(n * k));
  indices.reserve(static_cast<std::size_t>(n * k));
  for (std::int64_t i = 0; i < n; ++i) {
    std::int64_t kept = 0;
    for (std::int64_t j = 0; j <= k && kept < k; ++j) {
      const auto at = static_cast<std::size_t>(i * (k + 1) + j);
      if (idx[at] == i) continue;
      distances.push_back(d[at]);
      indices.push_back(idx[at]);
      ++kept;
    }
  }
  return {from_vector(distances, {n, k}, points.dtype()), from_vector(indices, {n, k})};
}

}  // namespace lg::manifold
