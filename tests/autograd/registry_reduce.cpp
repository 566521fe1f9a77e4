// Registry entries: reductions, softmax, and the fused losses that end in a mean (mean_squared_error,
// mean_binary_cross_entropy_with_logits; autograd/ops/reduce.cpp).
#include <cmath>
#include <limits>

#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

Tensor f32(const Shape& shape) { return ones(shape, float32); }
Tensor f64(const Shape& shape) { return ones(shape, float64); }
Tensor i64(const Shape& shape) { return ones(shape, int64); }

// A reduction over `dims` of values laid out as `shape`, by plain loops.
TensorFunction reduce_reference(Shape dims, bool keepdim, std::function<double(const std::vector<double>&)> f) {
  return [=](const std::vector<Tensor>& in) {
    const Tensor& x = in[0];
    const std::int64_t rank = x.dim();
    std::vector<bool> flag(static_cast<std::size_t>(rank), dims.empty());
    for (auto d : dims) flag[static_cast<std::size_t>(d < 0 ? d + rank : d)] = true;
    Shape out_shape, kept_shape;
    for (std::int64_t d = 0; d < rank; ++d) {
      if (!flag[d]) out_shape.push_back(x.shape()[d]);
      else if (keepdim) out_shape.push_back(1);
      kept_shape.push_back(flag[d] ? 1 : x.shape()[d]);
    }
    const auto values = values_of(x);
    std::int64_t out_count = 1;
    for (auto s : kept_shape) out_count *= s;
    std::vector<std::vector<double>> groups(static_cast<std::size_t>(out_count));
    for (std::int64_t flat = 0; flat < static_cast<std::int64_t>(values.size()); ++flat) {
      std::int64_t rest = flat, out_index = 0, out_stride = 1;
      for (std::int64_t d = rank; d-- > 0;) {
        const std::int64_t index = rest % x.shape()[d];
        rest /= x.shape()[d];
        if (!flag[d]) out_index += index * out_stride;
        out_stride *= kept_shape[d];
      }
      groups[static_cast<std::size_t>(out_index)].push_back(values[static_cast<std::size_t>(flat)]);
    }
    std::vector<double> out;
    for (auto& group : groups) out.push_back(f(group));
    return make(out, out_shape);
  };
}

double total(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}
double average(const std::vector<double>& v) { return total(v) / static_cast<double>(v.size()); }
double variance(const std::vector<double>& v) {
  const double m = average(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / static_cast<double>(v.size() - 1);
}
double log_sum_exp(const std::vector<double>& v) {
  double m = -std::numeric_limits<double>::infinity();
  for (double x : v) m = std::max(m, x);
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}
double largest(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }
double smallest(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

std::vector<OpSample> reduce_samples(Generator& g) {
  return {
      {"0-d", {input(g, {})}},
      {"[3, 4]", {input(g, {3, 4})}},
      {"transposed [4, 3]", {transposed_input(g, {4, 3})}},
      {"[2, 3, 4]", {input(g, {2, 3, 4})}},
      {"step-2 view [3, 2]", {strided_input(g, {3, 2})}},
  };
}

// Where a reduction is defined and smooth, for its samples.
struct ReduceDomain {
  bool zero_d = true;     // the 0-d sample (not for std and var: the variance of one value is undefined)
  bool zero_size = true;  // a zero-size [0, 3] sample, reduced over all dims
  std::vector<double> kinks = {};  // values the samples keep away from
};

std::vector<OpSample> reduce_samples(Generator& g, const ReduceDomain& domain) {
  // Every sample is drawn, in order, whatever the domain, so a sample's values do not depend on it.
  std::vector<OpSample> samples;
  for (OpSample& sample : reduce_samples(g))
    if (domain.zero_d || sample.label != "0-d") samples.push_back(std::move(sample));
  if (domain.zero_size) samples.push_back({"zero-size [0, 3] over all", {input(g, {0, 3})}});
  for (auto& sample : samples) push_away_from_kinks(sample.inputs[0], domain.kinks);
  return samples;
}

std::vector<ErrorSample> dim_errors(const std::string& op, std::function<Tensor(const Tensor&, Shape)> f) {
  return {{"dim out of range", [f] { f(f32({2, 3}), {2}); }, "ShapeError", {op + ": ", "dim 2", "rank 2"}},
          {"undefined input", [f] { f(Tensor{}, {0}); }, "ValueError", {op + ": "}}};
}

// A reduction entry over the last dim (keepdim) and, for rank >= 2, over dims {0, -1}, with the dim
// error samples and `more_errors`.
OpEntry reduce_entry(const std::string& name, std::function<Tensor(const Tensor&, Shape, bool)> op,
                     std::function<double(const std::vector<double>&)> reference, ReduceDomain domain = {},
                     std::vector<ErrorSample> more_errors = {}) {
  return OpEntry{
      .name = name,
      .function =
          [op](const std::vector<Tensor>& in) {
            return in[0].dim() >= 2 ? op(in[0], {0, -1}, false) : op(in[0], {}, true);
          },
      .samples = [domain](Generator& g) { return reduce_samples(g, domain); },
      .reference =
          [reference](const std::vector<Tensor>& in) {
            return in[0].dim() >= 2 ? reduce_reference({0, -1}, false, reference)(in)
                                    : reduce_reference({}, true, reference)(in);
          },
      .errors = with(dim_errors(name, [op](const Tensor& x, Shape dims) { return op(x, dims, false); }),
                     std::move(more_errors)),
  };
}

OpEntry softmax_entry(const std::string& name, Tensor (*op)(const Tensor&, std::int64_t), bool log_form) {
  return OpEntry{
      .name = name,
      .function = [op](const std::vector<Tensor>& in) { return op(in[0], -1); },
      .samples = [](Generator& g) { return reduce_samples(g); },
      .reference = [log_form](const std::vector<Tensor>& in) {
        const Tensor& x = in[0];
        const std::int64_t last = x.dim() == 0 ? 1 : x.shape().back();
        auto v = values_of(x);
        for (std::size_t start = 0; start < v.size(); start += static_cast<std::size_t>(last)) {
          std::vector<double> row(v.begin() + static_cast<std::ptrdiff_t>(start),
                                  v.begin() + static_cast<std::ptrdiff_t>(start + static_cast<std::size_t>(last)));
          const double lse = log_sum_exp(row);
          for (std::int64_t j = 0; j < last; ++j) {
            double& y = v[start + static_cast<std::size_t>(j)];
            y = log_form ? y - lse : std::exp(y - lse);
          }
        }
        return make(v, x.shape());
      },
      .errors = {{"dim out of range", [op] { op(f32({2, 3}), 2); }, "ShapeError", {"logsumexp: ", "dim 2"}}},
  };
}

// max/min along dim 1 (or 0) with distinct values, so the argmax is unique.
OpEntry extreme_entry(const std::string& name, bool is_max) {
  return OpEntry{
      .name = name,
      .function = [is_max](const std::vector<Tensor>& in) {
        const std::int64_t dim = in[0].dim() >= 2 ? 1 : 0;
        return is_max ? max(in[0], dim).values : min(in[0], dim).values;
      },
      .samples = [](Generator& g) {
        auto distinct = [&](const Shape& shape) {
          Tensor t = randperm(numel_of(shape), &g).to(float64) * 0.25;
          return reshape(t, shape).detach().requires_grad_();
        };
        Tensor wide = distinct({4, 3});
        return std::vector<OpSample>{{"0-d", {input(g, {})}},
                                     {"[3, 4]", {distinct({3, 4})}},
                                     {"transposed [3, 4]", {transpose(wide.detach(), 0, 1).requires_grad_()}},
                                     {"[5]", {distinct({5})}}};
      },
      .reference = [is_max](const std::vector<Tensor>& in) {
        const std::int64_t dim = in[0].dim() >= 2 ? 1 : 0;
        return in[0].dim() == 0 ? make(values_of(in[0]), {})
                                : reduce_reference({dim}, false, is_max ? largest : smallest)(in);
      },
      .errors = {{"empty dim", [is_max] { is_max ? max(f32({2, 0}), 1) : min(f32({2, 0}), 1); }, "ShapeError",
                  {name + ": ", "[2, 0]"}},
                 {"dim out of range", [is_max] { is_max ? max(f32({2}), 3) : min(f32({2}), 3); }, "ShapeError",
                  {name + ": ", "dim 3"}}},
  };
}

const RegisterOps register_reduce({
    reduce_entry("sum", [](const Tensor& x, Shape d, bool k) { return sum(x, d, k); }, total),
    reduce_entry(
        "sum_of_squares", [](const Tensor& x, Shape d, bool k) { return sum_of_squares(x, d, k); },
        [](const std::vector<double>& v) {
          double s = 0;
          for (double x : v) s += x * x;
          return s;
        }),
    reduce_entry("mean", [](const Tensor& x, Shape d, bool k) { return mean(x, d, k); }, average,
                 {.zero_size = false}),
    reduce_entry("std", [](const Tensor& x, Shape d, bool k) { return lg::std(x, d, 1.0, k); },
                 [](const std::vector<double>& v) { return std::sqrt(variance(v)); },
                 {.zero_d = false, .zero_size = false}),
    reduce_entry("var", [](const Tensor& x, Shape d, bool k) { return var(x, d, 1.0, k); }, variance,
                 {.zero_d = false, .zero_size = false}),
    reduce_entry("logsumexp", [](const Tensor& x, Shape d, bool k) { return logsumexp(x, d, k); }, log_sum_exp,
                 {.zero_size = false}),
    reduce_entry(
        "norm", [](const Tensor& x, Shape d, bool k) { return norm(x, 2.0, d, k); },
        [](const std::vector<double>& v) {
          double s = 0;
          for (double x : v) s += x * x;
          return std::sqrt(s);
        },
        {.zero_size = false}, {{"p = 3", [] { norm(f32({2}), 3.0); }, "ValueError", {"norm: ", "3"}}}),
    // p = 1: |x| has a kink at 0.
    reduce_entry(
        "norm", [](const Tensor& x, Shape d, bool k) { return norm(x, 1.0, d, k); },
        [](const std::vector<double>& v) {
          double s = 0;
          for (double x : v) s += std::abs(x);
          return s;
        },
        {.zero_size = false, .kinks = {0.0}}),
    extreme_entry("max", true),
    extreme_entry("min", false),
    softmax_entry("softmax", softmax, false),
    softmax_entry("log_softmax", log_softmax, true),
    OpEntry{
        .name = "mean_squared_error",
        .function = [](const std::vector<Tensor>& in) { return mean_squared_error(in[0], in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[3, 4]", {input(g, {3, 4}), input(g, {3, 4})}},
              {"transposed [4, 3]", {transposed_input(g, {4, 3}), input(g, {4, 3})}},
              {"step-2 [3, 2] against a constant", {strided_input(g, {3, 2}), input(g, {3, 2}).detach()}},
              {"0-d", {input(g, {}), input(g, {})}},
          };
        },
        .reference = [](const std::vector<Tensor>& in) {
          const auto a = values_of(in[0]), b = values_of(in[1]);
          double total = 0.0;
          for (std::size_t i = 0; i < a.size(); ++i) total += (a[i] - b[i]) * (a[i] - b[i]);
          return make({total / static_cast<double>(a.size())}, {});
        },
        .errors = {
           {"shapes differ", [] { mean_squared_error(f32({2, 3}), f32({3, 2})); }, "ShapeError",
            {"mean_squared_error: ", "[2, 3]", "[3, 2]"}},
           {"dtype mismatch", [] { mean_squared_error(f32({2}), f64({2})); }, "DTypeError",
            {"mean_squared_error: ", "float32", "float64"}},
           {"int64", [] { mean_squared_error(i64({2}), i64({2})); }, "DTypeError", {"mean_squared_error: ", "int64"}},
           {"undefined operand", [] { mean_squared_error(Tensor{}, f32({2})); }, "ValueError", {"mean_squared_error: "}},
       },
    },
    OpEntry{
        .name = "mean_binary_cross_entropy_with_logits",
        .function = [](const std::vector<Tensor>& in) { return mean_binary_cross_entropy_with_logits(in[0], in[1]); },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[3, 4], targets in [0, 1]", {input(g, {3, 4}, -4.0, 4.0), input(g, {3, 4}, 0.0, 1.0)}},
              {"transposed [4, 3]", {transposed_input(g, {4, 3}, -3.0, 3.0), input(g, {4, 3}, 0.0, 1.0)}},
              {"step-2 [3, 2] against constant targets",
               {strided_input(g, {3, 2}, -3.0, 3.0), input(g, {3, 2}, 0.0, 1.0).detach()}},
              {"large logits [4]", {input(g, {4}, 30.0, 40.0), input(g, {4}, 0.0, 1.0)}},
              {"0-d", {input(g, {}), input(g, {}, 0.0, 1.0)}},
          };
        },
        .reference = [](const std::vector<Tensor>& in) {
          const auto x = values_of(in[0]), t = values_of(in[1]);
          double total = 0.0;
          // -(t log p + (1 - t) log(1 - p)) with p = sigmoid(x): log p = -softplus(-x), log(1 - p) = -softplus(x).
          const auto softplus = [](double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); };
          for (std::size_t i = 0; i < x.size(); ++i) total += t[i] * softplus(-x[i]) + (1.0 - t[i]) * softplus(x[i]);
          return make({total / static_cast<double>(x.size())}, {});
        },
        .errors = {
           {"shapes differ", [] { mean_binary_cross_entropy_with_logits(f32({2, 3}), f32({3, 2})); }, "ShapeError",
            {"mean_binary_cross_entropy_with_logits: ", "[2, 3]", "[3, 2]"}},
           {"dtype mismatch", [] { mean_binary_cross_entropy_with_logits(f32({2}), f64({2})); }, "DTypeError",
            {"mean_binary_cross_entropy_with_logits: ", "float32", "float64"}},
           {"int64", [] { mean_binary_cross_entropy_with_logits(i64({2}), i64({2})); }, "DTypeError",
            {"mean_binary_cross_entropy_with_logits: ", "int64"}},
           {"undefined target", [] { mean_binary_cross_entropy_with_logits(f32({2}), Tensor{}); }, "ValueError",
            {"mean_binary_cross_entropy_with_logits: "}},
       },
    },
});

}  // namespace
}  // namespace lg::testing
