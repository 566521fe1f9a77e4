// Input corruptions for the denoising autoencoder (Vincent et al., 2008, 2010,
// section 4.2 of the 2010 paper), each a random map x -> x~ with one level:
//   gaussian         x~ = x + sigma * n,  n ~ N(0, 1) per element (level = sigma >= 0)
//   masking          x~_i = 0 with probability p, else x_i           (level = p in [0, 1])
//   salt_and_pepper  x~_i = 0 or 1 (equally likely) with probability p, else x_i   (level = p)
// The noise is drawn from the generator passed in, so the same seed gives the
// same corrupted bits. The noise is not differentiated: x~ depends on x only
// through the kept pixels (masking, salt-and-pepper) or by addition (gaussian).
#pragma once
#include <string_view>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg::nn {

// Which corruption corrupt() applies; none returns the input unchanged.
enum class CorruptionKind { none, gaussian, masking, salt_and_pepper };

// A corruption and its level: sigma for gaussian, the corrupted fraction p for masking and salt_and_pepper.
struct CorruptionOptions {
  // The kind of noise.
  CorruptionKind kind = CorruptionKind::masking;
  // sigma (gaussian, >= 0) or p (masking, salt_and_pepper, in [0, 1]).
  double level = 0.25;
};

// The name of a corruption kind ("gaussian", "masking", ...), for messages and checkpoints.
const char* corruption_name(CorruptionKind kind);

// Throws ValueError, its message starting with `owner`, unless the level suits the kind (sigma >= 0, p in [0, 1]).
void check_corruption(const CorruptionOptions& options, std::string_view owner = "corrupt");

// x corrupted as options say, noise drawn from generator; x itself is left unchanged.
Tensor corrupt(const Tensor& x, const CorruptionOptions& options, Generator& generator);

}  // namespace lg::nn
