// Linear: forward and PyTorch's default initialisation (see linear.hpp).
#include "nn/linear.hpp"

#include <cmath>

#include "autograd/factory.hpp"
#include "autograd/ops/matmul.hpp"
#include "nn/init.hpp"

namespace lg::nn {

Linear::Linear(std::int64_t in_features, std::int64_t out_features, const LinearOptions& options)
    : in_features_(in_features), out_features_(out_features) {
  check<ValueError>(in_features > 0 && out_features > 0, "Linear", "features must be positive, got in_features ",
                    in_features, " and out_features ", out_features);
  check<DTypeError>(is_floating(options.dtype), "Linear", "dtype must be float32 or float64, got ", options.dtype);
  weight_ = register_parameter("weight", empty({out_features, in_features}, options.dtype));
  init::kaiming_uniform_(weight_, {.a = std::sqrt(5.0), .generator = options.generator});
  if (options.bias) {
    bias_ = register_parameter("bias", empty({out_features}, options.dtype));
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
    init::uniform_(bias_, -bound, bound, options.generator);
  }
}

Tensor Linear::forward(const Tensor& x) const {
  check<ValueError>(x.defined(), "Linear", "input is undefined");
  check<ShapeError>(x.dim() >= 1 && x.size(-1) == in_features_, "Linear", "expected input [..., ", in_features_,
                    "], got ", shape_str(x.shape()));
  check<DTypeError>(x.dtype() == weight_.dtype(), "Linear", "input dtype ", x.dtype(), " does not match weight dtype ",
                    weight_.dtype());
  return linear(x, weight_, bias_);
}

}  // namespace lg::nn
