// Matrix functions, batched over leading dims. X^T is the transpose of each matrix, ∘ the
// elementwise product, G the gradient of the output.
//
//   sqrtm, logm (symmetric positive-definite A) and expm (symmetric A), through A = V diag(w) V^T:
//     f(A) = V diag(f(w)) V^T, returned exactly symmetric. The Daleckii-Krein theorem (Daleckii and
//     Krein 1965; Higham 2008, "Functions of Matrices", Chapter 3) gives the backward
//       Abar = V (D ∘ (V^T sym(G) V)) V^T,  D_ij = (f(w_i) - f(w_j)) / (w_i - w_j),  D_ii = f'(w_i),
//     where sym(G) = (G + G^T) / 2. Unlike eigh's backward this has no 1 / (w_i - w_j) in it: a
//     divided difference tends to the derivative as w_j -> w_i, so A = I and repeated eigenvalues
//     have exact, finite gradients. D is written so that it stays accurate for close values:
//       sqrt: D_ij = 1 / (sqrt(w_i) + sqrt(w_j))
//       exp:  D_ij = e^(w_j) phi(w_i - w_j),          phi(x) = expm1(x) / x
//       log:  D_ij = phi((w_i - w_j) / w_j) / w_j,    phi(x) = log1p(x) / x
//     with phi's Taylor polynomial where |x| < 1e-3 (the quotient is 0/0 at x = 0, and its own
//     derivative loses digits near 0). D is built from differentiable ops of w, and V and w come from
//     a recorded eigh, so the backward is itself differentiable: second order is exact wherever the
//     eigenvalues are distinct. Where two coincide (A = I) it is not: the second derivative has a part
//     from the eigenvectors turning within the repeated eigenspace, which eigh's masked F leaves out.
//
//   matrix_exp (general square A): e^A by scaling and squaring with a Pade approximant, the kernel's
//     work (backend/cpu/matrix_exp.cpp, Higham 2005). The backward is the adjoint of the Frechet
//     derivative, Abar = L(A^T, G), read off a block matrix (Mathias 1996, "A chain rule for matrix
//     functions and applications"; Higham 2008, Chapter 3):
//       exp([[X, E], [0, X]]) = [[e^X, L(X, E)], [0, e^X]].
//     The block exponential is matrix_exp itself, so the backward is differentiable (second order).
//     L is linear in E, so G is scaled to unit largest entry first and the result scaled back: the
//     block's norm, hence the number of squarings, does not grow with the size of G.
#include <cmath>

#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/join.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/matmul.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/spectral_helpers.hpp"
#include "autograd/ops/unary.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

// phi(x) for the divided differences: `quotient` (evaluated only where |x| >= 1e-3, elsewhere at
// x = 1, so no 0/0 enters even an unused gradient) or the Taylor `series` near 0.
template <class Quotient, class Series>
Tensor quotient_near_zero(const Tensor& x, Quotient quotient, Series series) {
  const Tensor near_zero = abs(x.detach()) < 1e-3;  // a constant mask
  return where(near_zero, series(x), quotient(where(near_zero, ones_like(x), x)));
}

// [i, j] = w_i - w_j of each vector w [..., n].
Tensor differences(const Tensor& w) { return unsqueeze(w, -1) - unsqueeze(w, -2); }

Tensor sqrt_divided_differences(const Tensor& w) {
  const Tensor root = sqrt(w);
  return 1.0 / (unsqueeze(root, -1) + unsqueeze(root, -2));
}

Tensor exp_divided_differences(const Tensor& w) {
  const Tensor phi = quotient_near_zero(
      differences(w), [](const Tensor& x) { return expm1(x) / x; },
      // 1 + x/2 + x^2/6 + x^3/24 + x^4/120: the error x^5/720 is below float64's roundoff at 1e-3
      [](const Tensor& x) { return 1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0)))); });
  return unsqueeze(exp(w), -2) * phi;
}

Tensor log_divided_differences(const Tensor& w) {
  const Tensor w_j = unsqueeze(w, -2);
  const Tensor phi = quotient_near_zero(
      differences(w) / w_j, [](const Tensor& x) { return log1p(x) / x; },
      // 1 - x/2 + x^2/3 - x^3/4 + x^4/5 - x^5/6: the error x^6/7 is below float64's roundoff at 1e-3
      [](const Tensor& x) {
        return 1.0 + x * (-0.5 + x * (1.0 / 3.0 + x * (-0.25 + x * (0.2 + x * (-1.0 / 6.0)))));
      });
  return phi / w_j;
}

// V diag(values) V^T, made exactly symmetric.
Tensor from_eigen(const Tensor& vectors, const Tensor& values) {
  return symmetric_part(matmul(vectors * unsqueeze(values, -2), matrix_transpose(vectors)));
}

// ValueError unless every eigenvalue is positive, naming the first matrix of the batch that has one
// that is not.
void check_positive_definite(std::string_view op, const Tensor& eigenvalues) {
  const std::int64_t n = eigenvalues.size(-1);
  const std::vector<double> values = eigenvalues.to_vector<double>();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] <= 0.0)
      fail<ValueError>(op, "expected symmetric positive-definite matrices, but matrix ",
                       static_cast<std::int64_t>(i) / n, " of the batch has the eigenvalue ", values[i]);
}

using ValueFunction = Tensor (*)(const Tensor&);
using DividedDifferences = Tensor (*)(const Tensor&);

// f(A) = V f(w) V^T with the Daleckii-Krein backward (file comment).
Tensor symmetric_function(std::string_view op, const Tensor& a, ValueFunction f, DividedDifferences divided,
                          bool positive_definite) {
  detail::check_matrices(op, a, true);
  const Eigh e = eigh(a);  // recorded when a requires grad: the backward's V and w depend on A
  if (positive_definite) check_positive_definite(op, e.eigenvalues);
  Tensor out;
  {
    NoGradGuard no_grad;
    out = from_eigen(e.eigenvectors, f(e.eigenvalues));
  }
  return record(op, out, {a},
                [op, divided, saved_vectors = SavedTensor(e.eigenvectors), saved_values = SavedTensor(e.eigenvalues)](
                    const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& v = saved_vectors.get(op);
                  const Tensor inner = divided(saved_values.get(op)) * matmul(matmul(matrix_transpose(v), symmetric_part(g)), v);
                  return {matmul(matmul(v, inner), matrix_transpose(v))};
                });
}

Tensor exp_values(const Tensor& w) { return exp(w); }
Tensor log_values(const Tensor& w) { return log(w); }
Tensor sqrt_values(const Tensor& w) { return sqrt(w); }

// L(X, E), the Frechet derivative of exp at X in the direction E: the top-right block of
// exp([[X, E], [0, X]]) (file comment).
Tensor exp_frechet_derivative(const Tensor& x, const Tensor& e) {
  const std::int64_t n = x.size(-1);
  // The largest |E_ij| of each matrix, 1 for a zero matrix: a constant [..., 1, 1].
  const Tensor largest = unsqueeze(max(abs(flatten(e.detach(), -2, -1)), -1, true).values, -1);
  const Tensor scale = where(largest > 0.0, largest, ones_like(largest));
  const Tensor block = cat({cat({x, e / scale}, -1), cat({zeros_like(x), x}, -1)}, -2);
  return narrow(narrow(matrix_exp(block), -2, 0, n), -1, n, n) * scale;
}

}  // namespace

Tensor matrix_exp(const Tensor& a) {
  detail::check_matrices("matrix_exp", a, true);
  Tensor out = empty(a.shape(), a.dtype(), a.device());
  kernel::matrix_exp(a, out);
  return record("matrix_exp", out, {a},
                [saved = SavedTensor(a)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& x = saved.get("matrix_exp");
                  if (x.numel() == 0) return {zeros_like(g)};
                  return {exp_frechet_derivative(matrix_transpose(x), g)};
                });
}

Tensor sqrtm(const Tensor& a) { return symmetric_function("sqrtm", a, sqrt_values, sqrt_divided_differences, true); }

Tensor logm(const Tensor& a) { return symmetric_function("logm", a, log_values, log_divided_differences, true); }

Tensor expm(const Tensor& a) { return symmetric_function("expm", a, exp_values, exp_divided_differences, false); }

}  // namespace lg
