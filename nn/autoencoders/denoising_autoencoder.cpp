// DenoisingAutoencoder: corruption in front of an existing autoencoder body,
// whose layers are registered under "body" (parameters "body.encoder.0.weight", ...).
#include "nn/autoencoders/denoising_autoencoder.hpp"

#include "autograd/error.hpp"

namespace lg::nn {

DenoisingAutoencoder::DenoisingAutoencoder(const DenoisingAutoencoderOptions& options) : options_(options) {
  check_corruption(options.corruption, "DenoisingAutoencoder");
  if (options.body == DenoisingBody::mlp)
    mlp_ = register_module("body", std::make_shared<MlpAutoencoder>(options.mlp));
  else
    conv_ = register_module("body", std::make_shared<ConvAutoencoder>(options.conv));
}

DenoisingAutoencoderOutput DenoisingAutoencoder::reconstruct(const Tensor& input) const {
  DenoisingAutoencoderOutput output;
  output.corrupted = input;
  if (mlp_) {
    static_cast<AutoencoderOutput&>(output) = mlp_->forward(input);
  } else {
    ConvAutoencoderOutput body = conv_->forward(input);
    output.logits = body.logits;
    static_cast<AutoencoderOutput&>(output) = body;
  }
  return output;
}

DenoisingAutoencoderOutput DenoisingAutoencoder::forward(const Tensor& x, Generator& generator) const {
  check<ValueError>(x.defined(), "DenoisingAutoencoder", "input is undefined");
  return reconstruct(corrupt(x, options_.corruption, generator));
}

DenoisingAutoencoderOutput DenoisingAutoencoder::forward_clean(const Tensor& x) const {
  check<ValueError>(x.defined(), "DenoisingAutoencoder", "input is undefined");
  return reconstruct(x);
}

Tensor DenoisingAutoencoder::encode(const Tensor& x) const { return mlp_ ? mlp_->encode(x) : conv_->encode(x); }

Tensor DenoisingAutoencoder::decode(const Tensor& code) const {
  return mlp_ ? mlp_->decode(code) : conv_->decode(code);
}

Tensor DenoisingAutoencoder::loss(const Tensor& x, const DenoisingAutoencoderOutput& output) const {
  check<ShapeError>(x.shape() == output.reconstruction.shape(), "DenoisingAutoencoder", "input ",
                    shape_str(x.shape()), " and reconstruction ", shape_str(output.reconstruction.shape()),
                    " differ");
  if (mlp_) return mlp_->loss(x, output);
  ConvAutoencoderOutput body;
  body.logits = output.logits;
  return conv_->loss(x, body);
}

}  // namespace lg::nn
