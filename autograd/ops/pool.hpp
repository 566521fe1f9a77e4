// Pooling and nearest-neighbour upsampling over [N, C, H, W] images, built from unfold and view ops.
// Spatial arguments are {height, width} pairs; stride {0, 0} means stride = kernel.
#pragma once
#include "autograd/ops/conv.hpp"

namespace lg {

// The largest value in each window; padding (at most half the kernel) never wins.
Tensor max_pool2d(const Tensor& x, Pair kernel, Pair stride = {0, 0}, Pair padding = {0, 0});
// The mean of each window, padding counted as zeros (count_include_pad): sum / (kh kw).
Tensor avg_pool2d(const Tensor& x, Pair kernel, Pair stride = {0, 0}, Pair padding = {0, 0});
// Each pixel repeated scale[0] times down and scale[1] times across (integer scale factors >= 1).
Tensor upsample_nearest2d(const Tensor& x, Pair scale);

}  // namespace lg
