// Gradient clipping by the global 2-norm:
//   total = sqrt(sum over parameters of sum(grad^2)), accumulated in float64
//   if total > max_norm: every grad <- grad * max_norm / (total + 1e-6)
// (the 1e-6 as PyTorch, so the clipped norm lands just below max_norm).
// Parameters without a gradient are skipped. Returns the norm before clipping;
// a non-finite norm is returned and nothing is scaled.
#pragma once
#include <vector>

#include "nn/parameter.hpp"

namespace lg::optim {

// Clips the gradients of a list of tensors in place and returns the norm before clipping; throws
// ValueError on max_norm < 0 or an undefined tensor, DTypeError on a non-floating gradient.
double clip_grad_norm(const std::vector<Tensor>& parameters, double max_norm);
// The same for named parameters.
double clip_grad_norm(const nn::NamedParameters& parameters, double max_norm);

}  // namespace lg::optim
