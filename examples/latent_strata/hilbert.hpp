// latent_strata: the Hilbert-space view of the latents' mode covariances and
// how the kernel-PCA subspace turns as the input noise grows.
//
// Embedding. Each latent is the triple (S_1, S_2, S_3) (strata.hpp). Each factor is divided by a scale
// fixed per model, the mean of tr(S_k) / n_k over the clean set (so "delta" below means the same thing for
// every model and factor), then mapped by the regularised matrix log (Arsigny, Fillard, Pennec and Ayache
// 2007; manifold/kernels.hpp)
//   L_k = logm(S_k / scale_k + delta I),  delta = 1e-4,
// so a zero eigenvalue becomes log 1e-4 = -9.2 while one at the typical scale stays near 0. delta is needed
// because S_1 is always singular (rank <= 48 < 64); it is fixed rather than tied to each matrix's trace so
// that a latent's overall size still counts in the distance. The product distance is
//   d^2(Z, Z') = sum_k ||L_k - L'_k||_F^2,
// Euclidean in the stacked logs, so the Gaussian kernel k = exp(-d^2 / (2 gamma^2)) is positive definite
// (Jayasumana et al. 2015). The bandwidth gamma is the median pairwise distance of the clean set, chosen
// once per model and kept at every noise level (so the kernels at different levels are comparable).
//
// Kernel PCA (Schölkopf, Smola and Müller 1998; manifold/kernel_pca.hpp) of each set: the centred Gram
// matrix K~ = H K H has eigenvalues lambda_j; the energy kept by the first m components is
// sum_{j<=m} lambda_j / sum_j lambda_j, and we report the m reaching 95% and 99%.
//
// Principal angles between the clean subspace V0 (the first k components of the clean set, k = 10 at every
// level) and the first k components V_sigma of a noisy set. k is fixed and small on purpose: with the median
// bandwidth in these ~4,200 dimensions the kernel's energy is spread thin, so the 95% count is most of N,
// and two subspaces of nearly N dimensions built on different point sets always meet at some angle near
// 90 degrees; the leading directions are the ones that say whether the geometry turns. With
// A0, A_sigma the coefficient matrices (columns alpha_j / sqrt(lambda_j), so that each basis is orthonormal
// in feature space), cos theta_i are the singular values of A0^T K~(0, sigma) A_sigma, where the
// cross-kernel K(0, sigma)_ij = k(Z0_i, Zsigma_j) is centred on both sides, each side over its own set
// (H0 K H_sigma: each subspace is spanned by features centred at their own mean). The clean set against
// itself gives angles 0, the check that the machinery is consistent.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include <latentgeo.hpp>

namespace latent_strata {

// How the kernel view is set up.
struct HilbertOptions {
  double delta = 1e-4;  // the log map's regulariser, after dividing by the clean scale
  std::vector<double> energies = {0.95, 0.99};  // energy shares reported; the first picks k when components = 0
  std::int64_t components = 10;  // k for the angles; 0: the clean set's 95% count
};

// One noise level's kernel PCA and its angles to the clean subspace.
struct SubspaceRow {
  std::vector<std::int64_t> components_for = {};  // per energy in HilbertOptions::energies
  std::vector<double> angles = {};  // k principal angles to the clean subspace, ascending, radians
};

// The kernel view of one model's latents at every noise level.
struct HilbertSummary {
  double bandwidth = 0.0;  // gamma
  std::array<double, 3> scale = {};  // per factor, the clean mean of tr(S_k) / n_k
  std::int64_t components = 0;  // k
  std::vector<SubspaceRow> rows = {};  // one per set, the clean set first
  double self_angle = 0.0;  // the largest angle between the clean subspace and itself
  double kernel_mismatch = 0.0;  // largest |K - lg's log_euclidean_gaussian_kernel| on a few latents
};

// latents[l] [N, C, H, W] (float64) at noise level l, latents[0] the clean set; every set the same images.
HilbertSummary hilbert_view(const std::vector<lg::Tensor>& latents, const HilbertOptions& options = {});

}  // namespace latent_strata
