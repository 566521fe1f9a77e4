#include "nn/autoencoders/contractive_autoencoder.hpp"

#include <cmath>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::nn {

ContractiveAutoencoder::ContractiveAutoencoder(const ContractiveAutoencoderOptions& options) : options_(options) {
  check<ValueError>(options.input_size > 0 && options.code_size > 0, "ContractiveAutoencoder",
                    "input_size and code_size must be positive, got ", options.input_size, " and ",
                    options.code_size);
  check<ValueError>(options.penalty_weight >= 0.0 && std::isfinite(options.penalty_weight),
                    "ContractiveAutoencoder", "penalty_weight (lambda) must be finite and not negative, got ",
                    options.penalty_weight);
  check<ValueError>(options.hutchinson_draws > 0, "ContractiveAutoencoder",
                    "hutchinson_draws must be positive, got ", options.hutchinson_draws);
  const LinearOptions linear{.bias = true, .dtype = options.dtype, .generator = options.generator};
  encoder_ = register_module("encoder", std::make_shared<Linear>(options.input_size, options.code_size, linear));
  if (options.tied_weights) {
    // c ~ U(-1/sqrt(K), 1/sqrt(K)), as an untied Linear(K -> N) would draw it.
    const double bound = 1.0 / std::sqrt(static_cast<double>(options.code_size));
    decoder_bias_ = register_parameter(
        "decoder_bias", uniform({options.input_size}, -bound, bound, options.dtype, options.generator));
  } else {
    decoder_ = register_module("decoder", std::make_shared<Linear>(options.code_size, options.input_size, linear));
  }
}

Tensor ContractiveAutoencoder::flat_input(const Tensor& x) const {
  check<ShapeError>(x.dim() >= 2 && x.numel() / x.size(0) == options_.input_size, "ContractiveAutoencoder",
                    "expected [B, ", options_.input_size, "] or images with ", options_.input_size,
                    " values each, got ", shape_str(x.shape()));
  return reshape(x, {x.size(0), options_.input_size});
}

Tensor ContractiveAutoencoder::encode(const Tensor& x) const { return sigmoid(encoder_->forward(flat_input(x))); }

Tensor ContractiveAutoencoder::decode_logits(const Tensor& code) const {
  check<ShapeError>(code.dim() == 2 && code.size(1) == options_.code_size, "ContractiveAutoencoder",
                    "expected a code [B, ", options_.code_size, "], got ", shape_str(code.shape()));
  if (options_.tied_weights) return linear(code, matrix_transpose(encoder_->weight()), decoder_bias_);
  return decoder_->forward(code);
}

Tensor ContractiveAutoencoder::decode(const Tensor& code) const { return sigmoid(decode_logits(code)); }

AutoencoderOutput ContractiveAutoencoder::forward(const Tensor& x) const {
  Tensor code = encode(x);
  return {.code = code, .reconstruction = reshape(decode(code), x.shape())};
}

Tensor ContractiveAutoencoder::jacobian_penalty(const Tensor& x, JacobianPenaltyMethod method,
                                                Generator* generator) const {
  const EncoderFunction encoder = [this](const Tensor& input) { return encode(input); };
  switch (method) {
    case JacobianPenaltyMethod::closed_form:
      return sigmoid_layer_jacobian_penalty(encode(x), encoder_->weight());
    case JacobianPenaltyMethod::double_backward:
      return jacobian_penalty_by_double_backward(encoder, flat_input(x));
    case JacobianPenaltyMethod::hutchinson:
      check<ValueError>(generator != nullptr, "ContractiveAutoencoder",
                        "the hutchinson penalty needs a generator for its probes");
      return jacobian_penalty_by_hutchinson(encoder, flat_input(x),
                                            {.draws = options_.hutchinson_draws, .generator = generator});
  }
  fail<InternalError>("ContractiveAutoencoder", "unknown penalty method");
}

ContractiveAutoencoderLoss ContractiveAutoencoder::loss(const Tensor& x, const AutoencoderOutput& output,
                                                        Generator* generator) const {
  const Tensor target = flat_input(x);
  const Tensor code = output.code;
  const double inputs = static_cast<double>(options_.input_size);
  // Both terms are means over the elements times the inputs per example: sums over inputs, means over the batch.
  const Tensor reconstruction =
      options_.reconstruction_loss == ReconstructionLoss::binary_cross_entropy
          ? mean_binary_cross_entropy_with_logits(decode_logits(code), target) * inputs
          : mean_squared_error(reshape(output.reconstruction, target.shape()), target) * inputs;
  const Tensor penalty = options_.penalty_method == JacobianPenaltyMethod::closed_form
                             ? sigmoid_layer_jacobian_penalty(code, encoder_->weight())
                             : jacobian_penalty(x, options_.penalty_method, generator);
  return {.total = reconstruction + options_.penalty_weight * penalty,
          .reconstruction = reconstruction,
          .penalty = penalty};
}

}  // namespace lg::nn
