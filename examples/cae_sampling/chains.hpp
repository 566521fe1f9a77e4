// The sampler of Rifai, Bengio, Dauphin and Vincent (ICML 2012) on a tied sigmoid contractive autoencoder,
// and what it is checked with: the move J J^T eps in code space (closed form and by the library's vjp + jvp),
// the Markov chains x_(t+1) = g(f(x_t) + J J^T eps) with their mixing, the tangent directions of the encoder's
// Jacobian (its SVD), and the program's seed-independent cross-checks. main.cpp trains, scores and reports.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include <latentgeo.hpp>

namespace cae_sampling {

namespace nn = lg::nn;

// Seconds since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Rows [start, start + count) of x, contiguous.
inline lg::Tensor rows(const lg::Tensor& x, std::int64_t start, std::int64_t count) {
  return x.narrow(0, start, count).contiguous();
}

// J J^T eps in closed form for the tied sigmoid layer: with s = h (1 - h), J = diag(s) W and
// J J^T eps = s * ((s * eps) W W^T), row by row for a batch.
lg::Tensor jjt_closed_form(const lg::Tensor& h, const lg::Tensor& weight, const lg::Tensor& eps);

// J J^T eps through the library's derivatives: J^T eps by one reverse pass (vjp), then J (J^T eps) by one
// forward-mode pass (jvp) of the encoder f.
lg::Tensor jjt_autodiff(const lg::Function& f, const lg::Tensor& x, const lg::Tensor& eps);

// The digit a sample shows, [N] int64 for samples [N, 784] (the judge of mixing).
using Judge = std::function<lg::Tensor(const lg::Tensor&)>;

// How many chains run, for how long, and what is kept of them.
struct ChainOptions {
  std::int64_t steps = 100;             // steps per chain
  std::int64_t chains = 1000;           // chains, started from distinct training digits
  std::int64_t parzen_samples = 10000;  // samples kept for the Parzen window, spread over the steps
  std::int64_t shown_chains = 10;       // chains recorded for the picture
  std::uint64_t seed = 0;               // the starts and the noise
};

// What the chains produced.
struct Chains {
  lg::Tensor samples;                         // [parzen_samples, 784], for the Parzen window
  std::vector<lg::Tensor> shown;              // per recorded step: [shown_chains, 784]
  std::vector<std::int64_t> shown_steps;      // the steps of `shown` (0 = the start)
  std::vector<double> mean_classes_by_step;   // mean distinct classes visited up to each step
  std::vector<std::int64_t> classes_histogram;  // chains that visited 1..10 classes
  double mean_classes = 0.0, left_start_class = 0.0;
  double min_value = 1.0, max_value = 0.0;
  double seconds = 0.0;
};

// Runs the chains from random training digits at noise sigma, judging each state's class.
Chains run_chains(const nn::ContractiveAutoencoder& cae, const lg::Tensor& train_x, const Judge& judge,
                  const ChainOptions& o, double sigma);

// The tangent directions at a few digits.
struct Tangents {
  lg::Tensor digits;                 // [P, 784]
  lg::Tensor singular_values;        // [P, r]
  lg::Tensor directions;             // [P, 784, k]
  std::vector<std::int64_t> dimension_10, dimension_01;  // singular values above 10% / 1% of the largest
  double frobenius_mismatch = 0.0;   // max over digits of |sum s^2 - ||J||_F^2 closed form| / ||J||_F^2
  double seconds = 0.0;
};

// The leading `count` right singular vectors of the encoder's Jacobian at each digit, its spectrum and the
// local dimension estimates, with sum s^2 checked against the closed-form ||J||_F^2.
Tangents tangent_directions(const nn::ContractiveAutoencoder& cae, const lg::Tensor& digits, std::int64_t count);

// The seed-independent checks of the model: penalties by two methods, J J^T eps by two routes. Returns the
// relative differences.
std::pair<double, double> cross_checks(const nn::ContractiveAutoencoder& cae, const lg::Tensor& x, double sigma);

}  // namespace cae_sampling
