// Linear: y = x W^T + b, W [out_features, in_features], b [out_features].
// x may have any leading dims ([..., in_features] -> [..., out_features]).
// The product is lg::linear(x, W, b): the bias is written into the output and
// one GEMM (W as a transpose flag, no copy) accumulates onto it. Initialised as PyTorch: W ~ kaiming_uniform
// with a = sqrt(5), i.e. U(-1/sqrt(in), 1/sqrt(in)), and b ~ U(-1/sqrt(in), 1/sqrt(in)).
#pragma once
#include <cstdint>

#include "autograd/random.hpp"
#include "nn/module.hpp"

namespace lg::nn {

// Options of Linear.
struct LinearOptions {
  // Whether to learn a bias b.
  bool bias = true;
  // Dtype of W and b, float32 or float64; inputs must match it.
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial values; the default generator when null
};

// Affine map y = x W^T + b over the last dim.
class Linear : public Module {
 public:
  // Registers and initialises W and b; throws ValueError on non-positive sizes, DTypeError on a non-floating dtype.
  Linear(std::int64_t in_features, std::int64_t out_features, const LinearOptions& options = {});
  // Returns x W^T + b for x [..., in_features]; throws ShapeError on another last dim, DTypeError on another dtype.
  Tensor forward(const Tensor& x) const;

  // The size of the input's last dim.
  std::int64_t in_features() const { return in_features_; }
  // The size of the output's last dim.
  std::int64_t out_features() const { return out_features_; }
  // W, [out_features, in_features].
  const Tensor& weight() const { return weight_; }
  // b, [out_features].
  const Tensor& bias() const { return bias_; }  // undefined without bias

 private:
  std::int64_t in_features_;
  std::int64_t out_features_;
  Tensor weight_;
  Tensor bias_;
};

}  // namespace lg::nn
