// Joining tensors: cat along an existing dim, stack along a new one.
#pragma once
#include <vector>

#include "autograd/tensor.hpp"

namespace lg {

// The tensors joined end to end along an existing dim; they must match in every other dim.
Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
// The tensors, all of one shape, stacked along a new dim at position dim.
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim = 0);

}  // namespace lg
