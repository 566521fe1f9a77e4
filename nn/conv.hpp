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

struct Conv2dOptions {
  Pair stride{1, 1};
  Pair padding{0, 0};
  Pair dilation{1, 1};
  bool bias = true;
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial values; the default generator when null
};

class Conv2d : public Module {
 public:
  Conv2d(std::int64_t in_channels, std::int64_t out_channels, Pair kernel_size, const Conv2dOptions& options = {});
  Tensor forward(const Tensor& x) const;

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }  // undefined without bias

 private:
  std::int64_t in_channels_;
  Conv2dOptions options_;
  Tensor weight_, bias_;
};

struct ConvTranspose2dOptions {
  Pair stride{1, 1};
  Pair padding{0, 0};
  Pair output_padding{0, 0};  // extra rows/columns at the bottom/right, < stride or < dilation
  Pair dilation{1, 1};
  bool bias = true;
  DType dtype = float32;
  Generator* generator = nullptr;
};

class ConvTranspose2d : public Module {
 public:
  ConvTranspose2d(std::int64_t in_channels, std::int64_t out_channels, Pair kernel_size,
                  const ConvTranspose2dOptions& options = {});
  Tensor forward(const Tensor& x) const;

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }

 private:
  std::int64_t in_channels_;
  ConvTranspose2dOptions options_;
  Tensor weight_, bias_;
};

}  // namespace lg::nn
