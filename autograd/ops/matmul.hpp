// Matrix products, following numpy.matmul:
//   1-d @ 1-d -> 0-d (dot); 2-d @ 2-d -> mm; 1-d operands get a dim added and
//   removed again; leading (batch) dims broadcast.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);   // [m, k] @ [k, n]
Tensor bmm(const Tensor& a, const Tensor& b);  // [B, m, k] @ [B, k, n]
Tensor dot(const Tensor& a, const Tensor& b);  // 1-d, same length
Tensor outer(const Tensor& a, const Tensor& b);
// x @ weight^T + bias for x [..., in], weight [out, in] (as nn::Linear stores it),
// bias [out] or undefined (no bias) -> [..., out].
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor{});

}  // namespace lg
