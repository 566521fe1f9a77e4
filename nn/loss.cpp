// Losses as composites of differentiable ops; the formulas are in loss.hpp.
#include "nn/loss.hpp"

#include "autograd/factory.hpp"
#include "autograd/ops/activation.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/indexing.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/softmax.hpp"
#include "autograd/ops/unary.hpp"
#include "autograd/ops/view.hpp"

namespace lg::nn {
namespace {

Tensor reduce(const Tensor& values, Reduction reduction) {
  switch (reduction) {
    case Reduction::none: return values;
    case Reduction::mean: return mean(values);
    case Reduction::sum: return sum(values);
  }
  return values;
}

void check_floating(std::string_view loss, const char* role, const Tensor& t) {
  check<ValueError>(t.defined(), loss, role, " is undefined");
  check<DTypeError>(t.is_floating_point(), loss, role, " must be float32 or float64, got ", t.dtype());
}

// input and target: both floating, same dtype, same device, same shape.
void check_pair(std::string_view loss, const Tensor& input, const Tensor& target, const char* input_role = "input",
                const char* target_role = "target") {
  check_floating(loss, input_role, input);
  check_floating(loss, target_role, target);
  check<DTypeError>(input.dtype() == target.dtype(), loss, "dtype mismatch, ", input_role, " ", input.dtype(),
                    " and ", target_role, " ", target.dtype());
  check<DeviceError>(input.device() == target.device(), loss, "device mismatch, ", input_role, " on ",
                     input.device().str(), " and ", target_role, " on ", target.device().str());
  check<ShapeError>(input.shape() == target.shape(), loss, input_role, " ", shape_str(input.shape()), " and ",
                    target_role, " ", shape_str(target.shape()), " must have the same shape");
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_pair("mse_loss", input, target);
  if (reduction == Reduction::mean) return mean_squared_error(input, target);  // one fused node
  const Tensor difference = input - target;
  return reduce(difference * difference, reduction);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_pair("l1_loss", input, target);
  return reduce(abs(input - target), reduction);
}

Tensor binary_cross_entropy(const Tensor& probabilities, const Tensor& target, Reduction reduction) {
  check_pair("binary_cross_entropy", probabilities, target, "probabilities");
  const Tensor log_p = clamp(log(probabilities), -100.0);
  const Tensor log_not_p = clamp(log(1.0 - probabilities), -100.0);
  return reduce(-(target * log_p + (1.0 - target) * log_not_p), reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target, Reduction reduction) {
  check_pair("binary_cross_entropy_with_logits", logits, target, "logits");
  if (reduction == Reduction::mean) return mean_binary_cross_entropy_with_logits(logits, target);  // one node
  const Tensor magnitude = abs(logits);
  const Tensor even_part = magnitude * 0.5 + log1p(exp(-magnitude));
  return reduce(logits * 0.5 - logits * target + even_part, reduction);
}

Tensor nll_loss(const Tensor& log_probabilities, const Tensor& target, Reduction reduction) {
  check_floating("nll_loss", "log_probabilities", log_probabilities);
  check<ValueError>(target.defined(), "nll_loss", "target is undefined");
  check<DTypeError>(target.dtype() == int64, "nll_loss", "target must hold int64 class indices, got ",
                    target.dtype());
  check<ShapeError>(log_probabilities.dim() == 2 && target.dim() == 1 &&
                        target.size(0) == log_probabilities.size(0),
                    "nll_loss", "expected log_probabilities [N, C] and target [N], got ",
                    shape_str(log_probabilities.shape()), " and ", shape_str(target.shape()));
  check<DeviceError>(log_probabilities.device() == target.device(), "nll_loss", "device mismatch, ",
                     log_probabilities.device().str(), " and ", target.device().str());
  const std::int64_t classes = log_probabilities.size(1);
  const std::vector<std::int64_t> labels = target.to_vector<std::int64_t>();
  for (std::size_t i = 0; i < labels.size(); ++i)
    check<ValueError>(labels[i] >= 0 && labels[i] < classes, "nll_loss", "target ", labels[i], " at index ", i,
                      " is outside [0, ", classes, ")");
  const Tensor picked = gather(log_probabilities, 1, reshape(target, {target.size(0), 1}));
  return reduce(-reshape(picked, {target.size(0)}), reduction);
}

Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction) {
  check_floating("cross_entropy", "logits", logits);
  check<ShapeError>(logits.dim() == 2, "cross_entropy", "expected logits [N, C], got ", shape_str(logits.shape()));
  return nll_loss(log_softmax(logits, 1), target, reduction);
}

Tensor gaussian_kl(const Tensor& mu, const Tensor& logvar, Reduction reduction) {
  check_pair("gaussian_kl", mu, logvar, "mu", "logvar");
  check<ShapeError>(mu.dim() >= 1, "gaussian_kl", "mu and logvar need a batch dim, got shape ",
                    shape_str(mu.shape()));
  const Tensor terms = 1.0 + logvar - mu * mu - exp(logvar);
  Shape feature_dims;
  for (std::int64_t d = 1; d < mu.dim(); ++d) feature_dims.push_back(d);
  const Tensor per_sample = feature_dims.empty() ? terms * -0.5 : sum(terms, feature_dims) * -0.5;
  return reduce(per_sample, reduction);
}

}  // namespace lg::nn
