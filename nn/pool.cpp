// Pooling and upsampling modules: forward to the ops.
#include "nn/pool.hpp"

namespace lg::nn {

Tensor MaxPool2d::forward(const Tensor& x) const {
  return max_pool2d(x, kernel_size_, options_.stride, options_.padding);
}

Tensor AvgPool2d::forward(const Tensor& x) const {
  return avg_pool2d(x, kernel_size_, options_.stride, options_.padding);
}

Tensor Upsample::forward(const Tensor& x) const { return upsample_nearest2d(x, scale_); }

}  // namespace lg::nn
