// atan2 as one recorded node: host forward, backward in differentiable ops.
#include "manifold/atan2.hpp"

#include <cmath>
#include <vector>

#include "autograd/factory.hpp"
#include "autograd/node.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold {

Tensor atan2(const Tensor& y, const Tensor& x) {
  check<ValueError>(y.defined() && x.defined(), "atan2", "got an undefined tensor");
  check<ShapeError>(y.shape() == x.shape(), "atan2", "y and x must have one shape, got ", shape_str(y.shape()),
                    " and ", shape_str(x.shape()));
  check<DTypeError>(y.dtype() == x.dtype() && is_floating(y.dtype()), "atan2",
                    "expected one floating dtype, got ", y.dtype(), " and ", x.dtype());
  const std::vector<double> ys = y.to_vector<double>(), xs = x.to_vector<double>();
  std::vector<double> angles(ys.size());
  for (std::size_t i = 0; i < ys.size(); ++i) angles[i] = std::atan2(ys[i], xs[i]);
  const Tensor out = from_vector(angles, {y.numel()}, y.dtype()).reshape(y.shape()).to(y.device());
  return record("atan2", out, {y, x},
                [saved_y = SavedTensor(y), saved_x = SavedTensor(x)](const Tensor& grad_output, const Tensor&,
                                                                     const NeedsGrad&) -> Grads {
                  const Tensor& y_again = saved_y.get("atan2");
                  const Tensor& x_again = saved_x.get("atan2");
                  const Tensor scale = grad_output / (x_again * x_again + y_again * y_again);
                  return {scale * x_again, -(scale * y_again)};
                });
}

}  // namespace lg::manifold
