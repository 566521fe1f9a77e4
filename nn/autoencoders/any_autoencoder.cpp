// The free functions over AnyAutoencoder: one std::visit each.
#include "nn/autoencoders/any_autoencoder.hpp"

#include "autograd/error.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::nn {
namespace {

// The model behind the handle; ValueError naming the caller when the pointer is null.
template <class Model>
const Model& checked(const std::shared_ptr<Model>& model, const char* caller) {
  check<ValueError>(model != nullptr, caller, "the AnyAutoencoder holds a null pointer");
  return *model;
}

std::string kind_of(const MlpAutoencoder&) { return "mlp_autoencoder"; }
std::string kind_of(const ConvAutoencoder&) { return "conv_autoencoder"; }
std::string kind_of(const DenoisingAutoencoder&) { return "denoising_autoencoder"; }
std::string kind_of(const VariationalAutoencoder&) { return "variational_autoencoder"; }
std::string kind_of(const ContractiveAutoencoder&) { return "contractive_autoencoder"; }

Tensor code_of(const VariationalAutoencoder& model, const Tensor& x) { return model.encode(x).mean; }
template <class Model>
Tensor code_of(const Model& model, const Tensor& x) {
  return model.encode(x);
}

}  // namespace

std::string autoencoder_kind(const AnyAutoencoder& model) {
  return std::visit([](const auto& m) { return kind_of(checked(m, "autoencoder_kind")); }, model);
}

Module& as_module(const AnyAutoencoder& model) {
  return std::visit([](const auto& m) -> Module& {
    checked(m, "as_module");
    return *m;
  }, model);
}

Tensor encode(const AnyAutoencoder& model, const Tensor& x) {
  return std::visit([&x](const auto& m) { return code_of(checked(m, "encode"), x); }, model);
}

Tensor decode(const AnyAutoencoder& model, const Tensor& code) {
  return std::visit([&code](const auto& m) { return checked(m, "decode").decode(code); }, model);
}

Tensor reconstruct(const AnyAutoencoder& model, const Tensor& x) {
  return reshape(decode(model, encode(model, x)), x.shape());
}

}  // namespace lg::nn
