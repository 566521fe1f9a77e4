// Dropout: a Bernoulli keep-mask scaled by 1 / (1 - p), multiplied in.
#include "nn/dropout.hpp"

#include "autograd/factory.hpp"
#include "autograd/ops/arithmetic.hpp"

namespace lg::nn {

Dropout::Dropout(const DropoutOptions& options) : options_(options) {
  check<ValueError>(options.p >= 0.0 && options.p <= 1.0, "Dropout", "probability p = ", options.p,
                    " is outside [0, 1]");
}

Tensor Dropout::forward(const Tensor& x) const {
  check<ValueError>(x.defined(), "Dropout", "input is undefined");
  check<DTypeError>(x.is_floating_point(), "Dropout", "expected a float32 or float64 input, got ", x.dtype());
  if (!is_training() || options_.p == 0.0) return x;
  const double keep = 1.0 - options_.p;
  const Tensor mask = bernoulli(x.shape(), keep, x.dtype(), options_.generator);
  return x * (keep > 0.0 ? mask * (1.0 / keep) : mask);
}

}  // namespace lg::nn
