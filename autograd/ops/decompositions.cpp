// Factorisations and solves, batched over the leading dims of [..., n, n].
// Forwards call LAPACK-style kernels; each backward is written with
// differentiable ops (so second order works). Notation: X^T transposes the last
// two dims, Xbar is the gradient of the loss with respect to X, G the incoming
// gradient.
//
// cholesky          A = L L^T. Murray 2016, "Differentiation of the Cholesky
//                   decomposition" (arXiv:1602.07527), symmetric form:
//                   P = Phi(L^T Lbar), Phi = lower triangle with the diagonal halved,
//                   Abar = sym(L^{-T} P L^{-1}), sym(X) = (X + X^T) / 2.
//                   The forward reads A's lower triangle only; the gradient is
//                   the symmetric one, the derivative along symmetric changes of A.
// solve             X = A^{-1} B:  Bbar = A^{-T} G,  Abar = -Bbar X^T.
// triangular_solve  X = T^{-1} B:  Bbar = T^{-T} G,  Tbar = -Bbar X^T restricted to
//                   the triangle the forward reads (without the diagonal when it
//                   is taken as ones).
// inverse           Y = A^{-1}:  Abar = -Y^T G Y^T.
// det               d = det A:  Abar = G d A^{-T} (Jacobi's formula; the backward
//                   needs A invertible, and raises inverse's ValueError otherwise).
// slogdet           log |det A|:  Abar = G A^{-T} (invertible A). The sign is
//                   piecewise constant: no gradient.
// qr                A = Q R, reduced, m >= n, diag(R) > 0. Walter & Lehmann 2018,
//                   "Algorithmic differentiation of linear algebra functions with
//                   application in optimum experimental design"; Liao, Liu, Wang,
//                   Xiang 2019, "Differentiable programming tensor networks",
//                   their QR backward: M = R Rbar^T - Qbar^T Q,
//                   Abar = (Qbar + Q copyltu(M)) R^{-T}, copyltu(M) = tril(M) + tril(M, -1)^T.
//                   Q and R are separate nodes (one output each); M is linear
//                   in (Qbar, Rbar), so each node applies the formula with the
//                   other output's gradient zero, and the two parts add up.
//
// Forward rules (forward_mode.hpp; dX is the tangent of X, each batched over the leading tangent dim T):
//   cholesky          dL = L Phi(L^{-1} sym(dA) L^{-T}): from dA = dL L^T + L dL^T, L^{-1} dL is lower
//                     triangular and L^{-1} dA L^{-T} is it plus its transpose, so Phi takes it back.
//                     sym(dA), as the backward: the derivative along symmetric changes of A.
//   solve             dX = A^{-1} (dB - dA X)            (differentiate A X = B)
//   triangular_solve  dX = T^{-1} (dB - dT X), dT masked to the triangle the forward reads
//   inverse           dY = -Y dA Y
//   det               d det = det tr(A^{-1} dA)          slogdet: d log|det| = tr(A^{-1} dA)
//   qr                C = Q^T dA R^{-1} = Q^T dQ + dR R^{-1}: the first term is antisymmetric, the second
//                     upper triangular, so with Omega = tril(C, -1) - tril(C, -1)^T (Walter & Lehmann 2018)
//                       dR = (C - Omega) R,   dQ = dA R^{-1} - Q (C - Omega).
// A solve's right-hand side carries T tangents [T, ..., n, k]; the solves take them as T k columns of
// one [..., n, T k] right-hand side (fold_columns), one factorisation for all of them.
//
// LAPACK refuses NaN and inf, so an input holding one is a ValueError naming the op.
#include <sstream>
#include <string>
#include <utility>

#include "autograd/forward_mode.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/linalg_checks.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/matmul.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

using detail::check_finite;
using detail::check_matrices;
using detail::check_square;

// The right-hand side B [..., n, k] of a solve with the square matrices `a` [..., n, n].
void check_right_hand_side(std::string_view op, const Tensor& a, const Tensor& b) {
  detail::check_defined(op, b);
  detail::check_same_device(op, a, b);
  detail::check_same_dtype(op, a, b);
  Shape expected(a.shape().begin(), a.shape().end() - 1);
  bool fits = b.dim() == a.dim();
  for (std::size_t d = 0; fits && d < expected.size(); ++d) fits = b.shape()[d] == expected[d];
  if (fits) return;
  std::ostringstream wanted;
  wanted << "[";
  for (std::int64_t size : expected) wanted << size << ", ";
  wanted << "k]";
  fail<ShapeError>(op, "cannot solve with A ", shape_str(a.shape()), " and B ", shape_str(b.shape()),
                   " (B must be ", wanted.str(), ")");
}

// "matrix 3 of [4, 5, 5]", or "matrix [5, 5]" when there is no batch.
std::string which_matrix(const Shape& shape, std::int64_t index) {
  if (shape.size() == 2) return "matrix " + shape_str(shape);
  return "matrix " + std::to_string(index) + " of " + shape_str(shape);
}

void check_invertible(std::string_view op, const Tensor& a, const kernel::FactorStatus& status) {
  if (status.matrix >= 0)
    fail<ValueError>(op, which_matrix(a.shape(), status.matrix), " is singular (U[", status.info - 1, ", ",
                     status.info - 1, "] of its LU factorisation is zero)");
}

// [...] -> [..., 1, 1], to scale each matrix of a batch.
Tensor per_matrix(const Tensor& x) { return unsqueeze(unsqueeze(x, -1), -1); }

// X R^{-T} for upper-triangular R: (R^{-1} X^T)^T.
Tensor times_inverse_transpose_of_upper(const Tensor& x, const Tensor& r) {
  return matrix_transpose(triangular_solve(r, matrix_transpose(x), true));
}

// copyltu(M) = tril(M) + tril(M, -1)^T: the lower triangle mirrored to the upper one.
Tensor copy_lower_to_upper(const Tensor& m) { return tril(m) + matrix_transpose(tril(m, -1)); }

// The QR backward of the header comment; q_grad or r_grad may be undefined (zero).
Tensor qr_backward(const Tensor& q, const Tensor& r, const Tensor& q_grad, const Tensor& r_grad) {
  Tensor m;
  if (r_grad.defined()) m = matmul(r, matrix_transpose(r_grad));
  if (q_grad.defined()) m = m.defined() ? m - matmul(matrix_transpose(q_grad), q) : -matmul(matrix_transpose(q_grad), q);
  Tensor left = matmul(q, copy_lower_to_upper(m));
  if (q_grad.defined()) left = left + q_grad;
  return times_inverse_transpose_of_upper(left, r);
}

// Tangents [T, ..., n, k] as one right-hand side [..., n, T k]: tangent t's k columns side by side.
Tensor fold_columns(const Tensor& tangents) {
  const std::int64_t rank = tangents.dim(), count = tangents.size(0);
  Shape order;  // [..., n, T, k]
  for (std::int64_t d = 1; d < rank - 1; ++d) order.push_back(d);
  order.insert(order.end(), {0, rank - 1});
  Shape shape(tangents.shape().begin() + 1, tangents.shape().end() - 1);
  shape.push_back(count * tangents.size(-1));
  return reshape(permute(tangents, order), shape);
}

// The inverse of fold_columns: [..., n, T k] back to [T, ..., n, k].
Tensor unfold_columns(const Tensor& folded, std::int64_t count) {
  const std::int64_t rank = folded.dim() + 1;
  Shape shape(folded.shape().begin(), folded.shape().end() - 1);
  shape.insert(shape.end(), {count, folded.size(-1) / count});
  Shape order{rank - 2};  // T first, then the rest in place
  for (std::int64_t d = 0; d < rank; ++d)
    if (d != rank - 2) order.push_back(d);
  return permute(reshape(folded, shape), order);
}

// `solver`(M) = M^{-1} B for each of the T right-hand sides B of `tangents` [T, ..., n, k], in one call.
template <class Solver>
Tensor solve_each(const Tensor& tangents, const Solver& solver) {
  return unfold_columns(solver(fold_columns(tangents)), tangents.size(0));
}

// tr(A^{-1} dA) for each tangent dA of `tangents` [T, ..., n, n]: [T, ...].
Tensor trace_of_solved(const Tensor& a, const Tensor& tangents) {
  return trace(solve_each(tangents, [&a](const Tensor& b) { return solve(a, b); }));
}

}  // namespace

Tensor cholesky(const Tensor& a) {
  check_square("cholesky", a);
  check_finite("cholesky", "A", a);
  Tensor l = empty(a.shape(), a.dtype(), a.device());
  const kernel::FactorStatus status = kernel::cholesky(a, l);
  if (status.matrix >= 0)
    fail<ValueError>("cholesky", which_matrix(a.shape(), status.matrix), " is not positive definite (leading minor ",
                     status.info, ")");
  const auto forward = [](const Tangents& t, const Tensor& factor) {
    // M = L^{-1} sym(dA) L^{-T} = L^{-1} (L^{-1} sym(dA))^T, by two triangular solves over all T tangents.
    const auto lower_solve = [&factor](const Tensor& b) { return triangular_solve(factor, b, false); };
    const Tensor half = solve_each(symmetric_part(t[0]), lower_solve);
    Tensor phi = tril(solve_each(matrix_transpose(half), lower_solve));
    phi = phi - 0.5 * diag_embed(diagonal(phi));
    return matmul(factor, phi);
  };
  return record(
      "cholesky", l, {a}, forward,
      [](const Tensor& l_grad, const Tensor& factor, const NeedsGrad&) -> Grads {
        Tensor p = tril(matmul(matrix_transpose(factor), l_grad));
        p = p - 0.5 * diag_embed(diagonal(p));  // Phi
        const Tensor left = triangular_solve(matrix_transpose(factor), p, true);  // L^{-T} P
        // (L^{-T} P) L^{-1} = (L^{-T} (L^{-T} P)^T)^T
        const Tensor both = matrix_transpose(triangular_solve(matrix_transpose(factor), matrix_transpose(left), true));
        return {symmetric_part(both)};
      },
      true);
}

Tensor solve(const Tensor& a, const Tensor& b) {
  check_square("solve", a);
  check_right_hand_side("solve", a, b);
  check_finite("solve", "A", a);
  check_finite("solve", "B", b);
  const std::int64_t n = a.shape().back();
  Shape pivot_shape(a.shape().begin(), a.shape().end() - 1);
  Tensor lu = empty(a.shape(), a.dtype(), a.device()), pivots = empty(pivot_shape, int64, a.device());
  check_invertible("solve", a, kernel::lu_factor(a, lu, pivots));
  Tensor x = empty(b.shape(), b.dtype(), b.device());
  if (n > 0) kernel::lu_solve(lu, pivots, b, x);
  const auto forward = [&a](const Tangents& t, const Tensor& solution) {
    Tensor rhs = t[1];
    if (t[0].defined()) rhs = t[1].defined() ? t[1] - matmul(t[0], solution) : -matmul(t[0], solution);
    return solve_each(rhs, [&a](const Tensor& folded) { return solve(a, folded); });
  };
  return record(
      "solve", x, {a, b}, forward,
      [saved = SavedTensor(a)](const Tensor& g, const Tensor& solution, const NeedsGrad& needs) -> Grads {
        const Tensor b_grad = solve(matrix_transpose(saved.get("solve")), g);
        return {needs[0] ? -matmul(b_grad, matrix_transpose(solution)) : Tensor{}, b_grad};
      },
      true);
}

Tensor triangular_solve(const Tensor& t, const Tensor& b, bool upper, bool unit_diagonal) {
  check_square("triangular_solve", t);
  check_right_hand_side("triangular_solve", t, b);
  check_finite("triangular_solve", "T", t);
  check_finite("triangular_solve", "B", b);
  Tensor x = empty(b.shape(), b.dtype(), b.device());
  const kernel::FactorStatus status = kernel::triangular_solve(t, b, x, upper, unit_diagonal);
  if (status.matrix >= 0)
    fail<ValueError>("triangular_solve", which_matrix(t.shape(), status.matrix), " is singular (T[", status.info - 1,
                     ", ", status.info - 1, "] is zero)");
  const auto forward = [&t, upper, unit_diagonal](const Tangents& tangents, const Tensor& solution) {
    Tensor rhs = tangents[1];
    if (tangents[0].defined()) {
      // Only the triangle the kernel reads moves T (its diagonal too, unless it is taken as ones).
      const std::int64_t skip_diagonal = unit_diagonal ? 1 : 0;
      const Tensor moved = upper ? triu(tangents[0], skip_diagonal) : tril(tangents[0], -skip_diagonal);
      rhs = rhs.defined() ? rhs - matmul(moved, solution) : -matmul(moved, solution);
    }
    return solve_each(rhs, [&](const Tensor& folded) { return triangular_solve(t, folded, upper, unit_diagonal); });
  };
  return record(
      "triangular_solve", x, {t, b}, forward,
      [saved = SavedTensor(t), upper, unit_diagonal](const Tensor& g, const Tensor& solution,
                                                     const NeedsGrad& needs) -> Grads {
        // T^T's upper triangle is T's lower one.
        const Tensor b_grad =
            triangular_solve(matrix_transpose(saved.get("triangular_solve")), g, !upper, unit_diagonal);
        Tensor t_grad;
        if (needs[0]) {
          const Tensor full = -matmul(b_grad, matrix_transpose(solution));
          const std::int64_t skip_diagonal = unit_diagonal ? 1 : 0;
          t_grad = upper ? triu(full, skip_diagonal) : tril(full, -skip_diagonal);
        }
        return {t_grad, b_grad};
      },
      true);
}

Tensor inverse(const Tensor& a) {
  check_square("inverse", a);
  check_finite("inverse", "A", a);
  const std::int64_t n = a.shape().back();
  Shape pivot_shape(a.shape().begin(), a.shape().end() - 1);
  Tensor lu = empty(a.shape(), a.dtype(), a.device()), pivots = empty(pivot_shape, int64, a.device());
  check_invertible("inverse", a, kernel::lu_factor(a, lu, pivots));
  Tensor y = empty(a.shape(), a.dtype(), a.device());
  if (n > 0) {
    NoGradGuard no_grad;  // the identity is a constant
    kernel::lu_solve(lu, pivots, expand(eye(n, a.dtype()).to(a.device()), a.shape()), y);
  }
  return record(
      "inverse", y, {a},
      [](const Tangents& t, const Tensor& inverse_of_a) { return -matmul(matmul(inverse_of_a, t[0]), inverse_of_a); },
      [](const Tensor& g, const Tensor& inverse_of_a, const NeedsGrad&) -> Grads {
        const Tensor transposed = matrix_transpose(inverse_of_a);
        return {-matmul(matmul(transposed, g), transposed)};
      },
      true);
}

SignLogDet slogdet(const Tensor& a) {
  check_square("slogdet", a);
  check_finite("slogdet", "A", a);
  Shape batch(a.shape().begin(), a.shape().end() - 2), pivot_shape(a.shape().begin(), a.shape().end() - 1);
  Tensor lu = empty(a.shape(), a.dtype(), a.device()), pivots = empty(pivot_shape, int64, a.device());
  kernel::lu_factor(a, lu, pivots);  // a singular matrix is fine here: sign 0, log |det| = -inf
  Tensor sign = empty(batch, a.dtype(), a.device()), logabsdet = empty(batch, a.dtype(), a.device());
  kernel::lu_slogdet(lu, pivots, sign, logabsdet);
  logabsdet = record("slogdet", logabsdet, {a},
                     [&a](const Tangents& t, const Tensor&) { return trace_of_solved(a, t[0]); },
                     [saved = SavedTensor(a)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                       return {per_matrix(g) * matrix_transpose(inverse(saved.get("slogdet")))};
                     });
  return {sign, logabsdet};
}

Tensor det(const Tensor& a) {
  check_square("det", a);
  check_finite("det", "A", a);
  Shape batch(a.shape().begin(), a.shape().end() - 2), pivot_shape(a.shape().begin(), a.shape().end() - 1);
  Tensor lu = empty(a.shape(), a.dtype(), a.device()), pivots = empty(pivot_shape, int64, a.device());
  kernel::lu_factor(a, lu, pivots);  // a singular matrix has det 0
  Tensor sign = empty(batch, a.dtype(), a.device()), d = empty(batch, a.dtype(), a.device());
  kernel::lu_slogdet(lu, pivots, sign, d);
  kernel::unary(kernel::Unary::exp, d, d);        // |det A| (0 when singular: exp(-inf))
  kernel::binary(kernel::Binary::mul, d, sign, d);  // det A
  return record(
      "det", d, {a},
      [&a](const Tangents& t, const Tensor& determinant) { return trace_of_solved(a, t[0]) * determinant; },
      [saved = SavedTensor(a)](const Tensor& g, const Tensor& determinant, const NeedsGrad&) -> Grads {
        return {per_matrix(g * determinant) * matrix_transpose(inverse(saved.get("det")))};
      },
      true);
}

QR qr(const Tensor& a) {
  check_matrices("qr", a);
  const std::int64_t m = a.shape()[a.dim() - 2], n = a.shape().back();
  check<ShapeError>(m >= n, "qr", "expected tall or square matrices [..., m, n] with m >= n, got ",
                    shape_str(a.shape()));
  check_finite("qr", "A", a);
  Shape r_shape(a.shape().begin(), a.shape().end() - 2);
  r_shape.insert(r_shape.end(), {n, n});
  Tensor q, r;
  {
    NoGradGuard no_grad;  // the forward works on values; record() below makes the two nodes
    const std::int64_t count = numel_of(Shape(a.shape().begin(), a.shape().end() - 2));
    const Tensor matrices = reshape(a.detach(), {count, m, n});
    Tensor q_all = empty({count, m, n}, a.dtype(), a.device()), r_all = empty({count, n, n}, a.dtype(), a.device());
    if (n > 0)
      for (std::int64_t i = 0; i < count; ++i)
        kernel::qr(select(matrices, 0, i), select(q_all, 0, i), select(r_all, 0, i));
    // The kernel returns R with a positive diagonal (+ at an exact 0), which makes Q and R unique.
    q = reshape(q_all, a.shape());
    r = reshape(r_all, r_shape);
  }
  // The Q node rebuilds R as triu(Q^T A), the R node keeps Q: neither holds its own output.
  // Forward: both rules compute C - Omega (header comment) from recorded values of Q and R, so that
  // reverse mode through the tangents sees how Q and R depend on A.
  const auto upper_part_of_c = [](const Tensor& q_value, const Tensor& r_value, const Tensor& da) {
    // dA R^{-1} = (R^{-T} dA^T)^T, R^T lower triangular; C = Q^T (dA R^{-1}).
    const auto lower_solve = [&r_value](const Tensor& b) {
      return triangular_solve(matrix_transpose(r_value), b, false);
    };
    const Tensor da_r = matrix_transpose(solve_each(matrix_transpose(da), lower_solve));
    const Tensor c = matmul(matrix_transpose(q_value), da_r);
    const Tensor strict = tril(c, -1);
    return std::pair{da_r, c - (strict - matrix_transpose(strict))};  // dA R^{-1} and C - Omega
  };
  q = record(
      "qr", q, {a},
      [&a, &upper_part_of_c](const Tangents& t, const Tensor& q_out) {
        const auto [da_r, upper_c] = upper_part_of_c(q_out, triu(matmul(matrix_transpose(q_out), a)), t[0]);
        return da_r - matmul(q_out, upper_c);
      },
      [saved = SavedTensor(a)](const Tensor& q_grad, const Tensor& q_out, const NeedsGrad&) -> Grads {
        const Tensor r_again = triu(matmul(matrix_transpose(q_out), saved.get("qr")));
        return {qr_backward(q_out, r_again, q_grad, Tensor{})};
      },
      true);
  r = record(
      "qr", r, {a},
      [&q, &upper_part_of_c](const Tangents& t, const Tensor& r_out) {
        return matmul(upper_part_of_c(q, r_out, t[0]).second, r_out);
      },
      [saved_q = SavedTensor(q)](const Tensor& r_grad, const Tensor& r_out, const NeedsGrad&) -> Grads {
        return {qr_backward(saved_q.get("qr"), r_out, Tensor{}, r_grad)};
      },
      true);
  return {q, r};
}

}  // namespace lg
