// Registry entries: factorisations and solves (cholesky, solve, triangular_solve,
// inverse, det, slogdet, qr), against textbook loops: Cholesky-Banachiewicz,
// Gaussian elimination with partial pivoting, Gauss-Jordan, substitution and
// modified Gram-Schmidt. Samples are made for each op's domain: symmetric
// positive-definite matrices for cholesky, diagonally dominant ones (so well
// conditioned, with either sign of the determinant) for the rest.
#include <cmath>

#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

Tensor f32(const Shape& shape) { return ones(shape, float32); }

// The number of n x n (or n x k) matrices in a tensor of `shape`.
std::int64_t matrices_in(const Shape& shape) { return numel_of(Shape(shape.begin(), shape.end() - 2)); }

// A float64 leaf that requires grad, from values computed without grad; `transposed` gives the same
// values as a transposed view of a contiguous tensor (a non-contiguous layout).
Tensor leaf(const Tensor& values, bool transposed) {
  Tensor base = contiguous(transposed ? transpose(values, -2, -1) : values).detach();
  return (transposed ? transpose(base, -2, -1) : base).requires_grad_();
}

// Uniform in [-1, 1) off the diagonal, +-(n + 0.5 .. n + 1.5) on it, random signs: diagonally
// dominant, so invertible and well conditioned, with determinants of both signs.
Tensor well_conditioned(Generator& g, const Shape& shape, bool transposed = false) {
  const std::int64_t n = shape.back();
  Tensor a = uniform(shape, -1.0, 1.0, float64, &g);
  double* data = a.data_ptr<double>();
  const Tensor magnitudes = uniform({matrices_in(shape), n}, 0.5, 1.5, float64, &g);
  const Tensor signs = uniform({matrices_in(shape), n}, -1.0, 1.0, float64, &g);
  const double* size = magnitudes.data_ptr<double>();
  const double* sign = signs.data_ptr<double>();
  for (std::int64_t p = 0; p < matrices_in(shape); ++p)
    for (std::int64_t i = 0; i < n; ++i)
      data[(p * n + i) * n + i] = (sign[p * n + i] < 0 ? -1.0 : 1.0) * (static_cast<double>(n) + size[p * n + i]);
  return leaf(a, transposed);
}

// B B^T + n I with B uniform in [-1, 1): symmetric positive definite.
Tensor spd(Generator& g, const Shape& shape, bool transposed = false) {
  NoGradGuard no_grad;
  const std::int64_t n = shape.back();
  const Tensor b = uniform(shape, -1.0, 1.0, float64, &g);
  return leaf(matmul(b, transpose(b, -2, -1)) + eye(n, float64) * static_cast<double>(n), transposed);
}

// A copy of t with t[index] = value, for error samples.
Tensor with_value(Tensor t, std::int64_t index, double value) {
  t = contiguous(t).detach().clone();
  t.data_ptr<float>()[index] = static_cast<float>(value);
  return t;
}

// --- references, per matrix on row-major values ---------------------------------------------------

using Matrix = std::vector<double>;  // n x n (or n x k), row-major

// The p-th matrix of `values` with `size` entries each.
Matrix part(const std::vector<double>& values, std::int64_t p, std::int64_t size) {
  return Matrix(values.begin() + p * size, values.begin() + (p + 1) * size);
}

// Cholesky-Banachiewicz, row by row, on the lower triangle of (A + A^T) / 2.
Matrix cholesky_loops(const Matrix& a, std::int64_t n) {
  Matrix l(a.size(), 0.0);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j <= i; ++j) {
      double s = 0.5 * (a[i * n + j] + a[j * n + i]);
      for (std::int64_t k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = i == j ? std::sqrt(s) : s / l[j * n + j];
    }
  return l;
}

// Gaussian elimination with partial pivoting on [A | B] (B n x k), then back substitution: X.
// Also gives det A (the product of the pivots, negated once per row swap).
struct Elimination {
  Matrix x;
  double det = 1.0;
};
Elimination eliminate(Matrix a, Matrix b, std::int64_t n, std::int64_t k) {
  Elimination result;
  for (std::int64_t c = 0; c < n; ++c) {
    std::int64_t pivot = c;
    for (std::int64_t r = c + 1; r < n; ++r)
      if (std::abs(a[r * n + c]) > std::abs(a[pivot * n + c])) pivot = r;
    if (pivot != c) {
      for (std::int64_t j = 0; j < n; ++j) std::swap(a[c * n + j], a[pivot * n + j]);
      for (std::int64_t j = 0; j < k; ++j) std::swap(b[c * k + j], b[pivot * k + j]);
      result.det = -result.det;
    }
    result.det *= a[c * n + c];
    if (a[c * n + c] == 0.0) continue;
    for (std::int64_t r = c + 1; r < n; ++r) {
      const double factor = a[r * n + c] / a[c * n + c];
      for (std::int64_t j = c; j < n; ++j) a[r * n + j] -= factor * a[c * n + j];
      for (std::int64_t j = 0; j < k; ++j) b[r * k + j] -= factor * b[c * k + j];
    }
  }
  result.x = Matrix(static_cast<std::size_t>(n * k), 0.0);
  if (result.det == 0.0) return result;
  for (std::int64_t r = n - 1; r >= 0; --r)
    for (std::int64_t j = 0; j < k; ++j) {
      double s = b[r * k + j];
      for (std::int64_t c = r + 1; c < n; ++c) s -= a[r * n + c] * result.x[c * k + j];
      result.x[r * k + j] = s / a[r * n + r];
    }
  return result;
}

Matrix identity(std::int64_t n) {
  Matrix i(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t d = 0; d < n; ++d) i[d * n + d] = 1.0;
  return i;
}

// Forward (lower) or back (upper) substitution, reading only that triangle of T.
Matrix substitute(const Matrix& t, const Matrix& b, std::int64_t n, std::int64_t k, bool upper, bool unit) {
  Matrix x(b.size(), 0.0);
  for (std::int64_t step = 0; step < n; ++step) {
    const std::int64_t r = upper ? n - 1 - step : step;
    for (std::int64_t j = 0; j < k; ++j) {
      double s = b[r * k + j];
      for (std::int64_t c = 0; c < n; ++c)
        if (upper ? c > r : c < r) s -= t[r * n + c] * x[c * k + j];
      x[r * k + j] = unit ? s : s / t[r * n + r];
    }
  }
  return x;
}

// Modified Gram-Schmidt on the columns of A (m x n): Q with orthonormal columns, R with a positive diagonal.
std::pair<Matrix, Matrix> gram_schmidt(const Matrix& a, std::int64_t m, std::int64_t n) {
  Matrix q = a, r(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t j = 0; j < n; ++j) {
    for (std::int64_t i = 0; i < j; ++i) {
      double dot = 0.0;
      for (std::int64_t row = 0; row < m; ++row) dot += q[row * n + i] * q[row * n + j];
      r[i * n + j] = dot;
      for (std::int64_t row = 0; row < m; ++row) q[row * n + j] -= dot * q[row * n + i];
    }
    double norm = 0.0;
    for (std::int64_t row = 0; row < m; ++row) norm += q[row * n + j] * q[row * n + j];
    norm = std::sqrt(norm);
    r[j * n + j] = norm;
    for (std::int64_t row = 0; row < m; ++row) q[row * n + j] /= norm;
  }
  return {q, r};
}

// Applies `per_matrix` to each [..., n, n] matrix of in[0] and stacks the results: [..., rows, cols].
Tensor each_matrix(const Tensor& a, std::int64_t rows, std::int64_t cols,
                   const std::function<Matrix(const Matrix&)>& per_matrix) {
  const auto values = values_of(a);
  const std::int64_t size = a.shape()[a.dim() - 2] * a.shape().back();
  std::vector<double> out;
  for (std::int64_t p = 0; p < matrices_in(a.shape()); ++p) {
    const Matrix result = per_matrix(part(values, p, size));
    out.insert(out.end(), result.begin(), result.end());
  }
  Shape shape(a.shape().begin(), a.shape().end() - 2);
  shape.insert(shape.end(), {rows, cols});
  return make(out, shape);
}

// Solves with each matrix of in[0] and the matching right-hand side of in[1].
Tensor each_solve(const Tensor& a, const Tensor& b, const std::function<Matrix(const Matrix&, const Matrix&)>& f) {
  const auto av = values_of(a), bv = values_of(b);
  const std::int64_t n = a.shape().back(), k = b.shape().back();
  std::vector<double> out;
  for (std::int64_t p = 0; p < matrices_in(a.shape()); ++p) {
    const Matrix x = f(part(av, p, n * n), part(bv, p, n * k));
    out.insert(out.end(), x.begin(), x.end());
  }
  return make(out, b.shape());
}

// sign and log |det| of each matrix, stacked: [2, ...].
Tensor slogdet_reference(const Tensor& a) {
  const auto values = values_of(a);
  const std::int64_t n = a.shape().back(), count = matrices_in(a.shape());
  std::vector<double> out(static_cast<std::size_t>(2 * count));
  for (std::int64_t p = 0; p < count; ++p) {
    const double d = eliminate(part(values, p, n * n), {}, n, 0).det;
    out[p] = d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0;
    out[count + p] = std::log(std::abs(d));
  }
  Shape shape(a.shape().begin(), a.shape().end() - 2);
  shape.insert(shape.begin(), 2);
  return make(out, shape);
}

// --- error samples shared by the square-matrix ops ---------------------------------------------------

std::vector<ErrorSample> square_errors(const std::string& op, std::function<void(const Tensor&)> f) {
  return {{"non-square", [=] { f(f32({2, 3})); }, "ShapeError", {op + ": ", "square", "[2, 3]"}},
          {"1-d", [=] { f(f32({3})); }, "ShapeError", {op + ": ", "[3]"}},
          {"int64", [=] { f(ones({2, 2}, int64)); }, "DTypeError", {op + ": ", "int64"}},
          {"undefined", [=] { f(Tensor{}); }, "ValueError", {op + ": "}},
          {"NaN", [=] { f(with_value(eye(2), 1, std::nan(""))); }, "ValueError", {op + ": ", "[2, 2]", "NaN"}}};
}

// A [2, 3, 3] batch whose matrix 1 is singular (its last row is zero).
Tensor second_singular() { return with_value(with_value(with_value(expand(eye(3), {2, 3, 3}), 17, 0.0), 15, 0.0), 16, 0.0); }

std::vector<ErrorSample> right_hand_side_errors(const std::string& op,
                                                std::function<void(const Tensor&, const Tensor&)> f) {
  return {{"B rows differ", [=] { f(f32({3, 3}), f32({4, 2})); }, "ShapeError", {op + ": ", "[3, 3]", "[4, 2]", "[3, k]"}},
          {"B batch differs", [=] { f(f32({2, 3, 3}), f32({3, 3, 1})); }, "ShapeError",
           {op + ": ", "[2, 3, 3]", "[3, 3, 1]", "[2, 3, k]"}},
          {"1-d B", [=] { f(f32({3, 3}), f32({3})); }, "ShapeError", {op + ": ", "[3]"}},
          {"dtype mismatch", [=] { f(f32({2, 2}), ones({2, 2}, float64)); }, "DTypeError", {op + ": ", "float32", "float64"}},
          {"NaN in B", [=] { f(eye(2), with_value(f32({2, 1}), 0, std::nan(""))); }, "ValueError",
           {op + ": ", "B [2, 1]", "NaN"}}};
}

// The square samples of solve, inverse, det and slogdet.
std::vector<OpSample> square_samples(Generator& g) {
  return {{"[3, 3]", {well_conditioned(g, {3, 3})}},
          {"batch [2, 3, 3]", {well_conditioned(g, {2, 3, 3})}},
          {"transposed [4, 4]", {well_conditioned(g, {4, 4}, true)}},
          {"1x1", {well_conditioned(g, {1, 1})}},
          {"batch [2, 1, 2, 2]", {well_conditioned(g, {2, 1, 2, 2})}}};
}

Tensor qr_flat(const Tensor& a) {
  const QR f = qr(a);
  return cat({reshape(f.q, {-1}), reshape(f.r, {-1})});
}

const RegisterOps register_linalg_factor({
    OpEntry{
        .name = "cholesky",
        // The forward reads A's lower triangle and the gradient is the symmetric one, so gradcheck
        // perturbs A through its symmetric part.
        .function = [](const std::vector<Tensor>& in) { return cholesky(symmetric_part(in[0])); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"SPD [3, 3]", {spd(g, {3, 3})}},
                                       {"batch SPD [2, 3, 3]", {spd(g, {2, 3, 3})}},
                                       {"transposed SPD [4, 4]", {spd(g, {4, 4}, true)}},
                                       {"1x1", {spd(g, {1, 1})}},
                                       {"zero-size [0, 0]", {spd(g, {0, 0})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          const std::int64_t n = in[0].shape().back();
          return each_matrix(in[0], n, n, [n](const Matrix& a) { return cholesky_loops(a, n); });
        },
        .errors = with(square_errors("cholesky", [](const Tensor& a) { cholesky(a); }),
                       {{"not positive definite", [] { cholesky(with_value(expand(eye(5), {4, 5, 5}), 3 * 25 + 6, -1.0)); },
                         "ValueError", {"cholesky: matrix 3 of [4, 5, 5] is not positive definite (leading minor 2)"}},
                        {"not positive definite, one matrix", [] { cholesky(-eye(2)); }, "ValueError",
                         {"cholesky: matrix [2, 2] is not positive definite (leading minor 1)"}}}),
    },
    OpEntry{
        .name = "solve",
        .function = [](const std::vector<Tensor>& in) { return solve(in[0], in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[3, 3] with [3, 2]", {well_conditioned(g, {3, 3}), input(g, {3, 2})}},
              {"batch [2, 3, 3] with [2, 3, 4]", {well_conditioned(g, {2, 3, 3}), input(g, {2, 3, 4})}},
              {"transposed A and B", {well_conditioned(g, {4, 4}, true), transposed_input(g, {4, 2})}},
              {"1x1", {well_conditioned(g, {1, 1}), input(g, {1, 1})}},
              {"constant A", {well_conditioned(g, {3, 3}).detach(), input(g, {3, 1})}},
              {"no right-hand side [3, 0]", {well_conditioned(g, {3, 3}), input(g, {3, 0})}},
          };
        },
        .reference = [](const std::vector<Tensor>& in) {
          const std::int64_t n = in[0].shape().back(), k = in[1].shape().back();
          return each_solve(in[0], in[1], [n, k](const Matrix& a, const Matrix& b) { return eliminate(a, b, n, k).x; });
        },
        .errors = with(with(square_errors("solve", [](const Tensor& a) { solve(a, f32({a.defined() && a.dim() > 0 ? a.shape()[0] : 1, 1})); }),
                            right_hand_side_errors("solve", [](const Tensor& a, const Tensor& b) { solve(a, b); })),
                       {{"singular", [] { solve(with_value(eye(3), 8, 0.0), f32({3, 1})); }, "ValueError",
                         {"solve: matrix [3, 3] is singular (U[2, 2] of its LU factorisation is zero)"}},
                        {"singular in a batch", [] { solve(second_singular(), f32({2, 3, 1})); }, "ValueError",
                         {"solve: matrix 1 of [2, 3, 3] is singular (U[2, 2]"}}}),
    },
    OpEntry{
        .name = "triangular_solve",
        // arguments "upper, unit_diagonal": {1, 0} solves with the upper triangle, non-unit diagonal.
        .function = [](const std::vector<Tensor>& in, const OpArguments& arguments) {
          const auto flags = arguments.pair("upper, unit_diagonal");
          return triangular_solve(in[0], in[1], flags[0] != 0, flags[1] != 0);
        },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"lower [3, 3] with [3, 2]", {well_conditioned(g, {3, 3}), input(g, {3, 2})}, {{"upper, unit_diagonal", {0, 0}}}},
              {"upper [3, 3] with [3, 2]", {well_conditioned(g, {3, 3}), input(g, {3, 2})}, {{"upper, unit_diagonal", {1, 0}}}},
              {"unit lower batch [2, 3, 3]", {well_conditioned(g, {2, 3, 3}), input(g, {2, 3, 2})},
               {{"upper, unit_diagonal", {0, 1}}}},
              {"unit upper, transposed T", {well_conditioned(g, {4, 4}, true), input(g, {4, 1})},
               {{"upper, unit_diagonal", {1, 1}}}},
              {"transposed B, upper", {well_conditioned(g, {3, 3}), transposed_input(g, {3, 2})},
               {{"upper, unit_diagonal", {1, 0}}}},
              {"1x1", {well_conditioned(g, {1, 1}), input(g, {1, 3})}, {{"upper, unit_diagonal", {0, 0}}}},
          };
        },
        .reference = [](const std::vector<Tensor>& in, const OpArguments& arguments) {
          const auto flags = arguments.pair("upper, unit_diagonal");
          const std::int64_t n = in[0].shape().back(), k = in[1].shape().back();
          return each_solve(in[0], in[1], [&](const Matrix& t, const Matrix& b) {
            return substitute(t, b, n, k, flags[0] != 0, flags[1] != 0);
          });
        },
        .errors = with(with(square_errors("triangular_solve",
                                          [](const Tensor& t) {
                                            triangular_solve(t, f32({t.defined() && t.dim() > 0 ? t.shape()[0] : 1, 1}), false);
                                          }),
                            right_hand_side_errors("triangular_solve",
                                                   [](const Tensor& t, const Tensor& b) { triangular_solve(t, b, true); })),
                       {{"zero on the diagonal", [] { triangular_solve(with_value(eye(3), 4, 0.0), f32({3, 1}), true); },
                         "ValueError", {"triangular_solve: matrix [3, 3] is singular (T[1, 1] is zero)"}}}),
    },
    OpEntry{
        .name = "inverse",
        .function = [](const std::vector<Tensor>& in) { return inverse(in[0]); },
        .samples = square_samples,
        .reference = [](const std::vector<Tensor>& in) {
          const std::int64_t n = in[0].shape().back();
          return each_matrix(in[0], n, n, [n](const Matrix& a) { return eliminate(a, identity(n), n, n).x; });
        },
        .errors = with(square_errors("inverse", [](const Tensor& a) { inverse(a); }),
                       {{"singular", [] { inverse(f32({2, 2})); }, "ValueError", {"inverse: matrix [2, 2] is singular (U[1, 1]"}},
                        {"singular in a batch", [] { inverse(second_singular()); }, "ValueError",
                         {"inverse: matrix 1 of [2, 3, 3] is singular"}}}),
    },
    OpEntry{
        .name = "det",
        .function = [](const std::vector<Tensor>& in) { return det(in[0]); },
        .samples = [](Generator& g) {
          auto samples = square_samples(g);
          samples.push_back({"zero-size [0, 0]", {input(g, {0, 0})}});
          return samples;
        },
        .reference = [](const std::vector<Tensor>& in) {
          const std::int64_t n = in[0].shape().back();
          return reshape(each_matrix(in[0], 1, 1, [n](const Matrix& a) { return Matrix{eliminate(a, {}, n, 0).det}; }),
                         Shape(in[0].shape().begin(), in[0].shape().end() - 2));
        },
        .errors = square_errors("det", [](const Tensor& a) { det(a); }),
    },
    OpEntry{
        .name = "slogdet",
        // sign (no gradient) and log |det|, stacked: [2, ...].
        .function = [](const std::vector<Tensor>& in) {
          const SignLogDet s = slogdet(in[0]);
          return stack({s.sign, s.logabsdet});
        },
        .samples = square_samples,
        .reference = [](const std::vector<Tensor>& in) { return slogdet_reference(in[0]); },
        .errors = square_errors("slogdet", [](const Tensor& a) { slogdet(a); }),
    },
    OpEntry{
        .name = "qr",
        // Q and R, flattened and joined: one output through both nodes.
        .function = [](const std::vector<Tensor>& in) { return qr_flat(in[0]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[4, 3]", {input(g, {4, 3})}},
                                       {"square [3, 3]", {input(g, {3, 3})}},
                                       {"batch [2, 4, 2]", {input(g, {2, 4, 2})}},
                                       {"transposed [5, 3]", {transposed_input(g, {5, 3})}},
                                       {"one column [3, 1]", {input(g, {3, 1})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          const std::int64_t m = in[0].shape()[in[0].dim() - 2], n = in[0].shape().back();
          const auto values = values_of(in[0]);
          std::vector<double> qs, rs;
          for (std::int64_t p = 0; p < matrices_in(in[0].shape()); ++p) {
            const auto [q, r] = gram_schmidt(part(values, p, m * n), m, n);
            qs.insert(qs.end(), q.begin(), q.end());
            rs.insert(rs.end(), r.begin(), r.end());
          }
          qs.insert(qs.end(), rs.begin(), rs.end());
          return make(qs, {static_cast<std::int64_t>(qs.size())});
        },
        .errors = {{"wide", [] { qr(f32({2, 3})); }, "ShapeError", {"qr: ", "m >= n", "[2, 3]"}},
                   {"1-d", [] { qr(f32({3})); }, "ShapeError", {"qr: ", "[3]"}},
                   {"int64", [] { qr(ones({3, 2}, int64)); }, "DTypeError", {"qr: ", "int64"}},
                   {"undefined", [] { qr(Tensor{}); }, "ValueError", {"qr: "}},
                   {"NaN", [] { qr(with_value(f32({3, 2}), 2, std::nan(""))); }, "ValueError", {"qr: ", "[3, 2]", "NaN"}}},
    },
});

}  // namespace
}  // namespace lg::testing
