#include "autograd/graphviz.hpp"

#include <sstream>
#include <unordered_map>
#include <vector>

#include "autograd/node.hpp"

namespace lg {

namespace {

// Inside a DOT string, a quote or a backslash would end or escape the label.
std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string to_dot(const Tensor& output, const std::vector<DotName>& names) {
  std::ostringstream dot;
  dot << "digraph autograd {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=10];\n";
  if (!output.defined() || !output.requires_grad()) {
    dot << "  constant [label=\"no graph: the tensor does not require grad\"];\n}\n";
    return dot.str();
  }
  // A tensor's node is its grad_fn, or for a leaf its accumulator, which the graph's nodes share.
  // The handles are kept until the end, so an accumulator made here lives while it is looked up.
  std::vector<std::shared_ptr<Node>> named_nodes;
  std::unordered_map<const Node*, std::string> name_of;
  for (const DotName& entry : names) {
    if (!entry.tensor.defined() || !entry.tensor.requires_grad()) continue;
    named_nodes.push_back(gradient_edge(entry.tensor));
    name_of.emplace(named_nodes.back().get(), entry.name);
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
    const auto name = name_of.find(node);
    std::string label = leaf ? "leaf" : node->name();
    if (name != name_of.end()) label = leaf ? name->second : name->second + " = " + node->name();
    dot << "  n" << id << " [label=\"" << escaped(label) << "\\n" << shape_str(node->output_shape()) << ' '
        << node->output_dtype() << "\", shape=" << (leaf ? "ellipse, style=filled, fillcolor=lightblue" : "box")
        << "];\n";
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
