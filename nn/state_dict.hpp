// StateDict: a model's (or an optimiser's) tensors by dotted name. A std::map,
// so iteration, and therefore every file written from it, follows name order
// and is deterministic. Checkpoints (nn/checkpoint.hpp) save and load this type.
// One checkpoint often holds several state dicts (a model's, its optimiser's, a
// loader's), each under its own prefix: "model.encoder.0.weight",
// "optimizer.group.0.lr"; with_prefix and strip_prefix put them in and take
// them out.
#pragma once
#include <map>
#include <string>

#include "autograd/tensor.hpp"

namespace lg::nn {

// Tensors by dotted name, in name order.
using StateDict = std::map<std::string, Tensor>;

// The same entries with `prefix` put in front of every name ("model." + "encoder.0.weight").
inline StateDict with_prefix(const std::string& prefix, const StateDict& state) {
  StateDict out;
  for (const auto& [name, tensor] : state) out[prefix + name] = tensor;
  return out;
}

// The entries whose names start with `prefix`, with the prefix taken off; the others are left out.
inline StateDict strip_prefix(const std::string& prefix, const StateDict& state) {
  StateDict out;
  for (const auto& [name, tensor] : state)
    if (name.starts_with(prefix)) out[name.substr(prefix.size())] = tensor;
  return out;
}

}  // namespace lg::nn
