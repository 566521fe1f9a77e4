// Registry entries: arithmetic, unary math and activations.
#include <cmath>

#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

Tensor f32(const Shape& shape) { return ones(shape, float32); }
Tensor f64(const Shape& shape) { return ones(shape, float64); }
Tensor i64(const Shape& shape) { return ones(shape, int64); }

// The error samples every binary op shares: shapes that do not broadcast, and mixed dtypes.
std::vector<ErrorSample> binary_errors(const std::string& op, std::function<Tensor(const Tensor&, const Tensor&)> f) {
  return {
      {"shapes do not broadcast", [f] { f(f32({2, 3}), f32({4, 5})); }, "ShapeError", {op + ": ", "[2, 3]", "[4, 5]"}},
      {"dtype mismatch", [f] { f(f32({2}), f64({2})); }, "DTypeError", {op + ": ", "float32", "float64"}},
      {"undefined operand", [f] { f(Tensor{}, f32({2})); }, "ValueError", {op + ": "}},
  };
}

std::vector<ErrorSample> unary_errors(const std::string& op, std::function<Tensor(const Tensor&)> f) {
  return {
      {"int64 input", [f] { f(i64({2, 3})); }, "DTypeError", {op + ": ", "int64"}},
      {"undefined input", [f] { f(Tensor{}); }, "ValueError", {op + ": "}},
  };
}

// A unary op's entry: the standard unary samples in [low, high), pushed away from the kinks, and a
// scalar reference; the error samples are `errors`, or the standard ones (int64 and undefined input).
OpEntry unary_entry(const std::string& name, Tensor (*op)(const Tensor&), double (*reference)(double), double low,
                    double high, std::vector<double> kinks, std::vector<ErrorSample> errors) {
  return OpEntry{
      .name = name,
      .function = [op](const std::vector<Tensor>& in) { return op(in[0]); },
      .samples =
          [low, high, kinks](Generator& g) {
            auto samples = unary_samples(g, low, high);
            for (auto& s : samples) push_away_from_kinks(s.inputs[0], kinks);
            return samples;
          },
      .reference = unary_reference(reference),
      .errors = std::move(errors),
  };
}

OpEntry unary_entry(const std::string& name, Tensor (*op)(const Tensor&), double (*reference)(double),
                    double low = -2.0, double high = 2.0, std::vector<double> kinks = {}) {
  return unary_entry(name, op, reference, low, high, std::move(kinks), unary_errors(name, op));
}

// A binary op's entry with the given samples, an elementwise reference and the binary error samples.
OpEntry binary_entry(const std::string& name, std::function<Tensor(const Tensor&, const Tensor&)> op,
                     std::function<double(double, double)> reference, SampleMaker samples) {
  return OpEntry{
      .name = name,
      .function = [op](const std::vector<Tensor>& in) { return op(in[0], in[1]); },
      .samples = std::move(samples),
      .reference = binary_reference(std::move(reference)),
      .errors = binary_errors(name, op),
  };
}

// The same with the standard binary samples, a in [low, high) and b in [low_b, high_b).
OpEntry binary_entry(const std::string& name, std::function<Tensor(const Tensor&, const Tensor&)> op,
                     std::function<double(double, double)> reference, double low = -2.0, double high = 2.0,
                     double low_b = -2.0, double high_b = 2.0) {
  return binary_entry(name, std::move(op), std::move(reference),
                      [=](Generator& g) { return binary_samples(g, low, high, low_b, high_b); });
}

// relu_backward(grad, x) and sigmoid_backward(grad, y): grad anywhere, the second operand in
// [low, high) and away from relu's kink at 0, same shapes (no broadcasting).
OpEntry backward_map_entry(const std::string& name, Tensor (*op)(const Tensor&, const Tensor&),
                           double (*reference)(double, double), double low, double high) {
  return OpEntry{
      .name = name,
      .function = [op](const std::vector<Tensor>& in) { return op(in[0], in[1]); },
      .samples =
          [low, high](Generator& g) {
            std::vector<OpSample> samples{
                {"[3, 4]", {input(g, {3, 4}), input(g, {3, 4}, low, high)}},
                {"transposed [4, 3]", {transposed_input(g, {4, 3}), transposed_input(g, {4, 3}, low, high)}},
                {"step-2 [3, 2]", {strided_input(g, {3, 2}), input(g, {3, 2}, low, high)}},
                {"0-d", {input(g, {}), input(g, {}, low, high)}},
                {"zero-size [0, 3]", {input(g, {0, 3}), input(g, {0, 3}, low, high)}},
            };
            for (auto& s : samples) push_away_from_kinks(s.inputs[1], {0.0});
            return samples;
          },
      .reference = binary_reference(reference),
      .errors =
          {
              {"shapes differ", [op] { op(f32({2, 3}), f32({3, 2})); }, "ShapeError",
               {name + ": ", "[2, 3]", "[3, 2]"}},
              {"dtype mismatch", [op] { op(f32({2}), f64({2})); }, "DTypeError", {name + ": ", "float32", "float64"}},
              {"int64", [op] { op(i64({2}), i64({2})); }, "DTypeError", {name + ": ", "int64"}},
              {"undefined operand", [op] { op(Tensor{}, f32({2})); }, "ValueError", {name + ": "}},
          },
  };
}

double sigmoid_reference(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double relu_reference(double x) { return x > 0 ? x : 0.0; }
double rsqrt_reference(double x) { return 1.0 / std::sqrt(x); }
double gelu_reference(double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }
Tensor neg_op(const Tensor& x) { return neg(x); }

// Two operands where a and b differ by at least 0.1 everywhere (maximum/minimum's kink is a == b).
std::vector<OpSample> separated_pairs(Generator& g) {
  auto samples = binary_samples(g);
  for (auto& s : samples) {
    NoGradGuard no_grad;
    Tensor a = s.inputs[0].detach();
    const Shape shape = broadcast_shapes("sample", a.shape(), s.inputs[1].shape());
    const auto av = broadcast_values(a, shape), bv = broadcast_values(s.inputs[1], shape);
    bool close = false;
    for (std::size_t i = 0; i < av.size(); ++i) close = close || std::abs(av[i] - bv[i]) < 0.1;
    if (close) s.inputs[1] = (s.inputs[1].detach() + 10.0).requires_grad_();
  }
  return samples;
}

const RegisterOps register_elementwise({
    binary_entry("add", [](const Tensor& a, const Tensor& b) { return add(a, b); },
                 [](double a, double b) { return a + b; }),
    binary_entry("sub", [](const Tensor& a, const Tensor& b) { return sub(a, b, 0.5); },
                 [](double a, double b) { return a - 0.5 * b; }),
    binary_entry("mul", [](const Tensor& a, const Tensor& b) { return a * b; },
                 [](double a, double b) { return a * b; }),
    binary_entry("div", [](const Tensor& a, const Tensor& b) { return a / b; },
                 [](double a, double b) { return a / b; }, -2.0, 2.0, 0.5, 2.0),
    binary_entry("pow", [](const Tensor& a, const Tensor& b) { return pow(a, b); },
                 [](double a, double b) { return std::pow(a, b); }, 0.5, 2.0, -1.5, 1.5),
    binary_entry("maximum", [](const Tensor& a, const Tensor& b) { return maximum(a, b); },
                 [](double a, double b) { return std::max(a, b); }, separated_pairs),
    binary_entry("minimum", [](const Tensor& a, const Tensor& b) { return minimum(a, b); },
                 [](double a, double b) { return std::min(a, b); }, separated_pairs),
    // y in [0.3, 2) and x in [-2, 2): angles in (0, pi), away from the origin and the cut at y = 0, x < 0.
    OpEntry{
        .name = "atan2",
        .function = [](const std::vector<Tensor>& in) { return atan2(in[0], in[1]); },
        .samples = [](Generator& g) { return binary_samples(g, 0.3, 2.0, -2.0, 2.0); },
        .reference = binary_reference([](double y, double x) { return std::atan2(y, x); }),
        .errors = with(binary_errors("atan2", [](const Tensor& y, const Tensor& x) { return atan2(y, x); }),
                       {{"int64 input", [] { atan2(i64({2}), i64({2})); }, "DTypeError", {"atan2: ", "int64"}}}),
    },
    // neg of int64 is fine
    unary_entry("neg", neg_op, [](double x) { return -x; }, -2.0, 2.0, {},
                without(unary_errors("neg", neg_op), "int64 input")),
    unary_entry("pow_scalar", [](const Tensor& x) { return pow(x, 2.5); }, [](double x) { return std::pow(x, 2.5); },
                0.5, 2.0, {}, unary_errors("pow", [](const Tensor& x) { return pow(x, 2.5); })),
    OpEntry{
        .name = "where",
        .function = [](const std::vector<Tensor>& in) { return where(in[2], in[0], in[1]); },
        .samples =
            [](Generator& g) {
              std::vector<OpSample> samples;
              for (auto& s : binary_samples(g)) {
                const Shape shape = broadcast_shapes("sample", s.inputs[0].shape(), s.inputs[1].shape());
                s.inputs.push_back(bernoulli(shape, 0.5, float64, &g));
                samples.push_back(s);
              }
              return samples;
            },
        .reference =
            [](const std::vector<Tensor>& in) {
              const Shape shape = broadcast_shapes(
                  "reference", broadcast_shapes("reference", in[0].shape(), in[1].shape()), in[2].shape());
              const auto a = broadcast_values(in[0], shape), b = broadcast_values(in[1], shape),
                         c = broadcast_values(in[2], shape);
              std::vector<double> out(a.size());
              for (std::size_t i = 0; i < a.size(); ++i) out[i] = c[i] != 0 ? a[i] : b[i];
              return make(out, shape);
            },
        .errors = {{"dtype mismatch", [] { where(f32({2}), f32({2}), f64({2})); }, "DTypeError",
                    {"where: ", "float32", "float64"}},
                   {"shapes do not broadcast", [] { where(f32({3}), f32({2, 3}), f32({4, 5})); }, "ShapeError",
                    {"where: ", "[2, 3]", "[4, 5]"}}},
    },
    unary_entry("clamp", [](const Tensor& x) { return clamp(x, -0.5, 0.7); },
                [](double x) { return std::min(0.7, std::max(-0.5, x)); }, -2.0, 2.0, {-0.5, 0.7},
                {{"low above high", [] { clamp(f32({2}), 1.0, 0.0); }, "ValueError", {"clamp: ", "1", "0"}},
                 {"undefined input", [] { clamp(Tensor{}, 0.0, 1.0); }, "ValueError", {"clamp: "}}}),
    unary_entry("exp", exp, [](double x) { return std::exp(x); }),
    unary_entry("log", log, [](double x) { return std::log(x); }, 0.5, 2.0),
    unary_entry("log1p", log1p, [](double x) { return std::log1p(x); }, -0.5, 2.0),
    unary_entry("expm1", expm1, [](double x) { return std::expm1(x); }),
    unary_entry("sqrt", sqrt, [](double x) { return std::sqrt(x); }, 0.5, 2.0),
    unary_entry("rsqrt", rsqrt, rsqrt_reference, 0.5, 2.0),
    // abs of int64 is fine
    unary_entry("abs", abs, [](double x) { return std::abs(x); }, -2.0, 2.0, {0.0},
                without(unary_errors("abs", abs), "int64 input")),
    unary_entry("sin", sin, [](double x) { return std::sin(x); }),
    unary_entry("cos", cos, [](double x) { return std::cos(x); }),
    unary_entry("erf", erf, [](double x) { return std::erf(x); }),
    unary_entry("tanh", tanh, [](double x) { return std::tanh(x); }),
    unary_entry("sigmoid", sigmoid, sigmoid_reference),
    unary_entry("relu", relu, relu_reference, -2.0, 2.0, {0.0}),
    unary_entry("leaky_relu", [](const Tensor& x) { return leaky_relu(x, 0.2); },
                [](double x) { return x > 0 ? x : 0.2 * x; }, -2.0, 2.0, {0.0},
                unary_errors("leaky_relu", [](const Tensor& x) { return leaky_relu(x); })),
    unary_entry("elu", [](const Tensor& x) { return elu(x, 0.7); },
                [](double x) { return x > 0 ? x : 0.7 * std::expm1(x); }, -2.0, 2.0, {0.0},
                unary_errors("elu", [](const Tensor& x) { return elu(x); })),
    // beta 2, threshold 3: samples in [-2, 2] cross the threshold at x = 1.5.
    unary_entry("softplus", [](const Tensor& x) { return softplus(x, 2.0, 3.0); },
                [](double x) { return 2.0 * x > 3.0 ? x : std::log1p(std::exp(2.0 * x)) / 2.0; }, -2.0, 2.0, {1.5},
                with(unary_errors("softplus", [](const Tensor& x) { return softplus(x); }),
                     {{"beta <= 0", [] { softplus(f32({2}), 0.0); }, "ValueError", {"softplus: ", "beta"}}})),
    unary_entry("gelu", gelu, gelu_reference),
    backward_map_entry("relu_backward", relu_backward, [](double g, double x) { return x > 0 ? g : 0.0; }, -2.0,
                       2.0),
    backward_map_entry("sigmoid_backward", sigmoid_backward, [](double g, double y) { return g * y * (1.0 - y); },
                       0.05, 0.95),
});

}  // namespace
}  // namespace lg::testing
