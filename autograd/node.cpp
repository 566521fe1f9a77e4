#include "autograd/node.hpp"

#include <atomic>

#include "autograd/backend/kernels.hpp"
#include "autograd/forward_mode.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

std::atomic<std::int64_t> live_node_count{0};
std::atomic<std::uint64_t> next_sequence_number{0};

}  // namespace

namespace debug {
std::int64_t live_nodes() { return live_node_count.load(); }
}  // namespace debug

Node::Node(std::string name, std::vector<std::shared_ptr<Node>> next, std::vector<Shape> input_shapes,
           BackwardFn backward)
    : name_(std::move(name)),
      next_(std::move(next)),
      input_shapes_(std::move(input_shapes)),
      backward_(std::move(backward)),
      sequence_number_(next_sequence_number++) {
  ++live_node_count;
}

// Iterative teardown: destroying the last handle to a 100,000-node chain must
// not recurse 100,000 deep. A destructor hands its children to a thread-local
// list; only the outermost destructor drains it.
Node::~Node() {
  --live_node_count;
  thread_local std::vector<std::shared_ptr<Node>> pending;
  thread_local bool draining = false;
  backward_ = nullptr;  // saved inputs go first, while next_ still pins their producers
  for (auto& child : next_)
    if (child) pending.push_back(std::move(child));
  if (draining) return;
  draining = true;
  while (!pending.empty()) {
    std::shared_ptr<Node> child = std::move(pending.back());
    pending.pop_back();
    child.reset();
  }
  draining = false;
}

void Node::set_output(const Tensor& output, bool save_data) {
  output_shape_ = output.shape();
  output_dtype_ = output.dtype();
  if (save_data) {
    saved_output_ = detail::alias(output);
    saved_output_version_ = output.version();
  }
}

void Node::set_output_tangent(const Tensor& tangent) {
  // Values only: the tangent's own graph may lead back to this node (a rule that used the output), and
  // a node must not keep itself alive.
  if (saved_output_.defined()) saved_output_.impl()->tangent = detail::alias(tangent).impl();
}

Tensor Node::unpack_output() const {
  if (!saved_output_.defined()) return {};
  check(saved_output_.version() == saved_output_version_, name_,
        "the output of this op was modified by an in-place operation after it was saved for backward "
        "(version ", saved_output_.version(), ", saved at ", saved_output_version_, ")");
  if (!grad_mode_enabled()) return saved_output_;
  // create_graph: the output must be connected to this node again, so that the
  // backward we are about to record flows back through it.
  Tensor output = detail::alias(saved_output_);
  output.impl()->tangent = saved_output_.impl()->tangent;
  output.impl()->requires_grad = true;
  output.impl()->grad_fn = std::const_pointer_cast<Node>(shared_from_this());
  return output;
}

Grads Node::apply(const Tensor& grad_output) {
  NeedsGrad needs(next_.size());
  for (std::size_t i = 0; i < next_.size(); ++i) needs[i] = next_[i] != nullptr;
  return apply(grad_output, needs);
}

Grads Node::apply(const Tensor& grad_output, const NeedsGrad& needs) {
  check(!released_, name_,
        "backward through a graph that was already freed; call backward(..., retain_graph=true) the first time "
        "to run backward twice");
  check<InternalError>(needs.size() == next_.size(), name_, "apply: ", needs.size(), " flags for ", next_.size(),
                       " inputs");
  return backward_(grad_output, unpack_output(), needs);
}

void Node::release() {
  backward_ = nullptr;
  saved_output_ = Tensor{};
  released_ = true;
}

Tensor Node::run_pre_hooks(Tensor grad) const {
  for (const auto& hook : pre_hooks_) {
    Tensor replaced = hook(grad);
    if (replaced.defined()) grad = replaced;
  }
  return grad;
}

AccumulateGrad::AccumulateGrad(std::shared_ptr<TensorImpl> leaf)
    : Node("AccumulateGrad", {}, {}, nullptr), leaf_(std::move(leaf)) {
  output_shape_ = leaf_->shape;
  output_dtype_ = leaf_->dtype;
}

Tensor AccumulateGrad::run_leaf_hooks(Tensor grad) const {
  for (const auto& hook : leaf_->hooks) {
    Tensor replaced = hook(grad);
    if (replaced.defined()) grad = replaced;
  }
  return grad;
}

void AccumulateGrad::accumulate(Tensor grad) {
  if (!grad_mode_enabled() && grad.requires_grad()) grad = grad.detach();
  if (!leaf_->grad) {
    // Keep the incoming buffer when nobody else can see it; otherwise copy, so
    // an in-place change of .grad (clipping, zeroing) cannot reach another tensor.
    const bool exclusive = grad.impl().use_count() == 1 && grad.impl()->storage.use_count() == 1 &&
                           grad.is_contiguous();
    leaf_->grad = exclusive ? grad.impl() : grad.clone().impl();
  } else {
    leaf_->grad = (Tensor(leaf_->grad) + grad).impl();
  }
}

std::shared_ptr<Node> grad_accumulator(const Tensor& leaf) {
  TensorImpl& impl = *leaf.impl();
  if (auto existing = impl.grad_accumulator.lock()) return existing;
  auto created = std::make_shared<AccumulateGrad>(leaf.impl());
  impl.grad_accumulator = created;
  return created;
}

std::shared_ptr<Node> gradient_edge(const Tensor& tensor) {
  if (!tensor.defined() || !tensor.requires_grad()) return nullptr;
  if (tensor.grad_fn()) return tensor.grad_fn();
  return grad_accumulator(tensor);
}

namespace {

void check_finite_output(std::string_view name, const Tensor& output, const Tensor* inputs, std::size_t count) {
  if (!output.is_floating_point() || kernel::all_finite(output)) return;
  std::string shapes;
  for (std::size_t i = 0; i < count; ++i) {
    if (!inputs[i].defined()) continue;
    if (!shapes.empty()) shapes += ", ";
    shapes += shape_str(inputs[i].shape());
  }
  fail<ValueError>(name, "non-finite value (NaN or Inf) in the output of shape ", shape_str(output.shape()),
                   " (input shapes: ", shapes, ")");
}

// Whether some input carries tangents that this op must push forward (not while a forward rule runs:
// the ops inside a rule compute first-order tangents and carry none of their own).
bool carries_tangents(const Tensor* inputs, std::size_t count) {
  if (detail::forward_rule_running()) return false;
  for (std::size_t i = 0; i < count; ++i)
    if (inputs[i].defined() && inputs[i].impl()->tangent) return true;
  return false;
}

// Runs `forward` on the inputs' tangents and attaches the result, checked, to output.
void attach_tangent(std::string_view name, const Tensor& output, const Tensor* inputs, std::size_t count,
                    const ForwardRule& forward) {
  Tangents tangents(count);
  std::int64_t batch = -1;
  for (std::size_t i = 0; i < count; ++i) {
    if (!inputs[i].defined() || !inputs[i].impl()->tangent) continue;
    tangents[i] = Tensor(inputs[i].impl()->tangent);
    const std::int64_t t = tangents[i].size(0);
    check<ShapeError>(batch < 0 || batch == t, name, "the inputs carry different numbers of tangents, ", batch,
                      " and ", t, " (forward mode pushes T tangents at once; every dual input needs the same T)");
    batch = t;
  }
  // The rule sees the output through an alias with the same grad_fn: reverse mode over the rule still
  // reaches the output's node, but a rule's op that saves it (exp: dx * y) saves the alias, not the
  // impl that will hold the tangent, which would then own itself (a cycle, a leak).
  Tensor seen = detail::alias(output);
  seen.impl()->requires_grad = output.impl()->requires_grad;
  seen.impl()->grad_fn = output.impl()->grad_fn;
  const detail::ForwardRuleGuard running;
  Tensor tangent = forward(tangents, seen);
  if (!tangent.defined()) return;  // all zero
  Shape want{batch};
  want.insert(want.end(), output.shape().begin(), output.shape().end());
  check<InternalError>(tangent.dim() == output.dim() + 1 && tangent.size(0) == batch && tangent.dtype() ==
                           output.dtype(), name, "the forward rule gave tangents of shape ", shape_str(tangent.shape()),
                       " and dtype ", tangent.dtype(), " for an output of shape ", shape_str(output.shape()),
                       " and dtype ", output.dtype(), " with ", batch, " tangents");
  if (tangent.shape() != want) tangent = expand(tangent, want);
  output.impl()->tangent = tangent.impl();
}

Tensor record_impl(std::string_view name, Tensor output, const Tensor* inputs, std::size_t count,
                   Node::BackwardFn&& backward, bool save_output, const ForwardRule* forward) {
  if (anomaly_mode_enabled()) check_finite_output(name, output, inputs, count);
  const bool tangents = carries_tangents(inputs, count);
  check<ValueError>(!tangents || forward != nullptr, name,
        "an input carries forward-mode tangents, but this op has no forward rule (give record() one)");
  bool reverse = false;
  if (grad_mode_enabled())
    for (std::size_t i = 0; i < count; ++i) reverse = reverse || (inputs[i].defined() && inputs[i].requires_grad());
  if (!reverse && !tangents) return output;
  // An op that hands back one of its inputs (reshape to the same shape, say)
  // gets a fresh impl, so the input's own grad_fn and tangents are never overwritten.
  bool is_input = false;
  for (std::size_t i = 0; i < count; ++i) is_input = is_input || inputs[i].impl() == output.impl();
  if (is_input) output = detail::alias(output);
  Node* node = nullptr;
  if (reverse) {
    std::vector<std::shared_ptr<Node>> next;
    std::vector<Shape> shapes;
    next.reserve(count);
    shapes.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      next.push_back(gradient_edge(inputs[i]));
      shapes.push_back(inputs[i].defined() ? inputs[i].shape() : Shape{});
    }
    auto created =
        std::make_shared<Node>(std::string(name), std::move(next), std::move(shapes), std::move(backward));
    created->set_output(output, save_output);
    node = created.get();
    output.impl()->requires_grad = true;
    output.impl()->grad_fn = std::move(created);
  }
  // After the node: a rule that uses the output records through it, so reverse over forward sees
  // the output's dependence on the inputs.
  if (tangents) {
    attach_tangent(name, output, inputs, count, *forward);
    if (node && output.impl()->tangent) node->set_output_tangent(Tensor(output.impl()->tangent));
  }
  return output;
}

}  // namespace

Tensor record(std::string_view name, Tensor output, std::initializer_list<Tensor> inputs, ForwardRule forward,
              Node::BackwardFn backward, bool save_output) {
  return record_impl(name, std::move(output), inputs.begin(), inputs.size(), std::move(backward), save_output,
                     &forward);
}

Tensor record(std::string_view name, Tensor output, const std::vector<Tensor>& inputs, ForwardRule forward,
              Node::BackwardFn backward, bool save_output) {
  return record_impl(name, std::move(output), inputs.data(), inputs.size(), std::move(backward), save_output,
                     &forward);
}

Tensor record(std::string_view name, Tensor output, std::initializer_list<Tensor> inputs, Node::BackwardFn backward,
              bool save_output) {
  return record_impl(name, std::move(output), inputs.begin(), inputs.size(), std::move(backward), save_output,
                     nullptr);
}

Tensor record(std::string_view name, Tensor output, const std::vector<Tensor>& inputs, Node::BackwardFn backward,
              bool save_output) {
  return record_impl(name, std::move(output), inputs.data(), inputs.size(), std::move(backward), save_output,
                     nullptr);
}

const Tensor& SavedTensor::get(std::string_view op) const {
  if (tensor_.defined())
    check(tensor_.version() == version_, op,
          "a tensor saved for backward was modified by an in-place operation (version ", tensor_.version(),
          ", saved at ", version_, "); clone it before modifying it");
  return tensor_;
}

}  // namespace lg
