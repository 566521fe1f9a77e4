// The encoder and decoder networks of the St-RKM authors' code (Pandey, Fanuel,
// Schreurs and Suykens 2022, "Disentangled Representation Learning and
// Generation with Manifold Optimization"), with a capacity parameter c, so that
// the St-RKM and the VAE / beta-VAE it is compared with can share them exactly.
//
// Every hidden layer is followed by LeakyReLU with slope 0.2. For images
// [B, C, S, S] with S = 28 (MNIST-sized) or S = 64 (dSprites-sized):
//   encoder  Conv(C -> c, k4 s2 p1)        S   -> S/2
//            Conv(c -> 2c, k4 s2 p1)       S/2 -> S/4
//            Conv(2c -> 4c, k3 s1 p0)      7   -> 5      (S = 28)
//            Conv(2c -> 4c, k4 s2 p1)      16  -> 8      (S = 64)
//            Flatten, Linear(4c s^2 -> hidden), Linear(hidden -> out)   no activation at the end
//   decoder  Linear(in -> hidden), Linear(hidden -> 4c s^2), Unflatten to [4c, s, s],
//            then the convolutions mirrored as ConvTranspose2d, the last one to C channels, no
//            activation: the decoder gives logits, and the models apply the sigmoid.
// Here s = 5 or 8 is the side after the third convolution. With c = 64 this is
// the published network (about 190 MFLOP per 28 x 28 image forward and back);
// the cost grows with c^2.
#pragma once
#include <cstdint>
#include <memory>

#include "autograd/random.hpp"
#include "nn/sequential.hpp"

namespace lg::nn {

// The sizes shared by the St-RKM encoder and decoder.
struct StrkmNetworkOptions {
  // Channels of the input images.
  std::int64_t in_channels = 1;
  // Height = width of the images: 28 or 64.
  std::int64_t image_size = 28;
  // c, the channels of the first convolution (the authors use 64).
  std::int64_t capacity = 64;
  // Width of the hidden fully connected layer (the authors use 256).
  std::int64_t hidden_size = 256;
  // Dtype of the parameters.
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial weights
};

// Throws ValueError naming the option (in the message of `op`) for non-positive sizes or an image size other
// than 28 or 64.
void check_strkm_network_options(const StrkmNetworkOptions& options, const char* op);

// The encoder x [B, C, S, S] -> [B, out_features], as above.
std::shared_ptr<Sequential> strkm_encoder(const StrkmNetworkOptions& options, std::int64_t out_features);

// The decoder [B, in_features] -> logits [B, C, S, S], as above.
std::shared_ptr<Sequential> strkm_decoder(const StrkmNetworkOptions& options, std::int64_t in_features);

}  // namespace lg::nn
