// Small matrix expressions every manifold file uses, written once so that each
// manifold's file reads as its formulas. Internal to manifold/ (namespace detail).
#pragma once
#include <cstdint>

#include "autograd/factory.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold::detail {

// X^T of each matrix in a batch (a view).
inline Tensor mT(const Tensor& x) { return matrix_transpose(x); }

// The n x n identity with x's dtype and device (it broadcasts over any batch).
inline Tensor identity_like(const Tensor& x, std::int64_t n) { return eye(n, x.dtype()).to(x.device()); }

// tr(U^T V) of each pair of matrices: [..., m, n] x [..., m, n] -> [...].
inline Tensor frobenius_inner(const Tensor& u, const Tensor& v) { return sum(u * v, {-2, -1}); }

// ||X||_F of each matrix: [..., m, n] -> [...].
inline Tensor frobenius_norm(const Tensor& x) { return sqrt(frobenius_inner(x, x)); }

// The largest value of a tensor as a double (0 for an empty one), for constraint_violation.
inline double largest(const Tensor& values) { return values.numel() == 0 ? 0.0 : max(values).item<double>(); }

// ||X^T X - I||_F per matrix: how far the columns of X are from orthonormal.
inline Tensor orthonormality_error(const Tensor& x) {
  return frobenius_norm(matmul(mT(x), x) - identity_like(x, x.size(-1)));
}

// The polar factor U V^T of X = U S V^T: the matrix with orthonormal columns closest to X.
inline Tensor polar_factor(const Tensor& x) {
  const SVD parts = svd(x);
  return matmul(parts.u, mT(parts.v));
}

// The Q factor of X with a positive diagonal in R (unique for full-rank X).
inline Tensor q_factor(const Tensor& x) { return qr(x).q; }

// S^{-1/2} of symmetric positive-definite S, through its eigendecomposition.
inline Tensor inverse_sqrt_spd(const Tensor& s) {
  const Eigh parts = eigh(s);
  return matmul(parts.eigenvectors * rsqrt(parts.eigenvalues).unsqueeze(-2), mT(parts.eigenvectors));
}

// The polar factor Y (Y^T Y)^{-1/2} of Y = X + V: the orthonormal frame nearest to Y (AMS08 eq. 4.7
// writes Y^T Y as I + V^T V, which holds only when X^T X = I and X^T V is skew exactly). Forming
// Y^T Y itself makes the retraction self-correcting: a point that has drifted off the manifold by
// rounding lands back on it, where the shortcut would carry the drift along and let it grow
// (~1.4x per step in an optimiser run on O(5)). The price: R_x(0) = x only to rounding.
inline Tensor polar_retract_tangent(const Tensor& x, const Tensor& v) {
  const Tensor y = x + v;
  return matmul(y, inverse_sqrt_spd(matmul(mT(y), y)));
}

// ShapeError (naming op) unless the tangent vector v has the point x's shape.
inline void check_same_shape(std::string_view op, const Tensor& x, const Tensor& v) {
  check<ValueError>(v.defined(), op, "got an undefined tangent vector");
  check<ShapeError>(v.shape() == x.shape(), op, "the tangent vector's shape ", shape_str(v.shape()),
                    " differs from the point's ", shape_str(x.shape()));
}

// A tensor shaped [batch..., point...]: the shape random_point draws.
inline Shape batched(const Shape& batch, const Shape& point) {
  Shape shape = batch;
  shape.insert(shape.end(), point.begin(), point.end());
  return shape;
}

}  // namespace lg::manifold::detail
