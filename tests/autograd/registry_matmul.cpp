// Registry entries: matrix products, against a triple loop.
#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

Tensor f32(const Shape& shape) { return ones(shape, float32); }
Tensor f64(const Shape& shape) { return ones(shape, float64); }

// Batched triple loop: a [B, m, k], b [B, k, n] as values.
std::vector<double> product(const std::vector<double>& a, const std::vector<double>& b, std::int64_t batch,
                            std::int64_t m, std::int64_t k, std::int64_t n) {
  std::vector<double> out(static_cast<std::size_t>(batch * m * n), 0.0);
  for (std::int64_t p = 0; p < batch; ++p)
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (std::int64_t l = 0; l < k; ++l) s += a[(p * m + i) * k + l] * b[(p * k + l) * n + j];
        out[(p * m + i) * n + j] = s;
      }
  return out;
}

// numpy.matmul semantics, for the shapes the samples use.
Tensor matmul_reference(const std::vector<Tensor>& in) {
  Tensor a = in[0], b = in[1];
  const bool vector_a = a.dim() == 1, vector_b = b.dim() == 1;
  Shape sa = a.shape(), sb = b.shape();
  if (vector_a) sa.insert(sa.begin(), 1);
  if (vector_b) sb.push_back(1);
  const std::int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  Shape batch = broadcast_shapes("reference", batch_a, batch_b);
  Shape full_a = batch, full_b = batch;
  full_a.insert(full_a.end(), {m, k});
  full_b.insert(full_b.end(), {k, n});
  const auto av = broadcast_values(reshape(a.detach(), sa), full_a);
  const auto bv = broadcast_values(reshape(b.detach(), sb), full_b);
  const auto out = product(av, bv, numel_of(batch), m, k, n);
  Shape shape = batch;
  if (!vector_a) shape.push_back(m);
  if (!vector_b) shape.push_back(n);
  return make(out, shape);
}

// x [..., in] against weight [out, in] and an optional bias [out], by loops.
Tensor linear_reference(const std::vector<Tensor>& in) {
  const auto x = values_of(in[0]), w = values_of(in[1]);
  const std::int64_t out_features = in[1].shape()[0], k = in[1].shape()[1];
  const std::vector<double> b = in.size() > 2 ? values_of(in[2]) : std::vector<double>(out_features, 0.0);
  const std::int64_t rows = k == 0 ? numel_of(Shape(in[0].shape().begin(), in[0].shape().end() - 1))
                                   : static_cast<std::int64_t>(x.size()) / k;
  std::vector<double> out(static_cast<std::size_t>(rows * out_features));
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t o = 0; o < out_features; ++o) {
      double s = b[o];
      for (std::int64_t l = 0; l < k; ++l) s += x[i * k + l] * w[o * k + l];
      out[i * out_features + o] = s;
    }
  Shape shape(in[0].shape().begin(), in[0].shape().end() - 1);
  shape.push_back(out_features);
  return make(out, shape);
}

std::vector<ErrorSample> product_errors(const std::string& op, std::function<Tensor(const Tensor&, const Tensor&)> f,
                                        Shape a, Shape b) {
  return {{"inner dims differ", [=] { f(f32(a), f32(b)); }, "ShapeError",
           {op + ": cannot multiply " + shape_str(a) + " by " + shape_str(b)}},
          {"dtype mismatch", [=] { f(f32(a), f64(a)); }, "DTypeError", {op + ": ", "float32", "float64"}},
          {"int64", [=] { f(ones(a, int64), ones(a, int64)); }, "DTypeError", {op + ": ", "int64"}}};
}

const RegisterOps register_matmul({
    OpEntry{
        .name = "matmul",
        .function = [](const std::vector<Tensor>& in) { return matmul(in[0], in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[3, 4] @ [4, 2]", {input(g, {3, 4}), input(g, {4, 2})}},
              {"vector @ vector", {input(g, {4}), input(g, {4})}},
              {"vector @ matrix", {input(g, {3}), input(g, {3, 2})}},
              {"matrix @ vector", {transposed_input(g, {2, 3}), input(g, {3})}},
              {"batch [2, 3, 4] @ [4, 2]", {input(g, {2, 3, 4}), input(g, {4, 2})}},
              {"broadcast batch [2, 1, 2, 3] @ [3, 3, 2]", {input(g, {2, 1, 2, 3}), input(g, {3, 3, 2})}},
              {"transposed operands", {transposed_input(g, {3, 4}), transposed_input(g, {4, 2})}},
              {"zero-size k", {input(g, {2, 0}), input(g, {0, 3})}},
          };
        },
        .reference = matmul_reference,
        .errors = with(product_errors("matmul", [](const Tensor& a, const Tensor& b) { return matmul(a, b); }, {2, 3},
                                      {4, 5}),
                       {{"0-d operand", [] { matmul(f32({}), f32({2})); }, "ShapeError", {"matmul: ", "[]", "[2]"}}}),
    },
    OpEntry{
        .name = "mm",
        .function = [](const std::vector<Tensor>& in) { return mm(in[0], in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[3, 4] @ [4, 2]", {input(g, {3, 4}), input(g, {4, 2})}},
                                       {"transposed", {transposed_input(g, {3, 4}), transposed_input(g, {4, 2})}},
                                       {"step-2 rows", {strided_input(g, {3, 4}), input(g, {4, 2})}}};
        },
        .reference = matmul_reference,
        .errors = product_errors("mm", [](const Tensor& a, const Tensor& b) { return mm(a, b); }, {2, 3}, {4, 5}),
    },
    OpEntry{
        .name = "bmm",
        .function = [](const std::vector<Tensor>& in) { return bmm(in[0], in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[2, 3, 2] @ [2, 2, 3]", {input(g, {2, 3, 2}), input(g, {2, 2, 3})}}};
        },
        .reference = matmul_reference,
        .errors = product_errors("bmm", [](const Tensor& a, const Tensor& b) { return bmm(a, b); }, {2, 2, 3}, {2, 4, 5}),
    },
    OpEntry{
        .name = "dot",
        .function = [](const std::vector<Tensor>& in) { return dot(in[0], in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[5] . [5]", {input(g, {5}), input(g, {5})}},
                                       {"step-2", {strided_input(g, {4}), input(g, {4})}}};
        },
        .reference = matmul_reference,
        .errors = product_errors("dot", [](const Tensor& a, const Tensor& b) { return dot(a, b); }, {3}, {4}),
    },
    OpEntry{
        .name = "outer",
        .function = [](const std::vector<Tensor>& in) { return outer(in[0], in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[3] x [4]", {input(g, {3}), input(g, {4})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          return matmul_reference({reshape(in[0].detach(), {-1, 1}), reshape(in[1].detach(), {1, -1})});
        },
        .errors = {{"2-d operand", [] { outer(f32({2, 2}), f32({2})); }, "ShapeError", {"outer: ", "[2, 2]"}}},
    },
    OpEntry{
        .name = "linear",
        .function = [](const std::vector<Tensor>& in) {
          return in.size() > 2 ? linear(in[0], in[1], in[2]) : linear(in[0], in[1]);
        },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[3, 4] with weight [2, 4], bias [2]", {input(g, {3, 4}), input(g, {2, 4}), input(g, {2})}},
              {"no bias", {input(g, {3, 4}), input(g, {2, 4})}},
              {"1-d input [4]", {input(g, {4}), input(g, {3, 4}), input(g, {3})}},
              {"leading dims [2, 3, 4]", {input(g, {2, 3, 4}), input(g, {2, 4}), input(g, {2})}},
              {"transposed input and weight", {transposed_input(g, {3, 4}), transposed_input(g, {2, 4}), input(g, {2})}},
              {"step-2 input and bias", {strided_input(g, {3, 4}), input(g, {2, 4}), strided_input(g, {2})}},
              {"zero rows [0, 4]", {input(g, {0, 4}), input(g, {2, 4}), input(g, {2})}},
              {"zero in-features [3, 0]", {input(g, {3, 0}), input(g, {2, 0}), input(g, {2})}},
          };
        },
        .reference = linear_reference,
        .errors = {
           {"in-features differ", [] { linear(f32({2, 3}), f32({5, 4}), f32({5})); }, "ShapeError",
            {"linear: ", "[2, 3]", "[5, 4]"}},
           {"bias of the wrong length", [] { linear(f32({2, 4}), f32({5, 4}), f32({3})); }, "ShapeError",
            {"linear: ", "[3]", "[5, 4]"}},
           {"1-d weight", [] { linear(f32({2, 4}), f32({4})); }, "ShapeError", {"linear: ", "[4]"}},
           {"dtype mismatch", [] { linear(f32({2, 4}), f64({5, 4})); }, "DTypeError", {"linear: ", "float32", "float64"}},
           {"bias dtype mismatch", [] { linear(f32({2, 4}), f32({5, 4}), f64({5})); }, "DTypeError",
            {"linear: ", "float32", "float64"}},
           {"int64", [] { linear(ones({2, 4}, int64), ones({5, 4}, int64)); }, "DTypeError", {"linear: ", "int64"}},
           {"undefined input", [] { linear(Tensor{}, f32({5, 4})); }, "ValueError", {"linear: "}},
       },
    },
});

}  // namespace
}  // namespace lg::testing
