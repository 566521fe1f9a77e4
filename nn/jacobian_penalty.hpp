// The contractive penalty ||J_f(x)||_F^2, the squared Frobenius norm of an
// encoder's Jacobian J_f(x) = d f(x) / d x, averaged over a batch, computed three
// ways that agree (tests/nn/test_contractive_autoencoder.cpp checks them):
//
//   closed form, for one sigmoid layer h = sigmoid(W x + b) (Rifai, Vincent,
//   Muller, Glorot, Bengio, ICML 2011, "Contractive auto-encoders: explicit
//   invariance during feature extraction", eq. 5): J_ji = h_j (1 - h_j) W_ji, so
//     ||J||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ji^2.
//   Cheapest, but only for that layer.
//
//   exact, by double backward, for any encoder f (conv layers included):
//     ||J||_F^2 = sum_k ||d f_k / d x||^2,
//   one vector-Jacobian product per code dim k with the cotangent e_k. Examples
//   are independent, so the vjp of the k-th code summed over the batch gives every
//   example's row k at once: K backward passes for a K-dim code, whatever the batch.
//
//   Hutchinson's estimate (Hutchinson 1989, "A stochastic estimator of the trace
//   of the influence matrix for Laplacian smoothing splines"): for v with
//   E[v v^T] = I in code space (standard normal, or Rademacher +-1),
//     E_v ||J^T v||^2 = E_v v^T J J^T v = tr(J J^T) = ||J||_F^2,
//   so one vjp per draw gives an unbiased estimate; the mean over `draws` draws
//   (a fresh v per example and draw) is returned.
//
// The backward passes are recorded (create_graph), so every value here is
// differentiable with respect to the encoder's weights, as training needs.
#pragma once
#include <functional>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg::nn {

// An encoder as a function of a batch x [B, ...] to its codes [B, ...].
using EncoderFunction = std::function<Tensor(const Tensor&)>;

// Closed-form mean over the batch of ||J||_F^2 for the sigmoid layer code = sigmoid(x W^T + b):
// code [B, K] is that layer's output (with its graph), weight W is [K, N]; ShapeError otherwise.
Tensor sigmoid_layer_jacobian_penalty(const Tensor& code, const Tensor& weight);

// Exact mean over the batch of ||J_f(x)||_F^2 for any encoder f, by one recorded backward pass per code dim.
Tensor jacobian_penalty_by_double_backward(const EncoderFunction& encoder, const Tensor& x);

// The same for a code [B, ...] already computed, with its graph, from `input` (which requires grad): no
// encoder pass of its own, as when a training step's forward pass is reused.
Tensor jacobian_penalty_by_double_backward(const Tensor& code, const Tensor& input);

// The distribution of Hutchinson's probe vectors; both have E[v v^T] = I.
enum class ProbeDistribution { gaussian, rademacher };

// Options of jacobian_penalty_by_hutchinson.
struct HutchinsonOptions {
  // Probe vectors per example; the estimate's variance falls as 1 / draws.
  int draws = 1;
  // Standard normal entries, or Rademacher (+-1 with equal probability: the smaller variance).
  ProbeDistribution distribution = ProbeDistribution::gaussian;
  // Where the probes come from; required (ValueError when null), so runs repeat bit for bit.
  Generator* generator = nullptr;
};

// Unbiased estimate of the mean over the batch of ||J_f(x)||_F^2: the mean of ||J^T v||^2 over draws.
Tensor jacobian_penalty_by_hutchinson(const EncoderFunction& encoder, const Tensor& x,
                                      const HutchinsonOptions& options);
// The same for a code [B, ...] already computed, with its graph, from `input` (which requires grad).
Tensor jacobian_penalty_by_hutchinson(const Tensor& code, const Tensor& input, const HutchinsonOptions& options);

}  // namespace lg::nn
