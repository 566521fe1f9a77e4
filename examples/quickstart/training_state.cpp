#include "training_state.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nn/checkpoint.hpp>

namespace quickstart {

std::string Metrics::to_text() const {
  std::ostringstream out;
  out.precision(17);
  for (const auto& e : epochs) out << e.epoch << ' ' << e.train_loss << ' ' << e.test_loss << ' ' << e.seconds << '\n';
  return out.str();
}

Metrics Metrics::from_text(const std::string& text) {
  Metrics metrics;
  std::istringstream in(text);
  EpochMetrics e;
  while (in >> e.epoch >> e.train_loss >> e.test_loss >> e.seconds) metrics.epochs.push_back(e);
  return metrics;
}

void Metrics::write_json(const std::string& path, const std::string& dataset, std::int64_t latent,
                         int threads) const {
  std::ofstream out(path);
  out << "{\n  \"model\": \"mlp_autoencoder 784-512-256-" << latent << "\",\n  \"dataset\": \"" << dataset
      << "\",\n  \"threads\": " << threads << ",\n  \"loss\": \"mean squared error per pixel\",\n  \"epochs\": [\n";
  char line[256];
  for (std::size_t i = 0; i < epochs.size(); ++i) {
    const auto& e = epochs[i];
    std::snprintf(line, sizeof line,
                  "    {\"epoch\": %lld, \"train_loss\": %.6f, \"test_loss\": %.6f, \"seconds\": %.2f}%s\n",
                  static_cast<long long>(e.epoch), e.train_loss, e.test_loss, e.seconds,
                  i + 1 < epochs.size() ? "," : "");
    out << line;
  }
  out << "  ]\n}\n";
  if (!out) throw lg::IOError("quickstart: cannot write " + path);
}

void save(const std::string& path, const RunSettings& settings, const lg::nn::Module& model,
          const lg::optim::Optimizer& optimizer, const lg::data::DataLoader& loader, const Metrics& metrics,
          std::int64_t epochs_done) {
  lg::nn::Checkpoint checkpoint;
  checkpoint.tensors = lg::nn::with_prefix("model.", model.state_dict());
  for (auto& [name, tensor] : lg::nn::with_prefix("optimizer.", optimizer.state_dict()))
    checkpoint.tensors[name] = tensor;
  for (auto& [name, tensor] : loader.state()) checkpoint.tensors["loader." + name] = tensor;
  checkpoint.metadata = {{"dataset", settings.dataset},
                         {"latent", std::to_string(settings.latent)},
                         {"seed", std::to_string(settings.seed)},
                         {"threads", std::to_string(settings.threads)},
                         {"epochs_done", std::to_string(epochs_done)},
                         {"metrics", metrics.to_text()}};
  lg::nn::save_checkpoint(checkpoint, path);
}

std::int64_t restore(const std::string& path, const RunSettings& settings, lg::nn::Module& model,
                     lg::optim::Optimizer& optimizer, lg::data::DataLoader& loader, Metrics& metrics) {
  const auto checkpoint = lg::nn::load_checkpoint(path);
  auto setting = [&](const std::string& key) {
    auto it = checkpoint.metadata.find(key);
    if (it == checkpoint.metadata.end()) throw lg::IOError("resume: '" + path + "' has no '" + key + "' entry");
    return it->second;
  };
  const auto expect = [&](const std::string& key, const std::string& value) {
    if (setting(key) != value)
      throw lg::ValueError("resume: '" + path + "' was made with --" + key + " " + setting(key) + ", not " + value);
  };
  expect("dataset", settings.dataset);
  expect("latent", std::to_string(settings.latent));
  expect("seed", std::to_string(settings.seed));
  if (setting("threads") != std::to_string(settings.threads))
    std::printf("warning: the checkpoint was made with %s threads, this run uses %d: OpenBLAS results, and so the "
                "continuation, will differ in the last bits\n",
                setting("threads").c_str(), settings.threads);
  // Validate and load everything before touching anything else: each load is all-or-nothing.
  model.load_state_dict(lg::nn::strip_prefix("model.", checkpoint.tensors));
  optimizer.load_state_dict(lg::nn::strip_prefix("optimizer.", checkpoint.tensors));
  loader.load_state(lg::nn::strip_prefix("loader.", checkpoint.tensors));
  metrics = Metrics::from_text(setting("metrics"));
  return std::stoll(setting("epochs_done"));
}

}  // namespace quickstart
