// Node: one recorded op in the dynamic graph. Every node has exactly one output
// (multi-output ops are recorded as several nodes), so "the gradient of a
// tensor" and "the gradient flowing into its grad_fn" are the same thing.
//
// Memory rule (Note [memory rule] in docs/notes.md): a node never holds a strong
// reference to its own output. When backward needs the output (exp, sigmoid,
// tanh...), the node keeps a data-only alias and rebuilds the tensor, with
// grad_fn = this node, on use.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg {

using Grads = std::vector<Tensor>;
// needs[i]: whether input i wants a gradient, so backward can skip the others.
using NeedsGrad = std::vector<bool>;

// Forward mode (autograd/forward_mode.hpp): the tangents of an op's inputs, one entry per input, each
// [T, *that input's shape] (T tangents stacked along a leading dim), undefined where the input carries
// none (its tangents are zero).
using Tangents = std::vector<Tensor>;

// An op's forward-mode rule: the output's tangents [T, *output shape] from the inputs' tangents and the
// output, written with differentiable ops (so reverse mode runs over it). It may return a tensor that
// broadcasts to that shape with the same rank (a size-1 dim where the output broadcast an input), or
// an undefined tensor for tangents that are all zero. record() applies it at once and keeps no copy,
// so this is a non-owning reference to a callable (a lambda may capture the op's inputs by reference).
class ForwardRule {
 public:
  using Signature = Tensor(const Tangents& tangents, const Tensor& output);
  // Refers to rule, which must outlive this object (a lambda written in the call to record() does).
  template <class Rule>
    requires(!std::is_same_v<std::remove_cvref_t<Rule>, ForwardRule> &&
             std::is_invocable_r_v<Tensor, const Rule&, const Tangents&, const Tensor&>)
  ForwardRule(const Rule& rule)  // NOLINT(google-explicit-constructor): lambdas convert implicitly
      : rule_(&rule), call_([](const void* r, const Tangents& t, const Tensor& y) -> Tensor {
          return (*static_cast<const Rule*>(r))(t, y);
        }) {}
  // Runs the rule.
  Tensor operator()(const Tangents& tangents, const Tensor& output) const { return call_(rule_, tangents, output); }

 private:
  const void* rule_;
  Tensor (*call_)(const void*, const Tangents&, const Tensor&);
};

// One recorded op: its inputs' gradient edges and the map from its output's gradient to its inputs' gradients.
class Node : public std::enable_shared_from_this<Node> {
 public:
  // grad_output: gradient w.r.t. the output; output: the output (only when the
  // op asked for it to be saved); needs: which inputs want a gradient. Returns
  // one gradient per input, undefined where none flows or none is needed.
  using BackwardFn = std::function<Grads(const Tensor& grad_output, const Tensor& output, const NeedsGrad& needs)>;

  // A node whose input i has shape input_shapes[i] and sends its gradient to next[i] (null: none);
  // counted by debug::live_nodes().
  Node(std::string name, std::vector<std::shared_ptr<Node>> next, std::vector<Shape> input_shapes,
       BackwardFn backward);
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // The op's name, as in error messages ("mul", "AccumulateGrad").
  const std::string& name() const { return name_; }
  // One entry per input: the node that receives that input's gradient, or null.
  const std::vector<std::shared_ptr<Node>>& next() const { return next_; }
  // The shape of each input, one entry per input.
  const std::vector<Shape>& input_shapes() const { return input_shapes_; }
  // The output's shape, set by set_output().
  const Shape& output_shape() const { return output_shape_; }
  // The output's dtype, set by set_output().
  DType output_dtype() const { return output_dtype_; }
  // Creation order; the engine runs later nodes first, which makes it deterministic.
  std::uint64_t sequence_number() const { return sequence_number_; }

  // Runs backward on grad_output: one gradient per input; throws when the node was released.
  Grads apply(const Tensor& grad_output);
  // The same, computing only the gradients of the inputs marked in `needs` (one flag per input; the others
  // come back undefined), as the engine asks when only some inputs lie on a path to what is wanted.
  Grads apply(const Tensor& grad_output, const NeedsGrad& needs);
  // Drops the saved tensors; a later apply() throws.
  void release();

  // Adds a hook run on the gradient of the output before apply(); a defined return value replaces it.
  void add_pre_hook(TensorHook hook) { pre_hooks_.push_back(std::move(hook)); }
  // grad passed through every pre-hook in order, each defined result replacing it.
  Tensor run_pre_hooks(Tensor grad) const;

  // Called by record(): remember the output's metadata and, if asked, its data.
  void set_output(const Tensor& output, bool save_data);
  // Called by record() in forward mode: the saved output (when there is one) carries `tangent`'s
  // values, so a backward pass through this node propagates tangents (forward over reverse).
  void set_output_tangent(const Tensor& tangent);

 protected:
  std::string name_;
  std::vector<std::shared_ptr<Node>> next_;
  std::vector<Shape> input_shapes_;
  BackwardFn backward_;
  std::vector<TensorHook> pre_hooks_;
  Shape output_shape_;
  DType output_dtype_ = DType::float32;
  Tensor saved_output_;  // data-only alias (detail::alias), no grad_fn
  std::uint64_t saved_output_version_ = 0;
  std::uint64_t sequence_number_;
  bool released_ = false;

 private:
  Tensor unpack_output() const;
};

// Receives the gradient of a leaf and adds it to leaf.grad(). The engine calls its two steps
// itself (it never calls apply() or release() on a leaf): the hooks, then accumulate() for
// backward(), or the hooks alone for grad().
class AccumulateGrad : public Node {
 public:
  // The accumulator of leaf, named "AccumulateGrad", with no inputs.
  explicit AccumulateGrad(std::shared_ptr<TensorImpl> leaf);
  // Applies the hooks registered on the leaf tensor itself.
  Tensor run_leaf_hooks(Tensor grad) const;
  // leaf.grad += grad (or = grad the first time).
  void accumulate(Tensor grad);
  // Whether the leaf still requires grad. One turned off after the graph was recorded gets nothing
  // from backward(), which then does not compute its gradient either (torch's AccumulateGrad skips
  // such a leaf too).
  bool leaf_requires_grad() const { return leaf_->requires_grad; }

 private:
  std::shared_ptr<TensorImpl> leaf_;
};

// The node a leaf's gradient goes to (created on first use, cached weakly).
std::shared_ptr<Node> grad_accumulator(const Tensor& leaf);
// The node that receives the gradient of `tensor`: its grad_fn, or its accumulator for a leaf.
std::shared_ptr<Node> gradient_edge(const Tensor& tensor);

// Records `output` as produced by op `name` from `inputs`. Reverse mode: when grad mode is on and some
// input requires grad, a Node with `backward` becomes output's grad_fn. Forward mode: when some input
// carries tangents, `forward` gives the output's tangents. Otherwise returns `output` untouched. Also
// the anomaly-mode check point for forward values.
Tensor record(std::string_view name, Tensor output, std::initializer_list<Tensor> inputs, ForwardRule forward,
              Node::BackwardFn backward, bool save_output = false);
// record() for inputs held in a vector.
Tensor record(std::string_view name, Tensor output, const std::vector<Tensor>& inputs, ForwardRule forward,
              Node::BackwardFn backward, bool save_output = false);
// record() for an op with no forward-mode rule (a user's custom op): an input that carries tangents is
// an error naming the op.
Tensor record(std::string_view name, Tensor output, std::initializer_list<Tensor> inputs, Node::BackwardFn backward,
              bool save_output = false);
// The same for inputs held in a vector.
Tensor record(std::string_view name, Tensor output, const std::vector<Tensor>& inputs, Node::BackwardFn backward,
              bool save_output = false);

// A tensor saved for backward: checked against the storage's version counter on
// use, so an in-place change after saving is an error instead of a wrong gradient.
class SavedTensor {
 public:
  SavedTensor() = default;
  // Saves tensor (undefined allowed) with its current version.
  explicit SavedTensor(const Tensor& tensor)
      : tensor_(tensor), version_(tensor.defined() ? tensor.version() : 0) {}
  // The saved tensor; throws naming op when it was modified in place since it was saved.
  const Tensor& get(std::string_view op) const;

 private:
  Tensor tensor_;
  std::uint64_t version_ = 0;
};

}  // namespace lg
