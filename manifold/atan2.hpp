// atan2(y, x), the angle of the point (x, y) in (-pi, pi], as a differentiable
// op: the manifolds' distances and logarithms need an inverse trigonometric
// function, and autograd/ops has none yet. Angles from atan2 of a (sine, cosine)
// pair are accurate at every angle, unlike acos near 0 or asin near pi/2
// (the reason Björck & Golub 1973 combine both for principal angles).
//
// Derivative: d atan2(y, x) = (x dy - y dx) / (x^2 + y^2), written in
// differentiable ops (so second derivatives work); undefined at (0, 0).
// The forward runs on the host through to_vector, so it is meant for the small
// tensors of angles a manifold map produces, not for large elementwise work.
#pragma once
#include "autograd/tensor.hpp"

namespace lg::manifold {

// The angle of (x, y) elementwise, in (-pi, pi]; y and x must have one shape and one floating dtype.
Tensor atan2(const Tensor& y, const Tensor& x);

}  // namespace lg::manifold
