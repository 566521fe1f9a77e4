// Contractive autoencoder (Rifai, Vincent, Muller, Glorot, Bengio, ICML 2011,
// "Contractive auto-encoders: explicit invariance during feature extraction"):
// an autoencoder whose encoder is pushed to be locally flat, so the code is
// insensitive to small moves of the input off the data. Two bodies:
//
//   sigmoid_layer (the default, the paper's model):
//     encoder  h = f(x) = sigmoid(W x + b)         [B, N] -> code [B, K]
//     decoder  r = g(h) = sigmoid(W' h + c)        -> reconstruction [B, N]
//              with tied weights W' = W^T (the default, as in the paper: one
//              parameter W serves both), or an untied W' of its own.
//   conv (ConvAutoencoder, nn/autoencoders/conv_autoencoder.hpp, as a submodule
//   "conv", always untied):
//     encoder  h = f(x): Conv2d(k4, s2, p1) + ReLU twice, Flatten, Linear -> code [B, K]
//     decoder  r = g(h) = sigmoid(logits): Linear + ReLU, Unflatten, ConvTranspose2d
//              + ReLU, ConvTranspose2d -> logits, N = in_channels * image_size^2 values.
//
// The objective, averaged over the batch, is the paper's term by term for both:
//   L(x) = reconstruction(x, r) + lambda ||J_f(x)||_F^2,
//   reconstruction = cross-entropy summed over the N inputs,
//                      -sum_i [x_i log r_i + (1 - x_i) log(1 - r_i)]
//                    (computed from the decoder's logits, stably), or
//                    squared error summed over the inputs, sum_i (x_i - r_i)^2;
//   ||J_f(x)||_F^2 = sum_ji (d h_j / d x_i)^2, the squared Frobenius norm of the
//                    encoder's Jacobian [K, N] at x, computed
//                    closed_form      sum_j (h_j (1 - h_j))^2 sum_i W_ji^2 (eq. 5 of
//                                     the paper): the sigmoid layer only;
//                    double_backward  exactly, K recorded backward passes: any body;
//                    hutchinson       unbiased estimate, one backward pass per draw:
//                                     any body (nn/jacobian_penalty.hpp says how).
// The default method is the body's cheapest exact one: closed_form for the sigmoid
// layer, double_backward for conv (its default code is 16-d, so 16 backward passes).
// Summing over inputs rather than averaging keeps lambda on the paper's scale.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>

#include "autograd/random.hpp"
#include "nn/autoencoders/autoencoder_output.hpp"
#include "nn/autoencoders/conv_autoencoder.hpp"
#include "nn/jacobian_penalty.hpp"
#include "nn/linear.hpp"
#include "nn/module.hpp"

namespace lg::nn {

// How the contractive penalty ||J_f(x)||_F^2 is computed; all three have the same value (Hutchinson's in expectation).
enum class JacobianPenaltyMethod { closed_form, double_backward, hutchinson };

// The reconstruction term of ContractiveAutoencoder's objective, summed over inputs.
enum class ReconstructionLoss { binary_cross_entropy, squared_error };

// The encoder and decoder of a ContractiveAutoencoder: Rifai et al.'s one sigmoid layer, or ConvAutoencoder's stacks.
enum class ContractiveBody { sigmoid_layer, conv };

// Body, sizes and objective of ContractiveAutoencoder. input_size, code_size, tied_weights, dtype and
// generator are the sigmoid layer's; the conv body takes all of its sizes, dtype and generator from `conv`
// and ignores them (it is always untied).
struct ContractiveAutoencoderOptions {
  // Which body to build.
  ContractiveBody body = ContractiveBody::sigmoid_layer;
  // Values per input example (784 for 28x28 images); sigmoid layer only.
  std::int64_t input_size = 784;
  // Width of the code, the sigmoid layer's outputs; sigmoid layer only.
  std::int64_t code_size = 512;
  // Whether the decoder's weight is the encoder's transposed (one parameter), as in Rifai et al.; sigmoid layer only.
  bool tied_weights = true;
  // lambda, the weight of the penalty; not negative.
  double penalty_weight = 0.1;
  // How the penalty is computed; unset: closed_form for the sigmoid layer, double_backward for conv.
  // closed_form with the conv body is a ValueError (eq. 5 holds for one sigmoid layer only).
  std::optional<JacobianPenaltyMethod> penalty_method = std::nullopt;
  // Probes per example for the Hutchinson method; positive.
  int hutchinson_draws = 1;
  // The reconstruction term.
  ReconstructionLoss reconstruction_loss = ReconstructionLoss::binary_cross_entropy;
  // The conv body's sizes, dtype and generator (body == conv only); its code is conv.code_size wide.
  ConvAutoencoderOptions conv = {};
  // Dtype of the parameters; inputs must match it; sigmoid layer only.
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial weights; sigmoid layer only
};

// The objective's value and its two terms, each averaged over the batch.
struct ContractiveAutoencoderLoss {
  Tensor total = {};           // reconstruction + penalty_weight * penalty
  Tensor reconstruction = {};  // summed over inputs
  Tensor penalty = {};         // ||J_f(x)||_F^2, without the weight
};

// AutoencoderOutput plus what loss() reuses from the forward pass, so it runs neither stack twice.
struct ContractiveAutoencoderOutput : AutoencoderOutput {
  Tensor logits = {};  // the decoder's pre-sigmoid values, [B, N]
  Tensor input = {};   // double_backward / hutchinson while recording: x as [B, N], requiring grad, that
                       // the code was computed from (the penalty differentiates the code with respect to it)
  // Whether forward() made `input` itself, a leaf, because x did not require grad. loss() then turns its
  // requires_grad off once the penalty is built, so backward() computes no gradient for x, which
  // nobody asked for (it costs a GEMM the size of the encoder's).
  bool input_is_own_leaf = false;
};

// An encoder and decoder (a sigmoid layer, tied by default, or the conv stacks) trained with the
// contractive penalty, as laid out above.
class ContractiveAutoencoder : public Module {
 public:
  // Builds the body; throws ValueError naming the option on non-positive sizes, a negative
  // penalty_weight, non-positive hutchinson_draws or closed_form with the conv body.
  explicit ContractiveAutoencoder(const ContractiveAutoencoderOptions& options = {});

  // x: [B, N] or images [B, C, H, W] with N = C H W values each (reshaped as the body needs);
  // the reconstruction comes back in the shape of x.
  ContractiveAutoencoderOutput forward(const Tensor& x) const;
  // The code f(x), [B, K] (sigmoid layer: sigmoid(x W^T + b)); throws ShapeError unless x holds N values per example.
  Tensor encode(const Tensor& x) const;
  // The decoder's pre-sigmoid values, [B, N] flattened for either body, for a code [B, K].
  Tensor decode_logits(const Tensor& code) const;
  // The reconstruction sigmoid(decode_logits(code)), in [0, 1], [B, N].
  Tensor decode(const Tensor& code) const;
  // The objective and its terms for x and forward(x), reusing the pass's logits and (double_backward,
  // hutchinson) its differentiable input; Hutchinson's probes come from `generator` (ValueError when null).
  ContractiveAutoencoderLoss loss(const Tensor& x, const ContractiveAutoencoderOutput& output,
                                  Generator* generator = nullptr) const;
  // The penalty ||J_f(x)||_F^2 averaged over the batch, by `method`, for the encoder as it is now;
  // ValueError for closed_form with the conv body.
  Tensor jacobian_penalty(const Tensor& x, JacobianPenaltyMethod method, Generator* generator = nullptr) const;

  // W, [code_size, input_size]: the sigmoid layer's weight, and the decoder's transposed when tied;
  // ValueError for the conv body, which has no single encoder weight.
  const Tensor& encoder_weight() const;
  // Values per input example, N (conv body: in_channels * image_size^2).
  std::int64_t input_size() const { return input_size_; }
  // Width of the code, K (conv body: conv.code_size).
  std::int64_t code_size() const { return code_size_; }
  // The options the model was built with, penalty_method set to the method in use.
  const ContractiveAutoencoderOptions& options() const { return options_; }

 private:
  // x as [B, input_size]; ShapeError unless it holds input_size values per example.
  Tensor flat_input(const Tensor& x) const;

  ContractiveAutoencoderOptions options_;
  std::int64_t input_size_ = 0;
  std::int64_t code_size_ = 0;
  std::shared_ptr<Linear> encoder_;        // sigmoid layer only
  std::shared_ptr<Linear> decoder_;        // sigmoid layer, untied only
  Tensor decoder_bias_;                    // sigmoid layer, tied only: c
  std::shared_ptr<ConvAutoencoder> conv_;  // conv body only
};

}  // namespace lg::nn
