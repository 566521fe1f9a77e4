// Pooling and upsampling: composites of unfold, reductions and views, with no backward of their own.
//
//   avg_pool2d: y[n, c, l] = (1 / (kh kw)) sum_t U(x)[n, c, t, l], U = unfold viewed as [N, C, kh kw, L];
//               padding counts as zeros. dy/dx = fold of g / (kh kw), through unfold's and mean's backward.
//   max_pool2d: y[n, c, l] = max_t U(x)[n, c, t, l], the padding taps set to -inf so they never win
//               (padding <= kernel / 2 leaves a real pixel in every window). The gradient goes to the
//               arg-max tap (lg::max's scatter), then back through unfold's fold. At ties the first tap
//               in row-major window order takes it all; the test samples avoid ties.
//   upsample_nearest2d: y[n, c, p, q] = x[n, c, p / sh, q / sw] (rounded down): [N, C, H, 1, W, 1]
//               expanded to [N, C, H, sh, W, sw] and reshaped. The gradient sums each sh x sw block
//               (expand's backward).
#include "autograd/ops/pool.hpp"

#include <limits>

#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

void check_image(std::string_view op, const Tensor& x) {
  detail::check_defined(op, x);
  check<ShapeError>(x.dim() == 4, op, "expected an input of shape [N, C, H, W], got ", shape_str(x.shape()));
  detail::check_floating(op, x);
}

// The windows of x as [N, C, kh kw, L], with the output's spatial size and the window that made them.
struct Windows {
  Tensor taps;
  Pair positions;
  kernel::Window2d window;
};

Pair stride_or_kernel(Pair stride, Pair kernel_size) { return stride == Pair{0, 0} ? kernel_size : stride; }

Windows windows_of(std::string_view op, const Tensor& x, Pair kernel_size, Pair stride, Pair padding) {
  check_image(op, x);
  const kernel::Window2d window =
      detail::window_of(op, kernel_size, stride_or_kernel(stride, kernel_size), padding, {1, 1});
  const Pair positions = detail::sliding_positions(op, x.shape(), window);
  check<ValueError>(padding[0] <= kernel_size[0] / 2 && padding[1] <= kernel_size[1] / 2, op, "padding ",
                    detail::pair_str(padding), " must be at most half the kernel ", detail::pair_str(kernel_size));
  const Tensor columns = detail::unfold(x, window);
  const Shape shape{x.shape()[0], x.shape()[1], kernel_size[0] * kernel_size[1], positions[0] * positions[1]};
  return {reshape(columns, shape), positions, window};
}

Tensor to_image(const Tensor& pooled, Pair positions) {
  return reshape(pooled, {pooled.shape()[0], pooled.shape()[1], positions[0], positions[1]});
}

}  // namespace

Tensor max_pool2d(const Tensor& x, Pair kernel_size, Pair stride, Pair padding) {
  Windows windows = windows_of("max_pool2d", x, kernel_size, stride, padding);
  if (padding != Pair{0, 0}) {
    // 1 for taps on the image, 0 for taps on the padding: unfold of ones, shared by all images.
    const Tensor image_taps = reshape(detail::unfold(ones({1, 1, x.shape()[2], x.shape()[3]}, x.dtype(), x.device()),
                                                     windows.window),
                                      {1, 1, kernel_size[0] * kernel_size[1], -1});
    const Tensor minus_infinity = scalar_tensor(-std::numeric_limits<double>::infinity(), x.dtype(), x.device());
    windows.taps = where(image_taps, windows.taps, minus_infinity);
  }
  return to_image(max(windows.taps, 2).values, windows.positions);
}

Tensor avg_pool2d(const Tensor& x, Pair kernel_size, Pair stride, Pair padding) {
  const Windows windows = windows_of("avg_pool2d", x, kernel_size, stride, padding);
  return to_image(mean(windows.taps, {2}), windows.positions);
}

Tensor upsample_nearest2d(const Tensor& x, Pair scale) {
  check_image("upsample_nearest2d", x);
  check<ValueError>(scale[0] >= 1 && scale[1] >= 1, "upsample_nearest2d", "scale factors must be at least 1, got ",
                    detail::pair_str(scale));
  const std::int64_t batch = x.shape()[0], channels = x.shape()[1], height = x.shape()[2], width = x.shape()[3];
  const Tensor spread = expand(reshape(x, {batch, channels, height, 1, width, 1}),
                               {batch, channels, height, scale[0], width, scale[1]});
  return reshape(spread, {batch, channels, height * scale[0], width * scale[1]});
}

}  // namespace lg
