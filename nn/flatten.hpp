// Flatten merges dims start_dim..end_dim into one (default: all but the batch
// dim, [N, C, H, W] -> [N, C*H*W]); Unflatten splits one dim into `sizes`
// ([N, 784] -> [N, 1, 28, 28]). Both are reshapes: views when the strides allow,
// and their gradients are the inverse reshape.
#pragma once
#include "nn/module.hpp"

namespace lg::nn {

// Merges dims start_dim..end_dim (negative counts from the end) into one, as a view where possible.
class Flatten : public Module {
 public:
  // Stores the dim range to merge; the op checks it when forward runs.
  explicit Flatten(std::int64_t start_dim = 1, std::int64_t end_dim = -1)
      : start_dim_(start_dim), end_dim_(end_dim) {}
  // Returns flatten(x, start_dim, end_dim); throws ValueError on an undefined input.
  Tensor forward(const Tensor& x) const;

 private:
  std::int64_t start_dim_;
  std::int64_t end_dim_;
};

// Splits dim `dim` into `sizes`, the inverse of Flatten.
class Unflatten : public Module {
 public:
  // Stores the dim to split and the sizes it becomes; the op checks them when forward runs.
  Unflatten(std::int64_t dim, Shape sizes) : dim_(dim), sizes_(std::move(sizes)) {}
  // Returns unflatten(x, dim, sizes); throws ValueError on an undefined input.
  Tensor forward(const Tensor& x) const;

 private:
  std::int64_t dim_;
  Shape sizes_;
};

}  // namespace lg::nn
