// Arithmetic with broadcasting: + - * / pow, maximum/minimum, where, clamp,
// and comparisons. Binary ops require equal dtypes and devices (no silent
// promotion); a C++ number next to a tensor takes the tensor's dtype.
#pragma once
#include <limits>

#include "autograd/tensor.hpp"

namespace lg {

Tensor add(const Tensor& a, const Tensor& b, double alpha = 1.0);  // a + alpha * b
Tensor sub(const Tensor& a, const Tensor& b, double alpha = 1.0);  // a - alpha * b
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& x);
Tensor pow(const Tensor& base, const Tensor& exponent);  // base > 0 where exponent varies
Tensor pow(const Tensor& base, double exponent);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
// condition != 0 ? a : b; the condition gets no gradient.
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);
inline constexpr double no_bound = std::numeric_limits<double>::quiet_NaN();
Tensor clamp(const Tensor& x, double low, double high = no_bound);

// Sums `grad` down to `shape`, undoing broadcasting (differentiable).
Tensor sum_to(const Tensor& grad, const Shape& shape);

// Comparisons return 0/1 in the inputs' dtype (handy as masks: x * (x > 0));
// they are not differentiable.
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor sign(const Tensor& x);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);
Tensor operator>(const Tensor& a, double b);
Tensor operator<(const Tensor& a, double b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Tensor& b);

}  // namespace lg
