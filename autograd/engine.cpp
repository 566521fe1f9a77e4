// The engine, in three passes, all iterative (no recursion, so a 100,000-op
// chain is fine):
//   1. discover: walk from the roots, count each node's incoming edges;
//   2. prune: keep the nodes that lie on a path to something we want
//      (the inputs of grad(), or every leaf for backward());
//   3. run: a node runs once all its parents have delivered, its gradients
//      summed in a per-node buffer first. Among ready nodes the most recently
//      created runs first, so the order, and the bits, are reproducible.
#include "autograd/engine.hpp"

#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "autograd/backend/kernels.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/node.hpp"
#include "autograd/ops/arithmetic.hpp"

namespace lg {
namespace {

struct LaterFirst {
  bool operator()(const Node* a, const Node* b) const { return a->sequence_number() < b->sequence_number(); }
};

void check_gradient(const Node& node, std::size_t input, const Tensor& grad) {
  const Shape& expected = node.input_shapes()[input];
  if (grad.shape() != expected)
    throw InternalError(detail::concat("internal error: backward of '", node.name(), "' returned a gradient of shape ",
                                       shape_str(grad.shape()), " for input ", input, " of shape ",
                                       shape_str(expected)));
  if (anomaly_mode_enabled() && grad.is_floating_point() && !kernel::all_finite(grad))
    fail<ValueError>(node.name(), "non-finite value (NaN or Inf) in the gradient for input ", input, " of shape ",
                     shape_str(expected), " (computed in backward)");
}

// The sum of gradients arriving at one node.
void accumulate(Tensor& buffer, const Tensor& grad) { buffer = buffer.defined() ? buffer + grad : grad; }

struct Run {
  // For grad(): the nodes whose incoming gradient is wanted, and where it goes.
  std::unordered_map<const Node*, std::vector<std::size_t>> targets;
  bool accumulate_into_leaves = false;
  bool keep_graph = false;
};

std::vector<Tensor> execute(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs,
                            std::size_t input_count, const Run& run, std::string_view op) {
  check<ValueError>(!outputs.empty(), op, "no outputs given");
  check<ValueError>(grad_outputs.empty() || grad_outputs.size() == outputs.size(), op, outputs.size(),
                    " outputs but ", grad_outputs.size(), " grad_outputs");
  std::vector<std::shared_ptr<Node>> roots;
  std::vector<Tensor> seeds;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    check<ValueError>(out.defined(), op, "output ", i, " is undefined");
    check<ValueError>(out.requires_grad(), op, "output ", i, " of shape ", shape_str(out.shape()),
                      " does not require grad (it depends on no tensor with requires_grad)");
    Tensor seed;
    if (grad_outputs.empty() || !grad_outputs[i].defined()) {
      check<ShapeError>(out.numel() == 1, op, "grad can be implicitly created only for outputs with one element, "
                        "output ", i, " has shape ", shape_str(out.shape()), "; pass grad_outputs");
      seed = ones_like(out);
    } else {
      seed = grad_outputs[i];
      check<ShapeError>(seed.shape() == out.shape(), op, "grad_output ", i, " has shape ", shape_str(seed.shape()),
                        " but output ", i, " has shape ", shape_str(out.shape()));
      check<DTypeError>(seed.dtype() == out.dtype(), op, "grad_output ", i, " has dtype ", seed.dtype(),
                        " but output ", i, " has dtype ", out.dtype());
    }
    roots.push_back(gradient_edge(out));
    seeds.push_back(seed);
  }

  // 1. discover, counting incoming edges
  std::unordered_map<const Node*, int> dependencies;
  std::vector<Node*> order;  // discovery order, for pruning
  {
    std::vector<Node*> stack;
    std::unordered_set<const Node*> seen;
    for (auto& root : roots)
      if (seen.insert(root.get()).second) stack.push_back(root.get());
    while (!stack.empty()) {
      Node* node = stack.back();
      stack.pop_back();
      order.push_back(node);
      for (const auto& child : node->next()) {
        if (!child) continue;
        ++dependencies[child.get()];
        if (seen.insert(child.get()).second) stack.push_back(child.get());
      }
    }
  }

  // 2. prune: a node is needed if it is wanted or a child is needed. Children
  // come after parents in topological order, so sweep in reverse topological order.
  std::unordered_map<const Node*, bool> needed;
  {
    std::unordered_map<const Node*, int> remaining = dependencies;
    std::vector<Node*> topological;
    std::vector<Node*> ready;
    std::unordered_set<const Node*> pushed;
    for (auto& root : roots)
      if (remaining[root.get()] == 0 && pushed.insert(root.get()).second) ready.push_back(root.get());
    while (!ready.empty()) {
      Node* node = ready.back();
      ready.pop_back();
      topological.push_back(node);
      for (const auto& child : node->next())
        if (child && --remaining[child.get()] == 0) ready.push_back(child.get());
    }
    for (auto it = topological.rbegin(); it != topological.rend(); ++it) {
      const Node* node = *it;
      bool wanted = run.targets.count(node) > 0 ||
                    (run.accumulate_into_leaves && dynamic_cast<const AccumulateGrad*>(node) != nullptr);
      for (const auto& child : node->next()) wanted = wanted || (child && needed[child.get()]);
      needed[node] = wanted;
    }
  }

  // 3. run
  std::vector<Tensor> results(input_count);
  std::unordered_map<const Node*, Tensor> buffers;
  std::priority_queue<Node*, std::vector<Node*>, LaterFirst> ready;
  for (std::size_t i = 0; i < roots.size(); ++i) accumulate(buffers[roots[i].get()], seeds[i]);
  {
    std::unordered_set<const Node*> pushed;
    for (auto& root : roots)
      if (dependencies[root.get()] == 0 && pushed.insert(root.get()).second) ready.push(root.get());
  }
  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    auto found = buffers.find(node);
    Tensor grad;
    if (found != buffers.end()) {
      grad = std::move(found->second);
      buffers.erase(found);
    }
    const bool is_leaf_node = dynamic_cast<AccumulateGrad*>(node) != nullptr;
    Grads child_grads;
    if (grad.defined() && needed[node]) {
      grad = node->run_pre_hooks(std::move(grad));
      if (is_leaf_node) grad = static_cast<AccumulateGrad*>(node)->run_leaf_hooks(std::move(grad));
      auto wanted = run.targets.find(node);
      if (wanted != run.targets.end())
        for (std::size_t slot : wanted->second) results[slot] = grad;
      bool children_needed = false;
      for (const auto& child : node->next()) children_needed = children_needed || (child && needed[child.get()]);
      if (is_leaf_node && run.accumulate_into_leaves) {
        static_cast<AccumulateGrad*>(node)->accumulate(std::move(grad));
      } else if (children_needed) {
        child_grads = node->apply(grad);
        grad = Tensor{};
        check<InternalError>(child_grads.size() == node->next().size(), node->name(),
                             "internal error: backward returned ", child_grads.size(), " gradients for ",
                             node->next().size(), " inputs");
      }
      if (!run.keep_graph && !is_leaf_node) node->release();
    }
    for (std::size_t i = 0; i < node->next().size(); ++i) {
      Node* child = node->next()[i].get();
      if (!child) continue;
      if (i < child_grads.size() && child_grads[i].defined() && needed[child]) {
        check_gradient(*node, i, child_grads[i]);
        accumulate(buffers[child], child_grads[i]);
      }
      if (--dependencies[child] == 0) ready.push(child);
    }
  }
  return results;
}

}  // namespace

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, const GradOptions& options) {
  Run run;
  run.keep_graph = options.retain_graph || options.create_graph;
  std::vector<std::shared_ptr<Node>> keep_alive;  // accumulators created here for unused leaves
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& input = inputs[i];
    check<ValueError>(input.defined(), "grad", "input ", i, " is undefined");
    check<ValueError>(input.requires_grad(), "grad", "input ", i, " of shape ", shape_str(input.shape()),
                      " does not require grad");
    keep_alive.push_back(gradient_edge(input));
    run.targets[keep_alive.back().get()].push_back(i);
  }
  std::vector<Tensor> results;
  {
    std::optional<NoGradGuard> no_grad;
    std::optional<EnableGradGuard> with_grad;
    if (options.create_graph) with_grad.emplace();
    else no_grad.emplace();
    results = execute(outputs, grad_outputs, inputs.size(), run, "grad");
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].defined() && !options.allow_unused)
      fail<ValueError>("grad", "input ", i, " of shape ", shape_str(inputs[i].shape()),
                       " was not used to compute the outputs (pass allow_unused = true to get an undefined tensor)");
  }
  return results;
}

void backward(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs, const GradOptions& options) {
  Run run;
  run.keep_graph = options.retain_graph || options.create_graph;
  run.accumulate_into_leaves = true;
  std::optional<NoGradGuard> no_grad;
  std::optional<EnableGradGuard> with_grad;
  if (options.create_graph) with_grad.emplace();
  else no_grad.emplace();
  execute(outputs, grad_outputs, 0, run, "backward");
}

}  // namespace lg
