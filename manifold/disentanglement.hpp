// Disentanglement metrics: how well each dimension of a code z [N, m] captures
// one, and only one, of the known generative factors v [N, K] of the data
// (e.g. the sprites of data/sprites.hpp, whose five factors are known).
//
// MIG, the mutual information gap (Chen, Li, Grosse and Duvenaud 2018,
// "Isolating sources of disentanglement in VAEs"). Each code dimension z_j is
// discretised into `bins` equal-width bins over its range; with the factors
// discrete, the mutual information is counted from the joint histogram,
//   I(z_j; v_k) = sum_{a, b} p(a, b) log(p(a, b) / (p(a) p(b)))     (nats).
// For each factor, the gap between the two code dimensions that know most
// about it, normalised by what there is to know,
//   gap_k = (I(z_(1); v_k) - I(z_(2); v_k)) / H(v_k),
// is 1 when one dimension holds the factor and no other does, and 0 when two
// hold it equally. MIG is the mean gap over factors. (Counting from a
// histogram overestimates I for independent variables by about
// (bins - 1)(values - 1) / 2N nats; use N large against bins * values.)
//
// DCI (Eastwood and Williams 2018, "A framework for the quantitative
// evaluation of disentangled representations"). A Lasso regressor predicts
// each factor from all the code dimensions; the absolute weights form the
// importance matrix R [m, K] (R_ij: how much code j is used for factor k).
// Codes and factors are standardised first (on the training rows), so the
// weights are comparable. With P_ik = R_ik / sum_k R_ik (what code i is used
// for) and P~_ik = R_ik / sum_i R_ik (what factor k is read from):
//   disentanglement D = sum_i rho_i D_i,  D_i = 1 + sum_k P_ik log_K P_ik,
//                       rho_i = sum_k R_ik / sum R (unused codes weigh nothing);
//   completeness    C = mean_k C_k,       C_k = 1 + sum_i P~_ik log_m P~_ik;
//   informativeness: the prediction error on held-out rows, per factor the
//                       root mean squared error of the standardised factor,
//                       sqrt(mean_test (y - y_hat)^2) / std_train(y): 0 is a
//                       perfect prediction, about 1 no better than the mean.
// D and C are 1 for a one-to-one code and 0 when every code serves every
// factor equally (0 log 0 = 0; a code or factor with no weight at all gets
// D_i = 0 or C_k = 0).
//
// The Lasso minimises (1 / 2n) |y - X w - b|^2 + alpha |w|_1 (scikit-learn's
// scaling) by cyclic coordinate descent (Friedman, Hastie and Tibshirani 2010,
// "Regularization paths for generalized linear models via coordinate
// descent"): each weight in turn is set to its exact minimiser with the others
// fixed, w_j = S(x_j . r_j / n, alpha) / (x_j . x_j / n), where r_j is the
// residual without feature j and S(t, a) = sign(t) max(|t| - a, 0) is the soft
// threshold. The intercept is handled by centring X and y. These are host
// loops over copies of the data: inherently sequential, and not
// differentiable (nor are the histograms of MIG).
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"

namespace lg::manifold {

// How MIG discretises the codes.
struct MigOptions {
  // Equal-width bins per code dimension over its range (>= 2); a constant dimension falls into one bin.
  std::int64_t bins = 20;
};

// MIG and the quantities it is made of.
struct MigResult {
  // The mean normalised gap over factors, in [0, 1].
  double mig = 0.0;
  // float64 [K]: each factor's normalised gap.
  Tensor gaps = {};
  // float64 [m, K]: I(z_j; v_k) in nats.
  Tensor mutual_information = {};
  // float64 [K]: H(v_k) in nats.
  Tensor factor_entropies = {};
};

// The histogram mutual information I(z_j; v_k) in nats between each code dimension of codes [N, m] (any
// floating dtype), binned as MigOptions says, and each discrete factor of factors [N, K] (int64, any values):
// float64 [m, K].
Tensor mutual_information(const Tensor& codes, const Tensor& factors, const MigOptions& options = {});

// The mutual information gap of codes [N, m] (m >= 2) for discrete factors [N, K] (int64); ValueError for a
// constant factor (entropy 0: nothing to capture).
MigResult mutual_information_gap(const Tensor& codes, const Tensor& factors, const MigOptions& options = {});

// How the Lasso is solved.
struct LassoOptions {
  // The weight of the L1 penalty (>= 0; 0 gives least squares). 0.01 on standardised data keeps every
  // weight that explains more than about 1% of a standard deviation.
  double alpha = 0.01;
  // Stop when a whole sweep changes no weight by more than this (> 0).
  double tolerance = 1e-6;
  // At most this many sweeps over the weights (>= 1).
  std::int64_t max_iterations = 1000;
};

// A fitted Lasso: y ~ x w + intercept.
struct LassoResult {
  // float64 [m].
  Tensor weights = {};
  // The fitted intercept, mean(y) - mean(x) w.
  double intercept = 0.0;
  // Sweeps run.
  std::int64_t iterations = 0;
  // Whether the last sweep met the tolerance (else max_iterations ran out).
  bool converged = false;
};

// The Lasso fit of y [n] on x [n, m] (floating dtypes, n >= 1) by cyclic coordinate descent; a constant
// column gets weight 0.
LassoResult lasso(const Tensor& x, const Tensor& y, const LassoOptions& options = {});

// How DCI fits and tests its regressors.
struct DciOptions {
  // The Lasso of each factor on the standardised codes.
  LassoOptions lasso = {};
  // The share of rows (in a random order from `seed`) that trains; the rest test (in (0, 1), each part >= 1 row,
  // the training part >= 2).
  double train_fraction = 0.8;
  // Seed of the train/test split.
  std::uint64_t seed = 0;
};

// Disentanglement and completeness of an importance matrix, and their parts.
struct DciScores {
  // D = sum_i rho_i D_i.
  double disentanglement = 0.0;
  // C = mean_k C_k.
  double completeness = 0.0;
  // float64 [m]: D_i.
  Tensor code_disentanglement = {};
  // float64 [m]: rho_i, the share of all importance that code i carries.
  Tensor code_weights = {};
  // float64 [K]: C_k.
  Tensor factor_completeness = {};
};

// The D and C scores of an importance matrix R [m, K] (m, K >= 2, entries >= 0 and finite).
DciScores dci_scores(const Tensor& importance);

// What dci measures: the scores, the importance matrix they come from, and the held-out errors.
struct DciResult {
  // D, C and their parts, from the importance matrix.
  DciScores scores = {};
  // float64 [m, K]: |Lasso weights| of each factor on the standardised codes.
  Tensor importance = {};
  // float64 [K]: each factor's held-out RMSE in units of its training standard deviation.
  Tensor factor_errors = {};
  // The mean of factor_errors (0: the code predicts every factor perfectly).
  double informativeness_error = 0.0;
};

// DCI of codes [N, m] (m >= 2) for factors [N, K] (K >= 2; floating or int64, each a regression target);
// ValueError for a factor constant on the training rows.
DciResult dci(const Tensor& codes, const Tensor& factors, const DciOptions& options = {});

}  // namespace lg::manifold
