// Denoising autoencoder (Vincent, Larochelle, Bengio and Manzagol, 2008;
// Vincent et al., 2010): an autoencoder trained to reconstruct the clean input
// from a corrupted copy, so it must learn the data's structure rather than the
// identity map. One training example's objective is
//   L(x) = l(x, g(f(x~))),   x~ ~ q(x~ | x) the corruption (nn/corruption.hpp),
// where f, g and the reconstruction loss l are the body's own:
//   mlp   MlpAutoencoder, l = mean squared error  mean_i (x_i - g(f(x~))_i)^2
//   conv  ConvAutoencoder, l = mean binary cross-entropy from the logits
// The loss is against the clean x, never the corrupted x~. The code returned is
// f(x~), the code of the corrupted input; forward_clean gives f(x) and g(f(x))
// for evaluation and analysis, with no noise.
#pragma once
#include <memory>

#include "autograd/random.hpp"
#include "nn/autoencoders/conv_autoencoder.hpp"
#include "nn/autoencoders/mlp_autoencoder.hpp"
#include "nn/corruption.hpp"
#include "nn/module.hpp"

namespace lg::nn {

// Which autoencoder a DenoisingAutoencoder trains.
enum class DenoisingBody { mlp, conv };

// A DenoisingAutoencoder's body (its options taken from mlp or conv) and corruption.
struct DenoisingAutoencoderOptions {
  // Which body to build.
  DenoisingBody body = DenoisingBody::mlp;
  // The body's sizes when body == mlp.
  MlpAutoencoderOptions mlp = {};
  // The body's sizes when body == conv.
  ConvAutoencoderOptions conv = {};
  // The corruption applied in forward (not in forward_clean).
  CorruptionOptions corruption = {};
};

// AutoencoderOutput of the corrupted input, plus the corrupted input and (conv body) the decoder's logits.
struct DenoisingAutoencoderOutput : AutoencoderOutput {
  Tensor corrupted = {};  // x~, the input the encoder saw
  Tensor logits = {};     // conv body only: the logits the BCE loss is computed from
};

// A denoising autoencoder with an MLP or conv body, as laid out above.
class DenoisingAutoencoder : public Module {
 public:
  // Builds the body; throws ValueError naming the option on a bad corruption level or body size.
  explicit DenoisingAutoencoder(const DenoisingAutoencoderOptions& options = {});

  // Corrupts x with noise from generator, then encodes and decodes the corrupted copy.
  DenoisingAutoencoderOutput forward(const Tensor& x, Generator& generator) const;
  // Encodes and decodes x itself, without corruption (for evaluation).
  DenoisingAutoencoderOutput forward_clean(const Tensor& x) const;
  // The code of x, uncorrupted.
  Tensor encode(const Tensor& x) const;
  // The reconstruction, in [0, 1], of a code.
  Tensor decode(const Tensor& code) const;
  // The body's reconstruction loss of output against the clean input x.
  Tensor loss(const Tensor& x, const DenoisingAutoencoderOutput& output) const;

  // The options the model was built with.
  const DenoisingAutoencoderOptions& options() const { return options_; }

 private:
  DenoisingAutoencoderOutput reconstruct(const Tensor& input) const;

  DenoisingAutoencoderOptions options_;
  std::shared_ptr<MlpAutoencoder> mlp_;    // set when the body is mlp
  std::shared_ptr<ConvAutoencoder> conv_;  // set when the body is conv
};

}  // namespace lg::nn
