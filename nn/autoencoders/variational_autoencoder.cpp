// VariationalAutoencoder: the layer stacks, the reparameterised forward pass,
// the two likelihoods, the closed-form KL (nn::gaussian_kl) and the IWAE bound.
#include "nn/autoencoders/variational_autoencoder.hpp"

#include <cmath>
#include <string>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/ops/ops.hpp"
#include "nn/activation.hpp"
#include "nn/autoencoders/strkm_networks.hpp"
#include "nn/conv.hpp"
#include "nn/flatten.hpp"
#include "nn/linear.hpp"
#include "nn/loss.hpp"

namespace lg::nn {
namespace {

constexpr double log_two_pi = 1.8378770664093454835606594728112;  // log(2 pi)

// Sum over every dim but the batch's: [B, ...] -> [B].
Tensor sum_per_example(const Tensor& t) { return sum(flatten(t, 1), {1}); }

void check_options(const VariationalAutoencoderOptions& o) {
  const char* name = "VariationalAutoencoder";
  check<ValueError>(std::isfinite(o.beta) && o.beta >= 0.0, name, "beta must be non-negative, got ", o.beta);
  const bool sigma_ok = std::isfinite(o.decoder_sigma) && o.decoder_sigma > 0.0;
  check<ValueError>(o.likelihood != DecoderLikelihood::gaussian || sigma_ok, name,
                    "decoder_sigma (the gaussian likelihood's noise) must be positive, got ", o.decoder_sigma);
  check<ValueError>(o.in_channels > 0 && o.image_size > 0, name, "in_channels and image_size must be positive, got ",
                    o.in_channels, " and ", o.image_size);
  const bool spatial = o.body == VariationalBody::conv && o.spatial_latent;
  if (spatial)
    check<ValueError>(o.latent_channels > 0, name, "latent_channels must be positive, got ", o.latent_channels);
  else
    check<ValueError>(o.latent_size > 0, name, "latent_size must be positive, got ", o.latent_size);
  if (o.body == VariationalBody::strkm) {
    check<ValueError>(!o.spatial_latent, name, "spatial_latent needs the conv body");
    check<ValueError>(o.feature_size > 0, name, "feature_size must be positive, got ", o.feature_size);
    check_strkm_network_options({.in_channels = o.in_channels, .image_size = o.image_size, .capacity = o.capacity,
                                 .hidden_size = o.strkm_hidden_size},
                                name);
  } else if (o.body == VariationalBody::mlp) {
    check<ValueError>(!o.spatial_latent, name, "spatial_latent needs the conv body");
    const std::int64_t values = o.in_channels * o.image_size * o.image_size;
    check<ValueError>(o.latent_size <= values, name, "latent_size ", o.latent_size,
                      " does not fit the image: more than its ", values, " values");
    for (std::int64_t hidden : o.hidden_sizes)
      check<ValueError>(hidden > 0, name, "hidden_sizes must be positive, got ", hidden);
  } else {
    const auto [c1, c2] = o.channels;
    check<ValueError>(c1 > 0 && c2 > 0, name, "channels must be positive, got [", c1, ", ", c2, "]");
    check<ValueError>(o.image_size % 4 == 0, name, "image_size must be a multiple of 4 for the conv body's latent of ",
                      "side image_size / 4, got ", o.image_size);
  }
}

}  // namespace

VariationalAutoencoder::VariationalAutoencoder(const VariationalAutoencoderOptions& options)
    : options_(options),
      encoder_(register_module("encoder", std::make_shared<Sequential>())),
      mean_head_(register_module("mean_head", std::make_shared<Sequential>())),
      log_variance_head_(register_module("log_variance_head", std::make_shared<Sequential>())),
      decoder_(register_module("decoder", std::make_shared<Sequential>())) {
  check_options(options);
  const std::int64_t channels = options.in_channels, size = options.image_size;
  const LinearOptions linear{.bias = true, .dtype = options.dtype, .generator = options.generator};
  if (options.body == VariationalBody::strkm) {
    const StrkmNetworkOptions networks{.in_channels = channels, .image_size = size, .capacity = options.capacity,
                                       .hidden_size = options.strkm_hidden_size, .dtype = options.dtype,
                                       .generator = options.generator};
    encoder_->push_back(strkm_encoder(networks, options.feature_size));
    mean_head_->push_back(std::make_shared<Linear>(options.feature_size, options.latent_size, linear));
    log_variance_head_->push_back(std::make_shared<Linear>(options.feature_size, options.latent_size, linear));
    decoder_->push_back(std::make_shared<Linear>(options.latent_size, options.feature_size, linear));
    decoder_->push_back(strkm_decoder(networks, options.feature_size));
    return;
  }
  if (options.body == VariationalBody::mlp) {
    encoder_->push_back(std::make_shared<Flatten>());
    std::int64_t width = channels * size * size;
    for (std::int64_t hidden : options.hidden_sizes) {
      encoder_->push_back(std::make_shared<Linear>(width, hidden, linear));
      encoder_->push_back(std::make_shared<ReLU>());
      width = hidden;
    }
    mean_head_->push_back(std::make_shared<Linear>(width, options.latent_size, linear));
    log_variance_head_->push_back(std::make_shared<Linear>(width, options.latent_size, linear));
    width = options.latent_size;
    for (auto it = options.hidden_sizes.rbegin(); it != options.hidden_sizes.rend(); ++it) {
      decoder_->push_back(std::make_shared<Linear>(width, *it, linear));
      decoder_->push_back(std::make_shared<ReLU>());
      width = *it;
    }
    decoder_->push_back(std::make_shared<Linear>(width, channels * size * size, linear));
    decoder_->push_back(std::make_shared<Unflatten>(1, Shape{channels, size, size}));
    return;
  }
  const auto [c1, c2] = options.channels;
  const std::int64_t side = size / 4;  // after two stride-2 convolutions
  const Conv2dOptions conv{.stride = {2, 2}, .padding = {1, 1}, .dtype = options.dtype, .generator = options.generator};
  const Conv2dOptions pointwise{.dtype = options.dtype, .generator = options.generator};
  const ConvTranspose2dOptions deconv{
      .stride = {2, 2}, .padding = {1, 1}, .dtype = options.dtype, .generator = options.generator};
  encoder_->push_back(std::make_shared<Conv2d>(channels, c1, Pair{4, 4}, conv));
  encoder_->push_back(std::make_shared<ReLU>());
  encoder_->push_back(std::make_shared<Conv2d>(c1, c2, Pair{4, 4}, conv));
  encoder_->push_back(std::make_shared<ReLU>());
  if (options.spatial_latent) {
    const std::int64_t latent = options.latent_channels;
    mean_head_->push_back(std::make_shared<Conv2d>(c2, latent, Pair{1, 1}, pointwise));
    log_variance_head_->push_back(std::make_shared<Conv2d>(c2, latent, Pair{1, 1}, pointwise));
    decoder_->push_back(std::make_shared<Conv2d>(latent, c2, Pair{1, 1}, pointwise));
  } else {
    encoder_->push_back(std::make_shared<Flatten>());
    mean_head_->push_back(std::make_shared<Linear>(c2 * side * side, options.latent_size, linear));
    log_variance_head_->push_back(std::make_shared<Linear>(c2 * side * side, options.latent_size, linear));
    decoder_->push_back(std::make_shared<Linear>(options.latent_size, c2 * side * side, linear));
  }
  decoder_->push_back(std::make_shared<ReLU>());
  if (!options.spatial_latent) decoder_->push_back(std::make_shared<Unflatten>(1, Shape{c2, side, side}));
  decoder_->push_back(std::make_shared<ConvTranspose2d>(c2, c1, Pair{4, 4}, deconv));
  decoder_->push_back(std::make_shared<ReLU>());
  decoder_->push_back(std::make_shared<ConvTranspose2d>(c1, channels, Pair{4, 4}, deconv));
}

Shape VariationalAutoencoder::latent_shape() const {
  if (options_.body == VariationalBody::conv && options_.spatial_latent)
    return {options_.latent_channels, options_.image_size / 4, options_.image_size / 4};
  return {options_.latent_size};
}

Tensor VariationalAutoencoder::as_images(const Tensor& x) const {
  check<ValueError>(x.defined(), "VariationalAutoencoder", "input is undefined");
  const std::int64_t c = options_.in_channels, s = options_.image_size;
  const bool images = x.dim() == 4 && x.size(1) == c && x.size(2) == s && x.size(3) == s;
  const bool flat = options_.body == VariationalBody::mlp && x.dim() == 2 && x.size(1) == c * s * s;
  check<ShapeError>(images || flat, "VariationalAutoencoder", "expected [B, ", c, ", ", s, ", ", s, "]",
                    options_.body == VariationalBody::mlp ? " or [B, " + std::to_string(c * s * s) + "]" : "",
                    ", got ", shape_str(x.shape()));
  return images ? x : reshape(x, {x.size(0), c, s, s});
}

GaussianPosterior VariationalAutoencoder::encode(const Tensor& x) const {
  const Tensor hidden = encoder_->forward(as_images(x));
  return {mean_head_->forward(hidden), log_variance_head_->forward(hidden)};
}

Tensor VariationalAutoencoder::decode_output(const Tensor& z) const {
  check<ValueError>(z.defined(), "VariationalAutoencoder", "latent is undefined");
  Shape expected{z.dim() > 0 ? z.size(0) : 0};
  for (std::int64_t size : latent_shape()) expected.push_back(size);
  check<ShapeError>(z.shape() == expected, "VariationalAutoencoder", "expected a latent ", shape_str(expected),
                    ", got ", shape_str(z.shape()));
  return decoder_->forward(z);
}

Tensor VariationalAutoencoder::decode(const Tensor& z) const {
  const Tensor output = decode_output(z);
  return options_.likelihood == DecoderLikelihood::bernoulli ? sigmoid(output) : output;
}

VariationalAutoencoderOutput VariationalAutoencoder::forward(const Tensor& x, Generator& generator) const {
  const GaussianPosterior posterior = encode(x);
  const Tensor eps = randn(posterior.mean.shape(), posterior.mean.dtype(), &generator);
  VariationalAutoencoderOutput output;
  output.mean = posterior.mean;
  output.log_variance = posterior.log_variance;
  output.code = posterior.mean;
  output.sample = posterior.mean + exp(posterior.log_variance * 0.5) * eps;
  output.decoder_output = reshape(decode_output(output.sample), x.shape());
  output.reconstruction = options_.likelihood == DecoderLikelihood::bernoulli ? sigmoid(output.decoder_output)
                                                                              : output.decoder_output;
  return output;
}

Tensor VariationalAutoencoder::log_likelihood(const Tensor& x, const Tensor& decoder_output) const {
  check<ShapeError>(x.shape() == decoder_output.shape(), "VariationalAutoencoder", "input ", shape_str(x.shape()),
                    " and decoder output ", shape_str(decoder_output.shape()), " differ");
  if (options_.likelihood == DecoderLikelihood::bernoulli)
    return -sum_per_example(binary_cross_entropy_with_logits(decoder_output, x, Reduction::none));
  const double sigma = options_.decoder_sigma;
  const double values = static_cast<double>(x.numel() / x.size(0));
  const double normaliser = 0.5 * values * (log_two_pi + 2.0 * std::log(sigma));
  return -(sum_per_example(mse_loss(decoder_output, x, Reduction::none)) / (2.0 * sigma * sigma) + normaliser);
}

VariationalLoss VariationalAutoencoder::loss(const Tensor& x, const VariationalAutoencoderOutput& output) const {
  check<ShapeError>(x.shape() == output.decoder_output.shape(), "VariationalAutoencoder", "input ",
                    shape_str(x.shape()), " and decoder output ", shape_str(output.decoder_output.shape()), " differ");
  // The batch mean of -log p(x | z), each a sum over the example's D values, is the mean over all
  // elements times D: one fused mean instead of log_likelihood's elementwise terms and per-example sums.
  const double values = static_cast<double>(x.numel() / x.size(0));
  VariationalLoss terms;
  if (options_.likelihood == DecoderLikelihood::bernoulli) {
    terms.reconstruction = mean_binary_cross_entropy_with_logits(output.decoder_output, x) * values;
  } else {
    const double sigma = options_.decoder_sigma;
    terms.reconstruction = mean_squared_error(output.decoder_output, x) * (values / (2.0 * sigma * sigma)) +
                           0.5 * values * (log_two_pi + 2.0 * std::log(sigma));
  }
  terms.kl = gaussian_kl(output.mean, output.log_variance, Reduction::mean);
  terms.loss = terms.reconstruction + terms.kl * options_.beta;
  return terms;
}

Tensor VariationalAutoencoder::sample_prior(std::int64_t count, Generator& generator) const {
  check<ValueError>(count > 0, "VariationalAutoencoder", "sample_prior needs a positive count, got ", count);
  Shape shape{count};
  for (std::int64_t size : latent_shape()) shape.push_back(size);
  return decode(randn(shape, options_.dtype, &generator));
}

Tensor VariationalAutoencoder::importance_weighted_bound(const Tensor& x, std::int64_t k, Generator& generator) const {
  check<ValueError>(k >= 1, "VariationalAutoencoder", "importance_weighted_bound needs k >= 1 samples, got ", k);
  const GaussianPosterior posterior = encode(x);
  const Tensor images = as_images(x);
  const Tensor standard_deviation = exp(posterior.log_variance * 0.5);
  std::vector<Tensor> log_weights;
  for (std::int64_t i = 0; i < k; ++i) {
    const Tensor eps = randn(posterior.mean.shape(), posterior.mean.dtype(), &generator);
    const Tensor z = posterior.mean + standard_deviation * eps;
    // log N(z; 0, I) and log N(z; mu, sigma^2), summed over the latent dims; (z - mu) / sigma = eps.
    const Tensor log_prior = sum_per_example(z * z + log_two_pi) * -0.5;
    const Tensor log_posterior = sum_per_example(eps * eps + posterior.log_variance + log_two_pi) * -0.5;
    log_weights.push_back(log_likelihood(images, decode_output(z)) + log_prior - log_posterior);
  }
  return nn::importance_weighted_bound(stack(log_weights, 0));
}

Tensor importance_weighted_bound(const Tensor& log_weights) {
  check<ShapeError>(log_weights.dim() == 2 && log_weights.size(0) >= 1, "importance_weighted_bound",
                    "expected log weights [k, B] with k >= 1, got ", shape_str(log_weights.shape()));
  return logsumexp(log_weights, {0}) - std::log(static_cast<double>(log_weights.size(0)));
}

}  // namespace lg::nn
