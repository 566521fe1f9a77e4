#include "nn/autoencoders/contractive_autoencoder.hpp"

#include <cmath>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::nn {

namespace {

// closed_form is eq. 5 of Rifai et al., the Jacobian of one sigmoid layer; ValueError for any other body.
void check_method_fits_body(JacobianPenaltyMethod method, ContractiveBody body) {
  check<ValueError>(method != JacobianPenaltyMethod::closed_form || body == ContractiveBody::sigmoid_layer,
                    "ContractiveAutoencoder",
                    "penalty_method closed_form is only for the sigmoid_layer body (its formula is the Jacobian "
                    "of one sigmoid layer); use double_backward or hutchinson with body conv");
}

}  // namespace

ContractiveAutoencoder::ContractiveAutoencoder(const ContractiveAutoencoderOptions& options) : options_(options) {
  const bool conv = options.body == ContractiveBody::conv;
  check<ValueError>(options.body == ContractiveBody::sigmoid_layer || conv, "ContractiveAutoencoder",
                    "body must be sigmoid_layer or conv");
  check<ValueError>(conv || (options.input_size > 0 && options.code_size > 0), "ContractiveAutoencoder",
                    "input_size and code_size must be positive, got ", options.input_size, " and ",
                    options.code_size);
  check<ValueError>(options.penalty_weight >= 0.0 && std::isfinite(options.penalty_weight),
                    "ContractiveAutoencoder", "penalty_weight (lambda) must be finite and not negative, got ",
                    options.penalty_weight);
  check<ValueError>(options.hutchinson_draws > 0, "ContractiveAutoencoder",
                    "hutchinson_draws must be positive, got ", options.hutchinson_draws);
  // The body's cheapest exact method unless one is asked for.
  options_.penalty_method = options.penalty_method.value_or(conv ? JacobianPenaltyMethod::double_backward
                                                                  : JacobianPenaltyMethod::closed_form);
  check_method_fits_body(*options_.penalty_method, options.body);
  if (conv) {
    check<ValueError>(!options.conv.spatial_latent, "ContractiveAutoencoder",
                      "the conv body needs a flat code (conv.spatial_latent = false)");
    conv_ = register_module("conv", std::make_shared<ConvAutoencoder>(options.conv));
    input_size_ = options.conv.in_channels * options.conv.image_size * options.conv.image_size;
    code_size_ = options.conv.code_size;
    return;
  }
  input_size_ = options.input_size;
  code_size_ = options.code_size;
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

const Tensor& ContractiveAutoencoder::encoder_weight() const {
  check<ValueError>(encoder_ != nullptr, "ContractiveAutoencoder",
                    "encoder_weight() is the sigmoid_layer body's W; the conv body has no single encoder weight");
  return encoder_->weight();
}

Tensor ContractiveAutoencoder::flat_input(const Tensor& x) const {
  check<ValueError>(x.defined(), "ContractiveAutoencoder", "input is undefined");
  check<ShapeError>(x.dim() >= 2 && x.size(0) > 0 && x.numel() / x.size(0) == input_size_, "ContractiveAutoencoder",
                    "expected [B, ", input_size_, "] or images with ", input_size_, " values each, got ",
                    shape_str(x.shape()));
  return reshape(x, {x.size(0), input_size_});
}

Tensor ContractiveAutoencoder::encode(const Tensor& x) const {
  const Tensor flat = flat_input(x);
  if (conv_) {
    const std::int64_t side = options_.conv.image_size;
    return conv_->encode(reshape(flat, {flat.size(0), options_.conv.in_channels, side, side}));
  }
  return sigmoid(encoder_->forward(flat));
}

Tensor ContractiveAutoencoder::decode_logits(const Tensor& code) const {
  check<ValueError>(code.defined(), "ContractiveAutoencoder", "code is undefined");
  check<ShapeError>(code.dim() == 2 && code.size(1) == code_size_, "ContractiveAutoencoder",
                    "expected a code [B, ", code_size_, "], got ", shape_str(code.shape()));
  if (conv_) return reshape(conv_->decode_logits(code), {code.size(0), input_size_});
  if (options_.tied_weights) return linear(code, matrix_transpose(encoder_->weight()), decoder_bias_);
  return decoder_->forward(code);
}

Tensor ContractiveAutoencoder::decode(const Tensor& code) const { return sigmoid(decode_logits(code)); }

ContractiveAutoencoderOutput ContractiveAutoencoder::forward(const Tensor& x) const {
  Tensor input = flat_input(x);
  // The generic penalties need the code as a function of an input that requires grad. Encoding such an
  // input here, once, lets loss() differentiate this very pass instead of running the encoder again.
  const bool penalty_reuses_pass =
      *options_.penalty_method != JacobianPenaltyMethod::closed_form && grad_mode_enabled();
  ContractiveAutoencoderOutput output;
  if (penalty_reuses_pass && !input.requires_grad()) {
    input = input.detach();
    input.requires_grad_();
    output.input_is_own_leaf = true;
  }
  output.code = encode(input);
  output.logits = decode_logits(output.code);
  output.reconstruction = reshape(sigmoid(output.logits), x.shape());
  if (penalty_reuses_pass) output.input = input;
  return output;
}

Tensor ContractiveAutoencoder::jacobian_penalty(const Tensor& x, JacobianPenaltyMethod method,
                                                Generator* generator) const {
  const EncoderFunction encoder = [this](const Tensor& input) { return encode(input); };
  switch (method) {
    case JacobianPenaltyMethod::closed_form:
      check_method_fits_body(method, options_.body);
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

ContractiveAutoencoderLoss ContractiveAutoencoder::loss(const Tensor& x, const ContractiveAutoencoderOutput& output,
                                                        Generator* generator) const {
  const Tensor target = flat_input(x);
  const Tensor code = output.code;
  const double inputs = static_cast<double>(input_size_);
  // Both terms are means over the elements times the inputs per example: sums over inputs, means over the batch.
  const Tensor logits = output.logits.defined() ? output.logits : decode_logits(code);
  const Tensor reconstruction =
      options_.reconstruction_loss == ReconstructionLoss::binary_cross_entropy
          ? mean_binary_cross_entropy_with_logits(logits, target) * inputs
          : mean_squared_error(reshape(output.reconstruction, target.shape()), target) * inputs;
  const JacobianPenaltyMethod method = *options_.penalty_method;
  // Every method reuses the forward pass when it can: the closed form its code; the others its code as a
  // function of output.input (a pass made without recording has none, and the encoder runs again on x).
  const bool pass_reusable = output.input.defined() && output.input.requires_grad();
  Tensor penalty;
  if (method == JacobianPenaltyMethod::closed_form)
    penalty = sigmoid_layer_jacobian_penalty(code, encoder_->weight());
  else if (!pass_reusable)
    penalty = jacobian_penalty(x, method, generator);
  else if (method == JacobianPenaltyMethod::double_backward)
    penalty = jacobian_penalty_by_double_backward(code, output.input);
  else {
    check<ValueError>(generator != nullptr, "ContractiveAutoencoder",
                      "the hutchinson penalty needs a generator for its probes");
    penalty = jacobian_penalty_by_hutchinson(code, output.input,
                                             {.draws = options_.hutchinson_draws, .generator = generator});
  }
  if (pass_reusable && output.input_is_own_leaf) {
    Tensor own_leaf = output.input;  // a handle to the same leaf
    own_leaf.requires_grad_(false);
  }
  return {.total = reconstruction + options_.penalty_weight * penalty,
          .reconstruction = reconstruction,
          .penalty = penalty};
}

}  // namespace lg::nn
