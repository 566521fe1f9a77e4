// Reductions over any set of dims (empty dims = all dims), with keepdim.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

// The sum of all elements, a scalar.
Tensor sum(const Tensor& x);
// The sum of x over dims (all dims when empty), keeping them as size 1 when keepdim.
Tensor sum(const Tensor& x, const Shape& dims, bool keepdim = false);
// The sum of x^2 over dims (all dims when empty), keeping them as size 1 when keepdim: one node, whose
// backward is the one product x (2 g); sum(x * x) records two, and its backward takes four passes over x.
Tensor sum_of_squares(const Tensor& x, const Shape& dims = {}, bool keepdim = false);
// The mean of all elements, a scalar.
Tensor mean(const Tensor& x);
// The mean of x over dims (all dims when empty), keeping them as size 1 when keepdim.
Tensor mean(const Tensor& x, const Shape& dims, bool keepdim = false);
// Variance with Bessel's correction by default (correction = 1), as PyTorch.
Tensor var(const Tensor& x, const Shape& dims = {}, double correction = 1.0, bool keepdim = false);
// The standard deviation, sqrt(var(x, dims, correction, keepdim)).
Tensor std(const Tensor& x, const Shape& dims = {}, double correction = 1.0, bool keepdim = false);
// log(sum(exp(x))) computed without overflow (the max is shifted out first).
Tensor logsumexp(const Tensor& x, const Shape& dims, bool keepdim = false);
// p = 1 or 2 over dims (all dims when empty); norm(x) is the Frobenius norm.
Tensor norm(const Tensor& x, double p = 2.0, const Shape& dims = {}, bool keepdim = false);

// mean((a - b)^2) over all elements, a and b of one shape: one node, no graph
// between the difference, the square and the sum.
Tensor mean_squared_error(const Tensor& a, const Tensor& b);
// mean(max(x, 0) - x t + log1p(e^-|x|)) over all elements, the binary cross-entropy of logits x
// against targets t (t in [0, 1]), x and t of one shape: one node, stable for any x.
Tensor mean_binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target);

// The result of max/min along a dim: the values and their int64 indices.
struct ValuesIndices {
  Tensor values;
  Tensor indices;  // int64
};
// Max/min along one dim: values (differentiable) and the index of the first
// occurrence. The gradient flows to that one element.
ValuesIndices max(const Tensor& x, std::int64_t dim, bool keepdim = false);
// The min along dim and the index of its first occurrence, like max.
ValuesIndices min(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor max(const Tensor& x);  // over all elements
// The smallest element, a scalar.
Tensor min(const Tensor& x);
// The int64 index of the first max along dim, kept as size 1 when keepdim.
Tensor argmax(const Tensor& x, std::int64_t dim, bool keepdim = false);
// The int64 index of the first min along dim, kept as size 1 when keepdim.
Tensor argmin(const Tensor& x, std::int64_t dim, bool keepdim = false);

}  // namespace lg
