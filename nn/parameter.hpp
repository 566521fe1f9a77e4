// Parameter: a trainable tensor, i.e. a float leaf that requires grad. Every
// module turns tensors into parameters through make_parameter() and keeps them
// as Parameter entries, so this is the one place where a parameter can later
// carry more than its tensor (a manifold::Manifold, Euclidean by default).
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg::nn {

struct Parameter {
  Tensor tensor;  // a leaf with requires_grad
};

// A parameter holding `data`'s values: `data` itself when it is already a
// leaf, else a detached handle to the same storage; requires_grad is set.
// Throws DTypeError (naming `owner`) for int64 data, ValueError when undefined.
Parameter make_parameter(const Tensor& data, std::string_view owner);

// What Module::named_parameters() returns and optimisers take: dotted names
// ("encoder.0.weight") with their tensors, in a deterministic order.
using NamedParameters = std::vector<std::pair<std::string, Tensor>>;

}  // namespace lg::nn
