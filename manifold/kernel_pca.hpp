// Kernel principal component analysis (Schölkopf, Smola & Müller 1998,
// "Nonlinear component analysis as a kernel eigenvalue problem") from a Gram
// matrix, and the principal angles between the kernel-PCA subspaces of two sets.
//
// A kernel k(x, y) = <phi(x), phi(y)> is an inner product in a feature space that
// is never formed. PCA there needs the features centred at their mean
// m = (1/N) sum_i phi(x_i); their Gram matrix is
//   K~ = H K H,  H = I - (1/N) 1 1^T,   K~_ij = K_ij - r_i - r_j + s,
// r_i the mean of row i of K and s the mean of all of K. The covariance of the
// centred features has the nonzero eigenvalues lambda_k / N of K~ = sum_k
// lambda_k alpha_k alpha_k^T (alpha_k unit eigenvectors, lambda_k descending), with
// eigenvectors (principal axes)
//   v_k = sum_i A_ik phi~(x_i),  A = [alpha_1 / sqrt(lambda_1), ...],
// orthonormal because A^T K~ A = I. The projection of a point x on v_k is
//   y_k(x) = sum_i A_ik k~(x, x_i),  k~(x, x_i) = k(x, x_i) - mean_j k(x, x_j) - r_i + s,
// the cross-kernel centred with the training means; for the training points
// themselves y_k = sqrt(lambda_k) alpha_k. (Since K~ 1 = 0, each alpha_k with
// lambda_k > 0 is orthogonal to 1: the columns of A sum to zero, and the terms of
// k~ that do not depend on i, mean_j k(x, x_j) and s, drop out in exact
// arithmetic. They are kept, as written, so that the code reads as the formula.)
// The share of energy (variance) on v_k is lambda_k / sum_j lambda_j, the sum over
// all positive eigenvalues.
// With the linear kernel K = X X^T this is ordinary PCA: lambda_k are the
// eigenvalues of the covariance of X times N - 1, and v_k its eigenvectors.
//
// Eigenvalues near zero carry no direction (and 1 / sqrt(lambda) would blow up
// their rounding), so only those above a tolerance are kept: by default
// 1e-10 * lambda_1, well above the rounding of eigh (about N eps lambda_1).
//
// Principal angles between the subspaces V1 = span(v_1..v_p) of a set X1 and
// V2 of a set X2, each centred at its own feature mean: the cosines are the
// singular values of V1^T V2 = A1^T K~12 A2, with K~12 = H1 K(X1, X2) H2 (rows
// centred over X2, columns over X1; by the remark above the centring is again
// exact-arithmetic redundant, and kept). Ordered ascending, theta_i = acos(sigma_i),
// computed as atan2(sqrt((1 - sigma)(1 + sigma)), sigma): like any cosine-based
// angle, accurate to about sqrt(eps) (1e-8 in float64) near 0 (manifold/
// principal_angles.hpp does better when the bases are explicit vectors; here they
// exist only through the kernel).
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"
#include "manifold/rank.hpp"

namespace lg::manifold {

// How many components kernel_pca keeps.
struct KernelPCAOptions {
  std::int64_t components = 0;                   // 0: every one above the tolerance; else exactly this many
  RankTolerance tolerance = {.relative = 1e-10};  // eigenvalues of K~ at or below count as zero (rank.hpp)
};

// A kernel PCA fitted on N training points, r components (file comment).
struct KernelPCA {
  Tensor eigenvalues;   // [r] lambda_k of the centred Gram matrix K~, descending (N - 1 times PCA's variances)
  Tensor coefficients;  // [N, r] A: column k is alpha_k / sqrt(lambda_k), so that A^T K~ A = I
  Tensor explained;     // [r] lambda_k / (sum of all positive eigenvalues of K~)
  Tensor cumulative;    // [r] running sums of `explained`
  Tensor row_means;     // [N] r_i, the means of the rows of the training K (for centring cross-kernels)
  Tensor total_mean;    // [] s, the mean of the training K
};

// H K H of a Gram matrix k [N, N], H = I - (1/N) 1 1^T (the Gram matrix of the centred features).
Tensor centre_kernel(const Tensor& k);
// H1 K12 H2 of a cross-kernel k [N1, N2] between two sets, each centred at its own feature mean.
Tensor centre_cross_kernel(const Tensor& k);

// Kernel PCA of a symmetric Gram matrix k [N, N] (float32 or float64; the result has its dtype). ValueError
// when k is not symmetric (to sqrt(eps) of its largest entry), when no eigenvalue of K~ is above the
// tolerance, or when more components are asked for than are above it.
KernelPCA kernel_pca(const Tensor& k, const KernelPCAOptions& options = {});

// The projections [M, r] of M points on the components, from their cross-kernel K(new, train) [M, N]
// (centred with the training means; the training K itself gives sqrt(lambda_k) alpha_k).
Tensor kernel_pca_transform(const KernelPCA& model, const Tensor& cross_kernel);

// The fewest leading components whose explained energy reaches `fraction` (in (0, 1], e.g. 0.95 or 0.99;
// 1e-12 of slack for rounding). ValueError when even all r components fall short.
std::int64_t components_for_energy(const KernelPCA& model, double fraction);

// The principal angles [min(r1, r2)], ascending in [0, pi/2], between the kernel-PCA subspaces of two sets,
// from the cross-kernel K(X1, X2) [N1, N2] between the sets the two models were fitted on (file comment).
Tensor kernel_principal_angles(const KernelPCA& first, const KernelPCA& second, const Tensor& cross_kernel);

}  // namespace lg::manifold
