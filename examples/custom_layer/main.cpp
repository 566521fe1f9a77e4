// A layer written outside the library: a gated residual block
//
//   y = x + gate * tanh(x W^T + b),   x [..., features] -> y [..., features],
//
// with a parameter of its own (gate, one value per feature) and a submodule
// (nn::Linear, holding W and b). docs/adding_a_layer.md walks through this file.
//
// Checks, one line each, and exit status 1 if any fails: the parameters'
// dotted names, alone and inside a Sequential; gradcheck and gradgradcheck in float64 w.r.t. the input and
// every parameter; one SGD step that follows p <- p - lr dL/dp and lowers the
// loss; a state-dict round trip into a second block; the error for a wrong
// input shape.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace {

namespace nn = lg::nn;

struct GatedResidualOptions {
  double initial_gate = 0.5;
  lg::DType dtype = lg::float32;
  lg::Generator* generator = nullptr;  // for the Linear's initial values; the default generator when null
};

class GatedResidual : public nn::Module {
 public:
  explicit GatedResidual(std::int64_t features, const GatedResidualOptions& options = {}) : features_(features) {
    lg::check<lg::ValueError>(features > 0, "GatedResidual", "features must be positive, got ", features);
    // Registration gives the dotted names ("gate", "linear.weight", "linear.bias"), in this order,
    // that state dicts and optimiser state use. The returned handles are the module's own tensors,
    // so load_state_dict() and optimiser steps show through them.
    gate_ = register_parameter("gate", lg::full({features}, options.initial_gate, options.dtype));
    linear_ = register_module(
        "linear", std::make_shared<nn::Linear>(features, features,
                                               nn::LinearOptions{.dtype = options.dtype, .generator = options.generator}));
  }

  lg::Tensor forward(const lg::Tensor& x) const {
    lg::check<lg::ValueError>(x.defined(), "GatedResidual", "input is undefined");
    lg::check<lg::ShapeError>(x.dim() >= 1 && x.size(-1) == features_, "GatedResidual", "expected input [..., ",
                              features_, "], got ", lg::shape_str(x.shape()));
    // Differentiable ops only: the engine derives the backward, to any order.
    return x + gate_ * lg::tanh(linear_->forward(x));
  }

  const lg::Tensor& gate() const { return gate_; }

 private:
  std::int64_t features_;
  lg::Tensor gate_;
  std::shared_ptr<nn::Linear> linear_;
};

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

double max_difference(const lg::Tensor& a, const lg::Tensor& b) {
  const auto left = a.to_vector<double>(), right = b.to_vector<double>();
  double worst = 0.0;
  for (std::size_t i = 0; i < left.size(); ++i) worst = std::max(worst, std::abs(left[i] - right[i]));
  return worst;
}

void check_names() {
  GatedResidual block(3);
  std::string names;
  for (const auto& [name, parameter] : block.named_parameters()) names += (names.empty() ? "" : " ") + name;
  report("parameters are gate, linear.weight, linear.bias", names == "gate linear.weight linear.bias", names);
  // Any module with a forward(const Tensor&) can be a step of a Sequential; its names get the step's index.
  nn::Sequential model(std::make_shared<nn::Linear>(2, 3), std::make_shared<GatedResidual>(3));
  names.clear();
  for (const auto& [name, parameter] : model.named_parameters()) names += (names.empty() ? "" : " ") + name;
  report("in a Sequential after a Linear: 0.weight 0.bias 1.gate 1.linear.weight 1.linear.bias",
         names == "0.weight 0.bias 1.gate 1.linear.weight 1.linear.bias", names);
}

// The function gradcheck perturbs receives the block's own parameter tensors
// as inputs 1..n, so the gradients it checks are the ones training uses.
void check_gradients() {
  lg::Generator generator(1);
  GatedResidual block(3, {.dtype = lg::float64, .generator = &generator});
  {  // a gate that differs per feature, so that a gradient mixing up features shows
    lg::NoGradGuard no_grad;
    lg::Tensor gate = block.gate();
    gate.copy_(lg::tensor({0.5, -1.5, 1.2}, lg::float64));
  }
  std::vector<lg::Tensor> inputs{lg::randn({4, 3}, lg::float64, &generator).requires_grad_()};
  for (const lg::Tensor& parameter : block.parameters()) inputs.push_back(parameter);
  const lg::TensorFunction function = [&block](const std::vector<lg::Tensor>& arguments) {
    return block.forward(arguments[0]);
  };
  const auto first = lg::gradcheck("GatedResidual", function, inputs);
  report("gradcheck w.r.t. the input and all 3 parameters", first.passed, first.report);
  const auto second = lg::gradgradcheck("GatedResidual", function, inputs);
  report("gradgradcheck w.r.t. the input and all 3 parameters", second.passed, second.report);
}

void check_training_step() {
  lg::Generator generator(2);
  GatedResidual block(4, {.generator = &generator});
  const lg::Tensor x = lg::randn({16, 4}, lg::float32, &generator);
  const lg::Tensor target = lg::tanh(x) * 0.5;
  const double lr = 0.1;
  lg::optim::SGD optimizer(block.named_parameters(), {.lr = lr});

  const lg::Tensor loss = nn::mse_loss(block.forward(x), target);
  optimizer.zero_grad();
  loss.backward();
  std::vector<lg::Tensor> expected;  // p - lr dL/dp, computed before the step
  for (const lg::Tensor& parameter : block.parameters()) expected.push_back(parameter.detach() - parameter.grad() * lr);
  optimizer.step();

  double worst = 0.0;
  const auto parameters = block.parameters();
  for (std::size_t i = 0; i < parameters.size(); ++i) worst = std::max(worst, max_difference(parameters[i], expected[i]));
  report("one SGD step moves every parameter by -lr dL/dp", worst <= 1e-6, "max difference " + scientific(worst));
  lg::NoGradGuard no_grad;
  const double after = nn::mse_loss(block.forward(x), target).item();
  report("the step lowers the loss", after < loss.item(),
         std::to_string(loss.item()) + " -> " + std::to_string(after));
}

void check_state_dict() {
  lg::Generator first_generator(3), second_generator(4);
  GatedResidual trained(5, {.initial_gate = 0.3, .generator = &first_generator});
  GatedResidual fresh(5, {.generator = &second_generator});
  fresh.load_state_dict(trained.state_dict());
  const lg::Tensor x = lg::randn({2, 5});
  lg::NoGradGuard no_grad;
  report("a state-dict round trip gives the same outputs", max_difference(trained.forward(x), fresh.forward(x)) == 0.0);
}

void check_error_message() {
  GatedResidual block(3);
  try {
    block.forward(lg::zeros({2, 4}));
    report("a [2, 4] input to a 3-feature block throws ShapeError", false, "nothing was thrown");
  } catch (const lg::ShapeError& error) {
    const std::string message = error.what();
    report("a [2, 4] input to a 3-feature block throws ShapeError naming the layer and shapes",
           message.rfind("GatedResidual: ", 0) == 0 && message.find("[2, 4]") != std::string::npos, message);
  }
}

}  // namespace

int main() {
  lg::set_num_threads(1);
  check_names();
  check_gradients();
  check_training_step();
  check_state_dict();
  check_error_message();
  std::printf("%s\n", failures == 0 ? "all checks passed" : (std::to_string(failures) + " checks failed").c_str());
  return failures == 0 ? 0 : 1;
}
