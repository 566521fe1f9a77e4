// Registry entries: parts of matrices (diagonal, diag_embed, triangles, trace,
// transpose, symmetric and skew parts), against plain loops over the values.
#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

Tensor f32(const Shape& shape) { return ones(shape, float32); }

// Rows and columns of the trailing matrix, and how many matrices lead.
struct Layout {
  std::int64_t batch, rows, cols;
};

Layout layout_of(const Shape& shape) {
  const std::int64_t rows = shape[shape.size() - 2], cols = shape.back();
  return {numel_of(Shape(shape.begin(), shape.end() - 2)), rows, cols};
}

Shape with_last_two(const Shape& shape, std::int64_t rows, std::int64_t cols) {
  Shape out(shape.begin(), shape.end() - 2);
  out.insert(out.end(), {rows, cols});
  return out;
}

// out[b, i, j] = f(x[b, i, j], x[b, j, i], i, j) for a batch of matrices (square when f reads x[b, j, i]).
template <class F>
Tensor matrix_reference(const Tensor& x, F f, bool needs_square) {
  const auto v = values_of(x);
  const auto [batch, rows, cols] = layout_of(x.shape());
  std::vector<double> out(v.size());
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t i = 0; i < rows; ++i)
      for (std::int64_t j = 0; j < cols; ++j) {
        const double xij = v[(b * rows + i) * cols + j];
        const double xji = needs_square ? v[(b * rows + j) * cols + i] : 0.0;
        out[(b * rows + i) * cols + j] = f(xij, xji, i, j);
      }
  return make(out, x.shape());
}

std::vector<OpSample> matrices(Generator& g) {
  return {{"[3, 4]", {input(g, {3, 4})}},
          {"batched [2, 3, 3]", {input(g, {2, 3, 3})}},
          {"transposed [4, 3]", {transposed_input(g, {4, 3})}},
          {"step-2 view [3, 3]", {strided_input(g, {3, 3})}},
          {"zero-size [0, 3, 3]", {input(g, {0, 3, 3})}}};
}

std::vector<OpSample> square_matrices(Generator& g) {
  return {{"[3, 3]", {input(g, {3, 3})}},
          {"batched [2, 4, 4]", {input(g, {2, 4, 4})}},
          {"transposed [3, 3]", {transposed_input(g, {3, 3})}},
          {"1x1", {input(g, {1, 1})}},
          {"zero-size [0, 2, 2]", {input(g, {0, 2, 2})}}};
}

ErrorSample not_a_matrix(const std::string& op, std::function<void()> call) {
  return {"1-d input", std::move(call), "ShapeError", {op + ": ", "[3]"}};
}

ErrorSample not_square(const std::string& op, std::function<void()> call) {
  return {"not square", std::move(call), "ShapeError", {op + ": ", "[2, 3]"}};
}

const RegisterOps registered{{
    OpEntry{
        .name = "diagonal",
        .function = [](const std::vector<Tensor>& in) { return diagonal(in[0]); },
        .samples = matrices,
        .reference = [](const std::vector<Tensor>& in) {
          const auto v = values_of(in[0]);
          const auto [batch, rows, cols] = layout_of(in[0].shape());
          const std::int64_t k = std::min(rows, cols);
          std::vector<double> out;
          for (std::int64_t b = 0; b < batch; ++b)
            for (std::int64_t i = 0; i < k; ++i) out.push_back(v[(b * rows + i) * cols + i]);
          Shape shape(in[0].shape().begin(), in[0].shape().end() - 2);
          shape.push_back(k);
          return make(out, shape);
        },
        .errors = {not_a_matrix("diagonal", [] { diagonal(f32({3})); })},
    },
    OpEntry{
        .name = "diag_embed",
        .function = [](const std::vector<Tensor>& in) { return diag_embed(in[0]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[4]", {input(g, {4})}},
                                       {"batched [2, 3]", {input(g, {2, 3})}},
                                       {"step-2 view [3, 2]", {strided_input(g, {3, 2})}},
                                       {"zero-size [0]", {input(g, {0})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          const auto v = values_of(in[0]);
          const std::int64_t n = in[0].shape().back(), batch = n == 0 ? 0 : static_cast<std::int64_t>(v.size()) / n;
          std::vector<double> out(static_cast<std::size_t>(batch * n * n), 0.0);
          for (std::int64_t b = 0; b < batch; ++b)
            for (std::int64_t i = 0; i < n; ++i) out[(b * n + i) * n + i] = v[b * n + i];
          Shape shape = in[0].shape();
          shape.push_back(n);
          return make(out, shape);
        },
        .errors = {{"0-d input", [] { diag_embed(f32({})); }, "ShapeError", {"diag_embed: ", "[]"}}},
    },
    OpEntry{
        .name = "tril",
        .function = [](const std::vector<Tensor>& in) { return tril(in[0], in[0].dim() == 3 ? -1 : 0); },
        .samples = matrices,
        .reference = [](const std::vector<Tensor>& in) {
          const std::int64_t k = in[0].dim() == 3 ? -1 : 0;
          return matrix_reference(
              in[0], [k](double x, double, std::int64_t i, std::int64_t j) { return j - i <= k ? x : 0.0; }, false);
        },
        .errors = {not_a_matrix("tril", [] { tril(f32({3})); }),
                   {"int64", [] { tril(ones({2, 2}, int64)); }, "DTypeError", {"tril: ", "int64"}}},
    },
    OpEntry{
        .name = "triu",
        .function = [](const std::vector<Tensor>& in) { return triu(in[0], in[0].dim() == 3 ? 1 : 0); },
        .samples = matrices,
        .reference = [](const std::vector<Tensor>& in) {
          const std::int64_t k = in[0].dim() == 3 ? 1 : 0;
          return matrix_reference(
              in[0], [k](double x, double, std::int64_t i, std::int64_t j) { return j - i >= k ? x : 0.0; }, false);
        },
        .errors = {not_a_matrix("triu", [] { triu(f32({3})); }),
                   {"int64", [] { triu(ones({2, 2}, int64)); }, "DTypeError", {"triu: ", "int64"}}},
    },
    OpEntry{
        .name = "trace",
        .function = [](const std::vector<Tensor>& in) { return trace(in[0]); },
        .samples = square_matrices,
        .reference = [](const std::vector<Tensor>& in) {
          const auto v = values_of(in[0]);
          const auto [batch, n, unused] = layout_of(in[0].shape());
          std::vector<double> out(static_cast<std::size_t>(batch), 0.0);
          for (std::int64_t b = 0; b < batch; ++b)
            for (std::int64_t i = 0; i < n; ++i) out[b] += v[(b * n + i) * n + i];
          return make(out, Shape(in[0].shape().begin(), in[0].shape().end() - 2));
        },
        .errors = {not_square("trace", [] { trace(f32({2, 3})); })},
    },
    OpEntry{
        .name = "matrix_transpose",
        .function = [](const std::vector<Tensor>& in) { return matrix_transpose(in[0]); },
        .samples = matrices,
        .reference = [](const std::vector<Tensor>& in) {
          const auto v = values_of(in[0]);
          const auto [batch, rows, cols] = layout_of(in[0].shape());
          std::vector<double> out(v.size());
          for (std::int64_t b = 0; b < batch; ++b)
            for (std::int64_t i = 0; i < rows; ++i)
              for (std::int64_t j = 0; j < cols; ++j) out[(b * cols + j) * rows + i] = v[(b * rows + i) * cols + j];
          return make(out, with_last_two(in[0].shape(), cols, rows));
        },
        .errors = {not_a_matrix("matrix_transpose", [] { matrix_transpose(f32({3})); })},
    },
    OpEntry{
        .name = "symmetric_part",
        .function = [](const std::vector<Tensor>& in) { return symmetric_part(in[0]); },
        .samples = square_matrices,
        .reference = [](const std::vector<Tensor>& in) {
          return matrix_reference(
              in[0], [](double xij, double xji, std::int64_t, std::int64_t) { return 0.5 * (xij + xji); }, true);
        },
        .errors = {not_square("symmetric_part", [] { symmetric_part(f32({2, 3})); })},
    },
    OpEntry{
        .name = "skew_part",
        .function = [](const std::vector<Tensor>& in) { return skew_part(in[0]); },
        .samples = square_matrices,
        .reference = [](const std::vector<Tensor>& in) {
          return matrix_reference(
              in[0], [](double xij, double xji, std::int64_t, std::int64_t) { return 0.5 * (xij - xji); }, true);
        },
        .errors = {not_square("skew_part", [] { skew_part(f32({2, 3})); })},
    },
}};

}  // namespace
}  // namespace lg::testing
