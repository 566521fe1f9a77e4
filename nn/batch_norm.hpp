// Batch normalisation over the channel dim (dim 1):
//   y = (x - mean) / sqrt(var + eps) * weight + bias        (weight, bias: [C])
// In training, mean and var are the batch statistics over every dim but 1
// (var biased, dividing by n, as in the normalisation), and the running
// estimates move under NoGradGuard:
//   running_mean = (1 - momentum) running_mean + momentum mean
//   running_var  = (1 - momentum) running_var  + momentum var * n / (n - 1)
// (the unbiased variance, as PyTorch). In evaluation the running estimates
// replace the batch statistics. Buffers: running_mean (zeros), running_var
// (ones), num_batches_tracked (0-d int64).
// BatchNorm1d takes [N, C] or [N, C, L]; BatchNorm2d takes [N, C, H, W].
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nn/module.hpp"

namespace lg::nn {

// Options shared by BatchNorm1d and BatchNorm2d.
struct BatchNormOptions {
  // Added to the variance before the square root; must be positive.
  double eps = 1e-5;
  // Weight of the new batch statistic in the running estimates, in [0, 1].
  double momentum = 0.1;
  bool affine = true;               // learn weight (ones) and bias (zeros)
  bool track_running_stats = true;  // else batch statistics in evaluation too
  // Dtype of the parameters and buffers, float32 or float64; inputs must match it.
  DType dtype = float32;
};

// Base of BatchNorm1d and BatchNorm2d: normalises each channel of dim 1 as stated above.
class BatchNorm : public Module {
 public:
  // Updates the running statistics in training mode, hence not const.
  Tensor forward(const Tensor& x);

  // C, the number of channels in dim 1.
  std::int64_t num_features() const { return num_features_; }
  // The learned scale, [C], initialised to ones.
  const Tensor& weight() const { return weight_; }  // undefined without affine
  // The learned shift, [C], initialised to zeros; undefined without affine.
  const Tensor& bias() const { return bias_; }
  // The running mean, [C], initialised to zeros.
  const Tensor& running_mean() const { return running_mean_; }  // undefined without running stats
  // The running (unbiased) variance, [C], initialised to ones; undefined without running stats.
  const Tensor& running_var() const { return running_var_; }
  // The count of training batches seen, a 0-d int64; undefined without running stats.
  const Tensor& num_batches_tracked() const { return num_batches_tracked_; }

 protected:
  // Registers the parameters and buffers; throws ValueError on num_features <= 0, eps <= 0 or momentum
  // outside [0, 1], DTypeError on a non-floating dtype.
  BatchNorm(std::string name, std::vector<std::int64_t> accepted_ranks, std::int64_t num_features,
            const BatchNormOptions& options);

 private:
  void check_input(const Tensor& x) const;
  void update_running_stats(const Tensor& mean, const Tensor& biased_var, std::int64_t count);

  std::string name_;
  std::vector<std::int64_t> accepted_ranks_;
  std::int64_t num_features_;
  BatchNormOptions options_;
  Tensor weight_, bias_;
  Tensor running_mean_, running_var_, num_batches_tracked_;
};

// Batch normalisation of [N, C] or [N, C, L] inputs over every dim but 1.
class BatchNorm1d : public BatchNorm {
 public:
  // num_features is C; throws as BatchNorm's constructor does.
  explicit BatchNorm1d(std::int64_t num_features, const BatchNormOptions& options = {})
      : BatchNorm("BatchNorm1d", {2, 3}, num_features, options) {}
};

// Batch normalisation of [N, C, H, W] inputs over N, H and W per channel.
class BatchNorm2d : public BatchNorm {
 public:
  // num_features is C; throws as BatchNorm's constructor does.
  explicit BatchNorm2d(std::int64_t num_features, const BatchNormOptions& options = {})
      : BatchNorm("BatchNorm2d", {4}, num_features, options) {}
};

}  // namespace lg::nn
