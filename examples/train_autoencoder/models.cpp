#include "models.hpp"

namespace train {
namespace {

lg::Tensor as_images(const lg::Tensor& x) { return lg::reshape(x, {x.size(0), 1, 28, 28}); }

class PlainAutoencoder final : public TrainableModel {
 public:
  PlainAutoencoder(const ModelSettings& s, lg::Generator& init) {
    if (s.body == "mlp")
      mlp_ = std::make_shared<lg::nn::MlpAutoencoder>(
          lg::nn::MlpAutoencoderOptions{.code_size = s.latent, .generator = &init});
    else
      conv_ = std::make_shared<lg::nn::ConvAutoencoder>(
          lg::nn::ConvAutoencoderOptions{.code_size = s.latent, .generator = &init});
  }
  lg::nn::Module& module() override { return mlp_ ? static_cast<lg::nn::Module&>(*mlp_) : *conv_; }
  Terms terms(const lg::Tensor& x, lg::Generator&) const override {
    if (mlp_) return {{"loss", mlp_->loss(x, mlp_->forward(x))}};
    return {{"loss", conv_->loss(x, conv_->forward(x))}};
  }
  lg::Tensor reconstruct(const lg::Tensor& x) const override {
    return as_images(mlp_ ? mlp_->forward(x).reconstruction : conv_->forward(x).reconstruction);
  }
  lg::Tensor encode(const lg::Tensor& x) const override { return mlp_ ? mlp_->encode(x) : conv_->encode(x); }
  lg::Tensor decode(const lg::Tensor& codes) const override {
    return as_images(mlp_ ? mlp_->decode(codes) : conv_->decode(codes));
  }
  lg::nn::AnyAutoencoder handle() const override {
    return mlp_ ? lg::nn::AnyAutoencoder(mlp_) : lg::nn::AnyAutoencoder(conv_);
  }

 private:
  std::shared_ptr<lg::nn::MlpAutoencoder> mlp_;
  std::shared_ptr<lg::nn::ConvAutoencoder> conv_;
};

// --penalty by name; unset: the closed form for the sigmoid layer, Hutchinson's one-probe estimate for the
// conv body (exact by double backward costs one backward pass per code dim).
lg::nn::JacobianPenaltyMethod penalty_method(const ModelSettings& s) {
  if (s.penalty == "closed-form") return lg::nn::JacobianPenaltyMethod::closed_form;
  if (s.penalty == "double-backward") return lg::nn::JacobianPenaltyMethod::double_backward;
  if (s.penalty == "hutchinson" || (s.penalty.empty() && s.body == "conv"))
    return lg::nn::JacobianPenaltyMethod::hutchinson;
  if (s.penalty.empty()) return lg::nn::JacobianPenaltyMethod::closed_form;
  throw lg::ValueError("--penalty must be closed-form, double-backward or hutchinson, got " + s.penalty);
}

lg::nn::CorruptionKind corruption_kind(const std::string& name) {
  if (name == "gaussian") return lg::nn::CorruptionKind::gaussian;
  if (name == "masking") return lg::nn::CorruptionKind::masking;
  if (name == "salt-and-pepper") return lg::nn::CorruptionKind::salt_and_pepper;
  throw lg::ValueError("--noise-kind must be gaussian, masking or salt-and-pepper, got " + name);
}

class Denoising final : public TrainableModel {
 public:
  Denoising(const ModelSettings& s, lg::Generator& init)
      : model_(std::make_shared<lg::nn::DenoisingAutoencoder>(lg::nn::DenoisingAutoencoderOptions{
            .body = s.body == "mlp" ? lg::nn::DenoisingBody::mlp : lg::nn::DenoisingBody::conv,
                .mlp = {.code_size = s.latent, .generator = &init},
                .conv = {.code_size = s.latent, .generator = &init},
                .corruption = {.kind = corruption_kind(s.noise_kind), .level = s.noise}})) {}
  lg::nn::Module& module() override { return *model_; }
  lg::nn::AnyAutoencoder handle() const override { return model_; }
  Terms terms(const lg::Tensor& x, lg::Generator& generator) const override {
    return {{"loss", model_->loss(x, model_->forward(x, generator))}};
  }
  lg::Tensor reconstruct(const lg::Tensor& x) const override {
    return as_images(model_->forward_clean(x).reconstruction);
  }
  lg::Tensor encode(const lg::Tensor& x) const override { return model_->encode(x); }
  lg::Tensor decode(const lg::Tensor& codes) const override { return as_images(model_->decode(codes)); }

 private:
  std::shared_ptr<lg::nn::DenoisingAutoencoder> model_;
};

class Variational final : public TrainableModel {
 public:
  Variational(const ModelSettings& s, lg::Generator& init)
      : model_(std::make_shared<lg::nn::VariationalAutoencoder>(lg::nn::VariationalAutoencoderOptions{
            .body = s.body == "mlp" ? lg::nn::VariationalBody::mlp : lg::nn::VariationalBody::conv,
            .spatial_latent = s.spatial,
            .latent_size = s.latent,
            .latent_channels = s.latent,
            .beta = s.beta,
            .generator = &init})) {}
  lg::nn::Module& module() override { return *model_; }
  lg::nn::AnyAutoencoder handle() const override { return model_; }
  Terms terms(const lg::Tensor& x, lg::Generator& generator) const override {
    const auto loss = model_->loss(x, model_->forward(x, generator));
    return {{"loss", loss.loss}, {"reconstruction", loss.reconstruction}, {"kl", loss.kl}};
  }
  lg::Tensor reconstruct(const lg::Tensor& x) const override { return model_->decode(model_->encode(x).mean); }
  lg::Tensor encode(const lg::Tensor& x) const override {
    const auto mean = model_->encode(x).mean;
    return lg::reshape(mean, {mean.size(0), mean.numel() / mean.size(0)});
  }
  lg::Tensor decode(const lg::Tensor& codes) const override {
    lg::Shape shape{codes.size(0)};  // flat codes back to the latent's shape (a spatial latent is [C, 7, 7])
    for (std::int64_t size : model_->latent_shape()) shape.push_back(size);
    return model_->decode(lg::reshape(codes, shape));
  }
  const lg::nn::VariationalAutoencoder* variational() const override { return model_.get(); }

 private:
  std::shared_ptr<lg::nn::VariationalAutoencoder> model_;
};

class Contractive final : public TrainableModel {
 public:
  Contractive(const ModelSettings& s, lg::Generator& init)
      : model_(std::make_shared<lg::nn::ContractiveAutoencoder>(
            s.body == "mlp" ? lg::nn::ContractiveAutoencoderOptions{.code_size = s.latent,
                                                                    .penalty_weight = s.lambda,
                                                                    .penalty_method = penalty_method(s),
                                                                    .generator = &init}
                            : lg::nn::ContractiveAutoencoderOptions{.body = lg::nn::ContractiveBody::conv,
                                                                    .penalty_weight = s.lambda,
                                                                    .penalty_method = penalty_method(s),
                                                                    .conv = {.code_size = s.latent, .generator = &init}})) {}
  lg::nn::Module& module() override { return *model_; }
  lg::nn::AnyAutoencoder handle() const override { return model_; }
  Terms terms(const lg::Tensor& x, lg::Generator& generator) const override {
    const auto loss = model_->loss(x, model_->forward(x), &generator);
    return {{"loss", loss.total}, {"reconstruction", loss.reconstruction}, {"penalty", loss.penalty}};
  }
  lg::Tensor reconstruct(const lg::Tensor& x) const override {
    return as_images(model_->forward(x).reconstruction);
  }
  lg::Tensor encode(const lg::Tensor& x) const override { return model_->encode(x); }
  lg::Tensor decode(const lg::Tensor& codes) const override { return as_images(model_->decode(codes)); }

 private:
  std::shared_ptr<lg::nn::ContractiveAutoencoder> model_;
};

}  // namespace

std::unique_ptr<TrainableModel> make_model(const ModelSettings& s, lg::Generator& init) {
  if (s.model == "ae") return std::make_unique<PlainAutoencoder>(s, init);
  if (s.model == "dae") return std::make_unique<Denoising>(s, init);
  if (s.spatial && (s.model != "vae" || s.body != "conv"))
    throw lg::ValueError("--spatial-latent needs --model vae --body conv");
  if (s.model == "vae") return std::make_unique<Variational>(s, init);
  if (s.model == "contractive") return std::make_unique<Contractive>(s, init);
  throw lg::ValueError("--model must be ae, dae, vae or contractive, got " + s.model);
}

}  // namespace train
