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
#include "nn/autoencoders/autoencoder_output.hpp"
#include "nn/module.hpp"
#include "nn/sequential.hpp"

namespace lg::nn {

// Sizes of MlpAutoencoder's layers; its parameters are float32.
struct MlpAutoencoderOptions {
  // Values per input example (784 for 28x28 images).
  std::int64_t input_size = 784;
  // Widths of the encoder's hidden layers, outermost first; the decoder mirrors them.
  std::vector<std::int64_t> hidden_sizes = {512, 256};
  // Width of the code.
  std::int64_t code_size = 32;
  Generator* generator = nullptr;  // for the initial weights
};

// Linear + ReLU encoder to a code and a mirrored decoder ending in a sigmoid, trained on mean squared error.
class MlpAutoencoder : public Module {
 public:
  // Builds the encoder and decoder; throws ValueError unless input_size and code_size are positive.
  explicit MlpAutoencoder(const MlpAutoencoderOptions& options = {});

  // x: [B, input_size] or images [B, 1, H, W] (flattened, and reshaped back).
  AutoencoderOutput forward(const Tensor& x) const;
  // The code [B, code_size] of x, flattened per example; throws ShapeError unless x holds input_size
  // values per example.
  Tensor encode(const Tensor& x) const;
  // The reconstruction [B, input_size], in [0, 1], of a code [B, code_size].
  Tensor decode(const Tensor& code) const;
  // Mean squared reconstruction error of a forward pass.
  Tensor loss(const Tensor& x, const AutoencoderOutput& output) const;

  // The options the model was built with.
  const MlpAutoencoderOptions& options() const { return options_; }

 private:
  MlpAutoencoderOptions options_;
  std::shared_ptr<Sequential> encoder_;
  std::shared_ptr<Sequential> decoder_;
};

}  // namespace lg::nn
