// Second-moment matrices of codes: the covariance and the Gram matrix of a set
// of points, and the mode unfoldings and mode covariances of a latent tensor.
//
// For points as rows x_1..x_N of X [N, D] (one code per row), with the mean
// m = (1/N) sum_i x_i,
//   covariance  C = (1 / (N - c)) sum_i (x_i - m)(x_i - m)^T      [D, D]
//   Gram matrix G = X X^T, G_ij = x_i . x_j                         [N, N]
// where c is the correction (c = 1, Bessel's, gives the unbiased estimate;
// c = 0 the maximum-likelihood one). C has rank at most min(D, N - 1): centring
// removes one dimension from the span of the rows.
//
// A latent tensor Z [C, H, W] (channels, height, width; Shrivastava et al. 2024,
// "latent space characterization") is read three ways, its mode unfoldings
// (Kolda & Bader 2009, "Tensor decompositions and applications"):
//   Z(1) in R^{C x HW}: row c holds channel c, its H W values (h, w) row-major;
//   Z(2) in R^{H x CW}: row h holds image row h over every channel, (c, w) row-major;
//   Z(3) in R^{W x CH}: row w holds image column w over every channel, (c, h) row-major.
// (Kolda & Bader order the columns differently; the order does not change any
// covariance below.) Each row is a variable, each column an observation, so with
// n_k the number of columns of Z(k) and Zc(k) = Z(k) minus its mean column,
//   S_k = (1 / (n_k - 1)) Zc(k) Zc(k)^T,   S_1 [C, C], S_2 [H, H], S_3 [W, W],
// i.e. S_k = covariance(Z(k)^T). Their ranks form the latent's stratum (rank.hpp).
//
// Everything is built from differentiable ops, batched over leading dims, on any device.
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"

namespace lg::manifold {

// The covariance of the rows of x [..., N, D] (observations as rows): [..., D, D], divided by
// N - correction; ValueError unless 0 <= correction < N, ShapeError for fewer than 2 dims.
Tensor covariance(const Tensor& x, double correction = 1.0);
// The Gram matrix X X^T of the rows of x [..., N, D] (inner products, no centring): [..., N, N].
Tensor gram(const Tensor& x);

// The mode-k unfolding (k = 1, 2 or 3) of latents z [..., C, H, W]: [..., C, HW], [..., H, CW] or
// [..., W, CH], columns ordered as in the file comment; ValueError for another mode.
Tensor mode_unfolding(const Tensor& z, std::int64_t mode);

// The three mode covariances of latents [..., C, H, W] (file comment).
struct ModeCovariances {
  Tensor channels;  // S_1 [..., C, C], over the H W positions
  Tensor rows;      // S_2 [..., H, H], over the C W (channel, column) pairs
  Tensor columns;   // S_3 [..., W, W], over the C H (channel, row) pairs
};
// S_1, S_2, S_3 of latents z [..., C, H, W] with Bessel's correction; ValueError unless each unfolding
// has at least 2 columns (H W, C W, C H >= 2).
ModeCovariances mode_covariances(const Tensor& z);

}  // namespace lg::manifold
