// The spectral ops against their definitions and closed forms (docs/testing.md, G3 values): U S V^T
// = A with orthonormal factors, A = V diag(w) V^T, products of eigenvalues, expm(logm(A)) = A,
// sqrtm(A)^2 = A, the exponential of a rotation generator; gradients where eigenvalues coincide
// (A = I, a repeated eigenvalue) against finite differences and closed forms; float32 against
// float64; and the same bits on the test device.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <numbers>

#include <latentgeo.hpp>

#include "autograd/backend/kernels.hpp"

#include "reference.hpp"
#include "spectral_reference.hpp"

namespace lg::testing {
namespace {

Tensor transposed(const Tensor& x) { return transpose(x, -2, -1); }
Tensor symmetrised(const Tensor& x) { return (x + transposed(x)) * 0.5; }

// The largest |x_i - y_i|.
double max_difference(const Tensor& x, const Tensor& y) { return max(abs(x - y)).item(); }
double max_magnitude(const Tensor& x) { return max(abs(x)).item(); }

// Whether every value is finite.
bool all_finite(const Tensor& x) {
  for (double v : values_of(x))
    if (!std::isfinite(v)) return false;
  return true;
}

// The k x k identity for columns [..., m, k] (broadcast over the leading dims where compared).
Tensor identity_like(const Tensor& columns) { return eye(columns.size(-1), columns.dtype()); }

// Random values strictly above the diagonal of each matrix of a [..., n, n], zeros elsewhere.
Tensor noise_above_diagonal(Generator& g, const Tensor& a) {
  const std::int64_t n = a.size(-1);
  std::vector<double> values(static_cast<std::size_t>(a.numel()), 0.0);
  for (std::size_t index = 0; index < values.size(); ++index) {
    const auto within = static_cast<std::int64_t>(index) % (n * n);
    if (within % n > within / n) values[index] = g.next_normal();
  }
  return make(values, a.shape());
}

// Whether each column's entry of largest magnitude is positive (linalg.hpp's sign rule).
bool largest_entries_positive(const Tensor& columns) {
  const std::int64_t rows = columns.size(-2), k = columns.size(-1);
  const std::vector<double> values = values_of(columns);
  for (std::size_t start = 0; start < values.size(); start += static_cast<std::size_t>(rows * k))
    for (std::int64_t j = 0; j < k; ++j) {
      double largest = 0;
      for (std::int64_t i = 0; i < rows; ++i) {
        const double v = values[start + static_cast<std::size_t>(i * k + j)];
        if (std::abs(v) > std::abs(largest)) largest = v;
      }
      if (largest < 0) return false;
    }
  return true;
}

// A symmetric positive-definite n x n matrix B B^T + n I.
Tensor random_spd(Generator& g, std::int64_t n) {
  const Tensor b = randn({n, n}, float64, &g);
  return symmetrised(matmul(b, transposed(b)) + eye(n, float64) * static_cast<double>(n));
}

// gradcheck and gradgradcheck of x -> f(sym(x)) at x = `at`.
GradcheckResult check_gradient(const std::string& name, Tensor (*f)(const Tensor&), const Tensor& at) {
  return gradcheck(name, [f](const std::vector<Tensor>& in) { return f(symmetrised(in[0])); },
                   {at.detach().clone().requires_grad_()});
}
GradcheckResult check_second_order(const std::string& name, Tensor (*f)(const Tensor&), const Tensor& at) {
  return gradgradcheck(name, [f](const std::vector<Tensor>& in) { return f(symmetrised(in[0])); },
                       {at.detach().clone().requires_grad_()});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(linalg_spectral_values)

BOOST_AUTO_TEST_CASE(svd_reconstructs_a_with_orthonormal_factors) {
  Generator g(5);
  for (const Shape& shape : {Shape{5, 3}, Shape{3, 5}, Shape{4, 4}, Shape{2, 4, 3}, Shape{1, 1}}) {
    const Tensor a = randn(shape, float64, &g);
    const SVD d = svd(a);
    const Tensor rebuilt = matmul(d.u * unsqueeze(d.s, -2), transposed(d.v));
    BOOST_TEST(max_difference(rebuilt, a) <= 1e-12 * norm(a).item(), shape_str(shape));
    BOOST_TEST(max_difference(matmul(transposed(d.u), d.u), identity_like(d.u)) <= 1e-13, shape_str(shape));
    BOOST_TEST(max_difference(matmul(transposed(d.v), d.v), identity_like(d.v)) <= 1e-13, shape_str(shape));
    BOOST_TEST(largest_entries_positive(d.u), shape_str(shape));
    const std::vector<double> s = values_of(d.s);
    const std::int64_t k = d.s.size(-1);
    for (std::size_t i = 0; i < s.size(); ++i) {
      BOOST_TEST(s[i] >= 0.0);
      if (static_cast<std::int64_t>(i) % k != 0) BOOST_TEST(s[i - 1] >= s[i], "descending at " << i);
    }
    BOOST_TEST(max_difference(svdvals(a), d.s) == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(eigh_factorises_with_orthonormal_eigenvectors_and_the_known_spectrum) {
  Generator g(6);
  const std::vector<double> spectrum = {-3.0, -0.5, 0.25, 2.0, 7.0};
  const Tensor a = with_eigenvalues(g, {2}, spectrum);
  const Eigh e = eigh(a);
  const Tensor rebuilt = matmul(e.eigenvectors * unsqueeze(e.eigenvalues, -2), transposed(e.eigenvectors));
  BOOST_TEST(max_difference(rebuilt, a) <= 1e-13 * 7.0);
  const Tensor gram = matmul(transposed(e.eigenvectors), e.eigenvectors);
  BOOST_TEST(max_difference(gram, identity_like(e.eigenvectors)) <= 1e-13);
  BOOST_TEST(largest_entries_positive(e.eigenvectors));
  const std::vector<double> w = values_of(e.eigenvalues);
  for (std::size_t b = 0; b < 2; ++b) {
    double product = 1.0, expected = 1.0;  // det(A) = the product of the eigenvalues
    for (std::size_t i = 0; i < spectrum.size(); ++i) {
      BOOST_TEST(std::abs(w[b * spectrum.size() + i] - spectrum[i]) <= 1e-13 * 7.0);
      product *= w[b * spectrum.size() + i];
      expected *= spectrum[i];
    }
    BOOST_TEST(std::abs(product - expected) <= 1e-12 * std::abs(expected));
  }
  BOOST_TEST(max_difference(eigvalsh(a), e.eigenvalues) == 0.0);
  // Only the lower triangle is read: garbage above the diagonal changes nothing.
  const Tensor lower_only = a + noise_above_diagonal(g, a);
  BOOST_TEST(max_difference(eigh(lower_only).eigenvalues, e.eigenvalues) == 0.0);
}

BOOST_AUTO_TEST_CASE(expm_of_logm_and_the_square_of_sqrtm_give_a_back) {
  Generator g(7);
  for (std::int64_t n : {1, 3, 6}) {
    const Tensor a = random_spd(g, n);
    const double scale = max_magnitude(a);
    const Tensor root = sqrtm(a);
    BOOST_TEST(max_difference(matmul(root, root), a) <= 1e-13 * scale, "n = " << n);
    BOOST_TEST(max_difference(root, transposed(root)) == 0.0, "sqrtm is exactly symmetric");
    BOOST_TEST(max_difference(expm(logm(a)), a) <= 1e-13 * scale, "n = " << n);
    BOOST_TEST(max_difference(logm(expm(logm(a))), logm(a)) <= 1e-13 * scale, "n = " << n);
  }
}

BOOST_AUTO_TEST_CASE(matrix_exp_of_a_rotation_generator_is_the_rotation) {
  // 1-norm theta: degree 3, 5, 7, 9, then 13 with no, one and three squarings.
  for (double theta : {1e-3, 0.2, 0.5, 1.5, 3.0, 10.0, 40.0}) {
    const Tensor generator = tensor({{0.0, -theta}, {theta, 0.0}}, float64);
    const Tensor rotation =
        tensor({{std::cos(theta), -std::sin(theta)}, {std::sin(theta), std::cos(theta)}}, float64);
    BOOST_TEST(max_difference(matrix_exp(generator), rotation) <= 4e-15 * std::max(1.0, theta), "theta = " << theta);
  }
  // A nilpotent matrix: the series stops, e^N = I + N exactly.
  const Tensor nilpotent = tensor({{0.0, 1.0, 2.0}, {0.0, 0.0, 3.0}, {0.0, 0.0, 0.0}}, float64);
  const Tensor expected = tensor({{1.0, 1.0, 3.5}, {0.0, 1.0, 3.0}, {0.0, 0.0, 1.0}}, float64);
  BOOST_TEST(max_difference(matrix_exp(nilpotent), expected) <= 1e-15);
}

BOOST_AUTO_TEST_CASE(matrix_exp_agrees_with_expm_and_the_taylor_series) {
  Generator g(8);
  for (double spread : {0.01, 0.3, 1.0, 4.0}) {
    const Tensor a = symmetrised(randn({4, 4}, float64, &g) * spread);
    const Tensor general = matrix_exp(a);
    const double scale = max_magnitude(general);
    BOOST_TEST(max_difference(general, expm(a)) <= 1e-13 * scale, "spread " << spread);
    const Tensor taylor = make(taylor_exp(values_of(a), 4), {4, 4});
    BOOST_TEST(max_difference(general, taylor) <= 1e-13 * scale, "spread " << spread);
  }
}

// At A = I every eigenvalue coincides: eigh's F is all masked, but the matrix functions' divided
// differences become derivatives, so the gradient is exact. Closed forms: for f(A) with f analytic,
// d<G, f(A)> / dA at A = I is f'(1) sym(G); matrix_exp's is e G.
BOOST_AUTO_TEST_CASE(matrix_function_gradients_at_the_identity_are_exact) {
  Generator g(9);
  const Tensor identity = eye(3, float64);
  const Tensor cotangent = randn({3, 3}, float64, &g);
  struct Case {
    const char* name;
    Tensor (*f)(const Tensor&);
    double derivative_at_one;
  };
  for (const Case& c : {Case{"sqrtm", sqrtm, 0.5}, Case{"logm", logm, 1.0}, Case{"expm", expm, std::numbers::e}}) {
    const Tensor a = identity.clone().requires_grad_();
    const Tensor gradient = grad({(c.f(a) * cotangent).sum()}, {a})[0];
    BOOST_TEST(all_finite(gradient), c.name);
    BOOST_TEST(max_difference(gradient, symmetrised(cotangent) * c.derivative_at_one) <= 1e-15 * 3, c.name);
    const GradcheckResult result = check_gradient(c.name, c.f, identity);
    BOOST_TEST(result.passed, result.report);
    const GradcheckResult second = check_second_order(c.name, c.f, identity);
    BOOST_TEST(second.passed, second.report);
  }
  const Tensor a = identity.clone().requires_grad_();
  const Tensor gradient = grad({(matrix_exp(a) * cotangent).sum()}, {a})[0];
  BOOST_TEST(max_difference(gradient, cotangent * std::numbers::e) <= 1e-14);
  BOOST_TEST(gradgradcheck("matrix_exp at I", [](const std::vector<Tensor>& in) { return matrix_exp(in[0]); },
                           {identity.clone().requires_grad_()})
                 .passed);
}

BOOST_AUTO_TEST_CASE(matrix_function_gradients_with_a_repeated_eigenvalue_match_finite_differences) {
  Generator g(10);
  const Tensor a = with_eigenvalues(g, {}, {0.8, 0.8, 2.5, 2.5 + 1e-12});  // two repeated pairs
  using MatrixFunction = Tensor (*)(const Tensor&);
  const std::vector<std::pair<std::string, MatrixFunction>> functions = {
      {"sqrtm", sqrtm}, {"logm", logm}, {"expm", expm}};
  for (const auto& [name, f] : functions) {
    const GradcheckResult result = check_gradient(name, f, a);
    BOOST_TEST(result.passed, result.report);
    const GradcheckResult second = check_second_order(name, f, a);
    BOOST_TEST(second.passed, second.report);
  }
  const GradcheckResult result =
      gradcheck("matrix_exp", [](const std::vector<Tensor>& in) { return matrix_exp(in[0]); },
                {a.clone().requires_grad_()});
  BOOST_TEST(result.passed, result.report);
}

// Eigenvalues 4e-4 and 9e-4 apart put the divided differences on their Taylor branch, 0.5 apart on
// the quotient: the gradient against V (D ∘ (V^T sym(G) V)) V^T with D_ij = (f(w_i) - f(w_j)) /
// (w_i - w_j) in long double and Jacobi's eigenpairs.
BOOST_AUTO_TEST_CASE(divided_differences_are_accurate_for_close_eigenvalues) {
  Generator g(14);
  const std::int64_t n = 4;
  const Tensor a = with_eigenvalues(g, {}, {1.0, 1.0 + 4e-4, 1.0 + 9e-4, 1.5});
  const Tensor cotangent = randn({n, n}, float64, &g);
  const EigenPairs pairs = jacobi_eigen(values_of(a), n);
  const Values sym_g = symmetric_part_of(values_of(cotangent), n);
  struct Case {
    const char* name;
    Tensor (*op)(const Tensor&);
    long double (*f)(long double);
    long double (*derivative)(long double);
  };
  const Case cases[] = {
      {"sqrtm", sqrtm, [](long double x) { return std::sqrt(x); }, [](long double x) { return 0.5L / std::sqrt(x); }},
      {"logm", logm, [](long double x) { return std::log(x); }, [](long double x) { return 1.0L / x; }},
      {"expm", expm, [](long double x) { return std::exp(x); }, [](long double x) { return std::exp(x); }},
  };
  for (const Case& c : cases) {
    Values expected(static_cast<std::size_t>(n * n), 0.0);
    const auto at = [n](std::int64_t i, std::int64_t j) { return static_cast<std::size_t>(i * n + j); };
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        const long double wi = pairs.values[static_cast<std::size_t>(i)];
        const long double wj = pairs.values[static_cast<std::size_t>(j)];
        const long double d = i == j ? c.derivative(wi) : (c.f(wi) - c.f(wj)) / (wi - wj);
        long double inner = 0;  // (V^T sym(G) V)_ij
        for (std::int64_t k = 0; k < n; ++k)
          for (std::int64_t l = 0; l < n; ++l)
            inner += static_cast<long double>(pairs.vectors[at(k, i)]) * sym_g[at(k, l)] * pairs.vectors[at(l, j)];
        for (std::int64_t r = 0; r < n; ++r)
          for (std::int64_t s = 0; s < n; ++s)
            expected[at(r, s)] += static_cast<double>(pairs.vectors[at(r, i)] * d * inner * pairs.vectors[at(s, j)]);
      }
    const Tensor x = a.clone().requires_grad_();
    const Tensor gradient = grad({(c.op(x) * cotangent).sum()}, {x})[0];
    const Tensor reference = make(expected, {n, n});
    BOOST_TEST(max_difference(gradient, reference) <= 1e-13 * max_magnitude(reference), c.name);
  }
}

// A matrix with an exactly repeated eigenvalue: the eigenvectors of that value are any basis of the
// eigenspace, but values, vectors and the gradient of a loss that sees only the eigenspace (its
// projector P = V_c V_c^T) and the eigenvalues are finite, and that gradient is exact.
BOOST_AUTO_TEST_CASE(eigh_on_a_degenerate_matrix_gives_finite_values_and_exact_invariant_gradients) {
  Generator g(11);
  const Tensor a = with_eigenvalues(g, {}, {1.0, 1.0, 3.0});
  const Tensor weights = randn({3, 3}, float64, &g);
  const auto loss = [weights](const std::vector<Tensor>& in) {
    const Eigh e = eigh(symmetrised(in[0]));
    const Tensor cluster = narrow(e.eigenvectors, -1, 0, 2);
    const Tensor projector = matmul(cluster, transposed(cluster));
    return (projector * weights).sum() + (e.eigenvalues * e.eigenvalues).sum();
  };
  const Eigh e = eigh(a);
  BOOST_TEST(all_finite(e.eigenvalues));
  BOOST_TEST(all_finite(e.eigenvectors));
  const Tensor x = a.clone().requires_grad_();
  const Tensor gradient = grad({loss({x})}, {x})[0];
  BOOST_TEST(all_finite(gradient));
  const GradcheckResult result = gradcheck("eigh projector", loss, {a.clone().requires_grad_()});
  BOOST_TEST(result.passed, result.report);
  const Tensor zero = zeros({3, 3}, float64).requires_grad_();  // every eigenvalue 0
  BOOST_TEST(all_finite(grad({loss({zero})}, {zero})[0]));
}

// At a matrix with orthonormal columns every singular value is 1, yet the polar factor U V^T (the
// nearest such matrix) is smooth there: its gradient through svd must be exact, not masked away.
BOOST_AUTO_TEST_CASE(the_polar_factor_at_orthonormal_columns_has_the_exact_gradient) {
  Generator g(17);
  const auto polar = [](const std::vector<Tensor>& in) {
    const SVD d = svd(in[0]);
    return matmul(d.u, transposed(d.v));
  };
  const Values q = random_orthogonal(g, 4);
  const Tensor square = make(q, {4, 4});
  const Tensor tall = narrow(square, 1, 0, 2).contiguous();  // [4, 2]
  for (const Tensor& at : {square, tall}) {
    BOOST_TEST(max_difference(svdvals(at), ones({at.size(-1)}, float64)) <= 1e-14);
    const GradcheckResult result =
        gradcheck("polar factor " + shape_str(at.shape()), polar, {at.clone().requires_grad_()});
    BOOST_TEST(result.passed, result.report);
  }
}

BOOST_AUTO_TEST_CASE(svdvals_of_a_rank_deficient_matrix_have_a_finite_gradient) {
  const Tensor a = tensor({{1.0, 0.0, 0.0}, {0.0, 0.0, 0.0}}, float64).requires_grad_();  // s = 1, 0
  const Tensor gradient = grad({svdvals(a).sum()}, {a})[0];
  BOOST_TEST(all_finite(gradient));
  BOOST_TEST(std::abs(values_of(gradient)[0] - 1.0) <= 1e-15);  // ds_1 / da_11 = u_1 v_1^T at (1, 1)
}

// The ops reject NaN and inf (registry error samples); the kernels themselves, which LAPACKE would
// fail on such a matrix, give NaN results for it and leave the other matrices of the batch alone.
BOOST_AUTO_TEST_CASE(the_kernels_give_nan_for_a_matrix_holding_nan_and_leave_the_batch_alone) {
  Generator g(15);
  Tensor a = with_eigenvalues(g, {2}, {0.5, 1.0, 2.0});
  const Tensor clean = select(a, 0, 1).clone();
  select(a, 0, 0).fill_(std::nan(""));
  const auto finite_count = [](const Tensor& x) {
    std::size_t count = 0;
    for (double v : values_of(x)) count += std::isfinite(v);
    return count;
  };
  Tensor values = empty({2, 3}, float64), vectors = empty({2, 3, 3}, float64);
  kernel::eigh(a, values, vectors);
  BOOST_TEST(finite_count(select(values, 0, 0)) + finite_count(select(vectors, 0, 0)) == 0u);
  BOOST_TEST(max_difference(select(values, 0, 1), eigh(clean).eigenvalues) == 0.0);
  Tensor u = empty({2, 3, 3}, float64), s = empty({2, 3}, float64), v = empty({2, 3, 3}, float64);
  kernel::svd(a, u, s, v);
  BOOST_TEST(finite_count(select(u, 0, 0)) + finite_count(select(s, 0, 0)) + finite_count(select(v, 0, 0)) == 0u);
  BOOST_TEST(max_difference(select(s, 0, 1), svdvals(clean)) == 0.0);
  Tensor exponential = empty({2, 3, 3}, float64);
  kernel::matrix_exp(a, exponential);
  BOOST_TEST(finite_count(select(exponential, 0, 0)) == 0u);
  BOOST_TEST(max_difference(select(exponential, 0, 1), matrix_exp(clean)) == 0.0);
}

BOOST_AUTO_TEST_CASE(larger_matrices_factorise_to_roundoff) {
  Generator g(16);
  const Tensor a = randn({40, 25}, float64, &g);
  const SVD d = svd(a);
  BOOST_TEST(max_difference(matmul(d.u * unsqueeze(d.s, -2), transposed(d.v)), a) <= 1e-13 * norm(a).item());
  BOOST_TEST(max_difference(matmul(transposed(d.u), d.u), identity_like(d.u)) <= 1e-13);
  const Tensor s = symmetrised(randn({60, 60}, float64, &g));
  const Eigh e = eigh(s);
  BOOST_TEST(max_difference(matmul(e.eigenvectors * unsqueeze(e.eigenvalues, -2), transposed(e.eigenvectors)), s) <=
             1e-13 * norm(s).item());
  const Tensor gram = matmul(transposed(e.eigenvectors), e.eigenvectors);
  BOOST_TEST(max_difference(gram, identity_like(e.eigenvectors)) <= 1e-13);
  const Tensor generator = randn({30, 30}, float64, &g) * 0.5;  // 1-norm around 10: a few squarings
  const Tensor taylor = make(taylor_exp(values_of(generator), 30), {30, 30});
  BOOST_TEST(max_difference(matrix_exp(generator), taylor) <= 1e-12 * max_magnitude(taylor));
}

BOOST_AUTO_TEST_CASE(float32_is_within_1e_5_of_float64) {
  Generator g(12);
  const Tensor spd = random_spd(g, 4) / 4.0;
  const Tensor general = randn({2, 4, 3}, float64, &g);
  const Tensor square = randn({3, 3}, float64, &g);
  const auto relative = [](const Tensor& low, const Tensor& high) {
    return max_difference(low.to(float64), high) / max_magnitude(high);
  };
  const auto both = [&](const char* name, const std::function<Tensor(const Tensor&)>& f, const Tensor& x) {
    const Tensor high = f(x.to(float32).to(float64)), low = f(x.to(float32));
    BOOST_TEST(low.dtype() == float32, name);
    BOOST_TEST(relative(low, high) <= 1e-5, name << ": " << relative(low, high));
  };
  both("eigh values", [](const Tensor& x) { return eigh(x).eigenvalues; }, spd);
  both("eigh vectors", [](const Tensor& x) { return eigh(x).eigenvectors; }, spd);
  both("svd u", [](const Tensor& x) { return svd(x).u; }, general);
  both("svd s", [](const Tensor& x) { return svd(x).s; }, general);
  both("svd v", [](const Tensor& x) { return svd(x).v; }, general);
  both("matrix_exp", [](const Tensor& x) { return matrix_exp(x); }, square);
  both("sqrtm", [](const Tensor& x) { return sqrtm(x); }, spd);
  both("logm", [](const Tensor& x) { return logm(x); }, spd);
  both("expm", [](const Tensor& x) { return expm(x); }, spd);
}

BOOST_AUTO_TEST_CASE(float32_gradients_are_within_1e_4_of_float64) {
  Generator g(18);
  const Tensor spd = random_spd(g, 4) / 4.0;
  const Tensor general = randn({2, 4, 3}, float64, &g);
  const auto gradient_of = [](const std::function<Tensor(const Tensor&)>& f, const Tensor& x, const Tensor& weights) {
    const Tensor input = x.clone().requires_grad_();
    return grad({(f(input) * weights.to(x.dtype())).sum()}, {input})[0];
  };
  const auto both = [&](const char* name, const std::function<Tensor(const Tensor&)>& f, const Tensor& x) {
    const Tensor weights = randn(f(x).shape(), float64, &g);
    const Tensor high = gradient_of(f, x.to(float32).to(float64), weights);
    const Tensor low = gradient_of(f, x.to(float32), weights);
    BOOST_TEST(low.dtype() == float32, name);
    const double error = max_difference(low.to(float64), high) / max_magnitude(high);
    BOOST_TEST(error <= 1e-4, name << ": " << error);
  };
  both("eigh", [](const Tensor& x) { return eigh(symmetrised(x)).eigenvectors; }, spd);
  both("eigvalsh", [](const Tensor& x) { return eigvalsh(symmetrised(x)); }, spd);
  both("svd", [](const Tensor& x) { return svd(x).u; }, general);
  both("svdvals", [](const Tensor& x) { return svdvals(x); }, general);
  both("matrix_exp", [](const Tensor& x) { return matrix_exp(x); }, spd);
  both("sqrtm", [](const Tensor& x) { return sqrtm(symmetrised(x)); }, spd);
  both("logm", [](const Tensor& x) { return logm(symmetrised(x)); }, spd);
  both("expm", [](const Tensor& x) { return expm(symmetrised(x)); }, spd);
}

BOOST_AUTO_TEST_CASE(the_test_device_gives_the_cpu_bits) {
  Generator g(13);
  const Tensor spd = random_spd(g, 4);
  const Tensor general = randn({2, 3, 5}, float64, &g);
  const auto same_bits = [](const Tensor& on_cpu, const Tensor& on_device) {
    const std::vector<double> a = on_cpu.to_vector<double>(), b = on_device.to_vector<double>();
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
  };
  const auto compare = [&](const char* name, const std::function<Tensor(const Tensor&)>& f, const Tensor& x) {
    const Tensor cpu_input = x.clone().requires_grad_(), device_input = x.to(test_device).requires_grad_();
    const Tensor cpu_out = f(cpu_input), device_out = f(device_input);
    BOOST_TEST(device_out.device() == test_device, name);
    BOOST_TEST(same_bits(cpu_out, device_out), name);
    const Tensor cpu_grad = grad({(cpu_out * cpu_out).sum()}, {cpu_input})[0];
    const Tensor device_grad = grad({(device_out * device_out).sum()}, {device_input})[0];
    BOOST_TEST(same_bits(cpu_grad, device_grad), name << " gradient");
  };
  compare("eigh", [](const Tensor& x) { return eigh(symmetrised(x)).eigenvectors; }, spd);
  compare("svd", [](const Tensor& x) { return svd(x).u; }, general);
  compare("svdvals", [](const Tensor& x) { return svdvals(x); }, general);
  compare("matrix_exp", [](const Tensor& x) { return matrix_exp(x); }, spd / 2.0);
  compare("sqrtm", [](const Tensor& x) { return sqrtm(symmetrised(x)); }, spd);
  compare("logm", [](const Tensor& x) { return logm(symmetrised(x)); }, spd);
  compare("expm", [](const Tensor& x) { return expm(symmetrised(x)); }, spd / 4.0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace lg::testing
