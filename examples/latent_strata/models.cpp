// latent_strata: building, training and running the three autoencoders (models.hpp).
#include "models.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#include "../common/terminal_progress.hpp"

namespace latent_strata {
namespace {

namespace nn = lg::nn;

constexpr std::int64_t block = 500;  // images per forward pass when encoding without gradients

// Trains one model: `loss_of(x, generator)` gives the objective of a batch. The batch order comes from
// options.seed alone, so every model sees the same minibatches in the same order.
TrainLog train_one(const std::string& name, nn::Module& model,
                   const std::function<lg::Tensor(const lg::Tensor&, lg::Generator&)>& loss_of,
                   const lg::Tensor& images, const TrainOptions& o) {
  TrainLog log{.name = name};
  lg::Generator order_generator(o.seed + 10), noise_generator(o.seed + 20);
  lg::optim::Adam optimizer(model.named_parameters(), {.lr = o.lr});
  model.train();
  const std::int64_t n = images.size(0), steps = (n + o.batch - 1) / o.batch;
  std::printf("  %s\n", name.c_str());
  nn::ProgressMeter meter(o.epochs, steps, examples::terminal_progress(), 1.0);
  const auto started = std::chrono::steady_clock::now();
  for (std::int64_t epoch = 0; epoch < o.epochs; ++epoch) {
    meter.start_epoch(epoch);
    const lg::Tensor order = lg::randperm(n, &order_generator);
    for (std::int64_t step = 0; step < steps; ++step) {
      const std::int64_t start = step * o.batch, count = std::min(o.batch, n - start);
      const lg::Tensor x = lg::index_select(images, 0, order.narrow(0, start, count));
      const lg::Tensor loss = loss_of(x, noise_generator);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      meter.step(loss.item(), count);
    }
    log.epoch_loss.push_back(meter.mean_loss());
  }
  log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  model.eval();
  return log;
}

}  // namespace

Models make_models(std::uint64_t seed, double train_noise) {
  lg::Generator conv_init(seed + 1), denoising_init(seed + 2), vae_init(seed + 3);
  Models m;
  m.conv = std::make_shared<nn::ConvAutoencoder>(nn::ConvAutoencoderOptions{
      .channels = {32, 64}, .spatial_latent = true, .generator = &conv_init});
  m.denoising = std::make_shared<nn::DenoisingAutoencoder>(nn::DenoisingAutoencoderOptions{
      .body = nn::DenoisingBody::conv,
      .conv = {.channels = {32, 64}, .spatial_latent = true, .generator = &denoising_init},
      .corruption = {.kind = nn::CorruptionKind::gaussian, .level = train_noise}});
  m.vae = std::make_shared<nn::VariationalAutoencoder>(
      nn::VariationalAutoencoderOptions{.body = nn::VariationalBody::conv, .channels = {32, 64},
                                        .spatial_latent = true, .latent_channels = 64, .beta = 1.0,
                                        .generator = &vae_init});
  return m;
}

std::vector<TrainLog> train_models(const Models& models, const lg::Tensor& images, const TrainOptions& o) {
  std::vector<TrainLog> logs;
  const auto& conv = *models.conv;
  logs.push_back(train_one(
      "conv AE (binary cross-entropy, mean per pixel)", *models.conv,
      [&conv](const lg::Tensor& x, lg::Generator&) { return conv.loss(x, conv.forward(x)); }, images, o));
  const auto& denoising = *models.denoising;
  char label[96];
  std::snprintf(label, sizeof label, "denoising AE (training noise sigma %g, BCE against the clean image)",
                denoising.options().corruption.level);
  logs.push_back(train_one(
      label, *models.denoising,
      [&denoising](const lg::Tensor& x, lg::Generator& g) { return denoising.loss(x, denoising.forward(x, g)); },
      images, o));
  const auto& vae = *models.vae;
  logs.push_back(train_one(
      "VAE (negative ELBO per image, nats)", *models.vae,
      [&vae](const lg::Tensor& x, lg::Generator& g) { return vae.loss(x, vae.forward(x, g)).loss; }, images, o));
  return logs;
}

Encoded encode(const Models& models, const lg::Tensor& images, lg::Generator& generator) {
  lg::NoGradGuard no_grad;
  std::vector<std::vector<lg::Tensor>> latents(4), reconstructions(3);
  for (std::int64_t start = 0; start < images.size(0); start += block) {
    const lg::Tensor x = images.narrow(0, start, std::min(block, images.size(0) - start)).contiguous();
    const lg::Tensor conv_code = models.conv->encode(x), denoising_code = models.denoising->encode(x);
    const lg::nn::GaussianPosterior posterior = models.vae->encode(x);
    const lg::Tensor eps = lg::randn(posterior.mean.shape(), posterior.mean.dtype(), &generator);
    const lg::Tensor sample = posterior.mean + lg::exp(posterior.log_variance * 0.5) * eps;
    latents[0].push_back(conv_code.to(lg::float64));
    latents[1].push_back(denoising_code.to(lg::float64));
    latents[2].push_back(sample.to(lg::float64));
    latents[3].push_back(posterior.mean.to(lg::float64));
    reconstructions[0].push_back(models.conv->decode(conv_code));
    reconstructions[1].push_back(models.denoising->decode(denoising_code));
    reconstructions[2].push_back(models.vae->decode(posterior.mean));
  }
  Encoded out;
  for (const auto& parts : latents) out.latents.push_back(lg::cat(parts, 0));
  for (const auto& parts : reconstructions) out.reconstructions.push_back(lg::cat(parts, 0));
  return out;
}

lg::Tensor add_noise(const lg::Tensor& images, double sigma, lg::Generator& generator) {
  if (sigma == 0.0) return images;
  return lg::clamp(images + lg::randn(images.shape(), images.dtype(), &generator) * sigma, 0.0, 1.0);
}

}  // namespace latent_strata
