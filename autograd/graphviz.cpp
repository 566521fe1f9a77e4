#include "autograd/graphviz.hpp"

#include <sstream>
#include <unordered_map>
#include <vector>

#include "autograd/node.hpp"

namespace lg {

std::string to_dot(const Tensor& output) {
  std::ostringstream dot;
  dot << "digraph autograd {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=10];\n";
  if (!output.defined() || !output.requires_grad()) {
    dot << "  constant [label=\"no graph: the tensor does not require grad\"];\n}\n";
    return dot.str();
  }
  const auto root = gradient_edge(output);
  std::unordered_map<const Node*, int> ids;
  std::vector<const Node*> stack{root.get()};
  ids[root.get()] = 0;
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    const int id = ids[node];
    const bool leaf = dynamic_cast<const AccumulateGrad*>(node) != nullptr;
    dot << "  n" << id << " [label=\"" << (leaf ? "leaf" : node->name()) << "\\n"
        << shape_str(node->output_shape()) << ' ' << node->output_dtype() << "\", shape="
        << (leaf ? "ellipse, style=filled, fillcolor=lightblue" : "box") << "];\n";
    for (const auto& child : node->next()) {
      if (!child) continue;
      auto [it, inserted] = ids.try_emplace(child.get(), static_cast<int>(ids.size()));
      if (inserted) stack.push_back(child.get());
      dot << "  n" << it->second << " -> n" << id << ";\n";
    }
  }
  dot << "  output [label=\"output " << shape_str(output.shape()) << "\", shape=plaintext];\n  n0 -> output;\n}\n";
  return dot.str();
}

}  // namespace lg
