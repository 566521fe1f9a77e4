// Flatten and Unflatten: forward to the view ops.
#include "nn/flatten.hpp"

#include "autograd/ops/view.hpp"

namespace lg::nn {

Tensor Flatten::forward(const Tensor& x) const {
  check<ValueError>(x.defined(), "Flatten", "input is undefined");
  return flatten(x, start_dim_, end_dim_);
}

Tensor Unflatten::forward(const Tensor& x) const {
  check<ValueError>(x.defined(), "Unflatten", "input is undefined");
  return unflatten(x, dim_, sizes_);
}

}  // namespace lg::nn
