// Elementwise math functions of one tensor.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);    // x > 0
Tensor log1p(const Tensor& x);  // x > -1
Tensor expm1(const Tensor& x);
Tensor sqrt(const Tensor& x);   // x > 0 for a finite gradient
Tensor rsqrt(const Tensor& x);  // 1 / sqrt(x)
Tensor abs(const Tensor& x);    // gradient sign(x), 0 at 0
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor erf(const Tensor& x);

}  // namespace lg
