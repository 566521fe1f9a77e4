// The graph behind a tensor as Graphviz DOT text: one box per op with its
// output shape and dtype, leaves as ellipses, edges in the direction the
// forward pass ran. `dot -Tpng graph.dot -o graph.png` draws it.
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg {

// A label for one tensor's node in the drawing: a leaf's ellipse reads `name`
// instead of "leaf", an op's box reads "name = op".
struct DotName {
  std::string name;
  Tensor tensor;
};

// The DOT text of the graph that produced `output`. Names of tensors outside
// that graph, or that do not require grad, are ignored.
std::string to_dot(const Tensor& output, const std::vector<DotName>& names = {});

}  // namespace lg
