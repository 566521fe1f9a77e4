// What train_autoencoder keeps between runs: the per-epoch figures (written as
// metrics.json) and a checkpoint holding everything a bit-exact resume needs:
// the model, the optimiser's state, the data loader's order and position, the
// noise generator's state, and the settings the run was made with, so that a
// --resume with other settings is refused.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace train {

// One epoch's figures: each loss term's mean on the training and the test set.
struct EpochRecord {
  std::int64_t epoch = 0;
  double seconds = 0.0;
  double test_reconstruction_mse = 0.0;  // mean squared error per pixel of the noiseless reconstruction
  std::optional<double> test_elbo = {};  // VAE only: nats per image
  std::map<std::string, double> train_terms = {};
  std::map<std::string, double> test_terms = {};
};

struct Metrics {
  std::vector<EpochRecord> epochs;
  std::optional<double> test_iwae;   // VAE only: the IWAE bound, nats per image
  std::int64_t iwae_k = 0;
  std::int64_t iwae_images = 0;

  std::string to_text() const;  // for the checkpoint's metadata (epochs only)
  static Metrics from_text(const std::string& text);
  // settings: "key": "value" pairs written at the top of the file.
  void write_json(const std::string& path, const std::map<std::string, std::string>& settings) const;
};

// Everything a checkpoint holds besides the tensors.
struct RunState {
  std::map<std::string, std::string> settings;  // must match on resume (threads only warns)
  std::string generator_state = {};             // the training noise generator
  std::int64_t epochs_done = 0;
  Metrics metrics = {};
};

// Writes the model (under "model.", with its kind and options, so lg::nn::load_autoencoder reads the file),
// the optimiser, the loader and the state to path, atomically.
void save_checkpoint(const std::string& path, const RunState& state, const lg::nn::AnyAutoencoder& model,
                     const lg::optim::Optimizer& optimizer, const lg::data::DataLoader& loader);
// Loads path into model, optimizer and loader and returns its state; throws lg::ValueError naming the
// first setting that differs from `settings`.
RunState load_checkpoint(const std::string& path, const std::map<std::string, std::string>& settings,
                         lg::nn::Module& model, lg::optim::Optimizer& optimizer, lg::data::DataLoader& loader);

}  // namespace train
