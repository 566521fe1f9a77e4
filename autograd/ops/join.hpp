// Joining tensors: cat along an existing dim, stack along a new one.
#pragma once
#include <vector>

#include "autograd/tensor.hpp"

namespace lg {

Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim = 0);

}  // namespace lg
