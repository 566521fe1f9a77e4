#include "nn/autoencoders/mlp_autoencoder.hpp"

#include "autograd/ops/ops.hpp"
#include "nn/activation.hpp"
#include "nn/linear.hpp"
#include "nn/loss.hpp"

namespace lg::nn {

MlpAutoencoder::MlpAutoencoder(const MlpAutoencoderOptions& options)
    : options_(options),
      encoder_(register_module("encoder", std::make_shared<Sequential>())),
      decoder_(register_module("decoder", std::make_shared<Sequential>())) {
  check<ValueError>(options.input_size > 0 && options.code_size > 0, "MlpAutoencoder",
                    "input_size and code_size must be positive, got ", options.input_size, " and ",
                    options.code_size);
  const LinearOptions linear{.bias = true, .dtype = float32, .generator = options.generator};
  std::int64_t width = options.input_size;
  for (std::int64_t hidden : options.hidden_sizes) {
    encoder_->push_back(std::make_shared<Linear>(width, hidden, linear));
    encoder_->push_back(std::make_shared<ReLU>());
    width = hidden;
  }
  encoder_->push_back(std::make_shared<Linear>(width, options.code_size, linear));
  width = options.code_size;
  for (auto it = options.hidden_sizes.rbegin(); it != options.hidden_sizes.rend(); ++it) {
    decoder_->push_back(std::make_shared<Linear>(width, *it, linear));
    decoder_->push_back(std::make_shared<ReLU>());
    width = *it;
  }
  decoder_->push_back(std::make_shared<Linear>(width, options.input_size, linear));
  decoder_->push_back(std::make_shared<Sigmoid>());
}

Tensor MlpAutoencoder::encode(const Tensor& x) const {
  check<ShapeError>(x.dim() >= 2 && x.numel() / x.size(0) == options_.input_size, "MlpAutoencoder",
                    "expected [B, ", options_.input_size, "] or images with ", options_.input_size,
                    " values each, got ", shape_str(x.shape()));
  return encoder_->forward(reshape(x, {x.size(0), options_.input_size}));
}

Tensor MlpAutoencoder::decode(const Tensor& code) const { return decoder_->forward(code); }

AutoencoderOutput MlpAutoencoder::forward(const Tensor& x) const {
  Tensor code = encode(x);
  return {code, reshape(decode(code), x.shape())};
}

Tensor MlpAutoencoder::loss(const Tensor& x, const AutoencoderOutput& output) const {
  return mse_loss(output.reconstruction, x);
}

}  // namespace lg::nn
