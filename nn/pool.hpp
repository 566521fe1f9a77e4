// Pooling and upsampling layers over [N, C, H, W] images, wrapping the ops in
// autograd/ops/pool.hpp (the maths is stated there). No parameters.
//   MaxPool2d: the largest value of each window
//   AvgPool2d: the mean of each window, zero padding counted
//   Upsample:  nearest neighbour, each pixel repeated scale[0] x scale[1] times
// stride {0, 0} means stride = kernel_size.
#pragma once
#include "autograd/ops/pool.hpp"
#include "nn/module.hpp"

namespace lg::nn {

struct Pool2dOptions {
  Pair stride{0, 0};
  Pair padding{0, 0};
};

class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(Pair kernel_size, const Pool2dOptions& options = {})
      : kernel_size_(kernel_size), options_(options) {}
  Tensor forward(const Tensor& x) const;

 private:
  Pair kernel_size_;
  Pool2dOptions options_;
};

class AvgPool2d : public Module {
 public:
  explicit AvgPool2d(Pair kernel_size, const Pool2dOptions& options = {})
      : kernel_size_(kernel_size), options_(options) {}
  Tensor forward(const Tensor& x) const;

 private:
  Pair kernel_size_;
  Pool2dOptions options_;
};

class Upsample : public Module {
 public:
  explicit Upsample(Pair scale) : scale_(scale) {}
  Tensor forward(const Tensor& x) const;

 private:
  Pair scale_;
};

}  // namespace lg::nn
