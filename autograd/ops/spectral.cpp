// Spectral decompositions: eigh and eigvalsh of symmetric matrices, svd and svdvals of any matrix,
// batched over leading dims. X^T is the transpose of each matrix, ∘ the elementwise product, and a
// bar the gradient of a loss with respect to what it is on.
//
//   eigh: A = V diag(w) V^T, w ascending (the lower triangle of A is read). Giles 2008, "Collected
//     matrix derivative results for forward and reverse mode algorithmic differentiation":
//       Abar = V (diag(wbar) + F ∘ (V^T Vbar)) V^T, F_ij = 1 / (w_j - w_i) for i != j, F_ii = 0,
//     returned symmetrised, (Abar + Abar^T) / 2: the gradient with respect to a symmetric A.
//   eigvalsh = eigh(A).eigenvalues: with Vbar = 0 the formula is Abar = V diag(wbar) V^T.
//   svd: thin A = U diag(s) V^T of A [m, n], k = min(m, n), s descending. Townsend 2016,
//     "Differentiating the singular value decomposition", with F_ij = 1 / (s_j^2 - s_i^2), F_ii = 0,
//     J = U^T Ubar - Ubar^T U and K = V^T Vbar - Vbar^T V (both antisymmetric):
//       Abar = U [(F ∘ J) S + diag(sbar) + S (F ∘ K)] V^T
//            + (I_m - U U^T) Ubar S^-1 V^T + U S^-1 Vbar^T (I_n - V V^T);
//     the last two terms vanish for square A and are only computed for tall (m > k) and wide (n > k) A.
//     Since 1 / (s_j^2 - s_i^2) = 1 / ((s_j - s_i)(s_j + s_i)), the bracket's off-diagonal part is
//       (J + K)_ij / (2 (s_j - s_i)) + (J - K)_ij / (2 (s_j + s_i)),
//     which is how it is computed: only the first term is singular at s_i = s_j (see below).
//   svdvals = svd(A).s: with Ubar = Vbar = 0 the formula is Abar = U diag(sbar) V^T.
//
// Signs: LAPACK's vectors are negated so that the entry of largest magnitude of each eigenvector,
// and of each u_i, is positive (v_i goes with u_i). That picks one smooth branch of the vectors
// wherever that entry is unique, so V and U are functions of A there and the formulas above (whose
// V^T dV has a zero diagonal, true of any smooth normalised branch) are their derivatives.
//
// Degenerate values. F is infinite where two eigenvalues (or singular values) coincide: the vectors
// are then not functions of A at all, only the subspace they span is. We drop every 1 / (w_j - w_i)
// (and 1 / (s_j - s_i), 1 / (s_j + s_i), 1 / s_i) whose denominator is below the accuracy the
// decomposition computes the values to, 10 max(m, n) eps max|w| (Golub and Van Loan, "Matrix
// Computations", Chapter 8: backward stability bounds the error by a small multiple of n eps ||A||).
// What the gradient means there: it is exact for a gauge-invariant loss, one that depends on the
// values of a repeated cluster only symmetrically (their sum, say) and on its vectors only through
// what a rotation within the cluster leaves alone (the projector V_c V_c^T; for svd also U_c V_c^T,
// so the polar factor U V^T of an orthogonal matrix, where every s_i = 1). For eigh the cluster's
// block of V^T Vbar is then symmetric, F ∘ that block is antisymmetric for any finite F, and the
// symmetrisation removes it; for svd J + K vanishes on the cluster's block, so the dropped term
// multiplies zero. A loss that looks at one value or one vector of a cluster has no derivative there;
// the gradient returned is finite and treats each such vector as fixed within its eigenspace. Where
// s_i = 0 the S^-1 terms of a tall or wide A are dropped (no derivative exists there either).
//
// Forward rules (forward_mode.hpp), the same formulas read as tangents (Giles 2008; Townsend 2016):
//   eigh: with E = V^T sym(dA) V (sym as in the backward: the derivative along symmetric changes),
//       dw = diag(E),  dV = V (F ∘ E),  F as above (column j of dV: sum_i v_i E_ij / (w_j - w_i)).
//   svd: with P = U^T dA V and F_ij = 1 / (s_j^2 - s_i^2),
//       ds = diag(P),  dU = U (F ∘ (P S + S P^T)) + (I_m - U U^T) dA V S^-1,
//                      dV = V (F ∘ (S P + P^T S)) + (I_n - V V^T) dA^T U S^-1,
//     the last terms only for tall (dU) or wide (dV) A. The brackets are split as in the backward:
//       (F ∘ (P S + S P^T))_ij = (P + P^T)_ij / (2 (s_j - s_i)) + (P - P^T)_ij / (2 (s_j + s_i)),
//     and the same with the second term negated for dV; the same masked reciprocals are dropped.
//   eigvalsh and svdvals are views of these and need no rule of their own.
//
// Both decompositions record one node whose output packs all their results into one tensor
// ([w; V] as [..., n + 1, n], [U; s; V] as [..., m + 1 + n, k]); the results the user sees are views
// of it. So the backward receives every part's gradient at once, and the saved output it reads (V
// and w, or U, s and V) stays connected to A, which second-order gradients need.
#include "autograd/forward_mode.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/join.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/matmul.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/linalg_checks.hpp"
#include "autograd/ops/unary.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

// [..., m, n] -> [...] with `last` appended.
Shape batch_with(const Tensor& a, std::initializer_list<std::int64_t> last) {
  Shape shape(a.shape().begin(), a.shape().end() - 2);
  shape.insert(shape.end(), last);
  return shape;
}

// The accuracy the values [..., n] of one decomposition were computed to, size_factor eps
// max|value| (see the file comment), as a constant [..., 1, 1].
Tensor accuracy_of(const Tensor& values, std::int64_t size_factor) {
  const Tensor largest = unsqueeze(max(abs(values.detach()), -1, true).values, -1);
  return largest * (10.0 * static_cast<double>(size_factor) * detail::epsilon_of(values));
}

// 1 / x where |x| exceeds the accuracy, 0 elsewhere, without ever dividing by a masked (maybe
// zero) x: its gradient, even the unused one, stays finite. The mask is a constant.
Tensor reciprocal_above(const Tensor& x, const Tensor& accuracy) {
  const Tensor large = gt(abs(x.detach()), accuracy);
  return large / where(large, x, ones_like(x));
}

Tensor eigh_backward(const Tensor& grad_packed, const Tensor& packed, std::int64_t n) {
  const Tensor w = select(packed, -2, 0), v = narrow(packed, -2, 1, n);
  const Tensor w_bar = select(grad_packed, -2, 0), v_bar = narrow(grad_packed, -2, 1, n);
  const Tensor f = reciprocal_above(unsqueeze(w, -2) - unsqueeze(w, -1), accuracy_of(w, n));  // 1 / (w_j - w_i)
  const Tensor inner = f * matmul(matrix_transpose(v), v_bar) + diag_embed(w_bar);
  return symmetric_part(matmul(matmul(v, inner), matrix_transpose(v)));
}

Tensor svd_backward(const Tensor& grad_packed, const Tensor& packed, std::int64_t m, std::int64_t n) {
  const std::int64_t k = std::min(m, n);
  const Tensor u = narrow(packed, -2, 0, m), s = select(packed, -2, m), v = narrow(packed, -2, m + 1, n);
  const Tensor u_bar = narrow(grad_packed, -2, 0, m), s_bar = select(grad_packed, -2, m),
               v_bar = narrow(grad_packed, -2, m + 1, n);
  const Tensor s_row = unsqueeze(s, -2), s_column = unsqueeze(s, -1);  // [i, j] reads s_j, s_i
  const Tensor accuracy = accuracy_of(s, std::max(m, n));
  const Tensor ut_ubar = matmul(matrix_transpose(u), u_bar), vt_vbar = matmul(matrix_transpose(v), v_bar);
  const Tensor left = ut_ubar - matrix_transpose(ut_ubar), right = vt_vbar - matrix_transpose(vt_vbar);
  const Tensor inner = reciprocal_above(s_row - s_column, accuracy) * (left + right) * 0.5 +
                       reciprocal_above(s_row + s_column, accuracy) * (left - right) * 0.5 + diag_embed(s_bar);
  Tensor a_bar = matmul(matmul(u, inner), matrix_transpose(v));
  if (m == k && n == k) return a_bar;
  const Tensor s_inverse = reciprocal_above(s, squeeze(accuracy, -1));
  const Tensor s_inverse_row = unsqueeze(s_inverse, -2);  // scales columns by 1 / s_j
  if (m > k) a_bar = a_bar + matmul((u_bar - matmul(u, ut_ubar)) * s_inverse_row, matrix_transpose(v));
  if (n > k) a_bar = a_bar + matmul(u, matrix_transpose((v_bar - matmul(v, vt_vbar)) * s_inverse_row));
  return a_bar;
}

// The tangents [T, ..., n + 1, n] of eigh's packed output [w; V] (file comment), dA [T, ..., n, n].
Tensor eigh_forward(const Tensor& a_tangent, const Tensor& packed, std::int64_t n) {
  const Tensor w = select(packed, -2, 0), v = narrow(packed, -2, 1, n);
  const Tensor moved = matmul(matmul(matrix_transpose(v), symmetric_part(a_tangent)), v);  // V^T sym(dA) V
  const Tensor f = reciprocal_above(unsqueeze(w, -2) - unsqueeze(w, -1), accuracy_of(w, n));  // 1 / (w_j - w_i)
  return cat({unsqueeze(diagonal(moved), -2), matmul(v, f * moved)}, -2);
}

// The tangents [T, ..., m + 1 + n, k] of svd's packed output [U; s; V] (file comment), dA [T, ..., m, n].
Tensor svd_forward(const Tensor& a_tangent, const Tensor& packed, std::int64_t m, std::int64_t n) {
  const std::int64_t k = std::min(m, n);
  const Tensor u = narrow(packed, -2, 0, m), s = select(packed, -2, m), v = narrow(packed, -2, m + 1, n);
  const Tensor s_row = unsqueeze(s, -2), s_column = unsqueeze(s, -1);  // [i, j] reads s_j, s_i
  const Tensor accuracy = accuracy_of(s, std::max(m, n));
  const Tensor da_v = matmul(a_tangent, v);
  const Tensor p = matmul(matrix_transpose(u), da_v);  // U^T dA V
  const Tensor p_transposed = matrix_transpose(p);
  const Tensor symmetric = reciprocal_above(s_row - s_column, accuracy) * (p + p_transposed) * 0.5;
  const Tensor skew = reciprocal_above(s_row + s_column, accuracy) * (p - p_transposed) * 0.5;
  Tensor du = matmul(u, symmetric + skew), dv = matmul(v, symmetric - skew);
  if (m > k || n > k) {
    const Tensor s_inverse_row = unsqueeze(reciprocal_above(s, squeeze(accuracy, -1)), -2);  // scales column j
    if (m > k) du = du + (da_v - matmul(u, p)) * s_inverse_row;
    if (n > k) dv = dv + (matmul(matrix_transpose(a_tangent), u) - matmul(v, p_transposed)) * s_inverse_row;
  }
  return cat({du, unsqueeze(diagonal(p), -2), dv}, -2);
}

}  // namespace

Eigh eigh(const Tensor& a) {
  detail::check_matrices("eigh", a, true);
  const std::int64_t n = a.size(-1);
  Tensor packed;
  {
    NoGradGuard no_grad;
    Tensor values = empty(batch_with(a, {n}), a.dtype(), a.device());
    Tensor vectors = empty(a.shape(), a.dtype(), a.device());
    kernel::eigh(a, values, vectors);
    packed = cat({unsqueeze(values, -2), vectors}, -2);
  }
  packed = record(
      "eigh", packed, {a},
      [n](const Tangents& t, const Tensor& output) { return n == 0 ? Tensor{} : eigh_forward(t[0], output, n); },
      [n](const Tensor& grad_packed, const Tensor& output, const NeedsGrad&) -> Grads {
        if (n == 0) return {zeros(batch_with(grad_packed, {0, 0}), grad_packed.dtype(), grad_packed.device())};
        return {eigh_backward(grad_packed, output, n)};
      },
      /*save_output=*/true);
  return {select(packed, -2, 0), narrow(packed, -2, 1, n)};
}

Tensor eigvalsh(const Tensor& a) {
  detail::check_matrices("eigvalsh", a, true);
  return eigh(a).eigenvalues;
}

SVD svd(const Tensor& a) {
  detail::check_matrices("svd", a, false);
  const std::int64_t m = a.size(-2), n = a.size(-1), k = std::min(m, n);
  Tensor packed;
  {
    NoGradGuard no_grad;
    Tensor u = empty(batch_with(a, {m, k}), a.dtype(), a.device());
    Tensor s = empty(batch_with(a, {k}), a.dtype(), a.device());
    Tensor v = empty(batch_with(a, {n, k}), a.dtype(), a.device());
    kernel::svd(a, u, s, v);
    packed = cat({u, unsqueeze(s, -2), v}, -2);
  }
  packed = record(
      "svd", packed, {a},
      [m, n, k](const Tangents& t, const Tensor& output) {
        return k == 0 ? Tensor{} : svd_forward(t[0], output, m, n);
      },
      [m, n, k](const Tensor& grad_packed, const Tensor& output, const NeedsGrad&) -> Grads {
        if (k == 0) return {zeros(batch_with(grad_packed, {m, n}), grad_packed.dtype(), grad_packed.device())};
        return {svd_backward(grad_packed, output, m, n)};
      },
      /*save_output=*/true);
  return {narrow(packed, -2, 0, m), select(packed, -2, m), narrow(packed, -2, m + 1, n)};
}

Tensor svdvals(const Tensor& a) {
  detail::check_matrices("svdvals", a, false);
  return svd(a).s;
}

}  // namespace lg
