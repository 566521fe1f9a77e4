// latent_strata: the rank view of a set of latents Z [C, H, W] (Shrivastava,
// Rameshan and Agnihotri 2024, "Latent space characterization of autoencoder
// variants", arXiv 2412.04755).
//
// Each latent gives three mode covariances (manifold/covariance.hpp),
//   S_k = Zc(k) Zc(k)^T / (n_k - 1),  Zc(k) the mode-k unfolding minus its mean column,
// S_1 [C, C] over the n_1 = H W positions, S_2 [H, H] over the C W (channel, column) pairs, S_3 [W, W]
// over the C H pairs. Their eigenvalues (float64 eigh) give the numerical rank at a relative tolerance
// tau,
//   rank_tau(S) = #{ i : lambda_i > tau * lambda_max },
// and the triple (rank S_1, rank S_2, rank S_3) is the latent's stratum: a point of the product of
// fixed-rank PSD manifolds S+(r1, C) x S+(r2, H) x S+(r3, W). Centring over n_k columns leaves at most
// n_k - 1 directions, so rank S_1 <= min(C, HW - 1): with C = 64 and 7 x 7 positions, at most 48, and S_1
// is never positive definite; rank S_2 <= min(H, CW - 1) = 7, rank S_3 <= 7.
// Two counts explain most rank drops of S_1: a channel constant over the positions (a ReLU channel that is 0
// everywhere, say) adds nothing to Zc(1), and positions with equal latent columns (say, all those whose
// receptive field sees only the blank background) count once, so
//   rank S_1 <= min(C - constant channels, distinct positions - 1).
// Both are counted with a tolerance of 1e-7 times the latent's largest |entry|.
// A set of latents is "stratified" when it meets several strata, and lies on one smooth manifold when every
// latent has the same triple. Three tolerances show how much the count depends on where "zero" is put.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <latentgeo.hpp>

namespace latent_strata {

// A rank triple (rank S_1, rank S_2, rank S_3).
using Triple = std::array<std::int64_t, 3>;

// What the rank view says about one set of latents.
struct StrataSummary {
  std::vector<double> taus = {};  // relative tolerances, as asked
  std::vector<std::map<Triple, std::int64_t>> histograms = {};  // per tau: how many latents have each triple
  std::vector<std::array<double, 3>> definite_fraction = {};  // per tau and factor: the share with full rank n_k
  std::array<double, 3> smallest_eigenvalue = {};  // per factor: the smallest lambda_min over the set
  std::array<double, 3> median_relative_minimum = {};  // per factor: median of lambda_min / lambda_max
  std::array<std::int64_t, 3> largest_rank = {};  // per factor: the largest rank at any tau
  std::array<std::int64_t, 3> bound = {};  // per factor: min(n_k, columns - 1)
  std::vector<std::vector<Triple>> triples = {};  // per tau: every latent's triple, in order
  double constant_channels = 0.0;  // mean over the set: channels constant over the H W positions (rows of Z(1))
  double distinct_positions = 0.0;  // mean over the set: distinct H W positions (columns of Z(1))
};

// The rank view of latents z [N, C, H, W] (float64) at each relative tolerance in taus.
StrataSummary strata_of(const lg::Tensor& z, const std::vector<double>& taus);

// "(r1, r2, r3)".
std::string triple_text(const Triple& t);

// The most common triple of a histogram and its share of the set.
std::pair<Triple, double> mode_of(const std::map<Triple, std::int64_t>& histogram);

}  // namespace latent_strata
