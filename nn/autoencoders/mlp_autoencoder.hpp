// MLP autoencoder: an encoder of Linear + ReLU layers down to a code, and a
// mirrored decoder back up with a sigmoid output, so reconstructions are
// pixel intensities in [0, 1]. With hidden sizes {512, 256} and a 32-d code:
//   784 -> 512 -> 256 -> 32 -> 256 -> 512 -> 784.
// The objective is the mean squared reconstruction error,
//   L(x) = mean_i (x_i - g(f(x))_i)^2.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "autograd/random.hpp"
#include "nn/module.hpp"
#include "nn/sequential.hpp"

namespace lg::nn {

struct MlpAutoencoderOptions {
  std::int64_t input_size = 784;
  std::vector<std::int64_t> hidden_sizes = {512, 256};
  std::int64_t code_size = 32;
  Generator* generator = nullptr;  // for the initial weights
};

struct AutoencoderOutput {
  Tensor code;            // [B, code_size]
  Tensor reconstruction;  // same shape as the input
};

class MlpAutoencoder : public Module {
 public:
  explicit MlpAutoencoder(const MlpAutoencoderOptions& options = {});

  // x: [B, input_size] or images [B, 1, H, W] (flattened, and reshaped back).
  AutoencoderOutput forward(const Tensor& x) const;
  Tensor encode(const Tensor& x) const;
  Tensor decode(const Tensor& code) const;
  // Mean squared reconstruction error of a forward pass.
  Tensor loss(const Tensor& x, const AutoencoderOutput& output) const;

  const MlpAutoencoderOptions& options() const { return options_; }

 private:
  MlpAutoencoderOptions options_;
  std::shared_ptr<Sequential> encoder_;
  std::shared_ptr<Sequential> decoder_;
};

}  // namespace lg::nn
