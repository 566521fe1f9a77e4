// Parameter: a trainable tensor, i.e. a float leaf that requires grad, and the
// manifold it lives on (manifold::Euclidean unless set otherwise). Every module
// turns tensors into parameters through make_parameter() and keeps them as
// Parameter entries; Module::named_parameters() hands them on, so a manifold set
// on a module's parameter (Module::set_manifold) reaches the optimiser, which
// refuses a manifold it cannot step on (Note [parameter groups] in docs/notes.md).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autograd/tensor.hpp"
#include "manifold/manifold.hpp"

namespace lg::nn {

// A trainable tensor together with the manifold it lives on.
struct Parameter {
  // Implicit from a tensor, so a hand-made list {{"w", w}} names Euclidean parameters.
  Parameter(Tensor value, std::shared_ptr<const manifold::Manifold> on = manifold::euclidean())
      : tensor(std::move(value)), manifold(std::move(on)) {}

  Tensor tensor;  // a leaf with requires_grad
  std::shared_ptr<const manifold::Manifold> manifold;  // never null in a module
};

// A parameter holding `data`'s values: `data` itself when it is already a
// leaf, else a detached handle to the same storage; requires_grad is set.
// Throws DTypeError (naming `owner`) for int64 data, ValueError when undefined.
Parameter make_parameter(const Tensor& data, std::string_view owner);

// What Module::named_parameters() returns and optimisers take: dotted names
// ("encoder.0.weight") with their parameters, in a deterministic order.
using NamedParameters = std::vector<std::pair<std::string, Parameter>>;

}  // namespace lg::nn
