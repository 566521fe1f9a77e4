#include "op_registry.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lg::testing {

std::vector<OpEntry>& op_registry() {
  static std::vector<OpEntry> entries;
  return entries;
}

RegisterOps::RegisterOps(std::vector<OpEntry> entries) {
  for (auto& entry : entries) op_registry().push_back(std::move(entry));
}

Pair OpArguments::pair(const std::string& name) const {
  const auto found = values_.find(name);
  if (found == values_.end() || found->second.size() != 2)
    throw std::invalid_argument("op arguments: no pair called '" + name + "'");
  return {found->second[0], found->second[1]};
}

std::vector<ErrorSample> with(std::vector<ErrorSample> errors, std::vector<ErrorSample> more) {
  errors.insert(errors.end(), more.begin(), more.end());
  return errors;
}

std::vector<ErrorSample> without(std::vector<ErrorSample> errors, const std::string& label) {
  const auto found = std::find_if(errors.begin(), errors.end(), [&](const ErrorSample& e) { return e.label == label; });
  if (found == errors.end()) throw std::invalid_argument("error samples: none is labelled '" + label + "'");
  errors.erase(found);
  return errors;
}

Tensor input(Generator& g, const Shape& shape, double low, double high) {
  return uniform(shape, low, high, float64, &g).requires_grad_();
}

Tensor transposed_input(Generator& g, const Shape& shape, double low, double high) {
  Shape swapped = shape;
  std::swap(swapped[0], swapped[1]);
  Tensor base = uniform(swapped, low, high, float64, &g);
  return transpose(base, 0, 1).requires_grad_();
}

Tensor strided_input(Generator& g, const Shape& shape, double low, double high) {
  Shape doubled = shape;
  doubled[0] = doubled[0] * 2;
  Tensor base = uniform(doubled, low, high, float64, &g);
  return slice(base, 0, 0, doubled[0], 2).requires_grad_();
}

Tensor away_from(Generator& g, const Shape& shape, std::vector<double> kinks, double low, double high) {
  Tensor t = uniform(shape, low, high, float64, &g);
  double* data = t.data_ptr<double>();
  for (std::int64_t i = 0; i < t.numel(); ++i)
    for (double kink : kinks)
      if (std::abs(data[i] - kink) < 1e-3) data[i] = kink + (data[i] < kink ? -0.1 : 0.1);
  return t.requires_grad_();
}

void push_away_from_kinks(const Tensor& t, const std::vector<double>& kinks) {
  double* data = static_cast<double*>(t.impl()->storage->data());
  const std::size_t count = t.impl()->storage->nbytes() / sizeof(double);
  for (std::size_t i = 0; i < count; ++i)
    for (double kink : kinks)
      if (std::abs(data[i] - kink) < 1e-3) data[i] = kink + (data[i] < kink ? -0.1 : 0.1);
}

std::vector<OpSample> unary_samples(Generator& g, double low, double high) {
  return {
      {"0-d", {input(g, {}, low, high)}},
      {"[3, 4]", {input(g, {3, 4}, low, high)}},
      {"transposed [4, 3]", {transposed_input(g, {4, 3}, low, high)}},
      {"step-2 view [3, 2]", {strided_input(g, {3, 2}, low, high)}},
      {"zero-size [0, 3]", {input(g, {0, 3}, low, high)}},
  };
}

std::vector<OpSample> binary_samples(Generator& g, double low, double high, double low_b, double high_b) {
  return {
      {"same shape [2, 3]", {input(g, {2, 3}, low, high), input(g, {2, 3}, low_b, high_b)}},
      {"broadcast (5,1)x(5)", {input(g, {5, 1}, low, high), input(g, {5}, low_b, high_b)}},
      {"0-d x [3]", {input(g, {}, low, high), input(g, {3}, low_b, high_b)}},
      {"transposed x step-2", {transposed_input(g, {3, 2}, low, high), strided_input(g, {3, 2}, low_b, high_b)}},
      {"zero-size", {input(g, {0, 3}, low, high), input(g, {1, 3}, low_b, high_b)}},
  };
}

}  // namespace lg::testing
