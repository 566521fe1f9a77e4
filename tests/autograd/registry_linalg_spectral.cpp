// Registry entries: the spectral decompositions and matrix functions, against Jacobi iterations and
// a Taylor series (spectral_reference.hpp). Samples are built for the domain: symmetric matrices
// with distinct, well-separated spectra (eigh, expm), positive ones (sqrtm, logm), distinct singular
// values (svd), and for matrix_exp a 1-norm in each range of Higham's algorithm. The symmetric ops
// read only the lower triangle, so their entries feed them (X + X^T) / 2: each finite difference
// then moves the matrix the op sees, and a skew part in X (which that removes) checks the
// symmetrised gradient. With the sign rule the vectors are functions of A, so they are gradchecked
// like any output; eigh and svd return their parts packed into one tensor for the registry.
#include <cmath>

#include "op_registry.hpp"
#include "reference.hpp"
#include "spectral_reference.hpp"

namespace lg::testing {
namespace {

Tensor symmetrised(const Tensor& x) { return (x + transpose(x, -2, -1)) * 0.5; }

// with_eigenvalues(...) plus, when `skew`, a skew-symmetric part the entry's symmetrisation removes.
Tensor symmetric_input(Generator& g, const Shape& batch, const std::vector<double>& spectrum, bool skew = false) {
  Tensor a = with_eigenvalues(g, batch, spectrum);
  if (skew) {
    const Tensor r = uniform(a.shape(), -0.3, 0.3, float64, &g);
    a = a + (r - transpose(r, -2, -1));
  }
  return a.requires_grad_();
}

// The same, with a skew part, as a transposed view of a contiguous tensor.
Tensor transposed_symmetric_input(Generator& g, const std::vector<double>& spectrum) {
  const Tensor base = symmetric_input(g, {}, spectrum, true).detach();
  return transpose(base, -2, -1).requires_grad_();
}

Tensor singular_input(Generator& g, const Shape& batch, std::int64_t m, std::int64_t n,
                      const std::vector<double>& sigma) {
  return with_singular_values(g, batch, m, n, sigma).requires_grad_();
}

Tensor pack_eigh(const Eigh& e) { return cat({unsqueeze(e.eigenvalues, -2), e.eigenvectors}, -2); }
Tensor pack_svd(const SVD& d) { return cat({d.u, unsqueeze(d.s, -2), d.v}, -2); }

// The checks every op on matrices makes; `square` adds the non-square one.
std::vector<ErrorSample> matrix_errors(const std::string& op, std::function<Tensor(const Tensor&)> f, bool square) {
  std::vector<ErrorSample> errors{
      {"1-d input [3]", [=] { f(ones({3}, float64)); }, "ShapeError", {op + ": ", "[3]"}},
      {"int64 input", [=] { f(ones({2, 2}, int64)); }, "DTypeError", {op + ": ", "int64"}},
      {"undefined input", [=] { f(Tensor{}); }, "ValueError", {op + ": "}},
      {"NaN input", [=] { f(full({2, 2}, std::nan(""), float64)); }, "ValueError", {op + ": ", "[2, 2]", "non-finite"}},
  };
  if (square)
    errors.push_back({"non-square [2, 3]", [=] { f(ones({2, 3}, float64)); }, "ShapeError", {op + ": ", "[2, 3]"}});
  return errors;
}

// ValueError for a symmetric matrix with a negative eigenvalue, diag(2, -0.5).
ErrorSample not_positive_definite(const std::string& op, std::function<Tensor(const Tensor&)> f) {
  return {"not positive definite", [=] { f(tensor({{2.0, 0.0}, {0.0, -0.5}}, float64)); }, "ValueError",
          {op + ": ", "positive-definite", "-0.5"}};
}

// The reference of eigh(sym(x)) packed as the entry packs it: [w; V].
Tensor eigh_reference(const std::vector<Tensor>& in) {
  const std::int64_t n = in[0].shape().back();
  return batched_reference(in[0], {n + 1, n}, [](const Values& x, std::int64_t rows, std::int64_t) {
    const EigenPairs pairs = jacobi_eigen(symmetric_part_of(x, rows), rows);
    Values out = pairs.values;
    out.insert(out.end(), pairs.vectors.begin(), pairs.vectors.end());
    return out;
  });
}

Tensor eigvalsh_reference(const std::vector<Tensor>& in) {
  return batched_reference(in[0], {in[0].shape().back()}, [](const Values& x, std::int64_t rows, std::int64_t) {
    return jacobi_eigen(symmetric_part_of(x, rows), rows).values;
  });
}

// [U; s; V] of the thin SVD.
Tensor svd_reference(const std::vector<Tensor>& in) {
  const std::int64_t m = in[0].shape()[in[0].shape().size() - 2], n = in[0].shape().back(), k = std::min(m, n);
  return batched_reference(in[0], {m + 1 + n, k}, [](const Values& x, std::int64_t rows, std::int64_t columns) {
    const SingularTriples t = jacobi_svd(x, rows, columns);
    Values out = t.u;
    out.insert(out.end(), t.s.begin(), t.s.end());
    out.insert(out.end(), t.v.begin(), t.v.end());
    return out;
  });
}

Tensor svdvals_reference(const std::vector<Tensor>& in) {
  const std::int64_t m = in[0].shape()[in[0].shape().size() - 2], n = in[0].shape().back();
  return batched_reference(in[0], {std::min(m, n)}, [](const Values& x, std::int64_t rows, std::int64_t columns) {
    return jacobi_svd(x, rows, columns).s;
  });
}

Tensor matrix_exp_reference(const std::vector<Tensor>& in) {
  const std::int64_t n = in[0].shape().back();
  return batched_reference(in[0], {n, n}, [](const Values& x, std::int64_t rows, std::int64_t) {
    return taylor_exp(x, rows);
  });
}

// f(sym(x)) through Jacobi's eigenpairs.
OpFunction symmetric_function_of(double (*f)(double)) {
  return [f](const std::vector<Tensor>& in) {
    const std::int64_t n = in[0].shape().back();
    return batched_reference(in[0], {n, n}, [f](const Values& x, std::int64_t rows, std::int64_t) {
      return symmetric_function_reference(symmetric_part_of(x, rows), rows, f);
    });
  };
}

double square_root(double x) { return std::sqrt(x); }
double logarithm(double x) { return std::log(x); }
double exponential(double x) { return std::exp(x); }

// Samples of a symmetric op: eigenvalues `spectrum` (3 x 3), `larger` (4 x 4) or `single` (1 x 1).
SampleMaker symmetric_samples(std::vector<double> spectrum, std::vector<double> larger, double single) {
  return [=](Generator& g) {
    return std::vector<OpSample>{
        {"[3, 3]", {symmetric_input(g, {}, spectrum)}},
        {"[4, 4] plus a skew part", {symmetric_input(g, {}, larger, true)}},
        {"batch [2, 3, 3]", {symmetric_input(g, {2}, spectrum)}},
        {"1 x 1", {symmetric_input(g, {}, {single})}},
        {"transposed view [3, 3]", {transposed_symmetric_input(g, spectrum)}},
        {"zero-size batch [0, 3, 3]", {input(g, {0, 3, 3})}},
    };
  };
}

SampleMaker singular_samples() {
  return [](Generator& g) {
    return std::vector<OpSample>{
        {"square [3, 3]", {singular_input(g, {}, 3, 3, {3.0, 2.0, 1.0})}},
        {"tall [4, 3]", {singular_input(g, {}, 4, 3, {2.5, 1.5, 0.5})}},
        {"wide [3, 5]", {singular_input(g, {}, 3, 5, {3.0, 1.8, 0.7})}},
        {"batch [2, 4, 3]", {singular_input(g, {2}, 4, 3, {2.0, 1.2, 0.6})}},
        {"transposed view [4, 2]", {transpose(with_singular_values(g, {}, 2, 4, {1.7, 0.9}), 0, 1).requires_grad_()}},
        {"1 x 1", {singular_input(g, {}, 1, 1, {1.5})}},
        {"zero-size batch [0, 3, 2]", {input(g, {0, 3, 2})}},
    };
  };
}

const RegisterOps register_linalg_spectral({
    OpEntry{
        .name = "eigh",
        .function = [](const std::vector<Tensor>& in) { return pack_eigh(eigh(symmetrised(in[0]))); },
        .samples = symmetric_samples({-1.0, 0.5, 2.0}, {-2.0, -0.5, 1.0, 2.5}, -0.7),
        .reference = eigh_reference,
        .errors = matrix_errors("eigh", [](const Tensor& a) { return eigh(a).eigenvalues; }, true),
    },
    OpEntry{
        .name = "eigvalsh",
        .function = [](const std::vector<Tensor>& in) { return eigvalsh(symmetrised(in[0])); },
        .samples = symmetric_samples({-1.5, 0.2, 1.0}, {-1.0, 0.0, 0.8, 3.0}, 2.0),
        .reference = eigvalsh_reference,
        .errors = matrix_errors("eigvalsh", [](const Tensor& a) { return eigvalsh(a); }, true),
    },
    OpEntry{
        .name = "svd",
        .function = [](const std::vector<Tensor>& in) { return pack_svd(svd(in[0])); },
        .samples = singular_samples(),
        .reference = svd_reference,
        .errors = matrix_errors("svd", [](const Tensor& a) { return svd(a).s; }, false),
    },
    OpEntry{
        .name = "svdvals",
        .function = [](const std::vector<Tensor>& in) { return svdvals(in[0]); },
        .samples = singular_samples(),
        .reference = svdvals_reference,
        .errors = matrix_errors("svdvals", [](const Tensor& a) { return svdvals(a); }, false),
    },
    OpEntry{
        .name = "matrix_exp",
        .function = [](const std::vector<Tensor>& in) { return matrix_exp(in[0]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[3, 3] 1-norm below 0.015 (degree 3)", {input(g, {3, 3}, -0.004, 0.004)}},
              {"[3, 3] 1-norm in (0.015, 0.25] (degree 5)", {input(g, {3, 3}, 0.03, 0.08)}},
              {"[3, 3] 1-norm in (0.25, 0.95] (degree 7)", {input(g, {3, 3}, 0.1, 0.3)}},
              {"[3, 3] 1-norm in (0.95, 2.1] (degree 9)", {input(g, {3, 3}, 0.4, 0.6)}},
              {"[3, 3] 1-norm above 6 (scaled and squared)", {input(g, {3, 3}, 2.0, 3.0)}},
              {"batch [2, 2, 2]", {input(g, {2, 2, 2}, -1.0, 1.0)}},
              {"transposed view [3, 3]", {transposed_input(g, {3, 3}, -1.0, 1.0)}},
              {"1 x 1", {input(g, {1, 1})}},
              {"zero-size batch [0, 2, 2]", {input(g, {0, 2, 2})}},
          };
        },
        .reference = matrix_exp_reference,
        .errors = matrix_errors("matrix_exp", [](const Tensor& a) { return matrix_exp(a); }, true),
    },
    OpEntry{
        .name = "sqrtm",
        .function = [](const std::vector<Tensor>& in) { return sqrtm(symmetrised(in[0])); },
        .samples = symmetric_samples({0.5, 1.2, 2.5}, {0.3, 0.9, 1.6, 4.0}, 2.0),
        .reference = symmetric_function_of(square_root),
        .errors = with(matrix_errors("sqrtm", [](const Tensor& a) { return sqrtm(a); }, true),
                       {not_positive_definite("sqrtm", [](const Tensor& a) { return sqrtm(a); })}),
    },
    OpEntry{
        .name = "logm",
        .function = [](const std::vector<Tensor>& in) { return logm(symmetrised(in[0])); },
        .samples = symmetric_samples({0.5, 1.2, 2.5}, {0.3, 0.9, 1.6, 4.0}, 2.0),
        .reference = symmetric_function_of(logarithm),
        .errors = with(matrix_errors("logm", [](const Tensor& a) { return logm(a); }, true),
                       {not_positive_definite("logm", [](const Tensor& a) { return logm(a); })}),
    },
    OpEntry{
        .name = "expm",
        .function = [](const std::vector<Tensor>& in) { return expm(symmetrised(in[0])); },
        .samples = symmetric_samples({-1.0, 0.3, 1.5}, {-1.2, -0.2, 0.6, 1.4}, 0.4),
        .reference = symmetric_function_of(exponential),
        .errors = matrix_errors("expm", [](const Tensor& a) { return expm(a); }, true),
    },
});

}  // namespace
}  // namespace lg::testing
