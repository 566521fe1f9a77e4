// Elementwise math functions of one tensor.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

// e^x elementwise.
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);    // x > 0
Tensor log1p(const Tensor& x);  // x > -1
// e^x - 1 elementwise, accurate for small x.
Tensor expm1(const Tensor& x);
Tensor sqrt(const Tensor& x);   // x > 0 for a finite gradient
Tensor rsqrt(const Tensor& x);  // 1 / sqrt(x)
Tensor abs(const Tensor& x);    // gradient sign(x), 0 at 0
// sin(x) elementwise.
Tensor sin(const Tensor& x);
// cos(x) elementwise.
Tensor cos(const Tensor& x);
// The error function elementwise; gradient 2/sqrt(pi) e^(-x^2).
Tensor erf(const Tensor& x);

}  // namespace lg
