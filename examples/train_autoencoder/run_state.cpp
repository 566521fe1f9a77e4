#include "run_state.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nn/checkpoint.hpp>

namespace train {
namespace {

void write_terms(std::ostream& out, const std::map<std::string, double>& terms) {
  out << ' ' << terms.size();
  for (const auto& [name, value] : terms) out << ' ' << name << ' ' << value;
}

std::map<std::string, double> read_terms(std::istream& in) {
  std::map<std::string, double> terms;
  std::size_t count = 0;
  in >> count;
  for (std::size_t i = 0; i < count; ++i) {
    std::string name;
    double value = 0.0;
    in >> name >> value;
    terms[name] = value;
  }
  return terms;
}

std::string json_number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

std::string json_terms(const std::map<std::string, double>& terms) {
  std::string out = "{";
  for (const auto& [name, value] : terms) out += (out.size() > 1 ? ", \"" : "\"") + name + "\": " + json_number(value);
  return out + "}";
}

}  // namespace

// One line per epoch: epoch seconds mse has_elbo elbo, then the train and test terms as "count name value...".
std::string Metrics::to_text() const {
  std::ostringstream out;
  out.precision(17);
  for (const auto& e : epochs) {
    out << e.epoch << ' ' << e.seconds << ' ' << e.test_reconstruction_mse << ' ' << e.test_elbo.has_value() << ' '
        << e.test_elbo.value_or(0.0);
    write_terms(out, e.train_terms);
    write_terms(out, e.test_terms);
    out << '\n';
  }
  return out.str();
}

Metrics Metrics::from_text(const std::string& text) {
  Metrics metrics;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    EpochRecord e;
    bool has_elbo = false;
    double elbo = 0.0;
    if (!(in >> e.epoch >> e.seconds >> e.test_reconstruction_mse >> has_elbo >> elbo)) continue;
    if (has_elbo) e.test_elbo = elbo;
    e.train_terms = read_terms(in);
    e.test_terms = read_terms(in);
    metrics.epochs.push_back(e);
  }
  return metrics;
}

void Metrics::write_json(const std::string& path, const std::map<std::string, std::string>& settings) const {
  std::ofstream out(path);
  out << "{\n  \"settings\": {";
  bool first = true;
  for (const auto& [key, value] : settings) {
    out << (first ? "" : ", ") << '"' << key << "\": \"" << value << '"';
    first = false;
  }
  out << "},\n  \"units\": \"loss terms as the model's objective computes them (per image sums in nats for vae "
         "and contractive, per-pixel means for ae and dae); test_reconstruction_mse per pixel; elbo and iwae in "
         "nats per image\",\n  \"epochs\": [\n";
  for (std::size_t i = 0; i < epochs.size(); ++i) {
    const auto& e = epochs[i];
    out << "    {\"epoch\": " << e.epoch << ", \"seconds\": " << json_number(e.seconds)
        << ", \"train\": " << json_terms(e.train_terms) << ", \"test\": " << json_terms(e.test_terms)
        << ", \"test_reconstruction_mse\": " << json_number(e.test_reconstruction_mse);
    if (e.test_elbo) out << ", \"test_elbo\": " << json_number(*e.test_elbo);
    out << '}' << (i + 1 < epochs.size() ? "," : "") << '\n';
  }
  out << "  ]";
  if (test_iwae)
    out << ",\n  \"test_iwae\": {\"k\": " << iwae_k << ", \"images\": " << iwae_images
        << ", \"nats\": " << json_number(*test_iwae) << '}';
  out << "\n}\n";
  if (!out) throw lg::IOError("train_autoencoder: cannot write " + path);
}

void save_checkpoint(const std::string& path, const RunState& state, const lg::nn::AnyAutoencoder& model,
                     const lg::optim::Optimizer& optimizer, const lg::data::DataLoader& loader) {
  lg::nn::Checkpoint checkpoint;
  checkpoint.tensors = lg::nn::with_prefix("model.", lg::nn::as_module(model).state_dict());
  checkpoint.metadata = lg::nn::describe_autoencoder(model);
  for (auto& [name, tensor] : lg::nn::with_prefix("optimizer.", optimizer.state_dict()))
    checkpoint.tensors[name] = tensor;
  for (auto& [name, tensor] : loader.state()) checkpoint.tensors["loader." + name] = tensor;
  for (const auto& [key, value] : state.settings) checkpoint.metadata["setting." + key] = value;
  checkpoint.metadata["generator"] = state.generator_state;
  checkpoint.metadata["epochs_done"] = std::to_string(state.epochs_done);
  checkpoint.metadata["metrics"] = state.metrics.to_text();
  lg::nn::save_checkpoint(checkpoint, path);
}

RunState load_checkpoint(const std::string& path, const std::map<std::string, std::string>& settings,
                         lg::nn::Module& model, lg::optim::Optimizer& optimizer, lg::data::DataLoader& loader) {
  const auto checkpoint = lg::nn::load_checkpoint(path);
  const auto entry = [&](const std::string& key) {
    const auto it = checkpoint.metadata.find(key);
    if (it == checkpoint.metadata.end()) throw lg::IOError("resume: '" + path + "' has no '" + key + "' entry");
    return it->second;
  };
  for (const auto& [key, value] : settings) {
    const std::string saved = entry("setting." + key);
    if (saved == value) continue;
    if (key == "threads")
      std::printf("warning: the checkpoint was made with %s threads, this run uses %s: OpenBLAS results, and so "
                  "the continuation, will differ in the last bits\n",
                  saved.c_str(), value.c_str());
    else
      throw lg::ValueError("resume: '" + path + "' was made with --" + key + " " + saved + ", not " + value);
  }
  // Validate and load everything before touching anything else: each load is all-or-nothing.
  model.load_state_dict(lg::nn::strip_prefix("model.", checkpoint.tensors));
  optimizer.load_state_dict(lg::nn::strip_prefix("optimizer.", checkpoint.tensors));
  loader.load_state(lg::nn::strip_prefix("loader.", checkpoint.tensors));
  RunState state;
  state.settings = settings;
  state.generator_state = entry("generator");
  state.epochs_done = std::stoll(entry("epochs_done"));
  state.metrics = Metrics::from_text(entry("metrics"));
  return state;
}

}  // namespace train
