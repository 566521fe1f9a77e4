// Contractive autoencoder (Rifai, Vincent, Muller, Glorot, Bengio, ICML 2011,
// "Contractive auto-encoders: explicit invariance during feature extraction"):
// an autoencoder whose encoder is pushed to be locally flat, so the code is
// insensitive to small moves of the input off the data.
//
//   encoder  h = f(x) = sigmoid(W x + b)           [B, N] -> code [B, K]
//   decoder  r = g(h) = sigmoid(W' h + c)          -> reconstruction [B, N]
//            with tied weights W' = W^T (the default, as in the paper: one
//            parameter W serves both), or an untied W' of its own.
//
// The objective, averaged over the batch, is the paper's term by term:
//   L(x) = reconstruction(x, r) + lambda ||J_f(x)||_F^2,
//   reconstruction = cross-entropy summed over the N inputs,
//                      -sum_i [x_i log r_i + (1 - x_i) log(1 - r_i)]
//                    (computed from the decoder's logits, stably), or
//                    squared error summed over the inputs, sum_i (x_i - r_i)^2;
//   ||J_f(x)||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ji^2 (eq. 5 of the paper),
//                    or computed for the same encoder by double backward or by
//                    Hutchinson's estimate (nn/jacobian_penalty.hpp says how).
// Summing over inputs rather than averaging keeps lambda on the paper's scale.
#pragma once
#include <cstdint>
#include <memory>

#include "autograd/random.hpp"
#include "nn/autoencoders/autoencoder_output.hpp"
#include "nn/jacobian_penalty.hpp"
#include "nn/linear.hpp"
#include "nn/module.hpp"

namespace lg::nn {

// How the contractive penalty ||J_f(x)||_F^2 is computed; all three have the same value (Hutchinson's in expectation).
enum class JacobianPenaltyMethod { closed_form, double_backward, hutchinson };

// The reconstruction term of ContractiveAutoencoder's objective, summed over inputs.
enum class ReconstructionLoss { binary_cross_entropy, squared_error };

// Sizes and objective of ContractiveAutoencoder.
struct ContractiveAutoencoderOptions {
  // Values per input example (784 for 28x28 images).
  std::int64_t input_size = 784;
  // Width of the code, the sigmoid layer's outputs.
  std::int64_t code_size = 512;
  // Whether the decoder's weight is the encoder's transposed (one parameter), as in Rifai et al.
  bool tied_weights = true;
  // lambda, the weight of the penalty; not negative.
  double penalty_weight = 0.1;
  // How the penalty is computed.
  JacobianPenaltyMethod penalty_method = JacobianPenaltyMethod::closed_form;
  // Probes per example for the Hutchinson method; positive.
  int hutchinson_draws = 1;
  // The reconstruction term.
  ReconstructionLoss reconstruction_loss = ReconstructionLoss::binary_cross_entropy;
  // Dtype of the parameters; inputs must match it.
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial weights
};

// The objective's value and its two terms, each averaged over the batch.
struct ContractiveAutoencoderLoss {
  Tensor total = {};           // reconstruction + penalty_weight * penalty
  Tensor reconstruction = {};  // summed over inputs
  Tensor penalty = {};         // ||J_f(x)||_F^2, without the weight
};

// Sigmoid encoder and sigmoid decoder (tied by default) trained with the contractive penalty, as laid out above.
class ContractiveAutoencoder : public Module {
 public:
  // Builds the layers; throws ValueError naming the option on non-positive sizes, a negative
  // penalty_weight or non-positive hutchinson_draws.
  explicit ContractiveAutoencoder(const ContractiveAutoencoderOptions& options = {});

  // x: [B, input_size] or images [B, 1, H, W] (flattened, and reshaped back).
  AutoencoderOutput forward(const Tensor& x) const;
  // The code sigmoid(x W^T + b), [B, code_size]; throws ShapeError unless x holds input_size values per example.
  Tensor encode(const Tensor& x) const;
  // The decoder's pre-sigmoid values W' h + c, [B, input_size], for a code [B, code_size].
  Tensor decode_logits(const Tensor& code) const;
  // The reconstruction sigmoid(decode_logits(code)), in [0, 1].
  Tensor decode(const Tensor& code) const;
  // The objective and its terms for x and forward(x). The cross-entropy decodes output.code once more
  // for its logits; the double-backward and Hutchinson methods run the encoder once more on x; Hutchinson's probes come from `generator` (ValueError when null).
  ContractiveAutoencoderLoss loss(const Tensor& x, const AutoencoderOutput& output,
                                  Generator* generator = nullptr) const;
  // The penalty ||J_f(x)||_F^2 averaged over the batch, by `method`, for the encoder as it is now.
  Tensor jacobian_penalty(const Tensor& x, JacobianPenaltyMethod method, Generator* generator = nullptr) const;

  // W, [code_size, input_size]: the encoder's weight, and the decoder's transposed when tied.
  const Tensor& encoder_weight() const { return encoder_->weight(); }
  // The options the model was built with.
  const ContractiveAutoencoderOptions& options() const { return options_; }

 private:
  // x as [B, input_size]; ShapeError unless it holds input_size values per example.
  Tensor flat_input(const Tensor& x) const;

  ContractiveAutoencoderOptions options_;
  std::shared_ptr<Linear> encoder_;
  std::shared_ptr<Linear> decoder_;  // untied only
  Tensor decoder_bias_;              // tied only: c
};

}  // namespace lg::nn
