// Convolution layers over [N, C, H, W] images; the maths (output sizes,
// unfold + matrix product) is in autograd/ops/conv.hpp.
//   Conv2d:          weight [out, in, kh, kw], bias [out]
//   ConvTranspose2d: weight [in, out, kh, kw] (PyTorch's layout), bias [out];
//                    the adjoint (gradient) of a Conv2d with the same settings.
// Initialised as PyTorch: weight ~ kaiming_uniform with a = sqrt(5), i.e.
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and bias ~ the same, where fan_in =
// weight.size(1) kh kw (in kh kw for Conv2d, out kh kw for ConvTranspose2d).
#pragma once
#include "autograd/ops/conv.hpp"
#include "autograd/random.hpp"
#include "nn/module.hpp"

namespace lg::nn {

// Options of Conv2d.
struct Conv2dOptions {
  // Step of the kernel over (H, W).
  Pair stride{1, 1};
  // Zeros added on each side of (H, W).
  Pair padding{0, 0};
  // Spacing between kernel taps in (H, W).
  Pair dilation{1, 1};
  // Whether to learn a bias.
  bool bias = true;
  // Dtype of weight and bias, float32 or float64; inputs must match it.
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial values; the default generator when null
};

// 2-d convolution (cross-correlation) of [N, in, H, W] into [N, out, H', W'].
class Conv2d : public Module {
 public:
  // Registers and initialises weight and bias; throws ValueError on non-positive sizes, DTypeError on a
  // non-floating dtype.
  Conv2d(std::int64_t in_channels, std::int64_t out_channels, Pair kernel_size, const Conv2dOptions& options = {});
  // Convolves x, [N, in, H, W]; throws ShapeError on another shape, DTypeError on another dtype.
  Tensor forward(const Tensor& x) const;

  // The kernel, [out, in, kh, kw].
  const Tensor& weight() const { return weight_; }
  // The bias, [out].
  const Tensor& bias() const { return bias_; }  // undefined without bias

 private:
  std::int64_t in_channels_;
  Conv2dOptions options_;
  Tensor weight_, bias_;
};

// Options of ConvTranspose2d.
struct ConvTranspose2dOptions {
  // Stride of the Conv2d this layer is the adjoint of.
  Pair stride{1, 1};
  // Padding of the Conv2d this layer is the adjoint of, taken off each side of the output.
  Pair padding{0, 0};
  Pair output_padding{0, 0};  // extra rows/columns at the bottom/right, < stride or < dilation
  // Spacing between kernel taps in (H, W).
  Pair dilation{1, 1};
  // Whether to learn a bias.
  bool bias = true;
  // Dtype of weight and bias, float32 or float64; inputs must match it.
  DType dtype = float32;
  // For the initial values; the default generator when null.
  Generator* generator = nullptr;
};

// Transposed 2-d convolution: the adjoint of Conv2d, [N, in, H, W] into [N, out, H', W'].
class ConvTranspose2d : public Module {
 public:
  // Registers and initialises weight and bias; throws ValueError on non-positive sizes, DTypeError on a
  // non-floating dtype.
  ConvTranspose2d(std::int64_t in_channels, std::int64_t out_channels, Pair kernel_size,
                  const ConvTranspose2dOptions& options = {});
  // Applies the transposed convolution to x, [N, in, H, W]; throws ShapeError or DTypeError as Conv2d does.
  Tensor forward(const Tensor& x) const;

  // The kernel, [in, out, kh, kw].
  const Tensor& weight() const { return weight_; }
  // The bias, [out]; undefined without bias.
  const Tensor& bias() const { return bias_; }

 private:
  std::int64_t in_channels_;
  ConvTranspose2dOptions options_;
  Tensor weight_, bias_;
};

}  // namespace lg::nn
