// StateDict: a model's (or an optimiser's) tensors by dotted name. A std::map,
// so iteration, and therefore every file written from it, follows name order
// and is deterministic. Checkpoints (nn/checkpoint.hpp) save and load this type.
#pragma once
#include <map>
#include <string>

#include "autograd/tensor.hpp"

namespace lg::nn {

// Tensors by dotted name, in name order.
using StateDict = std::map<std::string, Tensor>;

}  // namespace lg::nn
