// The benchmark's two models written in libtorch, layer for layer as in
// latentgeo, with the same parameter names ("encoder.0.weight", ...), and the
// copies that give both sides the same weights and the same batch:
//   MLP AE   784-512-256-32-256-512-784, ReLU, sigmoid output, MSE loss
//   conv AE  nn/autoencoders/conv_autoencoder.hpp, BCE-with-logits loss
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace lg::bench {

struct TorchMlpAutoencoder : torch::nn::Module {
  TorchMlpAutoencoder() {
    using torch::nn::Linear, torch::nn::ReLU, torch::nn::Sequential, torch::nn::Sigmoid;
    encoder = register_module("encoder", Sequential(Linear(784, 512), ReLU(), Linear(512, 256), ReLU(),
                                                    Linear(256, 32)));
    decoder = register_module("decoder", Sequential(Linear(32, 256), ReLU(), Linear(256, 512), ReLU(),
                                                    Linear(512, 784), Sigmoid()));
  }
  torch::Tensor loss(const torch::Tensor& x) { return torch::mse_loss(decoder->forward(encoder->forward(x)), x); }

  torch::nn::Sequential encoder{nullptr}, decoder{nullptr};
};

struct TorchConvAutoencoder : torch::nn::Module {
  TorchConvAutoencoder() {
    using namespace torch::nn;
    const auto conv = [](std::int64_t in, std::int64_t out) {
      return Conv2d(Conv2dOptions(in, out, 4).stride(2).padding(1));
    };
    const auto deconv = [](std::int64_t in, std::int64_t out) {
      return ConvTranspose2d(ConvTranspose2dOptions(in, out, 4).stride(2).padding(1));
    };
    encoder = register_module("encoder", Sequential(conv(1, 32), ReLU(), conv(32, 64), ReLU(), Flatten(),
                                                    Linear(64 * 7 * 7, 16)));
    decoder = register_module("decoder", Sequential(Linear(16, 64 * 7 * 7), ReLU(),
                                                    Unflatten(UnflattenOptions(1, {64, 7, 7})), deconv(64, 32),
                                                    ReLU(), deconv(32, 1)));
  }
  torch::Tensor loss(const torch::Tensor& x) {
    return torch::binary_cross_entropy_with_logits(decoder->forward(encoder->forward(x)), x);
  }

  torch::nn::Sequential encoder{nullptr}, decoder{nullptr};
};

// A float32 copy of a latentgeo tensor as a torch tensor of the same shape.
inline torch::Tensor to_torch(const Tensor& t) {
  std::vector<float> values = t.to_vector<float>();
  const Shape& shape = t.shape();
  return torch::from_blob(values.data(), std::vector<std::int64_t>(shape.begin(), shape.end()), torch::kFloat)
      .clone();
}

// Copies every latentgeo parameter into the torch parameter of the same name;
// throws if a name or shape has no counterpart, so both models are the same.
inline void copy_parameters(const nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard no_grad;
  auto targets = to.named_parameters();
  if (targets.size() != from.named_parameters().size())
    throw std::runtime_error("copy_parameters: the two models have different parameter counts");
  for (const auto& [name, parameter] : from.named_parameters()) {
    torch::Tensor* target = targets.find(name);
    const torch::Tensor source = to_torch(parameter.tensor);
    if (target == nullptr || !target->sizes().equals(source.sizes()))
      throw std::runtime_error("copy_parameters: no torch parameter " + name + " of the same shape");
    target->copy_(source);
  }
}

// zero_grad with set_to_none semantics (gradients dropped, as ours), which
// libtorch 1.13's C++ Optimizer::zero_grad does not offer.
inline void drop_gradients(torch::nn::Module& model) {
  for (torch::Tensor& p : model.parameters()) p.mutable_grad().reset();
}

}  // namespace lg::bench
