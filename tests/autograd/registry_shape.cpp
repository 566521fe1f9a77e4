// Registry entries: views, copies, joins and indexing.
#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

Tensor f32(const Shape& shape) { return ones(shape, float32); }
Tensor f64(const Shape& shape) { return ones(shape, float64); }

// A view op's reference: its values in row-major order are a fixed
// rearrangement of the input's, computed here by index arithmetic.
OpEntry view_entry(const std::string& name, TensorFunction f, TensorFunction reference,
                   std::vector<ErrorSample> errors, std::function<std::vector<OpSample>(Generator&)> samples) {
  return OpEntry{
      .name = name,
      .function = std::move(f),
      .samples = std::move(samples),
      .reference = std::move(reference),
      .errors = std::move(errors),
  };
}

std::vector<OpSample> matrix_samples(Generator& g) {
  return {{"[3, 4]", {input(g, {3, 4})}},
          {"transposed [4, 3]", {transposed_input(g, {4, 3})}},
          {"step-2 view [3, 4]", {strided_input(g, {3, 4})}},
          {"zero-size [0, 4]", {input(g, {0, 4})}}};
}

// out[i][j] = x[j][i] for a 2-d x.
Tensor transpose_reference(const Tensor& x) {
  const auto v = values_of(x);
  const std::int64_t rows = x.shape()[0], cols = x.shape()[1];
  std::vector<double> out(v.size());
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) out[j * rows + i] = v[i * cols + j];
  return make(out, {cols, rows});
}

// Rows [start, end) step `step` of a 2-d x along dim 0.
Tensor rows_reference(const Tensor& x, std::int64_t start, std::int64_t end, std::int64_t step) {
  const auto v = values_of(x);
  const std::int64_t cols = x.shape()[1];
  std::vector<double> out;
  std::int64_t rows = 0;
  for (std::int64_t i = start; i < std::min(end, x.shape()[0]); i += step, ++rows)
    for (std::int64_t j = 0; j < cols; ++j) out.push_back(v[i * cols + j]);
  return make(out, {rows, cols});
}

TensorFunction same_values(Shape (*shape_of)(const Tensor&)) {
  return [shape_of](const std::vector<Tensor>& in) { return make(values_of(in[0]), shape_of(in[0])); };
}

Tensor index_tensor(std::vector<std::int64_t> values) { return from_vector(values); }

const RegisterOps register_shape({
    view_entry("reshape", [](const std::vector<Tensor>& in) { return reshape(in[0], {-1, 2}); },
               same_values([](const Tensor& x) { return Shape{x.numel() / 2, 2}; }),
               {{"incompatible", [] { reshape(f32({2, 3}), {4, 2}); }, "ShapeError", {"reshape: ", "[2, 3]", "[4, 2]"}},
                {"two -1", [] { reshape(f32({2, 3}), {-1, -1}); }, "ShapeError", {"reshape: ", "[-1, -1]"}}},
               matrix_samples),
    view_entry("view", [](const std::vector<Tensor>& in) { return view(in[0], {-1}); },
               same_values([](const Tensor& x) { return Shape{x.numel()}; }),
               {{"not viewable", [] { view(transpose(f32({2, 3}), 0, 1), {-1}); }, "ShapeError",
                 {"view: ", "[3, 2]", "reshape"}}},
               [](Generator& g) {
                 return std::vector<OpSample>{{"[3, 4]", {input(g, {3, 4})}}, {"0-d", {input(g, {})}},
                                              {"zero-size", {input(g, {0, 4})}}};
               }),
    view_entry("transpose", [](const std::vector<Tensor>& in) { return transpose(in[0], 0, 1); },
               [](const std::vector<Tensor>& in) { return transpose_reference(in[0]); },
               {{"dim out of range", [] { transpose(f32({2, 3}), 0, 2); }, "ShapeError", {"transpose: ", "dim 2"}}},
               matrix_samples),
    view_entry("permute", [](const std::vector<Tensor>& in) { return permute(in[0], {1, 0}); },
               [](const std::vector<Tensor>& in) { return transpose_reference(in[0]); },
               {{"repeated dim", [] { permute(f32({2, 3}), {0, 0}); }, "ShapeError", {"permute: ", "[0, 0]"}},
                {"wrong count", [] { permute(f32({2, 3}), {0}); }, "ShapeError", {"permute: ", "[2, 3]"}}},
               matrix_samples),
    view_entry("slice", [](const std::vector<Tensor>& in) { return slice(in[0], 0, 1, 100, 2); },
               [](const std::vector<Tensor>& in) { return rows_reference(in[0], 1, 100, 2); },
               {{"step 0", [] { slice(f32({4, 3}), 0, 0, 2, 0); }, "ValueError", {"slice: ", "step"}},
                {"0-d", [] { slice(f32({}), 0, 0, 1); }, "ShapeError", {"slice: ", "0-d"}}},
               matrix_samples),
    view_entry("narrow", [](const std::vector<Tensor>& in) { return narrow(in[0], 1, 1, 2); },
               [](const std::vector<Tensor>& in) {
                 return transpose_reference(rows_reference(transpose_reference(in[0]), 1, 3, 1));
               },
               {{"out of range", [] { narrow(f32({4, 3}), 1, 2, 2); }, "ShapeError", {"narrow: ", "[4, 3]", "[2, 4)"}}},
               matrix_samples),
    view_entry("select", [](const std::vector<Tensor>& in) { return select(in[0], 1, -1); },
               [](const std::vector<Tensor>& in) {
                 const std::int64_t last = in[0].shape()[1] - 1;
                 const auto column = transpose_reference(rows_reference(transpose_reference(in[0]), last, last + 1, 1));
                 return make(values_of(column), {in[0].shape()[0]});
               },
               {{"index out of range", [] { select(f32({4, 3}), 1, 3); }, "ShapeError", {"select: ", "index 3", "[4, 3]"}}},
               matrix_samples),
    view_entry("expand", [](const std::vector<Tensor>& in) { return expand(in[0], {2, 3, 4}); },
               [](const std::vector<Tensor>& in) { return make(broadcast_values(in[0], {2, 3, 4}), {2, 3, 4}); },
               {{"incompatible", [] { expand(f32({2, 3}), {2, 4}); }, "ShapeError", {"expand: ", "[2, 3]", "[2, 4]"}}},
               [](Generator& g) {
                 return std::vector<OpSample>{{"[3, 1]", {input(g, {3, 1})}}, {"[4]", {input(g, {4})}},
                                              {"0-d", {input(g, {})}}, {"transposed [3, 4]", {transposed_input(g, {3, 4})}}};
               }),
    view_entry("squeeze", [](const std::vector<Tensor>& in) { return squeeze(unsqueeze(in[0], 1)); },
               same_values([](const Tensor& x) {
                 Shape s;
                 for (auto d : x.shape()) if (d != 1) s.push_back(d);
                 return s;
               }),
               {{"dim out of range", [] { squeeze(f32({2, 1}), 5); }, "ShapeError", {"squeeze: ", "dim 5"}}},
               matrix_samples),
    view_entry("unsqueeze", [](const std::vector<Tensor>& in) { return unsqueeze(in[0], -1); },
               same_values([](const Tensor& x) {
                 Shape s = x.shape();
                 s.push_back(1);
                 return s;
               }),
               {{"dim out of range", [] { unsqueeze(f32({2, 3}), 4); }, "ShapeError", {"unsqueeze: ", "dim 4"}}},
               matrix_samples),
    view_entry("flatten", [](const std::vector<Tensor>& in) { return flatten(in[0]); },
               same_values([](const Tensor& x) { return Shape{x.numel()}; }),
               {{"start after end", [] { flatten(f32({2, 3, 4}), 2, 1); }, "ShapeError", {"flatten: ", "start_dim 2"}}},
               matrix_samples),
    view_entry("unflatten", [](const std::vector<Tensor>& in) { return unflatten(in[0], 1, {2, -1}); },
               same_values([](const Tensor& x) { return Shape{x.shape()[0], 2, x.shape()[1] / 2}; }),
               {{"does not divide", [] { unflatten(f32({2, 3}), 1, {2, -1}); }, "ShapeError", {"unflatten: ", "[2, -1]"}}},
               [](Generator& g) {
                 return std::vector<OpSample>{{"[3, 4]", {input(g, {3, 4})}},
                                              {"transposed [3, 4]", {transposed_input(g, {3, 4})}},
                                              {"step-2 view [3, 4]", {strided_input(g, {3, 4})}},
                                              {"zero-size [0, 4]", {input(g, {0, 4})}}};
               }),
    view_entry("contiguous", [](const std::vector<Tensor>& in) { return contiguous(in[0]); },
               same_values([](const Tensor& x) { return x.shape(); }),
               {{"undefined", [] { contiguous(Tensor{}); }, "ValueError", {"contiguous: "}}}, matrix_samples),
    view_entry("clone", [](const std::vector<Tensor>& in) { return clone(in[0]); },
               same_values([](const Tensor& x) { return x.shape(); }),
               {{"undefined", [] { clone(Tensor{}); }, "ValueError", {"clone: "}}}, matrix_samples),
    OpEntry{
        .name = "to",
        .function = [](const std::vector<Tensor>& in) { return to_dtype(to_dtype(in[0], float32), float64); },
        .samples = matrix_samples,
        .reference =
            [](const std::vector<Tensor>& in) {
              auto v = values_of(in[0]);
              for (double& x : v) x = static_cast<double>(static_cast<float>(x));
              return make(v, in[0].shape());
            },
        // The round trip through float32 quantises x to ~1e-7 relative, so the
        // finite-difference step must be much larger than that; the function is
        // linear, so a large step adds no truncation error.
        .eps = 1e-2,
        .errors = {{"undefined", [] { to_dtype(Tensor{}, float32); }, "ValueError", {"to: "}}},
    },
    // A round trip through the test device (the second device, whose kernels are the CPU's): the
    // gradient travels back through both moves.
    view_entry("to_device",
               [](const std::vector<Tensor>& in) { return to_device(to_device(in[0], test_device), in[0].device()); },
               same_values([](const Tensor& x) { return x.shape(); }),
               {{"undefined", [] { to_device(Tensor{}, test_device); }, "ValueError", {"to_device: "}},
                {"no such device", [] { to_device(f32({2, 3}), cuda(7)); }, "DeviceError", {"to_device: ", "cuda:7"}}},
               matrix_samples),
    view_entry("slice_scatter", [](const std::vector<Tensor>& in) { return slice_scatter(in[0], {7, 4}, 0, 1, 2); },
               [](const std::vector<Tensor>& in) {
                 const auto v = values_of(in[0]);
                 std::vector<double> out(28, 0.0);
                 for (std::int64_t i = 0; i < 3; ++i)
                   for (std::int64_t j = 0; j < 4; ++j) out[(1 + 2 * i) * 4 + j] = v[i * 4 + j];
                 return make(out, {7, 4});
               },
               {{"does not fit", [] { slice_scatter(f32({3, 4}), {7, 5}, 0, 1, 2); }, "ShapeError",
                 {"slice_scatter: ", "[3, 4]", "[7, 5]"}}},
               [](Generator& g) {
                 return std::vector<OpSample>{{"[3, 4]", {input(g, {3, 4})}},
                                              {"step-2 view [3, 4]", {strided_input(g, {3, 4})}}};
               }),
    OpEntry{
        .name = "cat",
        .function = [](const std::vector<Tensor>& in) { return cat({in[0], in[1]}, 0); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[2, 3] + [1, 3]", {input(g, {2, 3}), input(g, {1, 3})}},
                                       {"transposed + zero-size", {transposed_input(g, {2, 3}), input(g, {0, 3})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          auto a = values_of(in[0]);
          const auto b = values_of(in[1]);
          a.insert(a.end(), b.begin(), b.end());
          return make(a, {in[0].shape()[0] + in[1].shape()[0], in[0].shape()[1]});
        },
        .errors = {{"shapes differ", [] { cat({f32({2, 3}), f32({2, 4})}, 0); }, "ShapeError", {"cat: ", "[2, 3]", "[2, 4]"}},
                   {"dtypes differ", [] { cat({f32({2}), f64({2})}); }, "DTypeError", {"cat: ", "float32", "float64"}},
                   {"empty list", [] { cat({}); }, "ValueError", {"cat: "}}},
    },
    OpEntry{
        .name = "stack",
        .function = [](const std::vector<Tensor>& in) { return stack({in[0], in[1]}, in[0].dim() == 0 ? 0 : 1); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[3] x 2", {input(g, {3}), input(g, {3})}},
                                       {"0-d x 2", {input(g, {}), input(g, {})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          const auto a = values_of(in[0]), b = values_of(in[1]);
          std::vector<double> out;
          for (std::size_t i = 0; i < a.size(); ++i) out.insert(out.end(), {a[i], b[i]});
          Shape shape = in[0].shape();
          shape.insert(shape.begin() + (shape.empty() ? 0 : 1), 2);
          return make(out, shape);
        },
        .errors = {{"shapes differ", [] { stack({f32({2}), f32({3})}); }, "ShapeError", {"stack: ", "[2]", "[3]"}}},
    },
    OpEntry{
        .name = "index_select",
        .function = [](const std::vector<Tensor>& in) { return index_select(in[0], 0, index_tensor({2, 0, 2}).to(in[0].device())); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[3, 4]", {input(g, {3, 4})}}, {"transposed [3, 2]", {transposed_input(g, {3, 2})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          const auto v = values_of(in[0]);
          const std::int64_t cols = in[0].shape()[1];
          std::vector<double> out;
          for (std::int64_t row : {2, 0, 2})
            for (std::int64_t j = 0; j < cols; ++j) out.push_back(v[row * cols + j]);
          return make(out, {3, cols});
        },
        .errors = {{"index out of range", [] { index_select(f32({3, 2}), 0, index_tensor({3})); }, "ValueError",
                    {"index_select: ", "index 3", "[0, 3)"}},
                   {"float index", [] { index_select(f32({3, 2}), 0, f32({1})); }, "DTypeError", {"index_select: ", "float32"}}},
    },
    OpEntry{
        .name = "index_add",
        .function = [](const std::vector<Tensor>& in) { return index_add(in[0], 0, index_tensor({1, 1, 0}).to(in[0].device()), in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[2, 3] += [3, 3]", {input(g, {2, 3}), input(g, {3, 3})}},
                                       {"transposed", {transposed_input(g, {2, 3}), strided_input(g, {3, 3})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          auto base = values_of(in[0]);
          const auto source = values_of(in[1]);
          const std::int64_t to[] = {1, 1, 0};
          for (std::int64_t i = 0; i < 3; ++i)
            for (std::int64_t j = 0; j < 3; ++j) base[to[i] * 3 + j] += source[i * 3 + j];
          return make(base, {2, 3});
        },
        .errors = {{"source shape", [] { index_add(f32({2, 3}), 0, index_tensor({0}), f32({2, 3})); }, "ShapeError",
                    {"index_add: ", "[2, 3]", "[1, 3]"}}},
    },
    OpEntry{
        .name = "gather",
        .function = [](const std::vector<Tensor>& in) {
          return gather(in[0], 1, from_vector(std::vector<std::int64_t>{2, 0, 1, 1, 0, 0}, {3, 2}).to(in[0].device()));
        },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[3, 4]", {input(g, {3, 4})}}, {"transposed [3, 3]", {transposed_input(g, {3, 3})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          const auto v = values_of(in[0]);
          const std::int64_t cols = in[0].shape()[1];
          const std::int64_t index[] = {2, 0, 1, 1, 0, 0};
          std::vector<double> out;
          for (std::int64_t i = 0; i < 3; ++i)
            for (std::int64_t j = 0; j < 2; ++j) out.push_back(v[i * cols + index[i * 2 + j]]);
          return make(out, {3, 2});
        },
        .errors = {{"rank mismatch", [] { gather(f32({3, 4}), 1, index_tensor({0})); }, "ShapeError", {"gather: ", "[1]", "[3, 4]"}},
                   {"index out of range", [] { gather(f32({3, 4}), 1, from_vector(std::vector<std::int64_t>{4}, {1, 1})); },
                    "ValueError", {"gather: ", "index 4"}}},
    },
    OpEntry{
        .name = "scatter_add",
        .function = [](const std::vector<Tensor>& in) {
          return scatter_add(in[0], 1, from_vector(std::vector<std::int64_t>{2, 0, 2, 2, 0, 1}, {2, 3}).to(in[0].device()),
                             in[1]);
        },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[2, 4] with [2, 3]", {input(g, {2, 4}), input(g, {2, 3})}},
                                       {"step-2 views", {strided_input(g, {2, 4}), transposed_input(g, {2, 3})}}};
        },
        .reference = [](const std::vector<Tensor>& in) {
          auto base = values_of(in[0]);
          const auto source = values_of(in[1]);
          const std::int64_t index[] = {2, 0, 2, 2, 0, 1};
          for (std::int64_t i = 0; i < 2; ++i)
            for (std::int64_t j = 0; j < 3; ++j) base[i * 4 + index[i * 3 + j]] += source[i * 3 + j];
          return make(base, {2, 4});
        },
        .errors = {{"source and index differ", [] {
                      scatter_add(f32({2, 4}), 1, from_vector(std::vector<std::int64_t>{0, 0}, {2, 1}), f32({2, 2}));
                    }, "ShapeError", {"scatter_add: ", "[2, 2]", "[2, 1]"}}},
    },
});

}  // namespace
}  // namespace lg::testing
