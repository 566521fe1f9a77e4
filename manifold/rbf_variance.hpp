// The variance head of a Gaussian decoder as an RBF network whose variance
// grows away from the data (Arvanitidis, Hansen & Hauberg 2018, "Latent space
// oddity: on the curvature of deep generative models", section 4.1).
//
// A Gaussian decoder says x | z ~ N(mu(z), diag(sigma(z)^2)). Its expected
// pullback metric (manifold/pullback_metric.hpp) is
//   G(z) = J_mu(z)^T J_mu(z) + J_sigma(z)^T J_sigma(z).
// A neural network trained for sigma is only trained where there are codes; off
// the data it extrapolates arbitrarily, often to a small variance, so G says
// nothing about where the model has not seen data. The paper instead models the
// precision (inverse variance) of each output dim by a positive RBF network
//   beta(z) = W v(z) + zeta,     v_k(z) = exp(-lambda_k |z - c_k|^2),
//   sigma(z) = beta(z)^(-1/2),
// with K centres c_k from k-means of the training codes (manifold/kmeans.hpp),
// W >= 0 (D x K) and zeta > 0 small. Near the codes W v(z) dominates and sigma
// is whatever the data say; away from them every v_k -> 0, so beta -> zeta and
// sigma -> 1/sqrt(zeta), large. Between the two sigma rises, J_sigma is large,
// G is large, and shortest curves under G (geodesics) avoid regions without
// data instead of cutting across them.
//
// The bandwidths follow the paper: with C_k the codes of cluster k,
//   lambda_k = 1/2 (a / |C_k| sum_{z in C_k} |z - c_k|)^(-2),
// i.e. each bump's width is a times its cluster's mean distance to the centre;
// the curvature a (> 0) sets how quickly sigma rises leaving the data (small a:
// sharply, at the data's edge). A cluster of one point (mean distance 0) takes
// the mean of the other clusters' mean distances.
//
// W is fitted by maximum likelihood with the mean fixed: for codes z_n, targets
// x_n and decoded means mu_n = mu(z_n), residuals r_n = x_n - mu_n, it
// minimises the negative log-likelihood per point and dim (constants dropped)
//   L(W) = mean_{n, i} ( 1/2 beta_i(z_n) r_ni^2 - 1/2 log beta_i(z_n) ),
// convex in W. W = exp(U) keeps it positive, and Adam (optim/adam.hpp) on U
// with a cosine-annealed learning rate steps in log W, whatever the data's
// scale. U starts where beta matches each dim's mean squared residual. The
// output dims do not interact (each row of W has its own loss).
//
// sigma(z) is built from differentiable ops (a GEMM for the distances, exp, a
// GEMM with W, rsqrt), so lg::jacobian differentiates it in either mode and
// standard_deviation_map() is an lg::Function for gaussian_pullback_metric.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/functional.hpp"
#include "autograd/tensor.hpp"

namespace lg::manifold {

// Options of RBFVariance::fit.
struct RBFVarianceOptions {
  // K, the RBF centres (k-means clusters of the codes), 1 to N.
  std::int64_t centres = 64;
  // a, each bump's width in units of its cluster's mean distance to the centre, > 0.
  double curvature = 2.0;
  // zeta, the precision far from the data (sigma there is 1/sqrt(zeta)), > 0.
  double zeta = 1e-2;
  // The most k-means iterations, at least 1.
  std::int64_t kmeans_iterations = 100;
  // Adam steps on log W, non-negative (0 keeps the initial W).
  std::int64_t fit_steps = 300;
  // Adam's learning rate, in log W per step about, > 0.
  double lr = 5e-2;
  // The seed of k-means++.
  std::uint64_t seed = 0;
};

// A fitted RBF precision network beta(z) = W v(z) + zeta and its standard deviation sigma(z) = beta(z)^(-1/2).
class RBFVariance {
 public:
  // An empty head (defined() is false); fit() makes a usable one.
  RBFVariance() = default;
  // A head from its state: centres [K, d], bandwidths lambda [K] (> 0), weights W [D, K] (>= 0) and zeta (> 0).
  // ShapeError or ValueError when they do not fit together.
  RBFVariance(Tensor centres, Tensor bandwidths, Tensor weights, double zeta);

  // Fits the head to codes [N, d], targets [N, D] and decoded means [N, D] (float32 or float64; the state is
  // float64), as in the header comment. ShapeError, DTypeError or ValueError on bad inputs or options.
  static RBFVariance fit(const Tensor& codes, const Tensor& targets, const Tensor& means,
                         const RBFVarianceOptions& options = {});

  // Whether the head holds a state.
  bool defined() const { return weights_.defined(); }
  // beta(z) [B, D] at latent points z [B, d], in z's dtype; differentiable in z.
  Tensor precision(const Tensor& z) const;
  // sigma(z) = beta(z)^(-1/2) [B, D] at latent points z [B, d], in z's dtype; differentiable in z.
  Tensor standard_deviation(const Tensor& z) const;
  // standard_deviation as an lg::Function (it holds a copy of the state), e.g. for gaussian_pullback_metric.
  Function standard_deviation_map() const;

  // The centres c_k [K, d], float64.
  const Tensor& centres() const { return centres_; }
  // The bandwidths lambda_k [K], float64.
  const Tensor& bandwidths() const { return bandwidths_; }
  // The weights W [D, K] (>= 0), float64.
  const Tensor& weights() const { return weights_; }
  // zeta, the precision far from the data.
  double zeta() const { return zeta_; }
  // The loss L(W) before each Adam step of fit(), then after the last one (empty for a head built from a state).
  const std::vector<double>& loss_history() const { return loss_history_; }

 private:
  Tensor centres_ = {};
  Tensor bandwidths_ = {};
  Tensor weights_ = {};
  double zeta_ = 0.0;
  std::vector<double> loss_history_ = {};
};

}  // namespace lg::manifold
