// Tests that iterate the op registry (docs/testing.md: G1 and G2 gradients, G3
// values, G5 error messages, G11 flat memory part C). Each check names the op
// and the sample, so a failure points at one op and one input.
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <cmath>
#include <iostream>
#include <set>

#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

std::vector<OpSample> samples_of(const OpEntry& entry) {
  Generator generator(1234);
  return entry.samples(generator);
}

std::string context(const OpEntry& entry, const OpSample& sample) { return entry.name + " [" + sample.label + "]"; }

GradcheckOptions options_of(const OpEntry& entry) {
  GradcheckOptions options;
  options.eps = entry.eps;
  options.atol = entry.atol;
  options.rtol = entry.rtol;
  options.fast = entry.fast;
  return options;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registry)

BOOST_AUTO_TEST_CASE(every_listed_op_has_an_entry_with_samples_and_errors) {
  std::set<std::string> registered;
  for (const OpEntry& entry : op_registry()) {
    registered.insert(entry.name);
    BOOST_CHECK_MESSAGE(!samples_of(entry).empty(), entry.name << ": no sample inputs");
    BOOST_CHECK_MESSAGE(!entry.errors.empty(),
                        entry.name << ": no error samples (docs/testing.md, G5 error messages)");
  }
  std::size_t covered = 0;
  for (auto name : kDifferentiableOps) {
    const bool found = registered.count(std::string(name)) > 0;
    covered += found;
    BOOST_CHECK_MESSAGE(found, name << ": listed in op_list.hpp but has no registry entry");
  }
  for (const auto& name : registered) {
    bool listed = false;
    for (auto op : kDifferentiableOps) listed = listed || op == name;
    BOOST_CHECK_MESSAGE(listed, name << ": has a registry entry but is not in op_list.hpp");
  }
  std::cout << "op registry: " << kDifferentiableOps.size() << " listed ops, " << covered << " with entries, "
            << op_registry().size() << " entries\n";
  BOOST_TEST(covered == kDifferentiableOps.size());
}

// Inputs are the tensors an op computes with: float64 (the float32 test narrows them), never a
// setting smuggled in as an int64 tensor (settings go in OpSample::arguments). Error labels are
// unique within an entry, so that without() removes exactly the one it names.
BOOST_AUTO_TEST_CASE(samples_hold_float64_inputs_and_errors_have_unique_labels) {
  std::size_t inputs = 0;
  for (const OpEntry& entry : op_registry()) {
    for (const OpSample& sample : samples_of(entry))
      for (std::size_t i = 0; i < sample.inputs.size(); ++i, ++inputs)
        BOOST_CHECK_MESSAGE(sample.inputs[i].defined() && sample.inputs[i].dtype() == float64,
                            context(entry, sample) << ": input " << i << " is not a float64 tensor");
    std::set<std::string> labels;
    for (const ErrorSample& error : entry.errors)
      BOOST_CHECK_MESSAGE(labels.insert(error.label).second,
                          entry.name << ": two error samples labelled '" << error.label << "'");
  }
  std::cout << "sample inputs: " << inputs << "\n";
}

BOOST_AUTO_TEST_CASE(first_order_gradients_match_finite_differences) {
  std::size_t checked = 0;
  for (const OpEntry& entry : op_registry())
    for (const OpSample& sample : samples_of(entry)) {
      const auto result =
          gradcheck(context(entry, sample), entry.function.with(sample.arguments), sample.inputs, options_of(entry));
      BOOST_CHECK_MESSAGE(result.passed, result.report);
      ++checked;
    }
  std::cout << "gradcheck: " << checked << " op samples\n";
}

BOOST_AUTO_TEST_CASE(second_order_gradients_match_finite_differences) {
  std::size_t checked = 0;
  for (const OpEntry& entry : op_registry())
    for (const OpSample& sample : samples_of(entry)) {
      const auto result = gradgradcheck(context(entry, sample), entry.function.with(sample.arguments), sample.inputs,
                                        options_of(entry));
      BOOST_CHECK_MESSAGE(result.passed, result.report);
      ++checked;
    }
  std::cout << "gradgradcheck: " << checked << " op samples\n";
}

BOOST_AUTO_TEST_CASE(float64_values_match_independent_references) {
  for (const OpEntry& entry : op_registry()) {
    if (!entry.reference) continue;
    for (const OpSample& sample : samples_of(entry)) {
      NoGradGuard no_grad;
      const Tensor got = entry.function(sample.inputs, sample.arguments);
      const Tensor expected = entry.reference(sample.inputs, sample.arguments);
      BOOST_CHECK_MESSAGE(got.shape() == expected.shape(), context(entry, sample) << ": shape " << shape_str(got.shape())
                                                                                   << " vs reference "
                                                                                   << shape_str(expected.shape()));
      if (got.shape() != expected.shape()) continue;
      const auto a = values_of(got), b = values_of(expected);
      for (std::size_t i = 0; i < a.size(); ++i)
        BOOST_CHECK_MESSAGE(std::abs(a[i] - b[i]) <= 1e-12 * std::max(1.0, std::abs(b[i])),
                            context(entry, sample) << ": element " << i << " is " << a[i] << ", reference " << b[i]);
    }
  }
}

BOOST_AUTO_TEST_CASE(float32_forward_matches_float64) {
  for (const OpEntry& entry : op_registry())
    for (const OpSample& sample : samples_of(entry)) {
      NoGradGuard no_grad;
      std::vector<Tensor> narrow_inputs;
      std::vector<Tensor> rounded_inputs;  // float64 copies of the float32 inputs: same starting values
      double input_scale = 0;  // float32 accumulation errors scale with the inputs, not the (maybe cancelled) output
      for (const Tensor& x : sample.inputs) {
        for (double v : values_of(x)) input_scale = std::max(input_scale, std::abs(v));
        narrow_inputs.push_back(x.dtype() == float64 ? x.to(float32) : x);
        rounded_inputs.push_back(x.dtype() == float64 ? x.to(float32).to(float64) : x);
      }
      const auto low = values_of(entry.function(narrow_inputs, sample.arguments));
      const auto high = values_of(entry.function(rounded_inputs, sample.arguments));
      double scale = 0;
      for (double v : high) scale = std::max(scale, std::abs(v));
      for (std::size_t i = 0; i < high.size(); ++i)
        BOOST_CHECK_MESSAGE(std::abs(low[i] - high[i]) <=
                                entry.float32_rtol * (std::abs(high[i]) + 0.1 * scale + 0.1 * input_scale),
                            context(entry, sample) << ": float32 " << low[i] << " vs float64 " << high[i]);
    }
}

BOOST_AUTO_TEST_CASE(bad_input_raises_typed_errors_naming_the_op) {
  // "^[a-z_0-9]+: .+", checked by hand (std::regex trips GCC 12's
  // maybe-uninitialized warning under the sanitizers).
  const auto starts_with_op = [](const std::string& message) {
    const auto colon = message.find(": ");
    if (colon == 0 || colon == std::string::npos || colon + 2 >= message.size()) return false;
    for (std::size_t i = 0; i < colon; ++i)
      if (!(std::islower(static_cast<unsigned char>(message[i])) || std::isdigit(static_cast<unsigned char>(message[i])) ||
            message[i] == '_'))
        return false;
    return true;
  };
  std::size_t count = 0;
  for (const OpEntry& entry : op_registry())
    for (const ErrorSample& error : entry.errors) {
      ++count;
      const std::string where = entry.name + " error sample '" + error.label + "'";
      try {
        error.call();
        BOOST_ERROR(where << ": did not throw");
      } catch (const Error& e) {
        const std::string message = e.what();
        const std::string type = dynamic_cast<const ShapeError*>(&e)    ? "ShapeError"
                                 : dynamic_cast<const DTypeError*>(&e)  ? "DTypeError"
                                 : dynamic_cast<const DeviceError*>(&e) ? "DeviceError"
                                 : dynamic_cast<const ValueError*>(&e)  ? "ValueError"
                                                                        : "Error";
        BOOST_CHECK_MESSAGE(type == error.type, where << ": threw " << type << " (" << message << "), expected "
                                                      << error.type);
        BOOST_CHECK_MESSAGE(starts_with_op(message), where << ": message does not start with 'op: ': "
                                                                     << message);
        BOOST_CHECK_MESSAGE(message.find("internal error") == std::string::npos, where << ": " << message);
        for (const auto& mention : error.mentions)
          BOOST_CHECK_MESSAGE(message.find(mention) != std::string::npos,
                              where << ": message '" << message << "' does not mention '" << mention << "'");
      } catch (const std::exception& e) {
        BOOST_ERROR(where << ": threw a non-lg exception: " << e.what());
      }
    }
  std::cout << "error samples: " << count << "\n";
}

// docs/testing.md, G11 flat memory, part C: forward + backward of every op leaves the live tensor
// and node counts where they started, which attributes a leak (a node owning its output) to one op.
BOOST_AUTO_TEST_CASE(forward_backward_cycles_leave_no_live_objects) {
  for (const OpEntry& entry : op_registry()) {
    const auto samples = samples_of(entry);
    const OpSample& sample = samples.front();
    const std::int64_t tensors_before = debug::live_tensors();
    const std::int64_t nodes_before = debug::live_nodes();
    for (int step = 0; step < 200; ++step) {
      Tensor y = entry.function(sample.inputs, sample.arguments);
      if (!y.requires_grad()) continue;
      auto grads = grad({(y * y).sum()}, sample.inputs[0].requires_grad() ? std::vector<Tensor>{sample.inputs[0]}
                                                                          : std::vector<Tensor>{},
                        {}, {.create_graph = false, .retain_graph = false, .allow_unused = true});
    }
    BOOST_CHECK_MESSAGE(debug::live_tensors() == tensors_before,
                        entry.name << ": live tensors " << tensors_before << " -> " << debug::live_tensors());
    BOOST_CHECK_MESSAGE(debug::live_nodes() == nodes_before,
                        entry.name << ": live nodes " << nodes_before << " -> " << debug::live_nodes());
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace lg::testing
