// softmax and log_softmax along one dim, both through logsumexp (stable for
// large inputs).
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

// e^x / sum(e^x) along dim, computed as exp(log_softmax(x, dim)).
Tensor softmax(const Tensor& x, std::int64_t dim);
// x - logsumexp(x) along dim: the log of softmax, computed stably.
Tensor log_softmax(const Tensor& x, std::int64_t dim);

}  // namespace lg
