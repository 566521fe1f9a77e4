// Independent float64 references for the registry: plain loops over values
// copied out of the tensors, sharing no code with the library's kernels.
#pragma once
#include <functional>
#include <vector>

#include <latentgeo.hpp>

namespace lg::testing {

// Row-major values of t, read element by element through its strides.
std::vector<double> values_of(const Tensor& t);
// Row-major values of t broadcast to `shape` (NumPy rules), by index arithmetic.
std::vector<double> broadcast_values(const Tensor& t, const Shape& shape);
Tensor make(const std::vector<double>& values, const Shape& shape);

TensorFunction unary_reference(std::function<double(double)> f);
TensorFunction binary_reference(std::function<double(double, double)> f);

}  // namespace lg::testing
