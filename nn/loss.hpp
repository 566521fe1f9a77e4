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

enum class Reduction { none, mean, sum };

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);
Tensor binary_cross_entropy(const Tensor& probabilities, const Tensor& target, Reduction reduction = Reduction::mean);
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                        Reduction reduction = Reduction::mean);
Tensor nll_loss(const Tensor& log_probabilities, const Tensor& target, Reduction reduction = Reduction::mean);
Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction = Reduction::mean);
Tensor gaussian_kl(const Tensor& mu, const Tensor& logvar, Reduction reduction = Reduction::mean);

}  // namespace lg::nn
