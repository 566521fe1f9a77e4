// The Riemannian metric a decoder pulls back onto its latent space ("Latent
// space oddity: on the curvature of deep generative models", Arvanitidis,
// Hansen and Hauberg, ICLR 2018). A decoder g: R^d -> R^D maps the latent space
// onto a d-dimensional surface in the data space. Measuring a latent velocity v
// by the length of the data-space velocity it causes, |J_g(z) v|, gives the
// metric
//   G(z) = J_g(z)^T J_g(z)           (d x d, symmetric positive semi-definite),
// so that a latent curve's length is its decoded curve's length.
// For a stochastic decoder the expected metric replaces it:
//   Gaussian, mean mu(z) and standard deviation sigma(z):
//     G(z) = J_mu^T J_mu + J_sigma^T J_sigma
//   (the paper's eq. 7: where sigma grows, away from the data, so do lengths,
//   and geodesics stay where the model has seen data);
//   Bernoulli with logits l(z) and p = sigmoid(l): the Fisher-Rao metric pulled
//   back, G(z) = J_p^T diag(1 / (p (1 - p))) J_p = J_l^T diag(p (1 - p)) J_l
//   (J_p = diag(p (1 - p)) J_l; the second form never divides by p (1 - p),
//   which vanishes at saturated pixels).
// The magnification factor sqrt(det G(z)) is how much the decoder stretches a
// small latent area (volume); drawn over a grid of the latent plane it shows
// where the decoded surface is stretched, folded or torn.
//
// The Jacobians come from lg::jacobian (autograd/functional.hpp), one per latent
// point, never a loop over points: d passes for a d-dimensional latent.
#pragma once
#include <cstdint>

#include "autograd/functional.hpp"
#include "autograd/tensor.hpp"

namespace lg::manifold {

// G(z) = J^T J of a decoder at each latent point of z [B, d]: [B, d, d]. The decoder maps [B, d] to [B, D...]
// with the points independent (a model in eval mode).
Tensor pullback_metric(const Function& decoder, const Tensor& z);

// The pulled-back Fisher metric J_l^T diag(p (1 - p)) J_l of a Bernoulli decoder given by its logits: [B, d, d].
Tensor bernoulli_pullback_metric(const Function& logits, const Tensor& z);

// The expected metric J_mu^T J_mu + J_sigma^T J_sigma of a Gaussian decoder with mean and standard-deviation
// maps (both [B, d] -> [B, D...] of the same shape): [B, d, d].
Tensor gaussian_pullback_metric(const Function& mean, const Function& standard_deviation, const Tensor& z);

// sqrt(det G) of metrics [..., d, d] (symmetric positive semi-definite): [...], 0 where G is singular.
Tensor magnification_factor(const Tensor& metric);

// The points of a columns x rows grid over [x_low, x_high] x [y_low, y_high], row by row from y_low: [rows * columns, 2].
Tensor latent_grid(double x_low, double x_high, double y_low, double y_high, std::int64_t columns,
                   std::int64_t rows, DType dtype = float64);

}  // namespace lg::manifold
