// Flatten merges dims start_dim..end_dim into one (default: all but the batch
// dim, [N, C, H, W] -> [N, C*H*W]); Unflatten splits one dim into `sizes`
// ([N, 784] -> [N, 1, 28, 28]). Both are reshapes: views when the strides allow,
// and their gradients are the inverse reshape.
#pragma once
#include "nn/module.hpp"

namespace lg::nn {

class Flatten : public Module {
 public:
  explicit Flatten(std::int64_t start_dim = 1, std::int64_t end_dim = -1)
      : start_dim_(start_dim), end_dim_(end_dim) {}
  Tensor forward(const Tensor& x) const;

 private:
  std::int64_t start_dim_;
  std::int64_t end_dim_;
};

class Unflatten : public Module {
 public:
  Unflatten(std::int64_t dim, Shape sizes) : dim_(dim), sizes_(std::move(sizes)) {}
  Tensor forward(const Tensor& x) const;

 private:
  std::int64_t dim_;
  Shape sizes_;
};

}  // namespace lg::nn
