// A differentiable op written outside the library, and tested the way the
// library tests its own: softsign(x) = x / (1 + |x|), whose derivative is
// 1 / (1 + |x|)^2. docs/adding_an_op.md walks through this file.
//
// Three versions:
//   softsign_composite  a formula of existing ops: three recorded nodes (abs,
//                       add, div), no backward of its own;
//   softsign            one recorded node that saves only x, with a forward
//                       rule (tangents dx -> dx / (1 + |x|)^2, for forward
//                       mode) and a backward, both written in differentiable
//                       ops, so that they can be differentiated again: what a
//                       user writes;
//   lg::softsign_builtin the same node written as it would be inside the
//                       library (autograd/ops/activation.cpp): input checks
//                       from op_helpers.hpp and the forward on kernels.
// Each is checked against the closed forms of the value and the derivative,
// with lg::gradcheck and lg::gradgradcheck, forward mode (lg::jvp) against the
// closed form, and for its error message. The
// program prints one line per check and returns 1 if any fails.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "autograd/backend/kernels.hpp"
#include "autograd/ops/op_helpers.hpp"

namespace lg {

// Inside the library this would sit in activation.cpp, declared in
// activation.hpp; the opening comment of activation.cpp would gain the line
//   softsign: g / (1 + |x|)^2
Tensor softsign_builtin(const Tensor& x) {
  detail::check_defined("softsign", x);
  detail::check_floating("softsign", x);
  Tensor denominator = empty_like(x);
  kernel::unary(kernel::Unary::abs, x, denominator);                          // |x|
  kernel::binary(kernel::Binary::add, denominator, scalar_tensor(1.0, x.dtype(), x.device()),
                 denominator);                                                // 1 + |x|, in place
  Tensor out = empty_like(x);
  kernel::binary(kernel::Binary::div, x, denominator, out);
  return record("softsign", out, {x},
                [&x](const Tangents& t, const Tensor&) {  // forward rule: dx / (1 + |x|)^2
                  const Tensor denominator_again = abs(x) + 1.0;
                  return t[0] / (denominator_again * denominator_again);
                },
                [saved = SavedTensor(x)](const Tensor& grad_output, const Tensor&, const NeedsGrad&) -> Grads {
                  const Tensor denominator_again = abs(saved.get("softsign")) + 1.0;  // differentiable ops only
                  return {grad_output / (denominator_again * denominator_again)};
                });
}

}  // namespace lg

namespace {

lg::Tensor softsign_composite(const lg::Tensor& x) { return x / (lg::abs(x) + 1.0); }

lg::Tensor softsign(const lg::Tensor& x) {
  lg::check<lg::ValueError>(x.defined(), "softsign", "input is undefined");
  lg::check<lg::DTypeError>(lg::is_floating(x.dtype()), "softsign", "expected float32 or float64, got ", x.dtype());
  // The forward on a detached input records nothing; record() then makes the
  // result the output of one "softsign" node whose input is x.
  const lg::Tensor data = x.detach();
  const lg::Tensor out = data / (lg::abs(data) + 1.0);
  // SavedTensor checks, when backward runs, that x was not changed in place
  // since the forward. The lambda captures no output (Note [memory rule] in
  // docs/notes.md): the backward recomputes 1 + |x| from x instead.
  // The forward rule pushes forward-mode tangents t[0] ([T, *x.shape], T tangents stacked) to the
  // output's; it runs at once inside record(), so it may capture x by reference.
  const auto forward = [&x](const lg::Tangents& t, const lg::Tensor&) {
    const lg::Tensor denominator = lg::abs(x) + 1.0;
    return t[0] / (denominator * denominator);
  };
  return lg::record("softsign", out, {x}, forward,
                    [saved = lg::SavedTensor(x)](const lg::Tensor& grad_output, const lg::Tensor&,
                                                 const lg::NeedsGrad&) -> lg::Grads {
                      const lg::Tensor denominator = lg::abs(saved.get("softsign")) + 1.0;
                      return {grad_output / (denominator * denominator)};
                    });
}

int failures = 0;

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1e", value);
  return text;
}

void report(const std::string& what, bool passed, const std::string& detail = "") {
  std::printf("%s: %s%s%s\n", passed ? "ok" : "FAIL", what.c_str(), detail.empty() ? "" : " -- ", detail.c_str());
  if (!passed) ++failures;
}

// float64 values with |x| in [0.1, 2], of random sign: softsign's second
// derivative, -2 sign(x) / (1 + |x|)^3, jumps at 0, where finite differences of
// the gradient would disagree with either side.
lg::Tensor away_from_zero(const lg::Shape& shape, lg::Generator& generator) {
  std::vector<double> values(static_cast<std::size_t>(lg::numel_of(shape)));
  for (double& value : values) {
    const double magnitude = 0.1 + 1.9 * generator.next_double();
    value = generator.next_double() < 0.5 ? -magnitude : magnitude;
  }
  return lg::from_vector(values, shape, lg::float64);
}

struct Sample {
  std::string label;
  lg::Tensor input;  // float64, requires grad
};

std::vector<Sample> samples() {
  lg::Generator generator(7);
  return {
      {"0-d", away_from_zero({}, generator).requires_grad_()},
      {"[3, 4]", away_from_zero({3, 4}, generator).requires_grad_()},
      {"transposed [4, 3]", lg::transpose(away_from_zero({3, 4}, generator), 0, 1).requires_grad_()},
      {"zero-size [0, 3]", lg::zeros({0, 3}, lg::float64).requires_grad_()},
  };
}

// Largest |a - b| over the elements of two tensors of the same shape.
double max_difference(const lg::Tensor& a, const lg::Tensor& b) {
  const auto left = a.to_vector<double>(), right = b.to_vector<double>();
  double worst = 0.0;
  for (std::size_t i = 0; i < left.size(); ++i) worst = std::max(worst, std::abs(left[i] - right[i]));
  return worst;
}

void check_values_and_derivative(const std::string& name, lg::Tensor (*op)(const lg::Tensor&), const Sample& sample) {
  const lg::Tensor x = sample.input;
  const lg::Tensor y = op(x);
  std::vector<double> expected_value, expected_derivative;
  for (double v : x.to_vector<double>()) {
    expected_value.push_back(v / (1.0 + std::abs(v)));
    expected_derivative.push_back(1.0 / ((1.0 + std::abs(v)) * (1.0 + std::abs(v))));
  }
  const double value_error = max_difference(y, lg::from_vector(expected_value, x.shape(), lg::float64));
  report(name + " on " + sample.label + ": value is x / (1 + |x|)", value_error <= 1e-15,
         "max error " + scientific(value_error));
  // The gradient of sum(y) is the elementwise derivative.
  const lg::Tensor derivative = lg::grad({lg::sum(y)}, {x})[0];
  const double derivative_error = max_difference(derivative, lg::from_vector(expected_derivative, x.shape(), lg::float64));
  report(name + " on " + sample.label + ": derivative is 1 / (1 + |x|)^2", derivative_error <= 1e-15,
         "max error " + scientific(derivative_error));
  // Forward mode: the tangent of y along v = 1 is the elementwise derivative too.
  const lg::Tensor tangent = lg::jvp([op](const lg::Tensor& input) { return op(input); }, x, lg::ones_like(x));
  const double tangent_error = max_difference(tangent, lg::from_vector(expected_derivative, x.shape(), lg::float64));
  report(name + " on " + sample.label + ": forward mode gives 1 / (1 + |x|)^2", tangent_error <= 1e-15,
         "max error " + scientific(tangent_error));
}

void check_gradients(const std::string& name, lg::Tensor (*op)(const lg::Tensor&), const Sample& sample) {
  const lg::TensorFunction function = [op](const std::vector<lg::Tensor>& inputs) { return op(inputs[0]); };
  const std::string label = name + " on " + sample.label;
  const lg::GradcheckResult first = lg::gradcheck(label, function, {sample.input});
  report(label + ": gradcheck", first.passed, first.report);
  const lg::GradcheckResult second = lg::gradgradcheck(label, function, {sample.input});
  report(label + ": gradgradcheck", second.passed, second.report);
}

void check_error_message(const std::string& name, lg::Tensor (*op)(const lg::Tensor&)) {
  try {
    op(lg::ones({2}, lg::int64));
    report(name + " of int64 throws DTypeError", false, "nothing was thrown");
  } catch (const lg::DTypeError& error) {
    const std::string message = error.what();
    report(name + " of int64 throws DTypeError naming the op and the dtype",
           message.rfind("softsign: ", 0) == 0 && message.find("int64") != std::string::npos, message);
  }
}

}  // namespace

int main() {
  lg::set_num_threads(1);
  const std::vector<std::pair<std::string, lg::Tensor (*)(const lg::Tensor&)>> versions = {
      {"softsign_composite", softsign_composite}, {"softsign", softsign}, {"softsign_builtin", lg::softsign_builtin}};
  for (const auto& [name, op] : versions)
    for (const Sample& sample : samples()) {
      check_values_and_derivative(name, op, sample);
      check_gradients(name, op, sample);
    }
  check_error_message("softsign", softsign);
  check_error_message("softsign_builtin", lg::softsign_builtin);

  // One node against three: what the primitive saves.
  const lg::Tensor x = lg::randn({2, 3}, lg::float64).requires_grad_();
  const std::int64_t before = lg::debug::live_nodes();
  const lg::Tensor primitive = softsign(x);
  const std::int64_t primitive_nodes = lg::debug::live_nodes() - before;
  const lg::Tensor composite = softsign_composite(x);
  const std::int64_t composite_nodes = lg::debug::live_nodes() - before - primitive_nodes;
  // The first op on x also makes x's accumulator node, which the second reuses.
  report("the primitive records one node, the composite three",
         primitive.grad_fn()->name() == "softsign" && primitive_nodes == 1 + 1 && composite_nodes == 3,
         "softsign made " + std::to_string(primitive_nodes) + " nodes (with x's accumulator), softsign_composite " +
             std::to_string(composite_nodes) + " more");

  std::printf("%s\n", failures == 0 ? "all checks passed" : (std::to_string(failures) + " checks failed").c_str());
  return failures == 0 ? 0 : 1;
}
