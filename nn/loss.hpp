// Losses, built from differentiable ops (no backward of their own, so every
// loss supports double backward). Elementwise losses are reduced by
// `reduction`: none keeps the elementwise values, mean averages, sum adds.
//
//   mse_loss        (x - y)^2
//   l1_loss         |x - y|                         (gradient 0 where x = y)
//   binary_cross_entropy(p, y)
//                   -(y max(log p, -100) + (1 - y) max(log(1 - p), -100)),
//                   the log clamped at -100 as PyTorch, so p = 0 or 1 stays finite
//   binary_cross_entropy_with_logits(x, y)
//                   max(x, 0) - x y + log1p(exp(-|x|)), stable for any x; written
//                   as x/2 + (|x|/2 + log1p(exp(-|x|))) - x y, whose |x| part is
//                   even and flat at 0, so the gradient at x = 0 is the true
//                   sigmoid(0) - y (relu's and abs's kink conventions would give -y)
//   nll_loss(log_probs [N, C], target int64 [N])      -log_probs[i, target[i]]
//   cross_entropy(logits [N, C], target)              nll_loss(log_softmax(logits, 1), target)
//   gaussian_kl(mu, logvar) [N, ...]
//                   KL(N(mu, exp(logvar)) || N(0, I)) per sample:
//                   -1/2 sum_{dims 1..} (1 + logvar - mu^2 - exp(logvar)),
//                   then reduced over the batch (none: [N]).
// Errors (ShapeError, DTypeError, ValueError) start with the loss's name.
#pragma once
#include "autograd/tensor.hpp"

namespace lg::nn {

// How a loss reduces its elementwise values: keep them (none), average (mean) or add (sum).
enum class Reduction { none, mean, sum };

// Mean squared error (x - y)^2 between input and target of one shape, reduced as `reduction` says.
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);
// Absolute error |x - y| between input and target of one shape, reduced as `reduction` says.
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);
// Binary cross-entropy of probabilities p against targets y in [0, 1], logs clamped at -100, reduced.
Tensor binary_cross_entropy(const Tensor& probabilities, const Tensor& target, Reduction reduction = Reduction::mean);
// Binary cross-entropy of sigmoid(logits) against targets, computed stably from the logits, reduced.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                        Reduction reduction = Reduction::mean);
// Negative log-likelihood -log_probs[i, target[i]] for log_probs [N, C] and int64 target [N] in [0, C), reduced.
Tensor nll_loss(const Tensor& log_probabilities, const Tensor& target, Reduction reduction = Reduction::mean);
// nll_loss of log_softmax(logits, 1) for logits [N, C] and int64 class indices [N].
Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction = Reduction::mean);
// KL(N(mu, exp(logvar)) || N(0, I)) per sample (dims 1.. summed), then reduced over the batch.
Tensor gaussian_kl(const Tensor& mu, const Tensor& logvar, Reduction reduction = Reduction::mean);

}  // namespace lg::nn
