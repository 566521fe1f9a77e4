#include "autograd/factory.hpp"

#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "autograd/backend/kernels.hpp"
#if LATENTGEO_FAST_KERNELS
#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#endif

namespace lg {

Tensor empty(const Shape& shape, DType dtype, Device device) {
  for (auto s : shape) check<ShapeError>(s >= 0, "empty", "negative dimension in shape ", shape_str(shape));
  auto storage = std::make_shared<Storage>(static_cast<std::size_t>(numel_of(shape)) * dtype_size(dtype), device);
  return Tensor(std::make_shared<TensorImpl>(std::move(storage), shape, contiguous_strides(shape), 0, dtype));
}

Tensor full(const Shape& shape, double value, DType dtype, Device device) {
  Tensor t = empty(shape, dtype, device);
  kernel::fill(t, value);
  return t;
}
Tensor zeros(const Shape& shape, DType dtype, Device device) { return full(shape, 0.0, dtype, device); }
Tensor ones(const Shape& shape, DType dtype, Device device) { return full(shape, 1.0, dtype, device); }
Tensor empty_like(const Tensor& t) { return empty(t.shape(), t.dtype(), t.device()); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype(), t.device()); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype(), t.device()); }
Tensor full_like(const Tensor& t, double value) { return full(t.shape(), value, t.dtype(), t.device()); }
Tensor scalar_tensor(double value, DType dtype, Device device) { return full({}, value, dtype, device); }

namespace {
// Values made on the host (ranges, C++ values, the seeded generator's one stream, so every device
// gets the same numbers) and handed to the device's backend.
template <class Fill>
Tensor generate(const Shape& shape, DType dtype, Fill&& fill_value) {
  Tensor t = empty(shape, dtype);
  visit_dtype(dtype, [&]<class T>() {
    const std::int64_t count = t.numel();
    std::vector<T> values(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) values[static_cast<std::size_t>(i)] = static_cast<T>(fill_value(i));
    kernel::copy_from_host(values.data(), t);
  });
  return t;
}
Generator& pick(Generator* generator) { return generator ? *generator : default_generator(); }

// The generator's next numel(shape) uniforms in [0, 1), drawn in bulk; op names the caller in errors.
std::vector<double> uniform_draws(std::string_view op, const Shape& shape, Generator* generator) {
  for (auto s : shape) check<ShapeError>(s >= 0, op, "negative dimension in shape ", shape_str(shape));
  std::vector<double> draws(static_cast<std::size_t>(numel_of(shape)));
  pick(generator).next_doubles(draws);
  return draws;
}
}  // namespace

Tensor arange(double start, double end, double step, DType dtype) {
  check<ValueError>(step != 0.0, "arange", "step must be nonzero");
  const auto count = static_cast<std::int64_t>(std::max(0.0, std::ceil((end - start) / step)));
  return generate({count}, dtype, [&](std::int64_t i) { return start + static_cast<double>(i) * step; });
}
Tensor arange(std::int64_t end, DType dtype) { return arange(0.0, static_cast<double>(end), 1.0, dtype); }

Tensor linspace(double start, double end, std::int64_t steps, DType dtype) {
  check<ValueError>(steps >= 0, "linspace", "steps must be non-negative, got ", steps);
  const double delta = steps > 1 ? (end - start) / static_cast<double>(steps - 1) : 0.0;
  return generate({steps}, dtype, [&](std::int64_t i) {
    return i == steps - 1 ? end : start + static_cast<double>(i) * delta;
  });
}

Tensor eye(std::int64_t n, DType dtype) { return eye(n, n, dtype); }
Tensor eye(std::int64_t rows, std::int64_t cols, DType dtype) {
  return generate({rows, cols}, dtype, [&](std::int64_t i) { return (i / cols == i % cols) ? 1.0 : 0.0; });
}

Tensor from_vector(const std::vector<double>& values, const Shape& shape, DType dtype) {
  const Shape target = shape.empty() ? Shape{static_cast<std::int64_t>(values.size())} : shape;
  check<ShapeError>(numel_of(target) == static_cast<std::int64_t>(values.size()), "from_vector", values.size(),
                    " values do not fill shape ", shape_str(target));
  return generate(target, dtype, [&](std::int64_t i) { return values[static_cast<std::size_t>(i)]; });
}
Tensor from_vector(const std::vector<float>& values, const Shape& shape) {
  return from_vector(std::vector<double>(values.begin(), values.end()), shape, float32);
}
Tensor from_vector(const std::vector<std::int64_t>& values, const Shape& shape) {
  const Shape target = shape.empty() ? Shape{static_cast<std::int64_t>(values.size())} : shape;
  check<ShapeError>(numel_of(target) == static_cast<std::int64_t>(values.size()), "from_vector", values.size(),
                    " values do not fill shape ", shape_str(target));
  return generate(target, int64, [&](std::int64_t i) { return values[static_cast<std::size_t>(i)]; });
}

Tensor tensor(std::initializer_list<double> values, DType dtype) {
  return from_vector(std::vector<double>(values), {static_cast<std::int64_t>(values.size())}, dtype);
}
Tensor tensor(std::initializer_list<std::initializer_list<double>> rows, DType dtype) {
  std::vector<double> values;
  const std::int64_t cols = rows.size() ? static_cast<std::int64_t>(rows.begin()->size()) : 0;
  for (const auto& row : rows) {
    check<ShapeError>(static_cast<std::int64_t>(row.size()) == cols, "tensor", "rows have different lengths (", cols,
                      " and ", row.size(), ")");
    values.insert(values.end(), row.begin(), row.end());
  }
  return from_vector(values, {static_cast<std::int64_t>(rows.size()), cols}, dtype);
}

Tensor uniform(const Shape& shape, double low, double high, DType dtype, Generator* generator) {
  const std::vector<double> draws = uniform_draws("uniform", shape, generator);
  return generate(shape, dtype, [&](std::int64_t i) { return low + (high - low) * draws[std::size_t(i)]; });
}
Tensor rand(const Shape& shape, DType dtype, Generator* generator) { return uniform(shape, 0.0, 1.0, dtype, generator); }
Tensor normal(const Shape& shape, double mean, double stddev, DType dtype, Generator* generator) {
  for (auto s : shape) check<ShapeError>(s >= 0, "normal", "negative dimension in shape ", shape_str(shape));
  Generator& g = pick(generator);
  std::vector<double> draws(static_cast<std::size_t>(numel_of(shape)));
#if LATENTGEO_FAST_KERNELS
  if (dtype == float32) {
    // The same floats as below, the transform on vectors (Note [float32 normals]).
    const std::size_t start = g.next_normal_uniforms(draws);
    const std::size_t pairs = (draws.size() - start) / 2;
    std::vector<float> values(draws.size());
    for (std::size_t i = 0; i < draws.size(); ++i)
      if (i < start || i >= start + 2 * pairs) values[i] = static_cast<float>(mean + stddev * draws[i]);
    kernel::fast::normals_float32(kernel::fast::vector_isa(), draws.data() + start, static_cast<std::int64_t>(pairs),
                                  mean, stddev, values.data() + start);
    Tensor t = empty(shape, float32);
    kernel::copy_from_host(values.data(), t);
    return t;
  }
#endif
  g.next_normals(draws);  // the same numbers as one next_normal() per element, transformed in parallel
  return generate(shape, dtype, [&](std::int64_t i) { return mean + stddev * draws[static_cast<std::size_t>(i)]; });
}
Tensor randn(const Shape& shape, DType dtype, Generator* generator) { return normal(shape, 0.0, 1.0, dtype, generator); }

Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, Generator* generator) {
  check<ValueError>(low < high, "randint", "empty range [", low, ", ", high, ")");
  Generator& g = pick(generator);
  const auto span = static_cast<std::uint64_t>(high - low);
  return generate(shape, int64, [&](std::int64_t) { return static_cast<double>(low + static_cast<std::int64_t>(g.next_below(span))); });
}

Tensor bernoulli(const Shape& shape, double p, DType dtype, Generator* generator) {
  check<ValueError>(p >= 0.0 && p <= 1.0, "bernoulli", "probability ", p, " is outside [0, 1]");
  const std::vector<double> draws = uniform_draws("bernoulli", shape, generator);
  return generate(shape, dtype, [&](std::int64_t i) { return draws[std::size_t(i)] < p ? 1.0 : 0.0; });
}

Tensor randperm(std::int64_t n, Generator* generator) {
  check<ValueError>(n >= 0, "randperm", "n must be non-negative, got ", n);
  Generator& g = pick(generator);
  std::vector<std::int64_t> data(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) data[static_cast<std::size_t>(i)] = i;
  for (std::size_t i = data.size(); i-- > 1;)  // Fisher-Yates
    std::swap(data[i], data[static_cast<std::size_t>(g.next_below(static_cast<std::uint64_t>(i + 1)))]);
  Tensor t = empty({n}, int64);
  kernel::copy_from_host(data.data(), t);
  return t;
}

}  // namespace lg
