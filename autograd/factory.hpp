// Creating tensors: filled, ranges, identity, from C++ values, and random.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg {

// A tensor's dtype, device and requires_grad as one value; no function here takes it yet.
struct TensorOptions {
  DType dtype = DType::float32;
  Device device = cpu;
  bool requires_grad = false;
};

// Uninitialised memory; for kernels' outputs.
Tensor empty(const Shape& shape, DType dtype = float32, Device device = cpu);
// A tensor of shape filled with 0.
Tensor zeros(const Shape& shape, DType dtype = float32, Device device = cpu);
// A tensor of shape filled with 1.
Tensor ones(const Shape& shape, DType dtype = float32, Device device = cpu);
// A tensor of shape filled with value (converted to dtype).
Tensor full(const Shape& shape, double value, DType dtype = float32, Device device = cpu);
// Zeros with t's shape, dtype and device.
Tensor zeros_like(const Tensor& t);
// Ones with t's shape, dtype and device.
Tensor ones_like(const Tensor& t);
// value everywhere, with t's shape, dtype and device.
Tensor full_like(const Tensor& t, double value);
// Uninitialised memory with t's shape, dtype and device.
Tensor empty_like(const Tensor& t);
// A 0-d tensor holding `value`.
Tensor scalar_tensor(double value, DType dtype = float32, Device device = cpu);
// [start, end) in steps of `step`.
Tensor arange(double start, double end, double step = 1.0, DType dtype = float32);
// 0, 1, ..., end - 1 (int64 by default).
Tensor arange(std::int64_t end, DType dtype = int64);
// steps values evenly spaced from start to end, both included; ValueError when steps < 0.
Tensor linspace(double start, double end, std::int64_t steps, DType dtype = float32);
// The n x n identity matrix.
Tensor eye(std::int64_t n, DType dtype = float32);
// A rows x cols matrix with 1 on the main diagonal and 0 elsewhere.
Tensor eye(std::int64_t rows, std::int64_t cols, DType dtype = float32);

// From values in row-major order; an empty `shape` means 1-d (use scalar_tensor for 0-d).
Tensor from_vector(const std::vector<double>& values, const Shape& shape = {}, DType dtype = float32);
// A float32 tensor of the values; ShapeError when they do not fill shape.
Tensor from_vector(const std::vector<float>& values, const Shape& shape = {});
// An int64 tensor of the values; ShapeError when they do not fill shape.
Tensor from_vector(const std::vector<std::int64_t>& values, const Shape& shape = {});
// A 1-d tensor of the values.
Tensor tensor(std::initializer_list<double> values, DType dtype = float32);
// A 2-d tensor, one row per inner list; ShapeError when the rows differ in length.
Tensor tensor(std::initializer_list<std::initializer_list<double>> rows, DType dtype = float32);

// Random, from `generator` (the global default one when omitted).
// Values drawn uniformly from [0, 1).
Tensor rand(const Shape& shape, DType dtype = float32, Generator* generator = nullptr);
// Samples of the standard normal distribution N(0, 1).
Tensor randn(const Shape& shape, DType dtype = float32, Generator* generator = nullptr);
// int64 values drawn uniformly from [low, high); ValueError when low >= high.
Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, Generator* generator = nullptr);
// 1 with probability p, else 0; ValueError when p is outside [0, 1].
Tensor bernoulli(const Shape& shape, double p, DType dtype = float32, Generator* generator = nullptr);
// A random permutation of 0, 1, ..., n - 1 as int64 (Fisher-Yates).
Tensor randperm(std::int64_t n, Generator* generator = nullptr);
// Values drawn uniformly from [low, high).
Tensor uniform(const Shape& shape, double low, double high, DType dtype = float32, Generator* generator = nullptr);
// Samples of the normal distribution with this mean and stddev.
Tensor normal(const Shape& shape, double mean, double stddev, DType dtype = float32, Generator* generator = nullptr);

}  // namespace lg
