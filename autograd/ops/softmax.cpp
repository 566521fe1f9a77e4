// log_softmax(x) = x - logsumexp(x); softmax = exp(log_softmax). Composites:
// their gradients come from sub, exp and logsumexp.
#include "autograd/ops/softmax.hpp"

#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/unary.hpp"

namespace lg {

Tensor log_softmax(const Tensor& x, std::int64_t dim) { return x - logsumexp(x, {dim}, true); }
Tensor softmax(const Tensor& x, std::int64_t dim) { return exp(log_softmax(x, dim)); }

}  // namespace lg
