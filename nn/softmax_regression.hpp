// Softmax regression (multinomial logistic regression): the linear classifier
// used to probe how linearly separable a representation is, e.g. the codes of
// an autoencoder's layers (Rifai et al. 2011/2012, Vincent et al. 2010 report
// such "linear classifier on the features" errors).
//
// For features x in R^D and C classes, the model is p(y = c | x) = softmax(W x + b)_c,
// W [C, D], b [C]. It is fitted by minimising the mean cross-entropy
//   L(W, b) = -1/N sum_n log softmax(W x_n + b)_{y_n}
// (a convex problem) with Adam (Kingma & Ba 2015) on shuffled minibatches, plus an
// optional L2 penalty weight_decay/2 |W|^2 folded into the gradient (Adam's weight_decay).
// The test error of the fitted model is the fraction of examples whose argmax_c
// differs from the label. The shuffle and the initial weights come from `seed`, so
// a fit is deterministic. The fit records its own graphs, also when called under a NoGradGuard.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "autograd/tensor.hpp"
#include "nn/linear.hpp"

namespace lg::nn {

// How train_softmax_regression fits the classifier.
struct SoftmaxRegressionOptions {
  // Passes over the training set; positive.
  std::int64_t epochs = 10;
  // Examples per Adam step; positive (the last batch of an epoch may be smaller).
  std::int64_t batch_size = 100;
  // Adam's learning rate; positive.
  double lr = 1e-2;
  // L2 penalty coefficient added to the gradient (W and b); not negative.
  double weight_decay = 0.0;
  // Seed of the initial weights and of the shuffles.
  std::uint64_t seed = 0;
};

// A fitted softmax regression: the linear map to the logits and the training curve.
struct SoftmaxRegression {
  // logits = features W^T + b, W [classes, D].
  std::shared_ptr<Linear> linear = nullptr;
  // The mean training cross-entropy of each epoch (over its minibatches, as they were trained).
  std::vector<double> epoch_losses = {};
};

// Fits softmax(W x + b) to `features` [N, D] (float32 or float64) and `labels` [N] (int64 in [0, classes)).
// Throws ValueError on bad options, fewer than 2 classes or a label outside [0, classes); ShapeError when
// the sizes disagree.
SoftmaxRegression train_softmax_regression(const Tensor& features, const Tensor& labels, std::int64_t classes,
                                           const SoftmaxRegressionOptions& options = {});

// The fraction of rows of `logits` [N, C] whose largest entry is not at `labels` [N] (int64); ShapeError when
// the sizes disagree, ValueError for N = 0.
double classification_error(const Tensor& logits, const Tensor& labels);

}  // namespace lg::nn
