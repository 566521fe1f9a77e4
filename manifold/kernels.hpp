// Distances and a Gaussian kernel between symmetric positive-definite (SPD)
// matrices, such as the covariances of codes or the mode covariances of latents
// (covariance.hpp), for comparing sets of them or running kernel methods
// (kernel_pca.hpp) on them.
//
// Two distances, both invariant under A -> A^{-1} and both the geodesic distances
// of the SPD manifold's metrics (spd.hpp; this file reuses SPD::distance):
//   affine-invariant (Pennec, Fillard & Ayache 2006):
//     d(A, B) = ||logm(A^{-1/2} B A^{-1/2})||_F = sqrt(sum_i log^2 lambda_i(A^{-1} B)),
//     unchanged under every congruence A -> G A G^T, B -> G B G^T (G invertible);
//   log-Euclidean (Arsigny, Fillard, Pennec & Ayache 2007):
//     d(A, B) = ||logm A - logm B||_F,
//     the Euclidean distance after the matrix log maps SPD(n) onto the flat space of
//     symmetric matrices; invariant under rotations A -> Q A Q^T and scaling.
// For commuting A and B (one eigenbasis, eigenvalues a_i and b_i) both equal
// sqrt(sum_i log^2(b_i / a_i)).
//
// A covariance of fewer points than dimensions is only semi-definite (SPSD) and
// has no log. The log-Euclidean embedding log(X + delta I), delta > 0, regularises
// it: each zero eigenvalue becomes log delta, each lambda >> delta stays nearly
// log lambda. Distances between embeddings then depend on delta (a smaller delta
// weighs missing directions more); choose it below the eigenvalues that matter,
// e.g. 1e-6 times the typical scale.
//
// Because the log-Euclidean distance is Euclidean in the flattened logs, the
// Gaussian kernel
//   K_ij = exp(-d_ij^2 / (2 gamma^2)),  d_ij^2 = sum_k ||logm S_k,i - logm S'_k,j||_F^2,
// over one or several SPD factors per item (a product of SPD manifolds: d^2 adds
// over the factors), is a Gaussian RBF kernel on vectors and so positive definite
// for every bandwidth gamma > 0 (Jayasumana et al. 2015, "Kernel methods on
// Riemannian manifolds with Gaussian RBF kernels"; the affine-invariant distance
// gives no such guarantee). All N M squared distances come from one GEMM of the
// flattened logs (pairwise_distances.hpp).
#pragma once
#include <vector>

#include "autograd/tensor.hpp"
#include "manifold/spd.hpp"

namespace lg::manifold {

// The affine-invariant distance between SPD matrices a and b [..., n, n] (broadcast): [...];
// SPD::distance, after checking that both are symmetric positive definite (ValueError otherwise).
Tensor affine_invariant_distance(const Tensor& a, const Tensor& b);
// The log-Euclidean distance ||logm a - logm b||_F between SPD matrices [..., n, n] (broadcast): [...].
Tensor log_euclidean_distance(const Tensor& a, const Tensor& b);

// Distances between every pair of SPD matrices of a [N, n, n] and b [M, n, n] under `metric`: [N, M].
Tensor pairwise_spd_distances(const Tensor& a, const Tensor& b, SPDMetric metric = SPDMetric::affine_invariant);
// The same for a with itself: [N, N], exactly symmetric with a zero diagonal.
Tensor pairwise_spd_distances(const Tensor& a, SPDMetric metric = SPDMetric::affine_invariant);

// The log-Euclidean embedding logm(X + delta I) of symmetric positive semi-definite x [..., n, n]:
// [..., n, n], symmetric. ValueError unless delta > 0 (finite) and X + delta I is positive definite.
Tensor log_euclidean_embedding(const Tensor& x, double delta = 1e-6);

// The stacked log-Euclidean features of items with one SPD (delta = 0) or SPSD (delta > 0) matrix per
// factor: factors[k] [N, n_k, n_k] -> [N, sum_k n_k^2], row i the flattened logm(S_k,i + delta I) side by
// side, so that the product distance d^2 of the file comment is the squared Euclidean distance between rows
// (the kernels below are exp(-|f_i - g_j|^2 / (2 gamma^2)) of these). Compute them once when one set meets
// several others. ValueError for no factors, a negative delta, or a factor that is not SPD after adding delta.
Tensor log_euclidean_features(const std::vector<Tensor>& factors, double delta = 0.0);

// The Gaussian kernel exp(-d^2 / (2 gamma^2)) of squared distances d^2 (any shape), gamma = bandwidth > 0.
Tensor gaussian_of_squared_distances(const Tensor& squared_distances, double bandwidth);
// The median heuristic for the bandwidth: the median distance over the distinct pairs i < j of a square matrix
// of squared distances [N, N], N >= 2 (the diagonal's zeros left out); at least 1e-150, so it can divide.
double median_distance_bandwidth(const Tensor& squared_distances);

// The kernel's bandwidth and how the matrices are brought to SPD.
struct LogEuclideanKernelOptions {
  double bandwidth = 1.0;  // gamma > 0: K = exp(-d^2 / (2 gamma^2))
  double delta = 0.0;      // 0: logm of SPD factors; > 0: the embedding log(S + delta I) of SPSD factors
};

// The log-Euclidean Gaussian kernel between two sets of items, each item one SPD matrix per factor:
// x[k] [N, n_k, n_k], y[k] [M, n_k, n_k] -> K [N, M] (leading batch dims, if any, broadcast).
Tensor log_euclidean_gaussian_kernel(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                     const LogEuclideanKernelOptions& options = {});
// The kernel's Gram matrix of one set with itself: [N, N], exactly symmetric with ones on the diagonal
// (a name of its own: an overload would make a call with {.bandwidth = ...} ambiguous).
Tensor log_euclidean_gaussian_gram(const std::vector<Tensor>& x, const LogEuclideanKernelOptions& options = {});

}  // namespace lg::manifold
