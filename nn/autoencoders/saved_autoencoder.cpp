// save_autoencoder / load_autoencoder. Each model's options are listed once,
// in a `fields` function that shows a visitor every option by name; the same
// list writes the description (OptionWriter) and reads it back (OptionReader),
// so the two cannot drift apart.
#include "nn/autoencoders/saved_autoencoder.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "autograd/error.hpp"
#include "nn/checkpoint.hpp"

namespace lg::nn {
namespace {

const std::string prefix = "model.";

// prefix + name, by append: g++ 12 warns falsely (-Wrestrict) about operator+ on strings here.
std::string key(std::string_view name) {
  std::string k = prefix;
  k.append(name);
  return k;
}

// ---- enums by name -------------------------------------------------------------------------------------------

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<VariationalBody, 3> names(VariationalBody) {
  return {{{VariationalBody::mlp, "mlp"}, {VariationalBody::conv, "conv"}, {VariationalBody::strkm, "strkm"}}};
}
constexpr NameTable<DecoderLikelihood, 2> names(DecoderLikelihood) {
  return {{{DecoderLikelihood::bernoulli, "bernoulli"}, {DecoderLikelihood::gaussian, "gaussian"}}};
}
constexpr NameTable<DenoisingBody, 2> names(DenoisingBody) {
  return {{{DenoisingBody::mlp, "mlp"}, {DenoisingBody::conv, "conv"}}};
}
constexpr NameTable<CorruptionKind, 4> names(CorruptionKind) {
  return {{{CorruptionKind::none, "none"},
           {CorruptionKind::gaussian, "gaussian"},
           {CorruptionKind::masking, "masking"},
           {CorruptionKind::salt_and_pepper, "salt_and_pepper"}}};
}
constexpr NameTable<JacobianPenaltyMethod, 3> names(JacobianPenaltyMethod) {
  return {{{JacobianPenaltyMethod::closed_form, "closed_form"},
           {JacobianPenaltyMethod::double_backward, "double_backward"},
           {JacobianPenaltyMethod::hutchinson, "hutchinson"}}};
}
constexpr NameTable<ReconstructionLoss, 2> names(ReconstructionLoss) {
  return {{{ReconstructionLoss::binary_cross_entropy, "binary_cross_entropy"},
           {ReconstructionLoss::squared_error, "squared_error"}}};
}
constexpr NameTable<ContractiveBody, 2> names(ContractiveBody) {
  return {{{ContractiveBody::sigmoid_layer, "sigmoid_layer"}, {ContractiveBody::conv, "conv"}}};
}
constexpr NameTable<DType, 3> names(DType) { return {{{float32, "float32"}, {float64, "float64"}, {int64, "int64"}}}; }

template <class E>
concept Named = requires(E e) { names(e); };

// ---- writing and reading one option --------------------------------------------------------------------------

// Writes each option it is shown as a "model.<name>" entry.
struct OptionWriter {
  ModelDescription& out;

  void operator()(const std::string& name, std::int64_t value) { out[key(name)] = std::to_string(value); }
  void operator()(const std::string& name, int value) { out[key(name)] = std::to_string(value); }
  void operator()(const std::string& name, bool value) { out[key(name)] = value ? "true" : "false"; }
  // A flag whose absence means false: written only when set.
  void flag_if_set(const std::string& name, bool value) {
    if (value) (*this)(name, value);
  }
  void operator()(const std::string& name, double value) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", value);  // 17 significant digits read back to the same double
    out[key(name)] = text;
  }
  void operator()(const std::string& name, const std::vector<std::int64_t>& values) {
    std::string text;
    for (std::int64_t v : values) {
      if (!text.empty()) text += ',';
      text += std::to_string(v);
    }
    out[key(name)] = text;
  }
  void operator()(const std::string& name, const std::array<std::int64_t, 2>& values) {
    (*this)(name, std::vector<std::int64_t>(values.begin(), values.end()));
  }
  template <Named E>
  void operator()(const std::string& name, const std::optional<E>& value) {
    if (value) (*this)(name, *value);
    else out[key(name)] = "unset";
  }
  template <Named E>
  void operator()(const std::string& name, E value) {
    for (const auto& [v, text] : names(value))
      if (v == value) out[key(name)] = std::string(text);
  }
};

// Reads each option it is shown from its "model.<name>" entry; ValueError naming the entry on any problem.
struct OptionReader {
  const ModelDescription& in;

  const std::string& text(const std::string& name) const {
    const auto it = in.find(key(name));
    check<ValueError>(it != in.end(), "build_autoencoder", "the description has no '", key(name), "' entry");
    return it->second;
  }
  [[noreturn]] void reject(const std::string& name, const char* expected) const {
    fail<ValueError>("build_autoencoder", "entry '", key(name), "' = '", text(name), "' is not ", expected);
  }
  std::int64_t integer(const std::string& name, std::string_view digits) const {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) reject(name, "an integer");
    return value;
  }

  void operator()(const std::string& name, std::int64_t& value) const { value = integer(name, text(name)); }
  void operator()(const std::string& name, int& value) const {
    const std::int64_t wide = integer(name, text(name));
    if (wide < INT32_MIN || wide > INT32_MAX) reject(name, "an int");
    value = static_cast<int>(wide);
  }
  void operator()(const std::string& name, bool& value) const {
    const std::string& t = text(name);
    if (t != "true" && t != "false") reject(name, "true or false");
    value = t == "true";
  }
  // A flag whose absence means false (files written before it existed).
  void flag_if_set(const std::string& name, bool& value) const {
    value = false;
    if (in.find(key(name)) != in.end()) (*this)(name, value);
  }
  void operator()(const std::string& name, double& value) const {
    const std::string& t = text(name);
    char* end = nullptr;
    value = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size()) reject(name, "a number");
  }
  void operator()(const std::string& name, std::vector<std::int64_t>& values) const {
    values.clear();
    std::string_view rest = text(name);
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      values.push_back(integer(name, rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (comma != std::string_view::npos && rest.empty()) reject(name, "a comma-separated list of integers");
    }
  }
  void operator()(const std::string& name, std::array<std::int64_t, 2>& values) const {
    std::vector<std::int64_t> list;
    (*this)(name, list);
    if (list.size() != 2) reject(name, "a list of two integers");
    values = {list[0], list[1]};
  }
  template <Named E>
  void operator()(const std::string& name, std::optional<E>& value) const {
    if (text(name) == "unset") {
      value.reset();
      return;
    }
    E chosen{};
    (*this)(name, chosen);
    value = chosen;
  }
  template <Named E>
  void operator()(const std::string& name, E& value) const {
    for (const auto& [v, t] : names(value))
      if (t == text(name)) {
        value = v;
        return;
      }
    std::string expected = "one of";
    for (const auto& entry : names(value)) expected += " " + std::string(entry.second);
    reject(name, expected.c_str());
  }
};

// ---- every model's options, listed once ----------------------------------------------------------------------

template <class Visitor>
void fields(Visitor&& visit, MlpAutoencoderOptions& o, const std::string& at = "") {
  visit(at + "input_size", o.input_size);
  visit(at + "hidden_sizes", o.hidden_sizes);
  visit(at + "code_size", o.code_size);
}

template <class Visitor>
void fields(Visitor&& visit, ConvAutoencoderOptions& o, const std::string& at = "") {
  visit(at + "in_channels", o.in_channels);
  visit(at + "image_size", o.image_size);
  visit(at + "channels", o.channels);
  visit(at + "code_size", o.code_size);
  visit.flag_if_set(at + "spatial_latent", o.spatial_latent);  // written only when true: older files lack it
  visit(at + "dtype", o.dtype);
}

template <class Visitor>
void fields(Visitor&& visit, DenoisingAutoencoderOptions& o) {
  visit("body", o.body);
  if (o.body == DenoisingBody::mlp) fields(visit, o.mlp, "mlp.");
  else fields(visit, o.conv, "conv.");
  visit("corruption.kind", o.corruption.kind);
  visit("corruption.level", o.corruption.level);
}

template <class Visitor>
void fields(Visitor&& visit, VariationalAutoencoderOptions& o) {
  visit("body", o.body);
  visit("in_channels", o.in_channels);
  visit("image_size", o.image_size);
  visit("hidden_sizes", o.hidden_sizes);
  visit("channels", o.channels);
  visit("spatial_latent", o.spatial_latent);
  visit("latent_size", o.latent_size);
  visit("latent_channels", o.latent_channels);
  if (o.body == VariationalBody::strkm) {  // only these bodies write them, so older files still read
    visit("capacity", o.capacity);
    visit("feature_size", o.feature_size);
    visit("strkm_hidden_size", o.strkm_hidden_size);
  }
  visit("likelihood", o.likelihood);
  visit("decoder_sigma", o.decoder_sigma);
  visit("beta", o.beta);
  visit("dtype", o.dtype);
}

template <class Visitor>
void fields(Visitor&& visit, ContractiveAutoencoderOptions& o) {
  visit("body", o.body);
  if (o.body == ContractiveBody::conv) {
    fields(visit, o.conv, "conv.");
  } else {
    visit("input_size", o.input_size);
    visit("code_size", o.code_size);
    visit("tied_weights", o.tied_weights);
    visit("dtype", o.dtype);
  }
  visit("penalty_weight", o.penalty_weight);
  visit("penalty_method", o.penalty_method);
  visit("hutchinson_draws", o.hutchinson_draws);
  visit("reconstruction_loss", o.reconstruction_loss);
}

// Reads Model's options from the description and builds the model.
template <class Model, class Options>
AnyAutoencoder build(const ModelDescription& description) {
  Options options;
  const OptionReader reader{description};
  fields(reader, options);
  return std::make_shared<Model>(options);
}

}  // namespace

ModelDescription describe_autoencoder(const AnyAutoencoder& model) {
  ModelDescription description{{prefix + "kind", autoencoder_kind(model)}};
  std::visit(
      [&description](const auto& m) {
        auto options = m->options();
        fields(OptionWriter{description}, options);
      },
      model);
  return description;
}

AnyAutoencoder build_autoencoder(const ModelDescription& description) {
  const auto kind = description.find(prefix + "kind");
  check<ValueError>(kind != description.end(), "build_autoencoder", "the description has no '", prefix,
                    "kind' entry: it does not describe a model");
  const std::string& k = kind->second;
  if (k == "mlp_autoencoder") return build<MlpAutoencoder, MlpAutoencoderOptions>(description);
  if (k == "conv_autoencoder") return build<ConvAutoencoder, ConvAutoencoderOptions>(description);
  if (k == "denoising_autoencoder") return build<DenoisingAutoencoder, DenoisingAutoencoderOptions>(description);
  if (k == "variational_autoencoder")
    return build<VariationalAutoencoder, VariationalAutoencoderOptions>(description);
  if (k == "contractive_autoencoder")
    return build<ContractiveAutoencoder, ContractiveAutoencoderOptions>(description);
  fail<ValueError>("build_autoencoder", "unknown model kind '", k, "'");
}

void save_autoencoder(const AnyAutoencoder& model, const std::string& path, const ModelDescription& extra) {
  Checkpoint checkpoint;
  for (const auto& [name, tensor] : as_module(model).state_dict()) checkpoint.tensors[prefix + name] = tensor;
  checkpoint.metadata = extra;
  for (const auto& [key, value] : describe_autoencoder(model)) checkpoint.metadata[key] = value;
  save_checkpoint(checkpoint, path);
}

SavedAutoencoder load_autoencoder(const std::string& path) {
  const Checkpoint checkpoint = load_checkpoint(path);
  StateDict weights;
  for (const auto& [name, tensor] : checkpoint.tensors)
    if (name.rfind(prefix, 0) == 0) weights[name.substr(prefix.size())] = tensor;
  try {
    SavedAutoencoder saved{build_autoencoder(checkpoint.metadata), checkpoint.metadata};
    as_module(saved.model).load_state_dict(weights);
    return saved;
  } catch (const Error& error) {
    throw IOError("load_autoencoder: '" + path + "': " + error.what());
  }
}

}  // namespace lg::nn
