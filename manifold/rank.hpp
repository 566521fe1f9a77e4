// How many dimensions a matrix really spans: the numerical rank under a stated
// tolerance, the effective rank, and the rank triple ("stratum") of a latent tensor.
//
// Numerical rank. In floating point a rank-deficient matrix has small nonzero
// singular values instead of zeros (rounding of order eps * ||A||), so the rank
// is the count of singular values s_i above a threshold
//   threshold = max(absolute, relative * s_max),
// the relative tolerance by default max(m, n) * eps, eps the machine epsilon of
// the input's dtype (2.2e-16 for float64, 1.2e-7 for float32): NumPy's
// matrix_rank (following Golub & Van Loan, "Matrix computations", §5.4.1, and
// Press et al., "Numerical recipes", §2.6). For a symmetric positive
// semi-definite (PSD) matrix the singular values are the eigenvalues, which
// eigh computes more cheaply and more accurately, and psd_rank counts those.
// Both compute in float64 whatever the input dtype (the tolerance still follows
// the input's dtype: that is the precision of the data).
//
// Effective rank (Roy & Vetterli 2007, "The effective rank: a measure of
// effective dimensionality"): with p_i = s_i / sum_j s_j the normalised singular
// values (eigenvalues for PSD input),
//   erank(A) = exp(H(p)),  H(p) = -sum_i p_i log p_i   (0 log 0 = 0),
// a real number in [1, rank A]: 1 for rank one, k for k equal nonzero values,
// and it moves continuously as the spectrum spreads, where the rank jumps.
//
// Latent stratum (Shrivastava et al. 2024, "latent space characterization"):
// for latents Z [C, H, W] the ranks of the three mode covariances S_1, S_2, S_3
// (covariance.hpp),
//   stratum(Z) = (rank S_1, rank S_2, rank S_3),
// each rank at most min(C, HW - 1), min(H, CW - 1), min(W, CH - 1): centring over
// the n_k columns leaves at most n_k - 1 independent directions. A dead channel
// (constant over its H W positions) lowers rank S_1 by one; a generic latent has
// the largest ranks.
#pragma once
#include <optional>

#include "autograd/tensor.hpp"

namespace lg::manifold {

// Where a singular value or eigenvalue counts as zero: at or below max(absolute, relative * largest).
struct RankTolerance {
  // Relative to the largest value; unset: max(m, n) * eps of the input's dtype (as NumPy's matrix_rank).
  std::optional<double> relative = {};
  // An absolute floor; 0 by default (set relative = 0 to use the floor alone).
  double absolute = 0.0;
};

// The numerical rank of each matrix of a [..., m, n], by its singular values: int64 [...].
// ValueError for a negative or non-finite tolerance.
Tensor matrix_rank(const Tensor& a, const RankTolerance& tolerance = {});
// The numerical rank of each symmetric PSD matrix of a [..., n, n], by its eigenvalues: int64 [...].
// ValueError when a matrix is not symmetric (to sqrt(eps) of its largest entry) or has an eigenvalue
// below -max(threshold, n eps lambda_max) (not PSD).
Tensor psd_rank(const Tensor& a, const RankTolerance& tolerance = {});

// The effective rank exp(H(p)) of each matrix of a [..., m, n], p its normalised singular values: [...],
// differentiable where the singular values are distinct; ValueError for a zero matrix.
Tensor effective_rank(const Tensor& a);
// The effective rank of each symmetric PSD matrix of a [..., n, n] from its eigenvalues (clamped at 0):
// [...]; the same checks as psd_rank, and ValueError for a zero matrix.
Tensor psd_effective_rank(const Tensor& a);

// The rank triple (rank S_1, rank S_2, rank S_3) of latents z [..., C, H, W]: int64 [..., 3]. The mode
// covariances are computed in float64, their ranks by psd_rank under `tolerance` (default relative
// tolerance: the size of each S_k times eps of z's dtype).
Tensor latent_stratum(const Tensor& z, const RankTolerance& tolerance = {});

}  // namespace lg::manifold
