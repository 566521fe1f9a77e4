// The backward engine. grad() is the functional core; Tensor::backward() is a
// thin wrapper that accumulates into leaves' .grad.
#pragma once
#include <optional>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg {

struct GradOptions {
  // Keep the graph's saved tensors for another backward; defaults to create_graph.
  std::optional<bool> retain_graph;
  // Record the backward itself, so the gradients can be differentiated again.
  bool create_graph = false;
  // Return an undefined tensor for an input the outputs do not depend on,
  // instead of throwing.
  bool allow_unused = false;
};

// d(sum_i <grad_outputs[i], outputs[i]>)/d(inputs), without touching .grad.
// grad_outputs may be empty when every output has one element (then it is 1).
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {}, const GradOptions& options = {});

// Accumulates into the .grad of every leaf the outputs depend on.
void backward(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs = {},
              const GradOptions& options = {});

}  // namespace lg
