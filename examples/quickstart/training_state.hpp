// What the quickstart keeps between runs: per-epoch metrics (written as JSON)
// and a checkpoint holding everything a bit-exact resume needs: the model,
// the optimiser's moments and step counts, the data loader's order and
// position, and the settings the run was made with.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace quickstart {

struct EpochMetrics {
  std::int64_t epoch;
  double train_loss;
  double test_loss;
  double seconds;
};

struct Metrics {
  std::vector<EpochMetrics> epochs;
  void write_json(const std::string& path, const std::string& dataset, std::int64_t latent, int threads) const;
  std::string to_text() const;                       // for the checkpoint's metadata
  static Metrics from_text(const std::string& text);
};

struct RunSettings {
  std::string dataset;
  std::int64_t latent;
  std::uint64_t seed;
  int threads;
};

void save(const std::string& path, const RunSettings& settings, const lg::nn::Module& model,
          const lg::optim::Optimizer& optimizer, const lg::data::DataLoader& loader, const Metrics& metrics,
          std::int64_t epochs_done);
// Restores everything and returns the number of epochs already done.
std::int64_t restore(const std::string& path, const RunSettings& settings, lg::nn::Module& model,
                     lg::optim::Optimizer& optimizer, lg::data::DataLoader& loader, Metrics& metrics);

}  // namespace quickstart
