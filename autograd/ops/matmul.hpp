// Matrix products, following numpy.matmul:
//   1-d @ 1-d -> 0-d (dot); 2-d @ 2-d -> mm; 1-d operands get a dim added and
//   removed again; leading (batch) dims broadcast.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

// The matrix product, NumPy-style: 1-d operands are a row or column that is then removed, and batch dims broadcast.
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);   // [m, k] @ [k, n]
Tensor bmm(const Tensor& a, const Tensor& b);  // [B, m, k] @ [B, k, n]
Tensor dot(const Tensor& a, const Tensor& b);  // 1-d, same length
// a b^T for 1-d a and b: the [len(a), len(b)] matrix of products.
Tensor outer(const Tensor& a, const Tensor& b);
// x @ weight^T + bias for x [..., in], weight [out, in] (as nn::Linear stores it),
// bias [out] or undefined (no bias) -> [..., out].
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor{});

}  // namespace lg
