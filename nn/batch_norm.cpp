// BatchNorm: batch statistics in training (with the running-estimate update),
// running estimates in evaluation; maths in batch_norm.hpp.
#include "nn/batch_norm.hpp"

#include <algorithm>

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/unary.hpp"
#include "autograd/ops/view.hpp"

namespace lg::nn {

BatchNorm::BatchNorm(std::string name, std::vector<std::int64_t> accepted_ranks, std::int64_t num_features,
                     const BatchNormOptions& options)
    : name_(std::move(name)), accepted_ranks_(std::move(accepted_ranks)), num_features_(num_features),
      options_(options) {
  check<ValueError>(num_features > 0, name_, "num_features must be positive, got ", num_features);
  check<ValueError>(options.eps > 0.0, name_, "eps must be positive, got ", options.eps);
  check<ValueError>(options.momentum >= 0.0 && options.momentum <= 1.0, name_, "momentum ", options.momentum,
                    " is outside [0, 1]");
  check<DTypeError>(is_floating(options.dtype), name_, "dtype must be float32 or float64, got ", options.dtype);
  if (options.affine) {
    weight_ = register_parameter("weight", ones({num_features}, options.dtype));
    bias_ = register_parameter("bias", zeros({num_features}, options.dtype));
  }
  if (options.track_running_stats) {
    running_mean_ = register_buffer("running_mean", zeros({num_features}, options.dtype));
    running_var_ = register_buffer("running_var", ones({num_features}, options.dtype));
    num_batches_tracked_ = register_buffer("num_batches_tracked", zeros({}, int64));
  }
}

void BatchNorm::check_input(const Tensor& x) const {
  check<ValueError>(x.defined(), name_, "input is undefined");
  const bool rank_ok = std::find(accepted_ranks_.begin(), accepted_ranks_.end(), x.dim()) != accepted_ranks_.end();
  check<ShapeError>(rank_ok && x.size(1) == num_features_, name_, "expected input with ",
                    accepted_ranks_.size() == 1 ? "4 dims" : "2 or 3 dims", " and ", num_features_,
                    " channels in dim 1, got ", shape_str(x.shape()));
  check<DTypeError>(x.dtype() == options_.dtype, name_, "input dtype ", x.dtype(), " does not match the module's ",
                    options_.dtype);
}

void BatchNorm::update_running_stats(const Tensor& mean, const Tensor& biased_var, std::int64_t count) {
  NoGradGuard no_grad;
  const double momentum = options_.momentum;
  const double bessel = static_cast<double>(count) / static_cast<double>(count - 1);
  running_mean_.mul_(1.0 - momentum).add_(reshape(mean.detach(), {num_features_}), momentum);
  running_var_.mul_(1.0 - momentum).add_(reshape(biased_var.detach(), {num_features_}), momentum * bessel);
  num_batches_tracked_.fill_(static_cast<double>(num_batches_tracked_.item<std::int64_t>() + 1));
}

Tensor BatchNorm::forward(const Tensor& x) {
  check_input(x);
  Shape reduced{0};
  for (std::int64_t d = 2; d < x.dim(); ++d) reduced.push_back(d);
  Shape channel_shape(static_cast<std::size_t>(x.dim()), 1);
  channel_shape[1] = num_features_;

  Tensor mean, variance;
  if (is_training() || !options_.track_running_stats) {
    const std::int64_t count = x.numel() / num_features_;
    check<ValueError>(count > 1 || !is_training(), name_,
                      "expected more than 1 value per channel when training, got input of shape ",
                      shape_str(x.shape()));
    mean = lg::mean(x, reduced, true);
    variance = var(x, reduced, 0.0, true);
    if (is_training() && options_.track_running_stats) update_running_stats(mean, variance, count);
  } else {
    mean = reshape(running_mean_, channel_shape);
    variance = reshape(running_var_, channel_shape);
  }
  Tensor y = (x - mean) * rsqrt(variance + options_.eps);
  if (options_.affine) y = y * reshape(weight_, channel_shape) + reshape(bias_, channel_shape);
  return y;
}

}  // namespace lg::nn
