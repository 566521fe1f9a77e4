// Any of the library's autoencoders behind one handle, for programs and
// analyses that work on whatever model they are given (a checkpoint loaded
// from disk, a model picked on the command line). The handle is a variant of
// shared pointers, so each model keeps its own full API (a VAE's
// sample_prior, a contractive model's jacobian_penalty) one std::get away,
// and the free functions below do what every autoencoder can do:
//   encode       x -> the code analyses read (a VAE's posterior mean; a
//                denoising model's code of the clean input)
//   decode       code -> the reconstruction, in [0, 1] for the Bernoulli and
//                BCE-trained models, in the shape the model's decode gives
//   reconstruct  x -> the noiseless reconstruction, in the shape of x
// nn/autoencoders/saved_autoencoder.hpp saves and loads the handle with the
// model's kind and options.
#pragma once
#include <memory>
#include <string>
#include <variant>

#include "autograd/tensor.hpp"
#include "nn/autoencoders/contractive_autoencoder.hpp"
#include "nn/autoencoders/conv_autoencoder.hpp"
#include "nn/autoencoders/denoising_autoencoder.hpp"
#include "nn/autoencoders/mlp_autoencoder.hpp"
#include "nn/autoencoders/variational_autoencoder.hpp"
#include "nn/module.hpp"

namespace lg::nn {

// One of the library's five autoencoders; never holds a null pointer when built by this library.
using AnyAutoencoder =
    std::variant<std::shared_ptr<MlpAutoencoder>, std::shared_ptr<ConvAutoencoder>,
                 std::shared_ptr<DenoisingAutoencoder>, std::shared_ptr<VariationalAutoencoder>,
                 std::shared_ptr<ContractiveAutoencoder>>;

// The model's kind as checkpoints record it: "mlp_autoencoder", "conv_autoencoder",
// "denoising_autoencoder", "variational_autoencoder" or "contractive_autoencoder".
std::string autoencoder_kind(const AnyAutoencoder& model);
// The model as a Module (its parameters, state dict, train/eval mode); ValueError on a null pointer.
Module& as_module(const AnyAutoencoder& model);
// The code of x that analyses read (a VAE's posterior mean), [B, code dims...].
Tensor encode(const AnyAutoencoder& model, const Tensor& x);
// The reconstruction decoded from a code, as the model's own decode returns it.
Tensor decode(const AnyAutoencoder& model, const Tensor& code);
// decode(encode(x)) reshaped to the shape of x: the reconstruction without noise.
Tensor reconstruct(const AnyAutoencoder& model, const Tensor& x);

}  // namespace lg::nn
