// Creating tensors: filled, ranges, identity, from C++ values, and random.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg {

struct TensorOptions {
  DType dtype = DType::float32;
  Device device = cpu;
  bool requires_grad = false;
};

// Uninitialised memory; for kernels' outputs.
Tensor empty(const Shape& shape, DType dtype = float32, Device device = cpu);
Tensor zeros(const Shape& shape, DType dtype = float32, Device device = cpu);
Tensor ones(const Shape& shape, DType dtype = float32, Device device = cpu);
Tensor full(const Shape& shape, double value, DType dtype = float32, Device device = cpu);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, double value);
Tensor empty_like(const Tensor& t);
// A 0-d tensor holding `value`.
Tensor scalar_tensor(double value, DType dtype = float32, Device device = cpu);
// [start, end) in steps of `step`.
Tensor arange(double start, double end, double step = 1.0, DType dtype = float32);
Tensor arange(std::int64_t end, DType dtype = int64);
Tensor linspace(double start, double end, std::int64_t steps, DType dtype = float32);
Tensor eye(std::int64_t n, DType dtype = float32);
Tensor eye(std::int64_t rows, std::int64_t cols, DType dtype = float32);

// From values in row-major order; an empty `shape` means 1-d (use scalar_tensor for 0-d).
Tensor from_vector(const std::vector<double>& values, const Shape& shape = {}, DType dtype = float32);
Tensor from_vector(const std::vector<float>& values, const Shape& shape = {});
Tensor from_vector(const std::vector<std::int64_t>& values, const Shape& shape = {});
Tensor tensor(std::initializer_list<double> values, DType dtype = float32);
Tensor tensor(std::initializer_list<std::initializer_list<double>> rows, DType dtype = float32);

// Random, from `generator` (the global default one when omitted).
Tensor rand(const Shape& shape, DType dtype = float32, Generator* generator = nullptr);
Tensor randn(const Shape& shape, DType dtype = float32, Generator* generator = nullptr);
Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, Generator* generator = nullptr);
Tensor bernoulli(const Shape& shape, double p, DType dtype = float32, Generator* generator = nullptr);
Tensor randperm(std::int64_t n, Generator* generator = nullptr);
Tensor uniform(const Shape& shape, double low, double high, DType dtype = float32, Generator* generator = nullptr);
Tensor normal(const Shape& shape, double mean, double stddev, DType dtype = float32, Generator* generator = nullptr);

}  // namespace lg
