// Conv2d and ConvTranspose2d: parameter set-up, input checks naming the layer,
// then the conv2d / conv_transpose2d ops.
#include "nn/conv.hpp"

#include <cmath>

#include "autograd/factory.hpp"
#include "nn/init.hpp"

namespace lg::nn {
namespace {

// Registers PyTorch's default init for a weight whose fan_in is computed from dim 1.
void default_init(Tensor& weight, Tensor& bias, Generator* generator) {
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0), .generator = generator});
  if (bias.defined()) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(init::calculate_fans(weight).fan_in));
    init::uniform_(bias, -bound, bound, generator);
  }
}

void check_sizes(std::string_view layer, std::int64_t in_channels, std::int64_t out_channels, Pair kernel_size,
                 DType dtype) {
  check<ValueError>(in_channels > 0 && out_channels > 0, layer, "channels must be positive, got in_channels ",
                    in_channels, " and out_channels ", out_channels);
  check<ValueError>(kernel_size[0] > 0 && kernel_size[1] > 0, layer, "kernel_size must be positive, got ",
                    detail::pair_str(kernel_size));
  check<DTypeError>(is_floating(dtype), layer, "dtype must be float32 or float64, got ", dtype);
}

void check_input(std::string_view layer, const Tensor& x, std::int64_t in_channels, DType dtype) {
  check<ValueError>(x.defined(), layer, "input is undefined");
  check<ShapeError>(x.dim() == 4 && x.size(1) == in_channels, layer, "expected input [N, ", in_channels,
                    ", H, W], got ", shape_str(x.shape()));
  check<DTypeError>(x.dtype() == dtype, layer, "input dtype ", x.dtype(), " does not match weight dtype ", dtype);
}

}  // namespace

Conv2d::Conv2d(std::int64_t in_channels, std::int64_t out_channels, Pair kernel_size, const Conv2dOptions& options)
    : in_channels_(in_channels), options_(options) {
  check_sizes("Conv2d", in_channels, out_channels, kernel_size, options.dtype);
  weight_ = register_parameter("weight", empty({out_channels, in_channels, kernel_size[0], kernel_size[1]},
                                               options.dtype));
  if (options.bias) bias_ = register_parameter("bias", empty({out_channels}, options.dtype));
  default_init(weight_, bias_, options.generator);
}

Tensor Conv2d::forward(const Tensor& x) const {
  check_input("Conv2d", x, in_channels_, weight_.dtype());
  return conv2d(x, weight_, bias_, options_.stride, options_.padding, options_.dilation);
}

ConvTranspose2d::ConvTranspose2d(std::int64_t in_channels, std::int64_t out_channels, Pair kernel_size,
                                 const ConvTranspose2dOptions& options)
    : in_channels_(in_channels), options_(options) {
  check_sizes("ConvTranspose2d", in_channels, out_channels, kernel_size, options.dtype);
  weight_ = register_parameter("weight", empty({in_channels, out_channels, kernel_size[0], kernel_size[1]},
                                               options.dtype));
  if (options.bias) bias_ = register_parameter("bias", empty({out_channels}, options.dtype));
  default_init(weight_, bias_, options.generator);
}

Tensor ConvTranspose2d::forward(const Tensor& x) const {
  check_input("ConvTranspose2d", x, in_channels_, weight_.dtype());
  return conv_transpose2d(x, weight_, bias_, options_.stride, options_.padding, options_.output_padding,
                          options_.dilation);
}

}  // namespace lg::nn
