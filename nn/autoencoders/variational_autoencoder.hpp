// Variational autoencoder (Kingma and Welling, 2014) and beta-VAE (Higgins et
// al., 2017). The encoder gives a diagonal Gaussian posterior
//   q(z | x) = N(mu(x), diag(exp(log_variance(x)))),
// the prior is p(z) = N(0, I), and the decoder a likelihood p(x | z):
//   bernoulli  p(x | z) = prod_i sigmoid(l_i)^x_i (1 - sigmoid(l_i))^(1 - x_i),  l = decoder logits
//              -log p(x | z) = sum_i BCE-with-logits(l_i, x_i)
//   gaussian   p(x | z) = N(m(z), sigma^2 I),  m = decoder output, sigma = decoder_sigma (fixed)
//              -log p(x | z) = sum_i (x_i - m_i)^2 / (2 sigma^2) + D/2 log(2 pi sigma^2)
// (the constant kept, so that likelihoods are in nats and comparable).
// The sample the decoder sees is reparameterised, z = mu + exp(log_variance / 2) * eps with
// eps ~ N(0, I) from the generator passed in, so gradients flow through mu and log_variance.
// Per example the evidence lower bound is
//   ELBO(x) = E_q[log p(x | z)] - beta * KL(q(z | x) || N(0, I)),
//   KL = 1/2 sum_j (mu_j^2 + sigma_j^2 - 1 - log sigma_j^2)   (closed form),
// the expectation estimated with one sample; beta = 1 is the VAE, beta > 1 the beta-VAE.
// loss() returns the negative ELBO averaged over the batch, with its two terms.
// importance_weighted_bound() is the IWAE bound (Burda, Grosse and Salakhutdinov, 2016)
//   L_k(x) = log (1/k) sum_{i=1..k} p(x | z_i) p(z_i) / q(z_i | x),  z_i ~ q(z | x),
// whose expectation rises with k to log p(x); at k = 1 its expectation is the ELBO (beta = 1).
//
// Bodies (S = image_size, C = in_channels, side = S / 4):
//   mlp   x flattened to C*S*S; Linear + ReLU through hidden_sizes; Linear heads to mu and log_variance
//         [B, latent_size]; decoder Linear + ReLU back through the mirrored hidden sizes, Linear to C*S*S.
//         With no hidden sizes and a gaussian likelihood this is the linear Gaussian VAE, whose
//         marginal p(x) = N(b, W W^T + sigma^2 I) is known in closed form.
//   conv  Conv2d(C->c1, k4, s2, p1) + ReLU, Conv2d(c1->c2, k4, s2, p1) + ReLU  -> [B, c2, side, side], then
//         flat latent:    Flatten, Linear heads to [B, latent_size]; decoder Linear(latent_size -> c2*side^2)
//                         + ReLU, Unflatten;
//         spatial latent: 1x1 Conv2d heads to [B, latent_channels, side, side]; decoder 1x1
//                         Conv2d(latent_channels -> c2) + ReLU;
//         then ConvTranspose2d(c2->c1, k4, s2, p1) + ReLU, ConvTranspose2d(c1->C, k4, s2, p1).
//   strkm the St-RKM networks of strkm_networks.hpp (capacity c, LeakyReLU 0.2, S = 28 or 64): the
//         encoder to R^l (l = feature_size), then Linear heads l -> latent_size for mu and log_variance;
//         the decoder Linear(latent_size -> l), then the St-RKM decoder from R^l. The heads play the
//         part of St-RKM's U^T z and the first decoder layer that of U h, so a VAE and an St-RKM with
//         the same capacity, l and latent size have the same networks around their latent.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "autograd/random.hpp"
#include "nn/autoencoders/autoencoder_output.hpp"
#include "nn/module.hpp"
#include "nn/sequential.hpp"

namespace lg::nn {

// The body of a VariationalAutoencoder: fully connected, convolutional, or the St-RKM networks.
enum class VariationalBody { mlp, conv, strkm };

// The decoder's likelihood p(x | z): Bernoulli on logits (pixels in [0, 1]) or Gaussian with fixed sigma.
enum class DecoderLikelihood { bernoulli, gaussian };

// Sizes, likelihood and beta of a VariationalAutoencoder.
struct VariationalAutoencoderOptions {
  // Which body to build.
  VariationalBody body = VariationalBody::mlp;
  // Channels of the input images.
  std::int64_t in_channels = 1;
  // Height = width of the input images (a multiple of 4 for the conv body).
  std::int64_t image_size = 28;
  // mlp: widths of the encoder's hidden layers, outermost first; the decoder mirrors them.
  std::vector<std::int64_t> hidden_sizes = {512, 256};
  // conv: channels after the first and the second convolution.
  std::array<std::int64_t, 2> channels = {32, 64};
  // conv: a latent [latent_channels, S/4, S/4] with 1x1-conv heads instead of a flat one.
  bool spatial_latent = false;
  // Width of a flat latent (mlp, or conv without spatial_latent).
  std::int64_t latent_size = 16;
  // Channels of a spatial latent.
  std::int64_t latent_channels = 64;
  // strkm: the networks' capacity c (channels of the first convolution).
  std::int64_t capacity = 64;
  // strkm: l, the width of the encoder's output before the heads.
  std::int64_t feature_size = 50;
  // strkm: the width of the hidden fully connected layer.
  std::int64_t strkm_hidden_size = 256;
  // The decoder's likelihood.
  DecoderLikelihood likelihood = DecoderLikelihood::bernoulli;
  // The gaussian likelihood's fixed standard deviation (> 0).
  double decoder_sigma = 1.0;
  // Weight of the KL term (>= 0): 1 is the VAE, > 1 the beta-VAE.
  double beta = 1.0;
  // Dtype of the parameters; inputs must match it.
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial weights
};

// AutoencoderOutput (code = mean, reconstruction, mean, log_variance, sample) plus the decoder's raw output.
struct VariationalAutoencoderOutput : AutoencoderOutput {
  Tensor decoder_output = {};  // bernoulli: the logits; gaussian: the mean m(z); same shape as the input
};

// The negative ELBO averaged over the batch, and its two terms (each a batch mean of per-example sums).
struct VariationalLoss {
  Tensor loss = {};            // reconstruction + beta * kl
  Tensor reconstruction = {};  // mean over the batch of -log p(x | z), in nats
  Tensor kl = {};              // mean over the batch of KL(q(z | x) || N(0, I)), in nats
};

// The posterior's parameters for a batch, as the encoder gives them.
struct GaussianPosterior {
  Tensor mean = {};          // [B, latent dims...]
  Tensor log_variance = {};  // like mean
};

// A VAE / beta-VAE with an MLP or conv body, as laid out above.
class VariationalAutoencoder : public Module {
 public:
  // Builds the layers; throws ValueError naming the option on non-positive sizes, beta < 0,
  // decoder_sigma <= 0, or a latent that does not fit the image.
  explicit VariationalAutoencoder(const VariationalAutoencoderOptions& options = {});

  // Encodes x, draws z by reparameterisation with eps from generator, and decodes z.
  VariationalAutoencoderOutput forward(const Tensor& x, Generator& generator) const;
  // The posterior q(z | x); x is [B, C, S, S] (or [B, C*S*S] for the mlp body).
  GaussianPosterior encode(const Tensor& x) const;
  // The decoder's raw output (logits or Gaussian mean) for z [B, latent dims...], as images [B, C, S, S].
  Tensor decode_output(const Tensor& z) const;
  // The reconstruction for z: sigmoid(logits) for bernoulli, the mean for gaussian; [B, C, S, S].
  Tensor decode(const Tensor& z) const;
  // The negative ELBO of a forward pass on x, averaged over the batch, with its terms.
  VariationalLoss loss(const Tensor& x, const VariationalAutoencoderOutput& output) const;
  // decode of count draws z ~ N(0, I) from generator: [count, C, S, S].
  Tensor sample_prior(std::int64_t count, Generator& generator) const;
  // The IWAE bound L_k(x) per example [B], in nats, with k >= 1 samples per example from generator
  // (k decoder passes; call it under a NoGradGuard when only the value is wanted).
  Tensor importance_weighted_bound(const Tensor& x, std::int64_t k, Generator& generator) const;

  // log p(x | z) per example [B], in nats, for decoder output of the shape of x.
  Tensor log_likelihood(const Tensor& x, const Tensor& decoder_output) const;
  // The shape of one example's latent: {latent_size} or {latent_channels, S/4, S/4}.
  Shape latent_shape() const;
  // The options the model was built with.
  const VariationalAutoencoderOptions& options() const { return options_; }

 private:
  Tensor as_images(const Tensor& x) const;  // checks x and gives it the shape [B, C, S, S]

  VariationalAutoencoderOptions options_;
  std::shared_ptr<Sequential> encoder_;
  std::shared_ptr<Sequential> mean_head_;
  std::shared_ptr<Sequential> log_variance_head_;
  std::shared_ptr<Sequential> decoder_;
};

// The IWAE bound from log importance weights [k, B] (log p(x, z_i) - log q(z_i | x)):
// logsumexp over the k samples minus log k, per example [B].
Tensor importance_weighted_bound(const Tensor& log_weights);

}  // namespace lg::nn
