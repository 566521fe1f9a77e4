// Distances between many points at once, the shared first step of kernels,
// intrinsic-dimension estimators and Parzen windows. For rows x_i of X [N, D]
// and y_j of Y [M, D],
//   |x_i - y_j|^2 = |x_i|^2 + |y_j|^2 - 2 x_i . y_j,
// so the whole [N, M] matrix is one GEMM of X and Y, each with two columns
// added (the norms and ones; see the .cpp), plus one pass that clamps it. Rounding can make an entry slightly negative where two points
// nearly coincide; it is clamped at 0, and a point's distance to itself (Y
// omitted) is exactly 0. Differentiable, batched over leading dims, any device.
//
// nearest_neighbours finds each point's k closest rows by distance blocks of a
// bounded size (memory stays O(block * M), not O(N * M)), then sorts each row on
// the host; ties go to the smaller index, so the result is deterministic.
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"

namespace lg::manifold {

// Squared Euclidean distances between the rows of x [..., N, D] and y [..., M, D]: [..., N, M].
Tensor pairwise_squared_distances(const Tensor& x, const Tensor& y);
// The same for x with itself: [..., N, N], symmetric to rounding, with an exactly zero diagonal.
Tensor pairwise_squared_distances(const Tensor& x);

// Each point's k nearest neighbours: Euclidean distances [N, k] ascending (the points' dtype, on the CPU)
// and the neighbours' row indices [N, k] (int64).
struct Neighbours {
  Tensor distances = {};  // [N, k], ascending in each row
  Tensor indices = {};    // [N, k], rows of the reference set
};

// The k nearest rows of `reference` [M, D] to each row of `points` [N, D], computed in blocks of rows.
Neighbours nearest_neighbours(const Tensor& points, const Tensor& reference, std::int64_t k);
// The k nearest other rows of `points` [N, D] to each of its rows (a point is never its own neighbour;
// duplicates of it are, at distance 0); ValueError unless 1 <= k < N.
Neighbours nearest_neighbours(const Tensor& points, std::int64_t k);

}  // namespace lg::manifold
