// softmax and log_softmax along one dim, both through logsumexp (stable for
// large inputs).
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

Tensor softmax(const Tensor& x, std::int64_t dim);
Tensor log_softmax(const Tensor& x, std::int64_t dim);

}  // namespace lg
