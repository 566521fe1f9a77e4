#include "autograd/gradcheck.hpp"

#include <cmath>
#include <cstring>
#include <sstream>

#include "autograd/backend/kernels.hpp"
#include "autograd/engine.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg {
namespace {

// A random cotangent shaped like `like`, laid out non-contiguously when it has
// two or more dims (a transposed view), so layout bugs in backward show up.
Tensor random_cotangent(const Shape& shape, Generator& generator, Device device) {
  if (shape.size() < 2) return randn(shape, float64, &generator).to(device);
  Shape swapped = shape;
  std::swap(swapped[0], swapped[1]);
  return transpose(randn(swapped, float64, &generator).to(device), 0, 1);
}

// <v, f(x)> in float64. Grad mode stays as the caller set it: a function may
// take gradients inside (a contractive penalty, a Jacobian norm).
double project(const TensorFunction& function, const std::vector<Tensor>& inputs, const Tensor& v) {
  const Tensor y = function(inputs);
  const std::vector<double> ys = y.to_vector<double>();
  const std::vector<double> vs = v.to_vector<double>();
  double total = 0.0;
  for (std::size_t i = 0; i < ys.size(); ++i) total += ys[i] * vs[i];
  return total;
}

// Sets element `flat` (row-major index) of x, addressed through its strides, by a fill kernel on a
// one-element view, so inputs on any device can be perturbed. Like a kernel's write inside an op, it
// does not bump the version counter: the graph under test was built from these values.
void set_element(const Tensor& x, std::int64_t flat, double value) {
  std::int64_t offset = x.offset();
  for (std::int64_t d = x.dim(); d-- > 0;) {
    offset += (flat % x.shape()[d]) * x.strides()[d];
    flat /= x.shape()[d];
  }
  kernel::fill(detail::alias(x, {}, {}, offset), value);
}

std::vector<Tensor> analytic(const TensorFunction& function, const std::vector<Tensor>& inputs,
                             const std::vector<std::size_t>& checked, const Tensor& v, bool retain = false,
                             Tensor* output = nullptr) {
  Tensor y = function(inputs);
  if (output) *output = y;
  std::vector<Tensor> wrt;
  for (auto i : checked) wrt.push_back(inputs[i]);
  if (!y.requires_grad()) {  // the output is constant: every gradient is zero
    std::vector<Tensor> zero;
    for (const Tensor& x : wrt) zero.push_back(zeros_like(x));
    return zero;
  }
  auto grads = grad({y}, wrt, {v}, {.create_graph = false, .retain_graph = retain, .allow_unused = true});
  for (std::size_t k = 0; k < grads.size(); ++k)
    if (!grads[k].defined()) grads[k] = zeros_like(wrt[k]);
  return grads;
}

bool same_bits(const Tensor& a, const Tensor& b) {
  const auto x = a.to_vector<double>(), y = b.to_vector<double>();
  return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
}

struct Comparison {
  GradcheckResult& result;
  const GradcheckOptions& options;
  const std::string& name;
  void operator()(std::size_t input, const std::string& where, double numeric, double analytic_value) {
    const double tolerance = options.atol + options.rtol * std::abs(numeric);
    const double error = std::abs(analytic_value - numeric) / tolerance;
    if (!(error <= result.worst_error) || std::isnan(error)) {
      result.worst_error = std::isnan(error) ? INFINITY : error;
      if (!(error <= 1.0)) {
        result.passed = false;
        std::ostringstream report;
        report.precision(12);
        report << name << ": gradient mismatch for input " << input << " at " << where << ": numeric (expected) "
               << numeric << ", analytic (received) " << analytic_value << ", |difference| "
               << std::abs(analytic_value - numeric) << " > tolerance " << tolerance;
        result.report = report.str();
      }
    }
  }
};

// What gradcheck and gradgradcheck return when no input requires grad.
GradcheckResult nothing_to_check(const std::string& name) {
  GradcheckResult result;
  result.passed = false;
  result.report = name + ": no input requires grad, so there is no gradient to check (call requires_grad_() on "
                         "the inputs to check; the others are constants)";
  return result;
}

void fail_invariant(GradcheckResult& result, const std::string& name, const std::string& what) {
  if (!result.passed) return;  // keep the first report
  result.passed = false;
  result.report = name + ": " + what;
}

}  // namespace

GradcheckResult gradcheck(const std::string& name, const TensorFunction& function, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  std::vector<std::size_t> checked;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined() || !inputs[i].requires_grad()) continue;
    check<DTypeError>(inputs[i].dtype() == float64, "gradcheck", name, ": input ", i, " is ", inputs[i].dtype(),
                      "; gradcheck needs float64");
    for (std::int64_t d = 0; d < inputs[i].dim(); ++d)
      check<ValueError>(inputs[i].strides()[d] != 0 || inputs[i].shape()[d] <= 1, "gradcheck", name, ": input ", i,
                        " has a zero stride (an expanded view); expand inside the function instead");
    checked.push_back(i);
  }
  if (checked.empty()) return nothing_to_check(name);
  GradcheckResult result;
  Generator generator(options.seed);
  const Tensor output = function(inputs);
  const Tensor v = random_cotangent(output.shape(), generator, output.device());
  const std::vector<Tensor> grads = analytic(function, inputs, checked, v);
  Comparison compare{result, options, name};

  for (std::size_t k = 0; k < checked.size(); ++k) {
    const Tensor& x = inputs[checked[k]];
    if (grads[k].shape() != x.shape() || grads[k].dtype() != x.dtype()) {
      fail_invariant(result, name, "gradient for input " + std::to_string(checked[k]) + " has shape " +
                                       shape_str(grads[k].shape()) + " but the input has " + shape_str(x.shape()));
      return result;
    }
    const std::vector<double> analytic_values = grads[k].to_vector<double>();
    const std::vector<double> saved = x.to_vector<double>();
    if (!options.fast) {
      for (std::int64_t j = 0; j < x.numel(); ++j) {
        const double value = saved[static_cast<std::size_t>(j)];
        set_element(x, j, value + options.eps);
        const double plus = project(function, inputs, v);
        set_element(x, j, value - options.eps);
        const double minus = project(function, inputs, v);
        set_element(x, j, value);
        compare(checked[k], "element " + std::to_string(j), (plus - minus) / (2 * options.eps),
                analytic_values[static_cast<std::size_t>(j)]);
      }
    } else {
      for (int p = 0; p < options.projections; ++p) {
        const Tensor u = randn(x.shape(), float64, &generator);
        const std::vector<double> us = u.to_vector<double>();
        auto shift = [&](double t) {
          for (std::int64_t j = 0; j < x.numel(); ++j) set_element(x, j, saved[j] + t * us[j]);
        };
        shift(options.eps);
        const double plus = project(function, inputs, v);
        shift(-options.eps);
        const double minus = project(function, inputs, v);
        for (std::int64_t j = 0; j < x.numel(); ++j) set_element(x, j, saved[j]);
        double directional = 0.0;
        for (std::size_t j = 0; j < us.size(); ++j) directional += analytic_values[j] * us[j];
        compare(checked[k], "random direction " + std::to_string(p), (plus - minus) / (2 * options.eps), directional);
      }
    }
  }
  if (!result.passed || !options.check_invariants) return result;

  // Linear in the cotangent: grad(2v) = 2 grad(v).
  const std::vector<Tensor> doubled = analytic(function, inputs, checked, v * 2.0);
  for (std::size_t k = 0; k < checked.size(); ++k) {
    const auto a = grads[k].to_vector<double>(), b = doubled[k].to_vector<double>();
    for (std::size_t j = 0; j < a.size(); ++j)
      if (std::abs(b[j] - 2 * a[j]) > 1e-12 * std::max(1.0, std::abs(2 * a[j])))
        fail_invariant(result, name, "backward is not linear in the cotangent (input " + std::to_string(checked[k]) +
                                         ", element " + std::to_string(j) + ")");
  }
  // Zero in, zero out.
  const std::vector<Tensor> from_zero = analytic(function, inputs, checked, zeros_like(v));
  for (std::size_t k = 0; k < checked.size(); ++k)
    for (double value : from_zero[k].to_vector<double>())
      if (value != 0.0) {
        fail_invariant(result, name, "a zero cotangent gave a nonzero gradient for input " + std::to_string(checked[k]));
        break;
      }
  // Two passes over one retained graph give the same bits.
  {
    Tensor y;
    const std::vector<Tensor> first = analytic(function, inputs, checked, v, true, &y);
    if (y.requires_grad()) {
      std::vector<Tensor> wrt;
      for (auto i : checked) wrt.push_back(inputs[i]);
      auto second = grad({y}, wrt, {v}, {.create_graph = false, .retain_graph = false, .allow_unused = true});
      for (std::size_t k = 0; k < checked.size(); ++k)
        if (second[k].defined() && !same_bits(first[k], second[k]))
          fail_invariant(result, name, "two backward passes over a retained graph differ for input " +
                                           std::to_string(checked[k]));
    }
  }
  return result;
}

GradcheckResult gradgradcheck(const std::string& name, const TensorFunction& function,
                              const std::vector<Tensor>& inputs, const GradcheckOptions& options) {
  std::vector<std::size_t> checked;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].defined() && inputs[i].requires_grad()) checked.push_back(i);
  if (checked.empty()) return nothing_to_check(name);
  Generator generator(options.seed + 1);
  const Tensor output = function(inputs);
  Tensor v = random_cotangent(output.shape(), generator, output.device());
  v.impl()->requires_grad = true;  // a leaf: fresh from randn/transpose under no graph
  std::vector<Tensor> extended = inputs;
  extended.push_back(v);
  // (x, v) -> flattened v^T J(x), differentiable in both.
  const TensorFunction first_order = [&](const std::vector<Tensor>& args) {
    EnableGradGuard with_grad;  // the inner backward needs a graph even when the caller has none
    std::vector<Tensor> xs(args.begin(), args.end() - 1);
    const Tensor& cotangent = args.back();
    Tensor y = function(xs);
    std::vector<Tensor> wrt;
    for (auto i : checked) wrt.push_back(xs[i]);
    std::vector<Tensor> parts;
    if (y.requires_grad()) {
      auto grads = grad({y}, wrt, {cotangent}, {.create_graph = true, .retain_graph = true, .allow_unused = true});
      for (std::size_t k = 0; k < grads.size(); ++k)
        parts.push_back(reshape(grads[k].defined() ? grads[k] : zeros_like(wrt[k]), {-1}));
    } else {
      for (const Tensor& x : wrt) parts.push_back(zeros({x.numel()}, float64, x.device()));
    }
    return cat(parts, 0);
  };
  GradcheckOptions second = options;
  second.check_invariants = false;
  second.seed = options.seed + 2;
  return gradcheck(name + " (second order)", first_order, extended, second);
}

}  // namespace lg
