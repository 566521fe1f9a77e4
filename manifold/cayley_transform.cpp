// The Cayley transform through W's low-rank form (formulas in the header).
//
// Exact form. With c = alpha/2, (I - cW)^{-1}(I + cW) = 2 (I - cW)^{-1} - I, and
// by the Woodbury identity (I - c U V^T)^{-1} = I + c U (I_2p - c V^T U)^{-1} V^T,
// so Y = X + 2c U (I_2p - c V^T U)^{-1} V^T X (Wen & Yin 2013, Lemma 4.1, with
// their W = -ours). The 2p x 2p matrix I - c V^T U is invertible whenever
// I - cW is, which holds for every alpha since W is skew (its eigenvalues are
// imaginary).
//
// Frobenius norm. W^T = -W, so ||W||_F^2 = -tr(W W); expanding W W with
// tr(A B^T A B^T) = tr((B^T A)^2) = tr(B A^T B A^T) and
// tr(A B^T B A^T) = tr(A^T A B^T B) gives 2 tr(A^T A B^T B) - 2 tr((B^T A)^2),
// each trace a sum of elementwise products of p x p matrices.
#include "manifold/cayley_transform.hpp"

#include <algorithm>

#include "autograd/factory.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold {
namespace {

Tensor transposed(const Tensor& x) { return transpose(x, -2, -1); }

void check_factors(std::string_view op, const Tensor& x, const Tensor& a, const Tensor& b) {
  check<ValueError>(x.defined() && a.defined() && b.defined(), op, "got an undefined tensor");
  check<ShapeError>(x.dim() >= 2, op, "X must be [..., n, p], got ", shape_str(x.shape()));
  check<ShapeError>(a.shape() == x.shape() && b.shape() == x.shape(), op, "A and B must have X's shape ",
                    shape_str(x.shape()), ", got A ", shape_str(a.shape()), " and B ", shape_str(b.shape()));
}

}  // namespace

Tensor apply_low_rank_skew(const Tensor& a, const Tensor& b, const Tensor& z) {
  return matmul(a, matmul(transposed(b), z)) - matmul(b, matmul(transposed(a), z));
}

Tensor low_rank_skew_frobenius_norm(const Tensor& a, const Tensor& b) {
  const Shape matrix_dims{-2, -1};
  const Tensor a_gram = matmul(transposed(a), a);
  const Tensor b_gram = matmul(transposed(b), b);
  const Tensor cross = matmul(transposed(b), a);
  const Tensor squared = 2.0 * (sum(a_gram * b_gram, matrix_dims) - sum(cross * transposed(cross), matrix_dims));
  return sqrt(clamp(squared, 0.0));  // rounding can make an exact 0 slightly negative
}

Tensor cayley_transform_exact(const Tensor& x, const Tensor& a, const Tensor& b, double alpha) {
  check_factors("cayley_transform_exact", x, a, b);
  const std::int64_t p = x.shape()[x.dim() - 1];
  const Tensor u = cat({a, b}, -1);   // [..., n, 2p]
  const Tensor v = cat({b, -a}, -1);  // [..., n, 2p]
  const Tensor vt = transposed(v);
  const Tensor identity = eye(2 * p, x.dtype()).to(x.device());
  const Tensor system = identity - (0.5 * alpha) * matmul(vt, u);  // [..., 2p, 2p]
  return x + alpha * matmul(u, solve(system, matmul(vt, x)));
}

Tensor cayley_transform_iterative(const Tensor& x, const Tensor& a, const Tensor& b, double alpha,
                                  std::int64_t iterations) {
  check_factors("cayley_transform_iterative", x, a, b);
  check<ValueError>(iterations >= 1, "cayley_transform_iterative", "iterations must be at least 1, got ", iterations);
  Tensor y = x + alpha * apply_low_rank_skew(a, b, x);
  for (std::int64_t i = 0; i < iterations; ++i) y = x + (0.5 * alpha) * apply_low_rank_skew(a, b, x + y);
  return y;
}

double orthonormality_error(const Tensor& x) {
  check<ShapeError>(x.defined() && x.dim() >= 2, "orthonormality_error", "X must be [..., n, p], got ",
                    x.defined() ? shape_str(x.shape()) : std::string("an undefined tensor"));
  const std::int64_t p = x.shape()[x.dim() - 1];
  const Tensor gram = matmul(transposed(x), x) - eye(p, x.dtype()).to(x.device());
  return max(norm(gram, 2.0, {-2, -1})).item<double>();
}

Tensor reorthonormalise(const Tensor& x) { return qr(x).q; }

}  // namespace lg::manifold
