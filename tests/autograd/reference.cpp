#include "reference.hpp"

namespace lg::testing {

std::vector<double> values_of(const Tensor& t) { return broadcast_values(t, t.shape()); }

std::vector<double> broadcast_values(const Tensor& t, const Shape& shape) {
  std::int64_t count = 1;
  for (auto s : shape) count *= s;
  std::vector<double> out(static_cast<std::size_t>(count));
  const std::size_t lead = shape.size() - t.shape().size();
  for (std::int64_t flat = 0; flat < count; ++flat) {
    std::int64_t rest = flat, offset = t.offset();
    for (std::size_t d = shape.size(); d-- > 0;) {
      const std::int64_t index = rest % shape[d];
      rest /= shape[d];
      if (d >= lead && t.shape()[d - lead] != 1) offset += index * t.strides()[d - lead];
    }
    const void* base = t.impl()->storage->data();
    out[static_cast<std::size_t>(flat)] =
        t.dtype() == float64 ? static_cast<const double*>(base)[offset]
        : t.dtype() == float32 ? static_cast<const float*>(base)[offset]
                               : static_cast<double>(static_cast<const std::int64_t*>(base)[offset]);
  }
  return out;
}

Tensor make(const std::vector<double>& values, const Shape& shape) {
  Tensor t = zeros(shape, float64);
  double* data = t.data_ptr<double>();
  for (std::size_t i = 0; i < values.size(); ++i) data[i] = values[i];
  return t;
}

TensorFunction unary_reference(std::function<double(double)> f) {
  return [f](const std::vector<Tensor>& in) {
    std::vector<double> v = values_of(in[0]);
    for (double& x : v) x = f(x);
    return make(v, in[0].shape());
  };
}

TensorFunction binary_reference(std::function<double(double, double)> f) {
  return [f](const std::vector<Tensor>& in) {
    const Shape shape = broadcast_shapes("reference", in[0].shape(), in[1].shape());
    const auto a = broadcast_values(in[0], shape), b = broadcast_values(in[1], shape);
    std::vector<double> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = f(a[i], b[i]);
    return make(out, shape);
  };
}

}  // namespace lg::testing
