// The op registry: one entry per differentiable op, with domain-aware sample
// inputs, an optional independent float64 reference, tolerances and error
// samples. Every registry test (gradcheck, gradgradcheck, float32 vs float64,
// references, errors, memory cycles) iterates it, so adding an entry is what
// makes an op tested; test_registry_coverage fails when an op named in
// autograd/ops/op_list.hpp has no entry.
//
// Entries live in registry_<family>.cpp files, each adding a table of entries
// with a static `RegisterOps` object. An entry is written whole, as one
// OpEntry{.name = ..., ...} or one call of a family helper that returns it; no
// entry is changed after it is built.
#pragma once
#include <concepts>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace lg::testing {

// The non-tensor arguments of a sample (a kernel size, a stride, a scale factor), by name, so
// that they reach the op as what they are and every entry of OpSample::inputs is a tensor the op
// computes with. Values are integer lists; add an accessor when an op needs another reading.
class OpArguments {
 public:
  OpArguments() = default;
  OpArguments(std::initializer_list<std::pair<const std::string, Shape>> values) : values_(values) {}
  // The two-element value called `name` as {height, width}; std::invalid_argument when there is none.
  Pair pair(const std::string& name) const;

 private:
  std::map<std::string, Shape> values_;
};

// An op, or its reference, as the registry calls it: (inputs, the sample's arguments) -> output.
// Made from a function of both, or of the inputs alone (most ops take no other arguments).
class OpFunction {
 public:
  using Function = std::function<Tensor(const std::vector<Tensor>&, const OpArguments&)>;
  OpFunction() = default;
  template <class F>
    requires std::invocable<const F&, const std::vector<Tensor>&, const OpArguments&>
  OpFunction(F function) : function_(std::move(function)) {}
  template <class F>
    requires std::invocable<const F&, const std::vector<Tensor>&>
  OpFunction(F function)
      : function_([f = std::move(function)](const std::vector<Tensor>& inputs, const OpArguments&) {
          return f(inputs);
        }) {}

  Tensor operator()(const std::vector<Tensor>& inputs, const OpArguments& arguments) const {
    return function_(inputs, arguments);
  }
  // With the arguments fixed: a function of the inputs, as gradcheck takes it.
  TensorFunction with(const OpArguments& arguments) const {
    return [function = function_, arguments](const std::vector<Tensor>& inputs) { return function(inputs, arguments); };
  }
  explicit operator bool() const { return static_cast<bool>(function_); }

 private:
  Function function_;
};

struct OpSample {
  std::string label;           // "0-d", "broadcast (5,1)x(5)", "transposed", "zero-size" ...
  std::vector<Tensor> inputs;  // float64; those with requires_grad are gradchecked, others are constants
  OpArguments arguments = {};  // what the op takes besides tensors, when the entry's function reads it
};

struct ErrorSample {
  std::string label;
  std::function<void()> call;          // must throw
  std::string type;                    // "ShapeError", "DTypeError", "DeviceError" or "ValueError"
  std::vector<std::string> mentions;   // substrings the message must contain ("[2, 3]", "float64"...)
};

using SampleMaker = std::function<std::vector<OpSample>(Generator&)>;

struct OpEntry {
  std::string name = {};       // as in kDifferentiableOps
  OpFunction function = {};    // (inputs, arguments) -> output
  SampleMaker samples = {};
  // Independent float64 reference (plain loops or closed form), same output; optional.
  OpFunction reference = {};
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-6;
  double rtol = 1e-4;
  double float32_rtol = 1e-5;  // float32 forward vs float64 forward
  bool fast = false;           // random-projection gradcheck (large inputs)
  std::vector<ErrorSample> errors = {};
};

std::vector<OpEntry>& op_registry();

struct RegisterOps {
  explicit RegisterOps(std::vector<OpEntry> entries);
};

// --- error lists ---------------------------------------------------------------
// `errors`, then `more`.
std::vector<ErrorSample> with(std::vector<ErrorSample> errors, std::vector<ErrorSample> more);
// `errors` without the sample labelled `label`, for an op that accepts what a shared list calls an
// error (neg and abs of int64). std::invalid_argument when no sample has that label, so a renamed
// label fails loudly instead of keeping the sample.
std::vector<ErrorSample> without(std::vector<ErrorSample> errors, const std::string& label);

// --- sample makers (all float64) ---------------------------------------------
// Uniform in [low, high), requires grad.
Tensor input(Generator& g, const Shape& shape, double low = -2.0, double high = 2.0);
// Uniform in [low, high), but a transposed view of a contiguous tensor
// (shape needs >= 2 dims), requires grad.
Tensor transposed_input(Generator& g, const Shape& shape, double low = -2.0, double high = 2.0);
// Uniform, every second element along dim 0 of a larger tensor (a step-2 view).
Tensor strided_input(Generator& g, const Shape& shape, double low = -2.0, double high = 2.0);
// Values in [low, high) with |x - kink| >= 1e-3 for every kink (relu at 0, ...).
Tensor away_from(Generator& g, const Shape& shape, std::vector<double> kinks, double low = -2.0, double high = 2.0);
// Moves every value of t's storage (so views too) at least 1e-3 away from each kink.
void push_away_from_kinks(const Tensor& t, const std::vector<double>& kinks);
// The standard unary samples: 0-d, [3, 4], transposed [4, 3], step-2 view, zero-size [0, 3].
std::vector<OpSample> unary_samples(Generator& g, double low = -2.0, double high = 2.0);
// The standard binary samples: same shape, broadcast (5,1)x(5), 0-d x [3], non-contiguous, zero-size.
std::vector<OpSample> binary_samples(Generator& g, double low = -2.0, double high = 2.0, double low_b = -2.0,
                                     double high_b = 2.0);

}  // namespace lg::testing
