// k-means clustering (Lloyd 1982, "Least squares quantization in PCM") with
// k-means++ seeding (Arthur & Vassilvitskii 2007, "k-means++: the advantages of
// careful seeding"), the first step of an RBF network's fit: its centres are
// the k-means centres of the data (manifold/rbf_variance.hpp).
//
// For points x_1..x_N in R^d and K centres c_1..c_K, k-means minimises the
// inertia
//   I = sum_n min_k |x_n - c_k|^2
// by alternating two steps, each of which can only lower I:
//   assignment: label_n = argmin_k |x_n - c_k|^2   (ties to the smaller k);
//   update:     c_k = the mean of the points labelled k.
// It stops when an assignment changes no label (a fixed point: a local minimum
// of I) or after the most iterations allowed. All N x K squared distances of an
// assignment are one GEMM (manifold/pairwise_distances.hpp).
//
// The result depends on the start. k-means++ picks c_1 uniformly among the
// points, then each next centre at random with probability proportional to
// D(x)^2, the squared distance of x to the nearest centre chosen so far; its
// expected inertia is within 8 (ln K + 2) of the optimum. A cluster left empty
// by an assignment is re-seeded at the point farthest from its own centre (the
// worst-served point), so all K clusters stay in use.
//
// Deterministic: the same points and the same generator seed give the same
// centres and labels bit for bit.
#pragma once
#include <cstdint>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg::manifold {

// Options of kmeans().
struct KMeansOptions {
  // The most update-and-assign rounds after the first assignment, at least 1.
  std::int64_t iterations = 100;
  // The seed of the k-means++ draws (an lg::Generator of its own, so the default generator is left alone).
  std::uint64_t seed = 0;
};

// What kmeans() found for points [N, d].
struct KMeansResult {
  // The centres [K, d], the points' dtype.
  Tensor centres = {};
  // Each point's cluster [N] (int64), the nearest centre (ties to the smaller index).
  Tensor labels = {};
  // Each cluster's mean Euclidean distance of its points to its centre [K] (float64); 0 for a single point.
  Tensor mean_distances = {};
  // Each cluster's point count [K] (int64); 0 only where the iteration limit stopped the run right after an
  // empty cluster was re-seeded, or where duplicate points tie.
  Tensor counts = {};
  // The sum over the points of the squared distance to their centre.
  double inertia = 0.0;
  // The update-and-assign rounds done, 1 to options.iterations.
  std::int64_t iterations = 0;
  // Whether the last assignment changed no label (else the iteration limit stopped it).
  bool converged = false;
};

// K clusters of points [N, d] (float32 or float64) by Lloyd's iterations from a k-means++ start, as above.
// ShapeError unless the points are [N, d]; DTypeError for integer points; ValueError unless 1 <= K <= N and
// options.iterations >= 1.
KMeansResult kmeans(const Tensor& points, std::int64_t k, const KMeansOptions& options = {});

}  // namespace lg::manifold
