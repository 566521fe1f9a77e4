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

// Options of MaxPool2d and AvgPool2d.
struct Pool2dOptions {
  // Step of the window over (H, W); {0, 0} means kernel_size.
  Pair stride{0, 0};
  // Padding added on each side of (H, W).
  Pair padding{0, 0};
};

// Max pooling: each output pixel is the largest value of its window.
class MaxPool2d : public Module {
 public:
  // Stores the window size and options; the op checks them when forward runs.
  explicit MaxPool2d(Pair kernel_size, const Pool2dOptions& options = {})
      : kernel_size_(kernel_size), options_(options) {}
  // Returns max_pool2d(x, kernel_size, stride, padding) for x [N, C, H, W].
  Tensor forward(const Tensor& x) const;

 private:
  Pair kernel_size_;
  Pool2dOptions options_;
};

// Average pooling: each output pixel is the mean of its window, zero padding counted.
class AvgPool2d : public Module {
 public:
  // Stores the window size and options; the op checks them when forward runs.
  explicit AvgPool2d(Pair kernel_size, const Pool2dOptions& options = {})
      : kernel_size_(kernel_size), options_(options) {}
  // Returns avg_pool2d(x, kernel_size, stride, padding) for x [N, C, H, W].
  Tensor forward(const Tensor& x) const;

 private:
  Pair kernel_size_;
  Pool2dOptions options_;
};

// Nearest-neighbour upsampling by integer factors in (H, W).
class Upsample : public Module {
 public:
  // Stores the factors (scale[0] along H, scale[1] along W).
  explicit Upsample(Pair scale) : scale_(scale) {}
  // Returns x [N, C, H, W] as [N, C, H scale[0], W scale[1]], each pixel repeated.
  Tensor forward(const Tensor& x) const;

 private:
  Pair scale_;
};

}  // namespace lg::nn
