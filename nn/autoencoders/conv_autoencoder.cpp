// ConvAutoencoder: the layer stacks, input checks naming the model, and the
// BCE-with-logits objective.
#include "nn/autoencoders/conv_autoencoder.hpp"

#include "autograd/ops/ops.hpp"
#include "nn/activation.hpp"
#include "nn/conv.hpp"
#include "nn/flatten.hpp"
#include "nn/linear.hpp"
#include "nn/loss.hpp"

namespace lg::nn {

ConvAutoencoder::ConvAutoencoder(const ConvAutoencoderOptions& options)
    : options_(options),
      encoder_(register_module("encoder", std::make_shared<Sequential>())),
      decoder_(register_module("decoder", std::make_shared<Sequential>())) {
  const auto [c1, c2] = options.channels;
  check<ValueError>(options.in_channels > 0 && c1 > 0 && c2 > 0 && (options.spatial_latent || options.code_size > 0),
                    "ConvAutoencoder",
                    "in_channels, channels and code_size must be positive, got ", options.in_channels, ", [", c1,
                    ", ", c2, "] and ", options.code_size);
  check<ValueError>(options.image_size >= 4 && options.image_size % 4 == 0, "ConvAutoencoder",
                    "image_size must be a positive multiple of 4, got ", options.image_size);
  const std::int64_t side = options.image_size / 4;  // after two stride-2 convolutions
  const Conv2dOptions conv{.stride = {2, 2}, .padding = {1, 1}, .dtype = options.dtype, .generator = options.generator};
  const ConvTranspose2dOptions deconv{
      .stride = {2, 2}, .padding = {1, 1}, .dtype = options.dtype, .generator = options.generator};
  const LinearOptions linear{.bias = true, .dtype = options.dtype, .generator = options.generator};
  const Pair kernel{4, 4};

  encoder_->push_back(std::make_shared<Conv2d>(options.in_channels, c1, kernel, conv));
  encoder_->push_back(std::make_shared<ReLU>());
  encoder_->push_back(std::make_shared<Conv2d>(c1, c2, kernel, conv));
  encoder_->push_back(std::make_shared<ReLU>());
  if (!options.spatial_latent) {
    encoder_->push_back(std::make_shared<Flatten>());
    encoder_->push_back(std::make_shared<Linear>(c2 * side * side, options.code_size, linear));

    decoder_->push_back(std::make_shared<Linear>(options.code_size, c2 * side * side, linear));
    decoder_->push_back(std::make_shared<ReLU>());
    decoder_->push_back(std::make_shared<Unflatten>(1, Shape{c2, side, side}));
  }
  decoder_->push_back(std::make_shared<ConvTranspose2d>(c2, c1, kernel, deconv));
  decoder_->push_back(std::make_shared<ReLU>());
  decoder_->push_back(std::make_shared<ConvTranspose2d>(c1, options.in_channels, kernel, deconv));
}

Tensor ConvAutoencoder::encode(const Tensor& x) const {
  check<ValueError>(x.defined(), "ConvAutoencoder", "input is undefined");
  const std::int64_t s = options_.image_size;
  check<ShapeError>(x.dim() == 4 && x.size(1) == options_.in_channels && x.size(2) == s && x.size(3) == s,
                    "ConvAutoencoder", "expected [B, ", options_.in_channels, ", ", s, ", ", s, "], got ",
                    shape_str(x.shape()));
  return encoder_->forward(x);
}

Shape ConvAutoencoder::code_shape() const {
  if (!options_.spatial_latent) return {options_.code_size};
  return {options_.channels[1], options_.image_size / 4, options_.image_size / 4};
}

Tensor ConvAutoencoder::decode_logits(const Tensor& code) const {
  check<ValueError>(code.defined(), "ConvAutoencoder", "code is undefined");
  const Shape per_example = code_shape();
  bool fits = code.dim() == static_cast<std::int64_t>(per_example.size()) + 1;
  for (std::size_t i = 0; fits && i < per_example.size(); ++i)
    fits = code.size(static_cast<std::int64_t>(i) + 1) == per_example[i];
  check<ShapeError>(fits, "ConvAutoencoder", "expected a code of shape [B] + ", shape_str(per_example), ", got ",
                    shape_str(code.shape()));
  return decoder_->forward(code);
}

Tensor ConvAutoencoder::decode(const Tensor& code) const { return sigmoid(decode_logits(code)); }

ConvAutoencoderOutput ConvAutoencoder::forward(const Tensor& x) const {
  ConvAutoencoderOutput output;
  output.code = encode(x);
  output.logits = decode_logits(output.code);
  output.reconstruction = sigmoid(output.logits);
  return output;
}

Tensor ConvAutoencoder::loss(const Tensor& x, const ConvAutoencoderOutput& output) const {
  return binary_cross_entropy_with_logits(output.logits, x);
}

}  // namespace lg::nn
