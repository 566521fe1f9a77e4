// Arithmetic with broadcasting: + - * / pow, maximum/minimum, where, clamp,
// and comparisons. Binary ops require equal dtypes and devices (no silent
// promotion); a C++ number next to a tensor takes the tensor's dtype.
#pragma once
#include <limits>

#include "autograd/tensor.hpp"

namespace lg {

Tensor add(const Tensor& a, const Tensor& b, double alpha = 1.0);  // a + alpha * b
Tensor sub(const Tensor& a, const Tensor& b, double alpha = 1.0);  // a - alpha * b
// a * b elementwise, broadcast.
Tensor mul(const Tensor& a, const Tensor& b);
// a / b elementwise, broadcast.
Tensor div(const Tensor& a, const Tensor& b);
// -x elementwise.
Tensor neg(const Tensor& x);
Tensor pow(const Tensor& base, const Tensor& exponent);  // base > 0 where exponent varies
// base^exponent elementwise for a constant exponent.
Tensor pow(const Tensor& base, double exponent);
// The larger of a and b elementwise; at a tie the gradient is split half and half.
Tensor maximum(const Tensor& a, const Tensor& b);
// The smaller of a and b elementwise; at a tie the gradient is split half and half.
Tensor minimum(const Tensor& a, const Tensor& b);
// The angle of the point (x, y) in (-pi, pi], elementwise with broadcasting; accurate at every angle
// (unlike acos near 0 or asin near pi/2). Gradient (x dy - y dx) / (x^2 + y^2), undefined at (0, 0).
Tensor atan2(const Tensor& y, const Tensor& x);
// condition != 0 ? a : b; the condition gets no gradient.
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);
inline constexpr double no_bound = std::numeric_limits<double>::quiet_NaN();
// x limited to [low, high] (a NaN bound, such as no_bound, is no bound); ValueError when low > high.
Tensor clamp(const Tensor& x, double low, double high = no_bound);

// Sums `grad` down to `shape`, undoing broadcasting (differentiable).
Tensor sum_to(const Tensor& grad, const Shape& shape);

// Comparisons return 0/1 in the inputs' dtype (handy as masks: x * (x > 0));
// they are not differentiable.
Tensor eq(const Tensor& a, const Tensor& b);
// 1 where a != b, else 0.
Tensor ne(const Tensor& a, const Tensor& b);
// 1 where a < b, else 0.
Tensor lt(const Tensor& a, const Tensor& b);
// 1 where a <= b, else 0.
Tensor le(const Tensor& a, const Tensor& b);
// 1 where a > b, else 0.
Tensor gt(const Tensor& a, const Tensor& b);
// 1 where a >= b, else 0.
Tensor ge(const Tensor& a, const Tensor& b);
// -1, 0 or 1 by the sign of each element; not differentiable.
Tensor sign(const Tensor& x);

// add(a, b).
Tensor operator+(const Tensor& a, const Tensor& b);
// sub(a, b).
Tensor operator-(const Tensor& a, const Tensor& b);
// mul(a, b).
Tensor operator*(const Tensor& a, const Tensor& b);
// div(a, b).
Tensor operator/(const Tensor& a, const Tensor& b);
// neg(x).
Tensor operator-(const Tensor& x);
// a + b, with b a scalar of a's dtype.
Tensor operator+(const Tensor& a, double b);
// a - b, with b a scalar of a's dtype.
Tensor operator-(const Tensor& a, double b);
// a * b, with b a scalar of a's dtype.
Tensor operator*(const Tensor& a, double b);
// a / b, with b a scalar of a's dtype.
Tensor operator/(const Tensor& a, double b);
// a + b, with a a scalar of b's dtype.
Tensor operator+(double a, const Tensor& b);
// a - b, with a a scalar of b's dtype.
Tensor operator-(double a, const Tensor& b);
// a * b, with a a scalar of b's dtype.
Tensor operator*(double a, const Tensor& b);
// a / b, with a a scalar of b's dtype.
Tensor operator/(double a, const Tensor& b);
// gt(a, b) with b a scalar: 1 where a > b, else 0.
Tensor operator>(const Tensor& a, double b);
// lt(a, b) with b a scalar: 1 where a < b, else 0.
Tensor operator<(const Tensor& a, double b);
// gt(a, b).
Tensor operator>(const Tensor& a, const Tensor& b);
// lt(a, b).
Tensor operator<(const Tensor& a, const Tensor& b);

}  // namespace lg
