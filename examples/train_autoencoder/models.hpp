// One interface over the library's four autoencoders, so that the training
// loop, the evaluation and the pictures treat them alike:
//   ae           MlpAutoencoder (MSE) or ConvAutoencoder (BCE)
//   dae          DenoisingAutoencoder with an MLP or conv body and a corruption
//   vae          VariationalAutoencoder (Bernoulli likelihood), beta-VAE when beta != 1
//   contractive  ContractiveAutoencoder: mlp is one sigmoid layer with the closed-form penalty,
//                conv is ConvAutoencoder's body with the penalty by double backward
// Each step returns the objective's terms by name; "loss" is the total minimised.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <latentgeo.hpp>

namespace train {

// The model-related command-line options.
struct ModelSettings {
  std::string model = "ae";  // ae, dae, vae, contractive
  std::string body = "mlp";  // mlp, conv
  std::int64_t latent = 16;
  double beta = 1.0;                    // vae
  bool spatial = false;                 // vae conv: a [latent, 7, 7] latent with 1x1-conv heads
  double noise = 0.25;                  // dae: sigma or corrupted fraction
  std::string noise_kind = "masking";   // dae: gaussian, masking, salt-and-pepper
  double lambda = 0.1;                  // contractive
  std::string penalty = "";             // contractive: closed-form, double-backward, hutchinson; "": by body
};

// Loss terms by name, e.g. {"loss", "reconstruction", "kl"}.
using Terms = std::map<std::string, lg::Tensor>;
using TermValues = std::map<std::string, double>;

class TrainableModel {
 public:
  virtual ~TrainableModel() = default;
  // The module whose parameters are trained and saved.
  virtual lg::nn::Module& module() = 0;
  // The objective's terms on a batch; noise (corruption, reparameterisation) from generator.
  virtual Terms terms(const lg::Tensor& x, lg::Generator& generator) const = 0;
  // The reconstruction of x without noise (a VAE decodes its posterior mean), [B, 1, 28, 28].
  virtual lg::Tensor reconstruct(const lg::Tensor& x) const = 0;
  // The code analyses read, flattened to [B, d] (a VAE's posterior mean).
  virtual lg::Tensor encode(const lg::Tensor& x) const = 0;
  // Images [B, 1, 28, 28] decoded from codes [B, d].
  virtual lg::Tensor decode(const lg::Tensor& codes) const = 0;
  // The VAE, for prior samples and the IWAE bound; null for the others.
  virtual const lg::nn::VariationalAutoencoder* variational() const { return nullptr; }
  // The library model itself, whose kind and options the checkpoint records (nn/autoencoders/saved_autoencoder.hpp).
  virtual lg::nn::AnyAutoencoder handle() const = 0;
};

// Builds the model the settings name; throws lg::ValueError with a clear message for a bad value.
std::unique_ptr<TrainableModel> make_model(const ModelSettings& settings, lg::Generator& init);

}  // namespace train
