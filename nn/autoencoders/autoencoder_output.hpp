// What every autoencoder's forward pass returns, so that training programs and
// latent-space analyses treat the models alike: the code and the
// reconstruction always; a variational model also fills in its posterior's
// mean and log-variance and the sample it decoded (undefined tensors otherwise).
#pragma once
#include "autograd/tensor.hpp"

namespace lg::nn {

// A forward pass's results, as above.
struct AutoencoderOutput {
  Tensor code = {};            // [B, code dims...]: the representation analyses read (a VAE's posterior mean)
  Tensor reconstruction = {};  // same shape as the input
  Tensor mean = {};            // VAE only: the posterior mean, [B, code dims...]
  Tensor log_variance = {};    // VAE only: the posterior log-variance, like mean
  Tensor sample = {};          // VAE only: the reparameterised sample the decoder saw, like mean
};

}  // namespace lg::nn
