// The Cayley transform on the Stiefel manifold, for the low-rank skew-symmetric
// matrices the Cayley optimisers build (Li, Li & Todorovic, ICLR 2020,
// "Efficient Riemannian optimization on the Stiefel manifold via the Cayley
// transform"; Wen & Yin, Math. Program. 2013, for the low-rank form).
//
// For X [n, p] with X^T X = I and a skew-symmetric W [n, n], the Cayley transform
//   Y(alpha) = (I - alpha/2 W)^{-1} (I + alpha/2 W) X
// is a curve on the manifold: Y^T Y = X^T X exactly, Y(0) = X, Y'(0) = W X.
// W is never formed. It is given as W = A B^T - B A^T with A, B [n, p], that is
// W = U V^T with U = [A, B] and V = [B, -A], both [n, 2p]; applying W costs
// O(n p^2) and the exact transform solves one 2p x 2p system, never an n x n one.
// The optimisers' W = W_hat - W_hat^T with W_hat = M X^T - 1/2 X (X^T M X^T)
// is of this form with A = M - 1/2 X (X^T M) and B = X.
//
// Every function takes matrices in the last two dims and works item by item over
// leading batch dims; all are tensor ops (no host pointers), differentiable.
// How the Cayley optimisers use it: Note [Cayley optimisers] in docs/notes.md.
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"

namespace lg::manifold {

// W Z for W = A B^T - B A^T, as A (B^T Z) - B (A^T Z): A, B [..., n, p], Z [..., n, k] -> [..., n, k].
Tensor apply_low_rank_skew(const Tensor& a, const Tensor& b, const Tensor& z);

// W = A B^T - B A^T by its factors and their p x p Gram matrices, which the norm and the exact
// transform both read: made once per step, they are not recomputed.
struct LowRankSkew {
  Tensor a, b;    // [..., n, p]
  Tensor a_gram;  // A^T A, [..., p, p]
  Tensor b_gram;  // B^T B
  Tensor cross;   // B^T A
};

// The factors A, B of W = A B^T - B A^T with their Gram matrices; ShapeError unless A and B share a
// shape [..., n, p].
LowRankSkew low_rank_skew(const Tensor& a, const Tensor& b);

// ||A B^T - B A^T||_F from p x p Gram matrices: sqrt(2 tr(A^T A B^T B) - 2 tr((B^T A)^2)), [...] over the batch.
Tensor low_rank_skew_frobenius_norm(const Tensor& a, const Tensor& b);
// The same norm from Gram matrices already computed.
Tensor low_rank_skew_frobenius_norm(const LowRankSkew& w);

// Y = (I - alpha/2 W)^{-1} (I + alpha/2 W) X with W = A B^T - B A^T, through the Woodbury identity:
// Y = X + alpha U (I_2p - alpha/2 V^T U)^{-1} V^T X. Orthonormal to rounding when X is; throws
// ShapeError unless X, A and B share their shape [..., n, p].
Tensor cayley_transform_exact(const Tensor& x, const Tensor& a, const Tensor& b, double alpha);
// The same transform with W's Gram matrices already computed (the Cayley optimisers' path). In blocks,
// V^T U = [[B^T A, B^T B], [-A^T A, -A^T B]] and V^T X = [B^T X; -A^T X], so no n x 2p matrix is
// formed; when X is W's own B (the optimisers' case) B^T X and A^T X are Gram matrices already.
Tensor cayley_transform_exact(const Tensor& x, const LowRankSkew& w, double alpha);

// Li et al.'s fixed-point approximation of the same Y: Y^0 = X + alpha W X, then `iterations` times
// Y^i = X + alpha/2 W (X + Y^{i-1}). It converges when alpha/2 ||W||_2 < 1 (the optimisers' step
// bound makes it <= q); its error shrinks like (alpha/2 ||W||)^(iterations + 1). Throws ValueError
// when iterations < 1, ShapeError as the exact transform does.
Tensor cayley_transform_iterative(const Tensor& x, const Tensor& a, const Tensor& b, double alpha,
                                  std::int64_t iterations);
// The same iterates with W's Gram matrices already computed, carried in W's 2p-dim range: writing
// Y^i = X + U K^i with U = [A, B] gives K^0 = alpha V^T X and K^i = alpha/2 (2 V^T X + V^T U K^{i-1}),
// small [2p, p] products, and one n x 2p product at the end (the Cayley optimisers' path).
Tensor cayley_transform_iterative(const Tensor& x, const LowRankSkew& w, double alpha, std::int64_t iterations);

// ||X^T X - I||_F for X [..., n, p], the largest over the batch, as a double.
double orthonormality_error(const Tensor& x);

// The Q factor of X = Q R with R's diagonal positive (lg::qr), the nearest-by-QR orthonormal frame;
// the Cayley optimisers' re-orthonormalisation.
Tensor reorthonormalise(const Tensor& x);

}  // namespace lg::manifold
