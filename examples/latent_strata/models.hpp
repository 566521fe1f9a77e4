// latent_strata: the three autoencoders the program compares, built on one
// convolutional trunk, trained the same way, and their latents and
// reconstructions for a batch of (noisy) images.
//
// The trunk (the library's conv body; k4 s2 p1 convolutions, each halving the side):
//   Conv2d(1->32, k4, s2, p1) + ReLU   [B, 1, 28, 28] -> [B, 32, 14, 14]
//   Conv2d(32->64, k4, s2, p1) + ReLU  -> [B, 64, 7, 7]
// and the three models on it:
//   conv AE       latent Z = the trunk's output (nn::ConvAutoencoder, spatial_latent), entries >= 0;
//   denoising AE  the same network, trained on x + N(0, 0.3^2) noise against the clean x
//                 (nn::DenoisingAutoencoder, conv body, gaussian corruption; the training noise is not
//                 clipped, the library's corruption);
//   VAE           1 x 1-conv heads on the trunk give mu and log sigma^2 [B, 64, 7, 7]; the latent is
//                 the sample Z = mu + sigma * eps, or mu itself (nn::VariationalAutoencoder, spatial_latent).
// All three decode with ConvTranspose2d(64->32) + ReLU, ConvTranspose2d(32->1) and a sigmoid, and
// are trained with Adam on the same shuffled minibatches for the same number of epochs.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace latent_strata {

// The latents the program analyses, in this order: conv AE, denoising AE, VAE sample, VAE mean.
inline const std::vector<std::string> latent_names = {"conv AE", "denoising AE", "VAE sample", "VAE mean"};
// The models that reconstruct (the VAE decodes its mean).
inline const std::vector<std::string> model_names = {"conv AE", "denoising AE", "VAE"};

// How the three models are trained.
struct TrainOptions {
  std::int64_t epochs = 3;
  std::int64_t batch = 128;
  double lr = 1e-3;
  std::uint64_t seed = 0;
};

// The three models.
struct Models {
  std::shared_ptr<lg::nn::ConvAutoencoder> conv;
  std::shared_ptr<lg::nn::DenoisingAutoencoder> denoising;
  std::shared_ptr<lg::nn::VariationalAutoencoder> vae;
};

// One model's training: the mean loss of each epoch and the seconds it took.
struct TrainLog {
  std::string name = {};
  std::vector<double> epoch_loss = {};
  double seconds = 0.0;
};

// The three models with weights drawn from `seed` (one generator each, so each starts as it would alone); the
// denoising AE is trained with Gaussian noise of sigma train_noise.
Models make_models(std::uint64_t seed, double train_noise);

// Trains the three models in turn on images [N, 1, 28, 28]; prints a progress line per epoch.
std::vector<TrainLog> train_models(const Models& models, const lg::Tensor& images, const TrainOptions& options);

// The latents (float64 [N, 64, 7, 7], in latent_names order) and reconstructions (float32 [N, 1, 28, 28], in
// model_names order) of images, in blocks, without gradients; the VAE's eps is drawn from generator.
struct Encoded {
  std::vector<lg::Tensor> latents = {};
  std::vector<lg::Tensor> reconstructions = {};
};
Encoded encode(const Models& models, const lg::Tensor& images, lg::Generator& generator);

// images + N(0, sigma^2) noise, clipped to [0, 1] (images themselves when sigma is 0).
lg::Tensor add_noise(const lg::Tensor& images, double sigma, lg::Generator& generator);

}  // namespace latent_strata
