// Shared helpers for the nn tests: gradchecking a module through a
// TensorFunction, deterministic inputs away from kinks, bit hashes of tensors,
// and matching an exception's type and message.
#pragma once
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "common/expect_error.hpp"

namespace nn_test {

// Checks first and second derivatives of `forward` w.r.t. the input and every
// parameter of `module`. The TensorFunction receives the module's own parameter
// tensors (gradcheck perturbs them in place), so the gradients it checks are the
// ones training would use.
inline void check_module(const std::string& name, const lg::nn::Module& module,
                         const std::function<lg::Tensor(const lg::Tensor&)>& forward, const lg::Tensor& input,
                         const lg::GradcheckOptions& options = {}) {
  std::vector<lg::Tensor> inputs{input};
  for (const lg::Tensor& parameter : module.parameters()) inputs.push_back(parameter);
  const lg::TensorFunction function = [&](const std::vector<lg::Tensor>& args) {
    for (std::size_t i = 1; i < args.size(); ++i)
      if (args[i].impl() != inputs[i].impl()) throw std::logic_error("check_module: parameters were replaced");
    return forward(args[0]);
  };
  const auto first = lg::gradcheck(name, function, inputs, options);
  BOOST_TEST(first.passed, first.report);
  const auto second = lg::gradgradcheck(name, function, inputs, options);
  BOOST_TEST(second.passed, second.report);
}

inline void check_function(const std::string& name, const lg::TensorFunction& function,
                           const std::vector<lg::Tensor>& inputs, const lg::GradcheckOptions& options = {}) {
  const auto first = lg::gradcheck(name, function, inputs, options);
  BOOST_TEST(first.passed, first.report);
  const auto second = lg::gradgradcheck(name, function, inputs, options);
  BOOST_TEST(second.passed, second.report);
}

// float64 values in +-[0.2, 1.5] (away from the kinks at 0), requiring grad.
inline lg::Tensor away_from_zero(const lg::Shape& shape, std::uint64_t seed) {
  lg::Generator generator(seed);
  std::vector<double> values(static_cast<std::size_t>(lg::numel_of(shape)));
  for (double& v : values) {
    const double magnitude = 0.2 + 1.3 * generator.next_double();
    v = generator.next_double() < 0.5 ? -magnitude : magnitude;
  }
  lg::Tensor t = lg::from_vector(values, shape, lg::float64);
  t.requires_grad_();
  return t;
}

inline lg::Tensor random64(const lg::Shape& shape, std::uint64_t seed, bool requires_grad = true) {
  lg::Generator generator(seed);
  lg::Tensor t = lg::randn(shape, lg::float64, &generator);
  if (requires_grad) t.requires_grad_();
  return t;
}

// The raw bytes of every tensor of a module's state dict, in name order.
inline std::vector<unsigned char> state_bytes(const lg::nn::Module& module) {
  std::vector<unsigned char> bytes;
  for (const auto& [name, tensor] : module.state_dict()) {
    bytes.insert(bytes.end(), name.begin(), name.end());
    const lg::Tensor dense = tensor.contiguous();
    const auto* begin = static_cast<const unsigned char*>(dense.impl()->storage->data()) +
                        dense.offset() * static_cast<std::int64_t>(lg::dtype_size(dense.dtype()));
    bytes.insert(bytes.end(), begin, begin + dense.numel() * static_cast<std::int64_t>(lg::dtype_size(dense.dtype())));
  }
  return bytes;
}

inline bool same_bits(const lg::Tensor& a, const lg::Tensor& b) {
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
  const auto x = a.to_vector<double>(), y = b.to_vector<double>();
  return x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

using lg::testing::expect_error;

}  // namespace nn_test
