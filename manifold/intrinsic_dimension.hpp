// Intrinsic dimension: how many coordinates a cloud of points [N, D] really
// uses. Points drawn from a d-dimensional manifold inside R^D look
// d-dimensional at small scales, whatever D is; three estimators read d from
// the nearest neighbours of each point (found by one GEMM per block of rows,
// manifold/pairwise_distances.hpp).
//
// TwoNN (Facco, d'Errico, Rodriguez & Laio 2017, "Estimating the intrinsic
// dimension of datasets by a minimal neighborhood information"). For each
// point let r1 <= r2 be the distances to its two nearest neighbours and
// mu = r2 / r1 >= 1. If the density is locally constant, mu follows the Pareto
// law F(mu) = 1 - mu^-d, whatever the density is. Two ways to read d:
//   - the paper's fit (the default): sort the mu ascending, give the i-th the
//     empirical F_i = i / N, and fit -log(1 - F_i) = d log mu_i by least squares
//     through the origin, d = sum x_i y_i / sum x_i^2, over all but the largest
//     `discard_fraction` of the mu (10% in the paper: the tail is where the
//     constant-density assumption fails first; at least the largest one is always
//     dropped, where 1 - F = 0);
//   - the maximum-likelihood estimate of the Pareto exponent over all points,
//     d = (N - 1) / sum_i log mu_i (the unbiased form of N / sum log mu).
//
// MLE (Levina & Bickel 2004, "Maximum likelihood estimation of intrinsic
// dimension"). With T_1 <= ... <= T_k the distances from x to its k nearest
// neighbours, treating the neighbours as a Poisson process of rate ~ r^(d-1)
// gives the local estimate
//   m_k(x) = [ 1/(k-1) sum_{j=1}^{k-1} log(T_k(x) / T_j(x)) ]^-1.
// Levina and Bickel average m_k(x) over the points; MacKay & Ghahramani (2005,
// "Comments on 'Maximum likelihood estimation of intrinsic dimension'") showed
// that averaging the inverses, m_k = [ mean_x 1/m_k(x) ]^-1, is the ML estimate
// of the pooled data and much less biased upwards for small k. That correction
// is the default (`average_inverses`). Over a range k1..k2 the estimates are
// averaged over k, as in Levina and Bickel.
//
// Local PCA (Fukunaga & Olsen 1971; e.g. Little, Maggioni & Rosasco 2017 on
// choosing the scale). For each of `samples` points (a seeded random subset,
// all of them when samples >= N), the covariance of the point and its k nearest
// neighbours; the local dimension is the number of its largest eigenvalues whose
// sum reaches `variance_fraction` of the trace. Reported as the mean and the
// median over the sampled points, and the per-point dimensions.
//
// What they measured (tests/manifold/test_intrinsic_dimension.cpp, defaults: TwoNN fit, MLE k = 20,
// local PCA k = 30 at 90%; uniform points on the unit sphere S^d in R^{d+1} and on the flat torus (S^1)^d
// in R^{2d}, rotated into R^{2d+4} by a random orthogonal matrix; 4000 points, 10^4 for local PCA on T^5):
//   S^2, T^2: all three within 2% of 2.       S^5: 5.10, 4.91, 4.65.      T^5: 5.27, 5.38, 5.04.
//   S^10: TwoNN 9.9, MLE 9.2, local PCA 8.0: local PCA falls 20% low (30 neighbours in 10 dimensions: the
//     sample covariance's smallest eigenvalues come out too small, Marchenko-Pastur), the others 1% and 8%.
//   T^10: TwoNN 11.6, MLE 12.5, local PCA 12.2: all read HIGH, by 16% to 25%. The flat torus of unit
//     circles has volume (2 pi)^10 ~ 10^8: 10^4 points leave neighbours most of a radian apart round each
//     circle, where chords undercount far neighbours more than near ones. (With 10^4 points: 11.5, 12.3, 12.1.)
// The downward bias usually quoted for high dimensions shows on the sphere; the torus shows the other
// failure, a sample too sparse for the curvature. Local PCA depends most on its scale (k): on T^5 with 4000
// points it reads 5.7, with 10^4 points 5.0.
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"
#include "manifold/pairwise_distances.hpp"

namespace lg::manifold {

// How twonn_dimension reads d from the ratios mu = r2 / r1.
enum class TwoNNMethod {
  fit,                 // the paper's least-squares line through the origin of -log(1 - F(mu)) against log mu
  maximum_likelihood,  // d = (N - 1) / sum log mu over all points
};

// Options of twonn_dimension.
struct TwoNNOptions {
  TwoNNMethod method = TwoNNMethod::fit;  // the paper's fit by default
  double discard_fraction = 0.1;          // fit only: the fraction of largest mu left out, in [0, 1)
};

// The TwoNN estimate of the intrinsic dimension of points [N, D] (N >= 3, no duplicate points).
double twonn_dimension(const Tensor& points, const TwoNNOptions& options = {});
// The same from precomputed neighbours (nearest_neighbours(points, k) with k >= 2; only the first two are read),
// so that one neighbour search serves TwoNN and MLE.
double twonn_dimension(const Neighbours& neighbours, const TwoNNOptions& options = {});

// Options of mle_dimension: the neighbour counts k1..k2 (inclusive) and how the points are pooled.
struct MleDimensionOptions {
  std::int64_t k1 = 20;           // smallest k, >= 2
  std::int64_t k2 = 20;           // largest k, >= k1 and < N
  bool average_inverses = true;   // MacKay-Ghahramani: invert the mean of 1/m_k(x); false: the mean of m_k(x)
};

// The Levina-Bickel maximum-likelihood estimate of the intrinsic dimension of points [N, D], averaged over
// k = k1..k2 (no duplicate points).
double mle_dimension(const Tensor& points, const MleDimensionOptions& options = {});
// The same from precomputed neighbours (nearest_neighbours(points, k) with k >= k2; the first k2 are read).
double mle_dimension(const Neighbours& neighbours, const MleDimensionOptions& options = {});

// Options of local_pca_dimension.
struct LocalPcaOptions {
  std::int64_t neighbours = 30;     // k: each neighbourhood is the point and its k nearest neighbours, k < N
  double variance_fraction = 0.9;   // in (0, 1]: the share of the trace the kept eigenvalues must reach
  std::int64_t samples = 1000;      // points analysed (a seeded random subset; all when >= N)
  std::uint64_t seed = 0;           // the subset's seed
};

// Local PCA dimensions: their mean and median over the sampled points, and each point's.
struct LocalPcaDimension {
  double mean = 0.0;        // mean of the per-point dimensions
  double median = 0.0;      // their median (the mean of the two middle values for an even count)
  Tensor dimensions = {};   // [samples] int64, the per-point dimensions
  Tensor indices = {};      // [samples] int64, the rows of the sampled points
};

// The local PCA estimate of the intrinsic dimension of points [N, D].
LocalPcaDimension local_pca_dimension(const Tensor& points, const LocalPcaOptions& options = {});

}  // namespace lg::manifold
