// Forward-mode rules of the linear-algebra ops (decompositions.cpp, spectral.cpp, matrix_functions.cpp),
// each checked in float64 with T = 3 random tangents pushed at once, two ways:
//   - against central differences (f(x + h v_k) - f(x - h v_k)) / 2h, h = 1e-6, tangent by tangent, to
//     1e-7 relative to the largest entry (the differences' own error is about h^2 + eps / h);
//   - against reverse mode, J v by the double-vjp construction: g(u) = J^T u recorded at u = 0, then
//     J v = d<g(u), v>/du, to 1e-12 relative (both are the same linear algebra in another order).
// Samples are well conditioned: diagonally dominant or SPD matrices, distinct spectra and singular values
// (so eigenvectors and singular vectors are functions of A). The symmetric ops (cholesky, eigh, the matrix
// functions) differentiate along symmetric changes of A, as their backward does: their tangents are
// arbitrary, and the central differences are taken along the symmetric part of each.
// The matrix functions' backward nodes (sqrtm_backward, ...) are checked through forward over reverse:
// the vjp u^T J(A) is itself a function of (A, u), and its tangents are that function's J v.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "reference.hpp"
#include "spectral_reference.hpp"

namespace lg::testing {
namespace {

using Function = std::function<Tensor(const std::vector<Tensor>&)>;

constexpr std::int64_t kTangents = 3;
constexpr double kStep = 1e-6;
constexpr double kFiniteDifferenceTolerance = 1e-7;
constexpr double kDoubleVjpTolerance = 1e-12;

Tensor random(Generator& g, const Shape& shape, double low = -1.0, double high = 1.0) {
  return uniform(shape, low, high, float64, &g);
}

// Random matrices [..., n, n] plus n I: diagonally dominant, so invertible and well conditioned.
Tensor dominant(Generator& g, const Shape& shape) {
  const std::int64_t n = shape.back();
  return random(g, shape) + eye(n, float64) * static_cast<double>(n);
}

// B B^T + n I with B uniform in [-1, 1): symmetric positive definite.
Tensor spd(Generator& g, const Shape& shape) {
  const Tensor b = random(g, shape);
  return matmul(b, matrix_transpose(b)) + eye(shape.back(), float64) * static_cast<double>(shape.back());
}

// T random tangents of x: [T, *x.shape].
Tensor tangents_for(Generator& g, const Tensor& x) { return random(g, tangent_shape(kTangents, x.shape())); }

// The largest |x|, at least 1: the scale the relative tolerances are taken against.
double scale_of(const std::vector<double>& values) {
  double scale = 1.0;
  for (const double v : values) scale = std::max(scale, std::abs(v));
  return scale;
}

// max |a - b| / scale_of(b).
double relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst / scale_of(b);
}

// Checks the tangents of f at `inputs` (float64 constants) along `tangents` (one per input, [T, *shape],
// undefined for an input that carries none) against central differences along `difference_tangents`
// (defaults to `tangents`) and against the double-vjp construction. Reports the worst errors.
void check_tangents(const std::string& label, const Function& f, const std::vector<Tensor>& inputs,
                    const std::vector<Tensor>& tangents, std::vector<Tensor> difference_tangents = {}) {
  if (difference_tangents.empty()) difference_tangents = tangents;
  BOOST_TEST_CONTEXT(label) {
    // Forward mode: one pass, all T tangents.
    Tensor forward;
    {
      const NoGradGuard values_only;
      std::vector<Tensor> duals;
      for (std::size_t i = 0; i < inputs.size(); ++i)
        duals.push_back(tangents[i].defined() ? make_dual(inputs[i], tangents[i]) : inputs[i]);
      const Tensor y = f(duals);
      forward = tangents_of(y);
      BOOST_REQUIRE_MESSAGE(forward.defined(), "the output carries no tangents");
      BOOST_REQUIRE_MESSAGE(forward.shape() == tangent_shape(kTangents, y.shape()),
                            "tangents " << shape_str(forward.shape()) << " for an output " << shape_str(y.shape()));
    }

    // Central differences, tangent by tangent.
    double worst_difference = 0.0;
    for (std::int64_t k = 0; k < kTangents; ++k) {
      const NoGradGuard values_only;
      std::vector<Tensor> plus, minus;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        const Tensor step = difference_tangents[i].defined() ? select(difference_tangents[i], 0, k) * kStep
                                                             : zeros_like(inputs[i]);
        plus.push_back(inputs[i] + step);
        minus.push_back(inputs[i] - step);
      }
      const Tensor central = (f(plus) - f(minus)) * (0.5 / kStep);
      worst_difference = std::max(worst_difference,
                                  relative_difference(values_of(select(forward, 0, k)), values_of(central)));
    }
    BOOST_CHECK_LE(worst_difference, kFiniteDifferenceTolerance);

    // The double-vjp construction.
    double worst_vjp = 0.0;
    {
      const EnableGradGuard recording;
      std::vector<Tensor> leaves, wanted, directions;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        leaves.push_back(tangents[i].defined() ? inputs[i].detach().requires_grad_() : inputs[i]);
        if (tangents[i].defined()) {
          wanted.push_back(leaves.back());
          directions.push_back(tangents[i]);
        }
      }
      const Tensor y = f(leaves);
      Tensor u = zeros_like(y);
      u.requires_grad_();
      const auto transposed = grad({y}, wanted, {u}, {.create_graph = true, .retain_graph = true});
      for (std::int64_t k = 0; k < kTangents; ++k) {
        Tensor inner = zeros({}, float64);
        for (std::size_t i = 0; i < wanted.size(); ++i)
          inner = inner + sum(transposed[i] * select(directions[i], 0, k));
        const Tensor column = grad({inner}, {u}, {}, {.retain_graph = true})[0];
        worst_vjp = std::max(worst_vjp, relative_difference(values_of(select(forward, 0, k)), values_of(column)));
      }
    }
    BOOST_CHECK_LE(worst_vjp, kDoubleVjpTolerance);
    BOOST_TEST_MESSAGE("forward_linalg " << label << ": central differences " << worst_difference
                                         << ", double vjp " << worst_vjp);
  }
}

// The tangents of a matrix input with a symmetric-reading op: arbitrary for forward mode, their
// symmetric parts for the central differences.
std::vector<Tensor> symmetric_parts(const std::vector<Tensor>& tangents) {
  std::vector<Tensor> parts;
  for (const Tensor& t : tangents) parts.push_back(t.defined() ? symmetric_part(t) : t);
  return parts;
}

// check_tangents for a one-input op that reads a symmetric A: forward mode along arbitrary tangents,
// central differences along their symmetric parts.
void check_symmetric(const std::string& label, const Function& f, const Tensor& a, Generator& g) {
  const std::vector<Tensor> tangents{tangents_for(g, a)};
  check_tangents(label, f, {a}, tangents, symmetric_parts(tangents));
}

// u^T J(A) for y = op(A): the vjp as a function of (A, u), recorded so that it can be differentiated
// again (its tangents come from the backward's own forward rules).
Function vjp_of(Tensor (*op)(const Tensor&)) {
  return [op](const std::vector<Tensor>& in) {
    const EnableGradGuard recording;
    Tensor a = in[0];
    if (!a.requires_grad()) a.requires_grad_();  // a fresh tensor here (a dual or a moved point)
    return grad({op(a)}, {a}, {in[1]}, {.create_graph = true})[0];
  };
}

Tensor first(const std::vector<Tensor>& in) { return in[0]; }

}  // namespace

BOOST_AUTO_TEST_SUITE(forward_linalg)

BOOST_AUTO_TEST_CASE(cholesky_tangents) {
  Generator g(1);
  check_symmetric("cholesky [4, 4]", [](const auto& in) { return cholesky(first(in)); }, spd(g, {4, 4}), g);
  check_symmetric("cholesky batch [2, 3, 3]", [](const auto& in) { return cholesky(first(in)); }, spd(g, {2, 3, 3}),
                  g);
}

BOOST_AUTO_TEST_CASE(solve_tangents) {
  Generator g(2);
  const auto op = [](const std::vector<Tensor>& in) { return solve(in[0], in[1]); };
  {
    const Tensor a = dominant(g, {4, 4}), b = random(g, {4, 2});
    check_tangents("solve [4, 4] [4, 2]", op, {a, b}, {tangents_for(g, a), tangents_for(g, b)});
    check_tangents("solve, A only", op, {a, b}, {tangents_for(g, a), Tensor{}});
    check_tangents("solve, B only", op, {a, b}, {Tensor{}, tangents_for(g, b)});
  }
  const Tensor a = dominant(g, {2, 3, 3}), b = random(g, {2, 3, 4});
  check_tangents("solve batch [2, 3, 3] [2, 3, 4]", op, {a, b}, {tangents_for(g, a), tangents_for(g, b)});
}

BOOST_AUTO_TEST_CASE(triangular_solve_tangents) {
  Generator g(3);
  for (const bool upper : {true, false})
    for (const bool unit : {false, true}) {
      // A full matrix: the op reads one triangle (without its diagonal when unit), so the tangents of
      // the rest must not move X, and the central differences see that too.
      const Tensor t = dominant(g, {4, 4}), b = random(g, {4, 3});
      const auto op = [upper, unit](const std::vector<Tensor>& in) {
        return triangular_solve(in[0], in[1], upper, unit);
      };
      const std::string label = std::string("triangular_solve ") + (upper ? "upper" : "lower") + (unit ? " unit" : "");
      check_tangents(label, op, {t, b}, {tangents_for(g, t), tangents_for(g, b)});
    }
  const Tensor t = dominant(g, {2, 3, 3}), b = random(g, {2, 3, 2});
  check_tangents("triangular_solve batch, T only",
                 [](const auto& in) { return triangular_solve(in[0], in[1], false); }, {t, b},
                 {tangents_for(g, t), Tensor{}});
}

BOOST_AUTO_TEST_CASE(inverse_det_slogdet_tangents) {
  Generator g(4);
  const Tensor a = dominant(g, {4, 4}), batch = dominant(g, {2, 3, 3});
  // A negative determinant: the sign is constant near it, log |det| moves.
  const Tensor flipped = dominant(g, {3, 3}) * -1.0;
  check_tangents("inverse [4, 4]", [](const auto& in) { return inverse(first(in)); }, {a}, {tangents_for(g, a)});
  check_tangents("inverse batch [2, 3, 3]", [](const auto& in) { return inverse(first(in)); }, {batch},
                 {tangents_for(g, batch)});
  check_tangents("det [4, 4]", [](const auto& in) { return det(first(in)); }, {a}, {tangents_for(g, a)});
  check_tangents("det batch [2, 3, 3]", [](const auto& in) { return det(first(in)); }, {batch},
                 {tangents_for(g, batch)});
  check_tangents("det negative [3, 3]", [](const auto& in) { return det(first(in)); }, {flipped},
                 {tangents_for(g, flipped)});
  const auto logabsdet = [](const std::vector<Tensor>& in) { return slogdet(first(in)).logabsdet; };
  check_tangents("slogdet [4, 4]", logabsdet, {a}, {tangents_for(g, a)});
  check_tangents("slogdet batch [2, 3, 3]", logabsdet, {batch}, {tangents_for(g, batch)});
  check_tangents("slogdet negative [3, 3]", logabsdet, {flipped}, {tangents_for(g, flipped)});
}

BOOST_AUTO_TEST_CASE(qr_tangents) {
  Generator g(5);
  const auto q_of = [](const std::vector<Tensor>& in) { return qr(first(in)).q; };
  const auto r_of = [](const std::vector<Tensor>& in) { return qr(first(in)).r; };
  for (const Shape& shape : {Shape{5, 3}, Shape{4, 4}, Shape{2, 4, 3}}) {
    const Tensor a = random(g, shape);
    check_tangents("qr Q " + shape_str(shape), q_of, {a}, {tangents_for(g, a)});
    check_tangents("qr R " + shape_str(shape), r_of, {a}, {tangents_for(g, a)});
  }
}

BOOST_AUTO_TEST_CASE(eigh_tangents) {
  Generator g(6);
  const auto values = [](const std::vector<Tensor>& in) { return eigh(first(in)).eigenvalues; };
  const auto vectors = [](const std::vector<Tensor>& in) { return eigh(first(in)).eigenvectors; };
  const auto only_values = [](const std::vector<Tensor>& in) { return eigvalsh(first(in)); };
  const Tensor a = with_eigenvalues(g, {}, {-1.5, -0.2, 0.9, 2.4}).detach();
  const Tensor batch = with_eigenvalues(g, {2}, {-1.0, 0.5, 2.0}).detach();
  check_symmetric("eigh values [4, 4]", values, a, g);
  check_symmetric("eigh vectors [4, 4]", vectors, a, g);
  check_symmetric("eigh vectors batch [2, 3, 3]", vectors, batch, g);
  check_symmetric("eigvalsh [4, 4]", only_values, a, g);
  check_symmetric("eigvalsh batch [2, 3, 3]", only_values, batch, g);
}

BOOST_AUTO_TEST_CASE(svd_tangents) {
  Generator g(7);
  const auto u_of = [](const std::vector<Tensor>& in) { return svd(first(in)).u; };
  const auto s_of = [](const std::vector<Tensor>& in) { return svd(first(in)).s; };
  const auto v_of = [](const std::vector<Tensor>& in) { return svd(first(in)).v; };
  const auto values = [](const std::vector<Tensor>& in) { return svdvals(first(in)); };
  struct Case {
    Shape batch;
    std::int64_t m, n;
    std::vector<double> sigma;
  };
  for (const Case& c : {Case{{}, 4, 4, {3.0, 2.0, 1.2, 0.5}}, Case{{}, 5, 3, {2.5, 1.5, 0.7}},
                        Case{{}, 3, 5, {2.5, 1.5, 0.7}}, Case{{2}, 3, 3, {2.0, 1.1, 0.4}}}) {
    const Tensor a = with_singular_values(g, c.batch, c.m, c.n, c.sigma).detach();
    const std::string shape = shape_str(a.shape());
    check_tangents("svd U " + shape, u_of, {a}, {tangents_for(g, a)});
    check_tangents("svd s " + shape, s_of, {a}, {tangents_for(g, a)});
    check_tangents("svd V " + shape, v_of, {a}, {tangents_for(g, a)});
    check_tangents("svdvals " + shape, values, {a}, {tangents_for(g, a)});
  }
}

BOOST_AUTO_TEST_CASE(matrix_exp_tangents) {
  Generator g(8);
  const auto op = [](const std::vector<Tensor>& in) { return matrix_exp(first(in)); };
  const Tensor small = random(g, {4, 4}) * 0.5, large = random(g, {3, 3}) * 2.0, batch = random(g, {2, 3, 3});
  check_tangents("matrix_exp [4, 4]", op, {small}, {tangents_for(g, small)});
  check_tangents("matrix_exp norm ~ 3 [3, 3]", op, {large}, {tangents_for(g, large)});
  check_tangents("matrix_exp batch [2, 3, 3]", op, {batch}, {tangents_for(g, batch)});
}

BOOST_AUTO_TEST_CASE(symmetric_matrix_function_tangents) {
  Generator g(9);
  const Tensor positive = with_eigenvalues(g, {}, {0.4, 1.0, 1.7, 3.0}).detach();
  const Tensor positive_batch = with_eigenvalues(g, {2}, {0.5, 1.2, 2.5}).detach();
  const Tensor symmetric = with_eigenvalues(g, {}, {-1.2, 0.1, 0.8, 1.6}).detach();
  // Repeated eigenvalues: the divided differences are derivatives there, the rule stays exact.
  const Tensor repeated = eye(3, float64) * 2.0;
  const auto sqrt_op = [](const std::vector<Tensor>& in) { return sqrtm(first(in)); };
  const auto log_op = [](const std::vector<Tensor>& in) { return logm(first(in)); };
  const auto exp_op = [](const std::vector<Tensor>& in) { return expm(first(in)); };
  check_symmetric("sqrtm [4, 4]", sqrt_op, positive, g);
  check_symmetric("sqrtm batch [2, 3, 3]", sqrt_op, positive_batch, g);
  check_symmetric("sqrtm at 2 I", sqrt_op, repeated, g);
  check_symmetric("logm [4, 4]", log_op, positive, g);
  check_symmetric("logm at 2 I", log_op, repeated, g);
  check_symmetric("expm [4, 4]", exp_op, symmetric, g);
  check_symmetric("expm batch [2, 3, 3]", exp_op, positive_batch, g);
  check_symmetric("expm at 2 I", exp_op, repeated, g);
}

// The backward nodes of the matrix functions, through forward over reverse: tangents of the vjp
// u^T J(A) along (dA, du), against central differences of the vjp and the double-vjp construction.
BOOST_AUTO_TEST_CASE(matrix_function_backward_tangents) {
  Generator g(10);
  const Tensor positive = with_eigenvalues(g, {}, {0.4, 1.0, 1.7, 3.0}).detach();
  const Tensor symmetric = with_eigenvalues(g, {}, {-1.2, 0.1, 0.8, 1.6}).detach();
  const Tensor general = random(g, {3, 3});
  const Tensor u4 = random(g, {4, 4}), u3 = random(g, {3, 3});
  struct Case {
    std::string label;
    Tensor (*op)(const Tensor&);
    Tensor a, u;
  };
  for (const Case& c : {Case{"sqrtm_backward", sqrtm, positive, u4}, Case{"logm_backward", logm, positive, u4},
                        Case{"expm_backward", expm, symmetric, u4},
                        Case{"matrix_exp backward", matrix_exp, general, u3}}) {
    const std::vector<Tensor> tangents{tangents_for(g, c.a), tangents_for(g, c.u)};
    // The symmetric functions differentiate along symmetric changes of A; u enters as it is.
    const bool reads_symmetric = c.op != matrix_exp;
    const std::vector<Tensor> difference{reads_symmetric ? symmetric_part(tangents[0]) : tangents[0], tangents[1]};
    check_tangents(c.label, vjp_of(c.op), {c.a, c.u}, tangents, difference);
    check_tangents(c.label + ", dA only", vjp_of(c.op), {c.a, c.u}, {tangents[0], Tensor{}},
                   {difference[0], Tensor{}});
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace lg::testing
