// The backward engine. grad() is the functional core; Tensor::backward() is a
// thin wrapper that accumulates into leaves' .grad.
#pragma once
#include <vector>

#include "autograd/tensor.hpp"

namespace lg {

// Options of grad() and backward().
struct GradOptions {
  // Record the backward itself, so the gradients can be differentiated again.
  bool create_graph = false;
  // Keep the graph's saved tensors for another backward (always kept with create_graph).
  bool retain_graph = false;
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
