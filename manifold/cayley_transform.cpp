// The Cayley transform through W's low-rank form (formulas in the header).
//
// Exact form. With c = alpha/2, (I - cW)^{-1}(I + cW) = 2 (I - cW)^{-1} - I, and
// by the Woodbury identity (I - c U V^T)^{-1} = I + c U (I_2p - c V^T U)^{-1} V^T,
// so Y = X + 2c U (I_2p - c V^T U)^{-1} V^T X (Wen & Yin 2013, Lemma 4.1, with
// their W = -ours). The 2p x 2p matrix I - c V^T U is invertible whenever
// I - cW is, which holds for every alpha since W is skew (its eigenvalues are
// imaginary).
//
// Iterative form in W's range. Every iterate is X plus something in the column
// space of U, Y^i = X + U K^i, so the iteration can run on the [2p, p] matrices
// K^i alone: K^0 = alpha V^T X and K^i = c (2 V^T X + V^T U K^{i-1}). The same
// iterates as applying W to n x p matrices each round, at the cost of one
// n x 2p product at the end.
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

// V^T U and V^T X of W = U V^T, U = [A, B], V = [B, -A], from the Gram matrices: in blocks,
// V^T U = [[B^T A, B^T B], [-A^T A, -A^T B]] and V^T X = [B^T X; -A^T X]. When X is W's own B
// (the same tensor: the optimisers' case) B^T X and A^T X are Gram matrices already.
struct RangeProducts {
  Tensor vt_u;  // [..., 2p, 2p]
  Tensor vt_x;  // [..., 2p, p]
};

RangeProducts range_products(const Tensor& x, const LowRankSkew& w) {
  const bool x_is_b = x.impl() == w.b.impl();
  const Tensor b_x = x_is_b ? w.b_gram : matmul(transposed(w.b), x);
  const Tensor a_x = x_is_b ? transposed(w.cross) : matmul(transposed(w.a), x);
  const Tensor vt_u = cat({cat({w.cross, w.b_gram}, -1), cat({-w.a_gram, -transposed(w.cross)}, -1)}, -2);
  return {vt_u, cat({b_x, -a_x}, -2)};
}

// X + U K for K [..., 2p, p]: A times K's top half plus B times its bottom half.
Tensor add_range(const Tensor& x, const LowRankSkew& w, const Tensor& k) {
  const std::int64_t p = x.shape()[x.dim() - 1];
  return x + (matmul(w.a, k.narrow(-2, 0, p)) + matmul(w.b, k.narrow(-2, p, p)));
}

}  // namespace

Tensor apply_low_rank_skew(const Tensor& a, const Tensor& b, const Tensor& z) {
  return matmul(a, matmul(transposed(b), z)) - matmul(b, matmul(transposed(a), z));
}

LowRankSkew low_rank_skew(const Tensor& a, const Tensor& b) {
  check<ValueError>(a.defined() && b.defined(), "low_rank_skew", "got an undefined tensor");
  check<ShapeError>(a.dim() >= 2 && a.shape() == b.shape(), "low_rank_skew",
                    "A and B must share a shape [..., n, p], got A ", shape_str(a.shape()), " and B ",
                    shape_str(b.shape()));
  return {a, b, matmul(transposed(a), a), matmul(transposed(b), b), matmul(transposed(b), a)};
}

Tensor low_rank_skew_frobenius_norm(const LowRankSkew& w) {
  const Shape matrix_dims{-2, -1};
  const Tensor squared =
      2.0 * (sum(w.a_gram * w.b_gram, matrix_dims) - sum(w.cross * transposed(w.cross), matrix_dims));
  return sqrt(clamp(squared, 0.0));  // rounding can make an exact 0 slightly negative
}

Tensor low_rank_skew_frobenius_norm(const Tensor& a, const Tensor& b) {
  return low_rank_skew_frobenius_norm(low_rank_skew(a, b));
}

Tensor cayley_transform_exact(const Tensor& x, const Tensor& a, const Tensor& b, double alpha) {
  check_factors("cayley_transform_exact", x, a, b);
  return cayley_transform_exact(x, low_rank_skew(a, b), alpha);
}

Tensor cayley_transform_exact(const Tensor& x, const LowRankSkew& w, double alpha) {
  check_factors("cayley_transform_exact", x, w.a, w.b);
  const std::int64_t p = x.shape()[x.dim() - 1];
  const RangeProducts range = range_products(x, w);
  const Tensor identity = eye(2 * p, x.dtype()).to(x.device());
  const Tensor z = solve(identity - (0.5 * alpha) * range.vt_u, range.vt_x);  // [..., 2p, p]
  return add_range(x, w, alpha * z);
}

Tensor cayley_transform_iterative(const Tensor& x, const Tensor& a, const Tensor& b, double alpha,
                                  std::int64_t iterations) {
  check_factors("cayley_transform_iterative", x, a, b);
  return cayley_transform_iterative(x, low_rank_skew(a, b), alpha, iterations);
}

Tensor cayley_transform_iterative(const Tensor& x, const LowRankSkew& w, double alpha, std::int64_t iterations) {
  check_factors("cayley_transform_iterative", x, w.a, w.b);
  check<ValueError>(iterations >= 1, "cayley_transform_iterative", "iterations must be at least 1, got ", iterations);
  const RangeProducts range = range_products(x, w);
  Tensor k = alpha * range.vt_x;  // Y^0 = X + alpha W X
  for (std::int64_t i = 0; i < iterations; ++i) k = (0.5 * alpha) * (2.0 * range.vt_x + matmul(range.vt_u, k));
  return add_range(x, w, k);
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
