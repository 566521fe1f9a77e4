// Convolutional autoencoder for square images [B, C, S, S] (S divisible by 4).
// With the defaults (28x28 greyscale, channels {32, 64}, a 16-d code):
//   encoder  Conv2d(1->32, k4, s2, p1) + ReLU       [B, 1, 28, 28] -> [B, 32, 14, 14]
//            Conv2d(32->64, k4, s2, p1) + ReLU      -> [B, 64, 7, 7]
//            Flatten, Linear(64*7*7 -> 16)          -> code [B, 16]
//   decoder  Linear(16 -> 64*7*7) + ReLU, Unflatten -> [B, 64, 7, 7]
//            ConvTranspose2d(64->32, k4, s2, p1) + ReLU -> [B, 32, 14, 14]
//            ConvTranspose2d(32->1, k4, s2, p1)     -> logits [B, 1, 28, 28]
// Each stride-2 layer halves (or doubles) the side: (S + 2 - 4) / 2 + 1 = S / 2.
// With spatial_latent the code is the second conv's ReLU output itself, a tensor
// [B, c2, S/4, S/4] (64 x 7 x 7 with the defaults), with no Linear layers:
//   encoder  Conv2d + ReLU, Conv2d + ReLU           -> code [B, 64, 7, 7] (entries >= 0)
//   decoder  ConvTranspose2d(64->32) + ReLU, ConvTranspose2d(32->1) -> logits
// the same encoder as the spatial conv VAE's trunk (variational_autoencoder.hpp),
// for comparing the geometry of the two latents (Shrivastava et al. 2024).
// The reconstruction is sigmoid(logits), pixel intensities in [0, 1]. The
// objective is the mean binary cross-entropy between the pixels and the
// reconstruction, computed from the logits for stability:
//   L(x) = mean_i [ max(z_i, 0) - z_i x_i + log(1 + exp(-|z_i|)) ],  z = logits.
// Parameter names follow PyTorch's nn.Sequential numbering ("encoder.0.weight",
// "decoder.5.bias"), so weights map one to one onto the same model in PyTorch.
#pragma once
#include <array>
#include <cstdint>
#include <memory>

#include "autograd/random.hpp"
#include "nn/autoencoders/mlp_autoencoder.hpp"
#include "nn/module.hpp"
#include "nn/sequential.hpp"

namespace lg::nn {

// Sizes of ConvAutoencoder's layers.
struct ConvAutoencoderOptions {
  // Channels of the input images.
  std::int64_t in_channels = 1;
  std::int64_t image_size = 28;                   // height = width, divisible by 4
  std::array<std::int64_t, 2> channels = {32, 64};  // after the first and the second conv
  // Width of the code (ignored with spatial_latent).
  std::int64_t code_size = 16;
  // The code is the [channels[1], S/4, S/4] feature map itself, with no Linear layers (file comment).
  bool spatial_latent = false;
  // Dtype of the parameters; inputs must match it.
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial weights
};

// AutoencoderOutput (code, reconstruction = sigmoid(logits)) plus the logits the
// loss is computed from; it converts to AutoencoderOutput wherever one is expected.
struct ConvAutoencoderOutput : AutoencoderOutput {
  Tensor logits;  // same shape as the input
};

// Convolutional encoder to a code and transposed-convolution decoder to logits, as laid out above.
class ConvAutoencoder : public Module {
 public:
  // Builds the layers; throws ValueError on non-positive sizes or an image_size that is not a positive multiple of 4.
  explicit ConvAutoencoder(const ConvAutoencoderOptions& options = {});

  // x: [B, in_channels, image_size, image_size].
  ConvAutoencoderOutput forward(const Tensor& x) const;
  // The code [B, code_size] (or [B, c2, S/4, S/4] with spatial_latent) of x; throws ShapeError unless x is
  // [B, in_channels, image_size, image_size].
  Tensor encode(const Tensor& x) const;
  // The decoder's logits for a code [B, code_size] (or [B, c2, S/4, S/4]); sigmoid of them is the reconstruction.
  Tensor decode_logits(const Tensor& code) const;
  // The reconstruction sigmoid(decode_logits(code)), pixel intensities in [0, 1].
  Tensor decode(const Tensor& code) const;
  // Mean binary cross-entropy of the reconstruction, from the logits of a forward pass.
  Tensor loss(const Tensor& x, const ConvAutoencoderOutput& output) const;

  // The options the model was built with.
  const ConvAutoencoderOptions& options() const { return options_; }
  // The shape of one example's code: {code_size} or {channels[1], S/4, S/4} with spatial_latent.
  Shape code_shape() const;

 private:
  ConvAutoencoderOptions options_;
  std::shared_ptr<Sequential> encoder_;
  std::shared_ptr<Sequential> decoder_;
};

}  // namespace lg::nn
