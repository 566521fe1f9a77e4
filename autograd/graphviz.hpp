// The graph behind a tensor as Graphviz DOT text: one box per op with its
// output shape, leaves as ellipses. `dot -Tpng graph.dot -o graph.png` draws it.
#pragma once
#include <string>

#include "autograd/tensor.hpp"

namespace lg {

std::string to_dot(const Tensor& output);

}  // namespace lg
