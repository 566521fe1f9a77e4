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
//     derivative loses digits near 0).
//     Second order: differentiating this backward through eigh would go wrong where eigenvalues
//     coincide (eigh's F is masked there, and the eigenvectors of a repeated eigenvalue are not
//     functions of A). So the backward B(A, G) = V (D ∘ (V^T sym(G) V)) V^T is a node of its own, with
//     the second-order Daleckii-Krein formula as its backward (Daleckii and Krein 1965; Higham and
//     Relton 2014, "Higher order Frechet derivatives of matrix functions and the level-2 condition
//     number"): with G~ = V^T sym(G) V and H~ = V^T sym(H) V for H the gradient of B,
//       Abar = sym(V Ebar V^T),  Ebar_pq = sum_j f[w_p, w_q, w_j] (H~_pj G~_qj + G~_pj H~_qj),
//       Gbar = B(A, H)  (B is self-adjoint in G),
//     where f[x, y, z] = (f[x, z] - f[y, z]) / (x - y) is the second divided difference, f''(x) / 2 when
//     all three coincide. Divided differences are limits, not quotients, so this is exact at A = I
//     and at repeated eigenvalues too. It costs an [..., n, n, n] tensor, in the second-order
//     backward only. Third and higher orders go through eigh: exact at best where the eigenvalues
//     are distinct, and untested.
//
//   matrix_exp (general square A): e^A by scaling and squaring with a Pade approximant, the kernel's
//     work (backend/cpu/matrix_exp.cpp, Higham 2005). The backward is the adjoint of the Frechet
//     derivative, Abar = L(A^T, G), read off a block matrix (Mathias 1996, "A chain rule for matrix
//     functions and applications"; Higham 2008, Chapter 3):
//       exp([[X, E], [0, X]]) = [[e^X, L(X, E)], [0, e^X]].
//     The block exponential is matrix_exp itself, so the backward is differentiable (second order).
//     L is linear in E, so G is scaled to unit largest entry first and the result scaled back: the
//     block's norm, hence the number of squarings, does not grow with the size of G.
//
// Forward rules (forward_mode.hpp): the tangent of f(A) is the Frechet derivative itself, L(A, dA).
//   sqrtm, logm, expm: L(A, dA) = V (D ∘ (V^T sym(dA) V)) V^T, which is the backward's map B(A, dA)
//     (L is self-adjoint), so the rule calls the backward's node: its reverse mode is the exact
//     second-order formula above, and reverse over forward stays exact at repeated eigenvalues.
//   Their backward nodes B(A, G): linear in G, so dB = B(A, dG); along dA the second-order formula
//     read forwards (its Abar is the adjoint of this): with G~ = V^T sym(G) V, D~ = V^T sym(dA) V,
//       dB = V E V^T,  E_pq = sum_j f[w_p, w_q, w_j] (D~_pj G~_qj + G~_pj D~_qj).
//   matrix_exp: dY = L(A, dA), the top-right block of exp([[A, dA], [0, A]]).
// The T tangents [T, ..., n, n] go through these as a leading batch dim, with A expanded to match.
#include <cmath>

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

// phi(x) for the divided differences: `quotient` (evaluated only where |x| >= 1e-3, elsewhere at
// x = 1, so no 0/0 enters even an unused gradient) or the Taylor `series` near 0.
template <class Quotient, class Series>
Tensor quotient_near_zero(const Tensor& x, Quotient quotient, Series series) {
  const Tensor near_zero = abs(x.detach()) < 1e-3;  // a constant mask
  return where(near_zero, series(x), quotient(where(near_zero, ones_like(x), x)));
}

// The first divided differences f[x, y] = (f(x) - f(y)) / (x - y), f'(x) at x = y, elementwise
// (x and y broadcast), in the forms of the file comment.
Tensor sqrt_divided(const Tensor& x, const Tensor& y) { return 1.0 / (sqrt(x) + sqrt(y)); }

Tensor exp_divided(const Tensor& x, const Tensor& y) {
  const Tensor phi = quotient_near_zero(
      x - y, [](const Tensor& d) { return expm1(d) / d; },
      // 1 + d/2 + d^2/6 + d^3/24 + d^4/120: the error d^5/720 is below float64's roundoff at 1e-3
      [](const Tensor& d) { return 1.0 + d * (0.5 + d * (1.0 / 6.0 + d * (1.0 / 24.0 + d * (1.0 / 120.0)))); });
  return exp(y) * phi;
}

Tensor log_divided(const Tensor& x, const Tensor& y) {
  const Tensor phi = quotient_near_zero(
      (x - y) / y, [](const Tensor& d) { return log1p(d) / d; },
      // 1 - d/2 + d^2/3 - d^3/4 + d^4/5 - d^5/6: the error d^6/7 is below float64's roundoff at 1e-3
      [](const Tensor& d) {
        return 1.0 + d * (-0.5 + d * (1.0 / 3.0 + d * (-0.25 + d * (0.2 + d * (-1.0 / 6.0)))));
      });
  return phi / y;
}

// f''(x) / 2, the second divided difference f[x, x, x].
Tensor sqrt_half_second_derivative(const Tensor& x) { return pow(x, -1.5) * -0.125; }
Tensor log_half_second_derivative(const Tensor& x) { return -0.5 / (x * x); }
Tensor exp_half_second_derivative(const Tensor& x) { return exp(x) * 0.5; }

Tensor sqrt_values(const Tensor& w) { return sqrt(w); }
Tensor log_values(const Tensor& w) { return log(w); }
Tensor exp_values(const Tensor& w) { return exp(w); }

// A function of symmetric matrices through their eigenvalues: f, its divided differences, f'' / 2.
struct SpectralFunction {
  std::string_view name;           // the op: "sqrtm", "logm", "expm"
  std::string_view backward_name;  // its backward's node: "sqrtm_backward", ...
  Tensor (*values)(const Tensor&);
  Tensor (*divided)(const Tensor&, const Tensor&);
  Tensor (*half_second_derivative)(const Tensor&);
  bool positive_definite;  // whether the domain is the SPD matrices
};

constexpr SpectralFunction kSqrt{"sqrtm", "sqrtm_backward", sqrt_values, sqrt_divided, sqrt_half_second_derivative,
                                 true};
constexpr SpectralFunction kLog{"logm", "logm_backward", log_values, log_divided, log_half_second_derivative, true};
constexpr SpectralFunction kExp{"expm", "expm_backward", exp_values, exp_divided, exp_half_second_derivative, false};

// T[..., p, q, j] = f[w_p, w_q, w_j]. The quotient (f[x, z] - f[y, z]) / (x - y) is taken over the
// pair of the three that lies furthest apart, so it never divides by a small difference; where all
// three lie within delta = eps^(1/3) max|w| of each other (6e-6 in float64, 5e-3 in float32), f''(m) / 2
// at their mean m. That balances the two errors, relative: the mean's is second order in the
// spread, delta^2, and the quotient's cancellation costs eps / delta.
Tensor second_divided_differences(const SpectralFunction& f, const Tensor& w) {
  const Tensor x = unsqueeze(unsqueeze(w, -1), -1), y = unsqueeze(unsqueeze(w, -2), -1),
               z = unsqueeze(unsqueeze(w, -2), -2);  // [..., n, 1, 1], [..., 1, n, 1], [..., 1, 1, n]
  const Tensor xd = x.detach(), yd = y.detach(), zd = z.detach();
  const Tensor xy = abs(xd - yd), xz = abs(xd - zd), yz = abs(yd - zd);  // constant spreads
  const Tensor largest = unsqueeze(unsqueeze(max(abs(w.detach()), -1, true).values, -1), -1);
  const Tensor apart = gt(maximum(maximum(xy, xz), yz), largest * std::cbrt(detail::epsilon_of(w)));
  const Tensor use_xy = apart * ge(xy, xz) * ge(xy, yz);
  const Tensor use_xz = apart * (1.0 - use_xy) * ge(xz, yz);
  const Tensor use_yz = apart * (1.0 - use_xy) * (1.0 - use_xz);
  const auto safe = [](const Tensor& mask, const Tensor& difference) {
    return where(mask, difference, ones_like(difference));  // no 0 denominator, even where unused
  };
  const Tensor over_xy = (f.divided(x, z) - f.divided(y, z)) / safe(use_xy, x - y);
  const Tensor over_xz = (f.divided(x, y) - f.divided(z, y)) / safe(use_xz, x - z);
  const Tensor over_yz = (f.divided(y, x) - f.divided(z, x)) / safe(use_yz, y - z);
  const Tensor at_mean = f.half_second_derivative((x + y + z) / 3.0);
  return where(use_xy, over_xy, where(use_xz, over_xz, where(use_yz, over_yz, at_mean)));
}

// V diag(values) V^T, made exactly symmetric.
Tensor from_eigen(const Tensor& vectors, const Tensor& values) {
  return symmetric_part(matmul(vectors * unsqueeze(values, -2), matrix_transpose(vectors)));
}

// V^T X V: X in the eigenbasis.
Tensor in_eigenbasis(const Tensor& v, const Tensor& x) { return matmul(matmul(matrix_transpose(v), x), v); }
// V X V^T: X back from the eigenbasis.
Tensor from_eigenbasis(const Tensor& v, const Tensor& x) { return matmul(matmul(v, x), matrix_transpose(v)); }

// The backward of f(A): L(A, sym G) = V (D ∘ (V^T sym(G) V)) V^T, D_ij = f[w_i, w_j]. It is a node
// of its own, with inputs A and G, whose backward is the second-order Daleckii-Krein formula (file
// comment): so second order is exact even where eigenvalues coincide.
Tensor frechet_adjoint(const SpectralFunction& f, const Tensor& a, const Tensor& v, const Tensor& w, const Tensor& g) {
  Tensor out;
  {
    NoGradGuard no_grad;
    const detail::ForwardRuleGuard no_tangents;  // the values only: the rule below gives the tangents
    out = from_eigenbasis(v, f.divided(unsqueeze(w, -1), unsqueeze(w, -2)) * in_eigenbasis(v, symmetric_part(g)));
  }
  const auto forward = [&f, &a, &v, &w, &g](const Tangents& t, const Tensor&) {
    Tensor tangent;
    if (t[1].defined()) tangent = frechet_adjoint(f, expand(a, t[1].shape()), v, w, t[1]);  // B(A, dG)
    if (t[0].defined()) {
      const Tensor g_tilde = in_eigenbasis(v, symmetric_part(g));
      const Tensor d_tilde = in_eigenbasis(v, symmetric_part(t[0]));
      // [T, ..., p, q, j]: D~_pj G~_qj + G~_pj D~_qj
      const Tensor pairs =
          unsqueeze(d_tilde, -2) * unsqueeze(g_tilde, -3) + unsqueeze(g_tilde, -2) * unsqueeze(d_tilde, -3);
      const Tensor e = sum(second_divided_differences(f, w) * pairs, {-1});
      tangent = add_tangents(tangent, from_eigenbasis(v, e));
    }
    return tangent;
  };
  return record(f.backward_name, out, {a, g}, forward,
                [f, saved_a = SavedTensor(a), saved_v = SavedTensor(v), saved_w = SavedTensor(w),
                 saved_g = SavedTensor(g)](const Tensor& h, const Tensor&, const NeedsGrad& needs) -> Grads {
                  const Tensor& vectors = saved_v.get(f.backward_name);
                  const Tensor& values = saved_w.get(f.backward_name);
                  Tensor a_bar, g_bar;
                  if (needs[0]) {
                    const Tensor g_tilde = in_eigenbasis(vectors, symmetric_part(saved_g.get(f.backward_name)));
                    const Tensor h_tilde = in_eigenbasis(vectors, symmetric_part(h));
                    // Ebar_pq = sum_j f[w_p, w_q, w_j] (H_pj G_qj + G_pj H_qj), in the eigenbasis
                    const Tensor pairs = unsqueeze(h_tilde, -2) * unsqueeze(g_tilde, -3) +
                                         unsqueeze(g_tilde, -2) * unsqueeze(h_tilde, -3);
                    const Tensor e_bar = sum(second_divided_differences(f, values) * pairs, {-1});
                    a_bar = symmetric_part(from_eigenbasis(vectors, e_bar));
                  }
                  // L(A, .) is self-adjoint on symmetric matrices: G's gradient is L(A, sym H).
                  if (needs[1]) g_bar = frechet_adjoint(f, saved_a.get(f.backward_name), vectors, values, h);
                  return {a_bar, g_bar};
                });
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

// f(A) = V f(w) V^T with the Daleckii-Krein backward (file comment).
Tensor symmetric_function(const SpectralFunction& f, const Tensor& a) {
  detail::check_matrices(f.name, a, true);
  Eigh e;
  {
    // Recorded when a requires grad: the backward's V and w depend on A. Their tangents are never
    // read (the rule below works from dA), so eigh's rule is skipped.
    const detail::ForwardRuleGuard no_tangents;
    e = eigh(a);
  }
  if (f.positive_definite) check_positive_definite(f.name, e.eigenvalues);
  Tensor out;
  {
    NoGradGuard no_grad;
    out = from_eigen(e.eigenvectors, f.values(e.eigenvalues));
  }
  const auto forward = [&f, &a, &e](const Tangents& t, const Tensor&) {
    return frechet_adjoint(f, expand(a, t[0].shape()), e.eigenvectors, e.eigenvalues, t[0]);  // L(A, dA)
  };
  return record(f.name, out, {a}, forward,
                [f, saved_a = SavedTensor(a), saved_v = SavedTensor(e.eigenvectors),
                 saved_w = SavedTensor(e.eigenvalues)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {frechet_adjoint(f, saved_a.get(f.name), saved_v.get(f.name), saved_w.get(f.name), g)};
                });
}

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
  const auto forward = [&a](const Tangents& t, const Tensor&) {
    return a.numel() == 0 ? Tensor{} : exp_frechet_derivative(expand(a, t[0].shape()), t[0]);
  };
  return record("matrix_exp", out, {a}, forward,
                [saved = SavedTensor(a)](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor& x = saved.get("matrix_exp");
                  if (x.numel() == 0) return {zeros_like(g)};
                  return {exp_frechet_derivative(matrix_transpose(x), g)};
                });
}

Tensor sqrtm(const Tensor& a) { return symmetric_function(kSqrt, a); }

Tensor logm(const Tensor& a) { return symmetric_function(kLog, a); }

Tensor expm(const Tensor& a) { return symmetric_function(kExp, a); }

}  // namespace lg
