// Lengths and energies of discretised curves in a latent space, measured after
// a decoder g maps them to the data space (Arvanitidis, Hansen & Hauberg 2018,
// "Latent space oddity"; Shao, Kumar & Fletcher 2018, "The Riemannian geometry
// of deep generative models"). The decoder pulls the data space's Euclidean
// metric back onto the latent space: a latent curve z(t), t in [0, 1], is as
// long as its image g(z(t)),
//   L(z) = int_0^1 |d/dt g(z(t))| dt,    E(z) = int_0^1 |d/dt g(z(t))|^2 dt.
// A curve is stored by T + 1 points z_0, ..., z_T at t = 0, 1/T, ..., 1, and
// with x_t = g(z_t) the integrals become sums over the T segments:
//   L = sum_t |x_{t+1} - x_t|,           E = T sum_t |x_{t+1} - x_t|^2
// (the difference quotient (x_{t+1} - x_t) / (1/T), squared, times dt = 1/T).
// With this normalisation, by Cauchy-Schwarz
//   L^2 = (sum_t |dx_t| * 1)^2 <= T sum_t |dx_t|^2 = E,
// with equality exactly when every segment has the same length L / T (a
// constant-speed curve). So E is at least L^2, and the curves of least energy
// between two points are the shortest ones, traversed at constant speed: the
// discrete geodesics (manifold/geodesic.hpp), which minimise E because its
// gradient, unlike L's, is smooth and does not vanish along reparameterisations.
//
// A decoder maps latent points [P, d] to outputs [P, D...]; each output is
// flattened to a vector for its distances. A batch of N curves z [N, T + 1, d]
// is decoded in ONE call of all N (T + 1) points. Every function is built from
// differentiable library ops, so E can be differentiated w.r.t. the points (or
// the decoder's parameters); L's gradient is undefined where a segment has length 0.
#pragma once
#include <functional>

#include "autograd/tensor.hpp"

namespace lg::manifold {

// A decoder: latent points [P, d] to outputs [P, D...] (one row per point).
using Decoder = std::function<Tensor(const Tensor&)>;

// The decoded points of N curves z [N, T + 1, d] (T >= 1), in one decoder call: [N, T + 1, D], each output flattened.
Tensor decode_curves(const Decoder& decoder, const Tensor& z);

// The lengths of N polylines through points x [N, T + 1, D]: sum_t |x_{t+1} - x_t|, [N].
Tensor polyline_length(const Tensor& x);
// The discrete energies of N polylines x [N, T + 1, D]: T sum_t |x_{t+1} - x_t|^2, [N] (>= length^2).
Tensor polyline_energy(const Tensor& x);

// The lengths of N latent curves z [N, T + 1, d] under the decoder: the decoded polylines' lengths, [N].
Tensor curve_length(const Decoder& decoder, const Tensor& z);
// The discrete energies of N latent curves z [N, T + 1, d] under the decoder: T sum_t |g(z_{t+1}) - g(z_t)|^2, [N].
Tensor curve_energy(const Decoder& decoder, const Tensor& z);

// The lengths of N latent curves z [N, T + 1, d] in the latent space's own Euclidean metric, [N].
Tensor latent_length(const Tensor& z);
// The discrete energies of N latent curves z [N, T + 1, d] in the latent space's Euclidean metric, [N].
Tensor latent_energy(const Tensor& z);

}  // namespace lg::manifold
