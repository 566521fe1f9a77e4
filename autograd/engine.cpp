// The engine, in three passes after checking its arguments (roots_of), all
// iterative (no recursion, so a 100,000-op chain is fine):
//   1. discover (count_dependencies): walk from the roots, count each node's
//      incoming edges;
//   2. prune (needed_nodes): keep the nodes that lie on a path to something we
//      want (the inputs of grad(), or every leaf that still requires grad for
//      backward());
//   3. run (run_graph, run_node): a node runs once all its parents have
//      delivered, its gradients summed in a per-node buffer first. Among ready
//      nodes the most recently created runs first, so the order, and the bits,
//      are reproducible.
#include "autograd/engine.hpp"

#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "autograd/backend/kernels.hpp"
#include "autograd/factory.hpp"
#include "autograd/forward_mode.hpp"
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

// Whether buffer + grad may be written into buffer: not while recording (create_graph) or carrying
// tangents (forward over reverse: the sum's tangent is an op's too), and only when the engine holds the
// sole reference to buffer and its memory (nobody can see the change) and the sum has buffer's own
// shape, dtype, device and layout. Saves a new tensor per sum, as torch does.
bool can_add_in_place(const Tensor& buffer, const Tensor& grad) {
  const bool recording = grad_mode_enabled() || buffer.requires_grad() || has_tangents(buffer) || has_tangents(grad);
  const bool only_ours = buffer.impl().use_count() == 1 && buffer.impl()->storage.use_count() == 1;
  return !recording && only_ours && buffer.is_contiguous() && buffer.shape() == grad.shape() &&
         buffer.dtype() == grad.dtype() && buffer.device() == grad.device();
}

// The sum of gradients arriving at one node.
void accumulate(Tensor& buffer, const Tensor& grad) {
  if (!buffer.defined()) buffer = grad;
  else if (can_add_in_place(buffer, grad)) buffer.add_(grad);
  else buffer = buffer + grad;
}

struct Run {
  // For grad(): the nodes whose incoming gradient is wanted, and where it goes.
  std::unordered_map<const Node*, std::vector<std::size_t>> targets;
  bool accumulate_into_leaves = false;
  bool keep_graph = false;
};

// Where the walk starts: one root node per output, and the gradient it is seeded with.
struct Roots {
  std::vector<std::shared_ptr<Node>> nodes;
  std::vector<Tensor> seeds;
};

// The incoming-edge count of every node reachable from the roots.
using Dependencies = std::unordered_map<const Node*, int>;
// The nodes on a path to something the run wants.
using Needed = std::unordered_set<const Node*>;

// Checks the outputs and grad_outputs, and pairs each output's node with its seed: the given
// grad_output, or 1 for a one-element output.
Roots roots_of(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs, std::string_view op) {
  check<ValueError>(!outputs.empty(), op, "no outputs given");
  check<ValueError>(grad_outputs.empty() || grad_outputs.size() == outputs.size(), op, outputs.size(),
                    " outputs but ", grad_outputs.size(), " grad_outputs");
  Roots roots;
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
    roots.nodes.push_back(gradient_edge(out));
    roots.seeds.push_back(seed);
  }
  return roots;
}

// 1. discover: walk from the roots, counting each node's incoming edges.
Dependencies count_dependencies(const std::vector<std::shared_ptr<Node>>& roots) {
  Dependencies dependencies;
  std::vector<Node*> stack;
  std::unordered_set<const Node*> seen;
  for (const auto& root : roots)
    if (seen.insert(root.get()).second) stack.push_back(root.get());
  while (!stack.empty()) {
    Node* node = stack.back();
    stack.pop_back();
    for (const auto& child : node->next()) {
      if (!child) continue;
      ++dependencies[child.get()];
      if (seen.insert(child.get()).second) stack.push_back(child.get());
    }
  }
  return dependencies;
}

// The roots no edge reaches, each once: the nodes ready before any has run.
std::vector<Node*> starting_nodes(const std::vector<std::shared_ptr<Node>>& roots, const Dependencies& dependencies) {
  std::vector<Node*> start;
  std::unordered_set<const Node*> pushed;
  for (const auto& root : roots)
    if (!dependencies.contains(root.get()) && pushed.insert(root.get()).second) start.push_back(root.get());
  return start;
}

// 2. prune: a node is needed if it is wanted or a child is needed. Children come after parents in
// topological order, so sweep in reverse topological order.
Needed needed_nodes(const std::vector<std::shared_ptr<Node>>& roots, const Dependencies& dependencies,
                    const Run& run) {
  Dependencies remaining = dependencies;
  std::vector<Node*> topological;
  std::vector<Node*> ready = starting_nodes(roots, dependencies);
  while (!ready.empty()) {
    Node* node = ready.back();
    ready.pop_back();
    topological.push_back(node);
    for (const auto& child : node->next())
      if (child && --remaining[child.get()] == 0) ready.push_back(child.get());
  }
  Needed needed;
  for (auto it = topological.rbegin(); it != topological.rend(); ++it) {
    const Node* node = *it;
    const auto* accumulator = dynamic_cast<const AccumulateGrad*>(node);
    bool wanted = run.targets.contains(node) ||
                  (run.accumulate_into_leaves && accumulator != nullptr && accumulator->leaf_requires_grad());
    for (const auto& child : node->next()) wanted = wanted || (child && needed.contains(child.get()));
    if (wanted) needed.insert(node);
  }
  return needed;
}

// Runs one needed node on the sum of its incoming gradients: the hooks, then the gradient goes to
// grad()'s results if wanted there, into .grad for a leaf under backward(), or through the node's
// backward when a child needs it. Returns the gradients for the node's inputs (none for a leaf).
Grads run_node(Node& node, Tensor grad, const Needed& needed, const Run& run, std::vector<Tensor>& results) {
  auto* leaf = dynamic_cast<AccumulateGrad*>(&node);
  grad = node.run_pre_hooks(std::move(grad));
  if (leaf) grad = leaf->run_leaf_hooks(std::move(grad));
  if (auto wanted = run.targets.find(&node); wanted != run.targets.end())
    for (std::size_t slot : wanted->second) results[slot] = grad;
  // Only the inputs on a path to something wanted get a gradient: grad(y, {x}) through a Linear computes
  // dy/dx and skips the weight's gradient, which would be thrown away.
  NeedsGrad needs(node.next().size());
  bool children_needed = false;
  for (std::size_t i = 0; i < needs.size(); ++i) {
    const auto& child = node.next()[i];
    needs[i] = child && needed.contains(child.get());
    children_needed = children_needed || needs[i];
  }
  Grads child_grads;
  if (leaf && run.accumulate_into_leaves) {
    leaf->accumulate(std::move(grad));
  } else if (children_needed) {
    child_grads = node.apply(grad, needs);
    grad = Tensor{};
    check<InternalError>(child_grads.size() == node.next().size(), node.name(), "internal error: backward returned ",
                         child_grads.size(), " gradients for ", node.next().size(), " inputs");
  }
  if (!run.keep_graph && !leaf) node.release();
  return child_grads;
}

// 3. run: a node runs once all its parents have delivered, its gradients summed in a per-node
// buffer first; the most recently created ready node runs first. Returns grad()'s results.
std::vector<Tensor> run_graph(const Roots& roots, Dependencies dependencies, const Needed& needed, const Run& run,
                              std::size_t input_count) {
  std::vector<Tensor> results(input_count);
  std::unordered_map<const Node*, Tensor> buffers;
  for (std::size_t i = 0; i < roots.nodes.size(); ++i) accumulate(buffers[roots.nodes[i].get()], roots.seeds[i]);
  std::priority_queue<Node*, std::vector<Node*>, LaterFirst> ready;
  for (Node* node : starting_nodes(roots.nodes, dependencies)) ready.push(node);
  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    Tensor grad;
    if (auto found = buffers.find(node); found != buffers.end()) {
      grad = std::move(found->second);
      buffers.erase(found);
    }
    Grads child_grads;
    if (grad.defined() && needed.contains(node)) child_grads = run_node(*node, std::move(grad), needed, run, results);
    for (std::size_t i = 0; i < node->next().size(); ++i) {
      Node* child = node->next()[i].get();
      if (!child) continue;
      if (i < child_grads.size() && child_grads[i].defined() && needed.contains(child)) {
        check_gradient(*node, i, child_grads[i]);
        accumulate(buffers[child], child_grads[i]);
      }
      if (--dependencies[child] == 0) ready.push(child);
    }
  }
  return results;
}

std::vector<Tensor> execute(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs,
                            std::size_t input_count, const Run& run, std::string_view op) {
  const Roots roots = roots_of(outputs, grad_outputs, op);
  Dependencies dependencies = count_dependencies(roots.nodes);
  const Needed needed = needed_nodes(roots.nodes, dependencies, run);
  return run_graph(roots, std::move(dependencies), needed, run, input_count);
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
