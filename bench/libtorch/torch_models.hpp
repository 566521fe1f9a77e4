// The benchmark's models written in libtorch, layer for layer as in
// latentgeo, with the same parameter names ("encoder.0.weight", ...), and the
// copies that give both sides the same weights and the same batch (to_torch,
// copy_parameters) and compare their results (max_difference):
//   MLP AE   784-512-256-32-256-512-784, ReLU, sigmoid output, MSE loss
//   conv AE  nn/autoencoders/conv_autoencoder.hpp, BCE-with-logits loss
//   VAE      nn/autoencoders/variational_autoencoder.hpp with its defaults: MLP body
//            784-512-256 (ReLU), Linear heads to a 16-d mean and log-variance,
//            decoder 16-256-512-784, Bernoulli likelihood; the negative ELBO
//   CAE      nn/autoencoders/contractive_autoencoder.hpp untied: 784-512 sigmoid,
//            512-784 sigmoid, BCE summed over inputs + 0.1 ||J_f(x)||_F^2, the penalty
//            in closed form or by Hutchinson's estimate with one Gaussian probe
// The models that draw noise (the VAE's eps, Hutchinson's probe) take it as an
// argument too: left undefined, they draw their own with torch::randn; given,
// they use it, so that a loss check can hand them the noise latentgeo drew.
#pragma once
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
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

// The VAE's MLP body, named as latentgeo's Sequentials name their children:
// encoder [Flatten, Linear, ReLU, Linear, ReLU] ("encoder.1.weight", ...), one
// Linear in each head ("mean_head.0.weight"), decoder [Linear, ReLU, Linear,
// ReLU, Linear] (ours ends with an Unflatten, which has no parameters).
struct TorchVariationalAutoencoder : torch::nn::Module {
  TorchVariationalAutoencoder() {
    using torch::nn::Flatten, torch::nn::Linear, torch::nn::ReLU, torch::nn::Sequential;
    encoder = register_module("encoder", Sequential(Flatten(), Linear(784, 512), ReLU(), Linear(512, 256), ReLU()));
    mean_head = register_module("mean_head", Sequential(Linear(256, 16)));
    log_variance_head = register_module("log_variance_head", Sequential(Linear(256, 16)));
    decoder = register_module("decoder", Sequential(Linear(16, 256), ReLU(), Linear(256, 512), ReLU(),
                                                    Linear(512, 784)));
  }
  // The negative ELBO, a batch mean: BCE-with-logits summed over pixels plus the
  // closed-form KL to N(0, I) summed over the latent, with one reparameterised
  // sample z = mean + exp(log_variance / 2) * eps; eps is drawn here unless given.
  torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& eps = {}) {
    const torch::Tensor hidden = encoder->forward(x);
    const torch::Tensor mean = mean_head->forward(hidden), log_variance = log_variance_head->forward(hidden);
    const torch::Tensor noise = eps.defined() ? eps : torch::randn_like(mean);
    const torch::Tensor logits = decoder->forward(mean + torch::exp(log_variance * 0.5) * noise);
    const double batch = static_cast<double>(x.size(0));
    const torch::Tensor reconstruction =
        torch::binary_cross_entropy_with_logits(logits, x, {}, {}, at::Reduction::Sum) / batch;
    const torch::Tensor kl = (1.0 + log_variance - mean * mean - torch::exp(log_variance)).sum() * (-0.5 / batch);
    return reconstruction + kl;
  }

  torch::nn::Sequential encoder{nullptr}, mean_head{nullptr}, log_variance_head{nullptr}, decoder{nullptr};
};

// The contractive autoencoder with untied weights ("encoder.weight", "decoder.weight", ...):
// h = sigmoid(encoder(x)), logits = decoder(h), the loss BCE-with-logits summed over
// the inputs plus penalty_weight ||J_f(x)||_F^2, both batch means.
struct TorchContractiveAutoencoder : torch::nn::Module {
  enum class Penalty { closed_form, hutchinson };
  explicit TorchContractiveAutoencoder(Penalty method = Penalty::closed_form, double weight = 0.1)
      : penalty(method), penalty_weight(weight) {
    encoder = register_module("encoder", torch::nn::Linear(784, 512));
    decoder = register_module("decoder", torch::nn::Linear(512, 784));
  }
  // closed_form: sum_j (h_j (1 - h_j))^2 sum_i W_ji^2 (the sigmoid layer's Jacobian J_ji = h_j (1 - h_j) W_ji).
  // hutchinson: ||J^T v||^2 for one probe v ~ N(0, I) in code space (drawn here unless given), the
  // vjp recorded (create_graph) so that the penalty's gradient goes through the second derivative.
  torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& probe = {}) {
    const torch::Tensor input = penalty == Penalty::hutchinson ? x.detach().requires_grad_() : x;
    const torch::Tensor h = torch::sigmoid(encoder->forward(input));
    const double batch = static_cast<double>(x.size(0));
    const torch::Tensor reconstruction =
        torch::binary_cross_entropy_with_logits(decoder->forward(h), x, {}, {}, at::Reduction::Sum) / batch;
    torch::Tensor jacobian_norm;
    if (penalty == Penalty::closed_form) {
      const torch::Tensor slope = h * (1.0 - h);
      jacobian_norm = (slope * slope * (encoder->weight * encoder->weight).sum(1)).sum() / batch;
    } else {
      const torch::Tensor v = probe.defined() ? probe : torch::randn_like(h);
      const torch::Tensor row = torch::autograd::grad({h}, {input}, {v}, /*retain_graph=*/true,
                                                      /*create_graph=*/true)[0];
      jacobian_norm = (row * row).sum() / batch;
    }
    return reconstruction + penalty_weight * jacobian_norm;
  }

  Penalty penalty;
  double penalty_weight;
  torch::nn::Linear encoder{nullptr}, decoder{nullptr};
};

// A float32 copy of a latentgeo tensor as a torch tensor of the same shape.
inline torch::Tensor to_torch(const Tensor& t) {
  std::vector<float> values = t.to_vector<float>();
  const Shape& shape = t.shape();
  return torch::from_blob(values.data(), std::vector<std::int64_t>(shape.begin(), shape.end()), torch::kFloat)
      .clone();
}

// The largest |ours - theirs| over the elements, both compared as float32 (theirs a float32 tensor of the same
// number of elements).
inline double max_difference(const Tensor& ours, const torch::Tensor& theirs) {
  const std::vector<float> a = ours.to_vector<float>();
  const torch::Tensor b = theirs.to(torch::kFloat32).contiguous();
  const float* values = b.data_ptr<float>();
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - double(values[i])));
  return worst;
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
