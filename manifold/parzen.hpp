// Parzen-window log-likelihood: how likely held-out data are under a Gaussian
// kernel density placed on a generative model's samples, the protocol of
// Breuleux, Bengio & Vincent (2011), Bengio et al. (2013, "Better mixing via
// deep representations") and Goodfellow et al. (2014, "Generative adversarial
// nets"; their code is goodfeli/adversarial, parzen_ll.py).
//
// With samples mu_1..mu_M in R^D and an isotropic Gaussian kernel of width
// sigma, the density at x is the mean of M Gaussians,
//   p(x) = 1/M sum_j N(x; mu_j, sigma^2 I),
//   log p(x) = logmeanexp_j( -|x - mu_j|^2 / (2 sigma^2) ) - D log(sigma sqrt(2 pi))   (nats),
// where logmeanexp = logsumexp - log M, computed stably (lg::logsumexp shifts out
// the max). The squared distances of a block of test points to all samples are
// one GEMM (pairwise_squared_distances); blocks of rows keep memory at about
// 2^22 distances whatever N is. Differentiable in the test points and the
// samples.
//
// The protocol: pick sigma from a grid (logspace(-1, 0, 10) in parzen_ll.py)
// by the mean log-likelihood of a validation set, then report the mean over
// the test set and its standard error std / sqrt(N) (std with divisor N, as
// numpy's default in the original). The estimate is known to be poor in high
// dimension (Theis, van den Oord & Bethge 2016, "A note on the evaluation of
// generative models"); it is here to compare with published numbers.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg::manifold {

// Options shared by the Parzen functions.
struct ParzenOptions {
  std::int64_t block_rows = 0;  // test points per distance block; 0: about 2^22 distances per block
};

// log p(x) for each row of `points` [N, D] under the Parzen window of width sigma on `samples` [M, D]: [N], nats.
Tensor parzen_log_density(const Tensor& points, const Tensor& samples, double sigma, const ParzenOptions& options = {});

// The mean of log p over a test set and its standard error.
struct ParzenLogLikelihood {
  double mean = 0.0;            // mean over the test points of log p(x), nats
  double standard_error = 0.0;  // std / sqrt(N), std with divisor N
};

// The Parzen log-likelihood of `points` [N, D] under samples [M, D] and width sigma (the protocol's report).
ParzenLogLikelihood parzen_log_likelihood(const Tensor& points, const Tensor& samples, double sigma,
                                          const ParzenOptions& options = {});

// The default bandwidth grid, logspace(-1, 0, 10): 10 values from 0.1 to 1, equally spaced in log.
std::vector<double> default_parzen_sigmas();

// Options of choose_parzen_bandwidth.
struct ParzenBandwidthOptions {
  std::vector<double> sigmas = default_parzen_sigmas();  // the grid, each > 0
  std::int64_t block_rows = 0;                           // as ParzenOptions::block_rows
};

// The chosen width and the validation mean log-likelihood of every grid value.
struct ParzenBandwidth {
  double sigma = 0.0;                             // the grid value of largest mean (the first on ties)
  std::vector<double> mean_log_likelihoods = {};  // one per grid value, in grid order
};

// Picks sigma from the grid by the mean log-likelihood of `validation` [N, D] under `samples` [M, D]; each
// distance block is computed once and reused for every sigma.
ParzenBandwidth choose_parzen_bandwidth(const Tensor& validation, const Tensor& samples,
                                        const ParzenBandwidthOptions& options = {});

}  // namespace lg::manifold
