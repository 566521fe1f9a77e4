#include "autograd/functional.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "autograd/engine.hpp"
#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/forward_mode.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/ops.hpp"

namespace lg {
namespace {

void check_function(const char* op, const Function& f) {
  check<ValueError>(static_cast<bool>(f), op, "f is an empty function");
}

void check_input(const char* op, const Tensor& x) {
  check<ValueError>(x.defined(), op, "x is undefined");
  check<DTypeError>(x.is_floating_point(), op, "x must be float32 or float64, got ", x.dtype());
}

// A direction (cotangent, tangent, v) must match the tensor it lives beside: shape and dtype. It is
// moved to that tensor's device.
Tensor checked_direction(const char* op, const char* name, const Tensor& direction, const Tensor& like,
                         const char* like_name) {
  check<ValueError>(direction.defined(), op, name, " is undefined");
  check<ShapeError>(direction.shape() == like.shape(), op, name, " has shape ", shape_str(direction.shape()),
                    ", but ", like_name, " has shape ", shape_str(like.shape()));
  check<DTypeError>(direction.dtype() == like.dtype(), op, name, " has dtype ", direction.dtype(), ", but ",
                    like_name, " has dtype ", like.dtype());
  return direction.device() == like.device() ? direction : to_device(direction, like.device());
}

// x itself when the result is to stay differentiable in x, otherwise a copy cut from x's graph that
// requires grad: the derivatives are taken with respect to it.
Tensor differentiable_input(const Tensor& x, bool create_graph) {
  if (create_graph && x.requires_grad()) return x;
  Tensor input = x.detach();
  input.requires_grad_();
  return input;
}

// f(input), checked: defined and floating.
Tensor evaluate(const char* op, const Function& f, const Tensor& input) {
  Tensor y = f(input);
  check<ValueError>(y.defined(), op, "f returned an undefined tensor");
  check<DTypeError>(y.is_floating_point(), op, "f returned a tensor of dtype ", y.dtype(),
                    ", expected float32 or float64");
  return y;
}

// d <w, y> / d input, by one reverse pass; zeros when y does not depend on input.
Tensor pullback(const Tensor& y, const Tensor& input, const Tensor& w, bool create_graph, bool retain_graph) {
  if (!y.requires_grad()) return zeros_like(input);
  const GradOptions options{.create_graph = create_graph, .retain_graph = retain_graph, .allow_unused = true};
  const Tensor g = grad({y}, {input}, {w}, options)[0];
  return g.defined() ? g : zeros_like(input);
}

// The unit vector e_index of R^count copied to each of `batch` rows: [batch, count], contiguous.
Tensor batched_unit(const Tensor& basis, std::int64_t index, std::int64_t batch) {
  return contiguous(expand(select(basis, 0, index), {batch, basis.size(0)}));
}

// Row k of every example's Jacobian, for each k: one vjp with e_k in every example. [B, m, n].
Tensor jacobian_by_rows(const Tensor& y, const Tensor& input, std::int64_t m, std::int64_t n, bool create_graph) {
  const std::int64_t batch = input.size(0);
  const Tensor basis = to_device(eye(m, y.dtype()), y.device());
  std::vector<Tensor> rows;
  rows.reserve(static_cast<std::size_t>(m));
  for (std::int64_t k = 0; k < m; ++k) {
    const Tensor cotangent = reshape(batched_unit(basis, k, batch), y.shape());
    rows.push_back(reshape(pullback(y, input, cotangent, create_graph, true), {batch, n}));
  }
  return stack(rows, 1);
}

// f(x) and its tangents [T, *f(x).shape] along `tangents` [T, *x.shape], by one forward pass. With
// create_graph the pass is recorded (differentiable in x when x requires grad, and in f's parameters);
// without, no graph at all is built.
struct ForwardPass {
  Tensor value, tangents;
};

ForwardPass push_forward(const char* op, const Function& f, const Tensor& x, const Tensor& tangents,
                         bool create_graph) {
  std::optional<EnableGradGuard> recording;
  std::optional<NoGradGuard> values_only;
  if (create_graph) recording.emplace();
  else values_only.emplace();
  const Tensor input = create_graph && x.requires_grad() ? x : x.detach();
  const Tensor y = evaluate(op, f, make_dual(input, tangents));
  Tensor t = tangents_of(y);
  if (!t.defined()) t = zeros(tangent_shape(tangents.size(0), y.shape()), y.dtype(), y.device());
  return {y, t};
}

// Columns of every example's Jacobian by forward mode: tangent j is e_j copied to every example, and
// up to `per_pass` tangents ride through f together. [B, m, n]; m is known from the first pass.
Tensor jacobian_by_columns(const char* op, const Function& f, const Tensor& x, std::int64_t per_pass,
                           bool create_graph) {
  const std::int64_t batch = x.size(0), n = x.numel() / batch;
  const Tensor basis = to_device(eye(n, x.dtype()), x.device());
  std::vector<Tensor> blocks;
  for (std::int64_t first = 0; first < n; first += per_pass) {
    const std::int64_t count = std::min(per_pass, n - first);
    // [count, B, n] with block[j, b, :] = e_(first + j), viewed as [count, *x.shape].
    const Tensor units = expand(unsqueeze(narrow(basis, 0, first, count), 1), {count, batch, n});
    const ForwardPass pass = push_forward(op, f, x, reshape(units, tangent_shape(count, x.shape())),
                                          create_graph);
    check<ShapeError>(pass.value.dim() >= 1 && pass.value.size(0) == batch, op,
                      "f must keep the batch dim: x of shape ", shape_str(x.shape()), " gave f(x) of shape ",
                      shape_str(pass.value.shape()));
    const std::int64_t m = pass.value.numel() / batch;
    blocks.push_back(reshape(pass.tangents, {count, batch, m}));  // [count, B, m]
  }
  return permute(cat(blocks, 0), {1, 2, 0});  // [B, m, n]
}

// jacobian() with its errors named after `op`.
Tensor batched_jacobian(const char* op, const Function& f, const Tensor& x, const JacobianOptions& options) {
  check_function(op, f);
  check_input(op, x);
  check<ShapeError>(x.dim() >= 1 && x.size(0) >= 1, op, "expected a batch x [B, ...] with B >= 1, got x of shape ",
                    shape_str(x.shape()));
  check<ValueError>(options.tangents_per_pass >= 1, op, "tangents_per_pass must be at least 1, got ",
                    options.tangents_per_pass);
  const std::int64_t batch = x.size(0), n = x.numel() / batch;
  if (options.mode == JacobianMode::forward && n > 0)
    return jacobian_by_columns(op, f, x, options.tangents_per_pass, options.create_graph);
  const EnableGradGuard recording;  // a Jacobian asked for under no_grad still needs its reverse passes
  const Tensor input = differentiable_input(x, options.create_graph);
  const Tensor y = evaluate(op, f, input);
  check<ShapeError>(y.dim() >= 1 && y.size(0) == batch, op, "f must keep the batch dim: x of shape ",
                    shape_str(x.shape()), " gave f(x) of shape ", shape_str(y.shape()));
  const std::int64_t m = y.numel() / batch;
  if (m == 0 || n == 0) return zeros({batch, m, n}, x.dtype(), x.device());
  if (options.mode == JacobianMode::reverse || m <= n) return jacobian_by_rows(y, input, m, n, options.create_graph);
  return jacobian_by_columns(op, f, x, options.tangents_per_pass, options.create_graph);
}

}  // namespace

Tensor vjp(const Function& f, const Tensor& x, const Tensor& cotangent, const DerivativeOptions& options) {
  const char* op = "vjp";
  check_function(op, f);
  check_input(op, x);
  const EnableGradGuard recording;
  const Tensor input = differentiable_input(x, options.create_graph);
  const Tensor y = evaluate(op, f, input);
  const Tensor u = checked_direction(op, "cotangent", cotangent, y, "f(x)");
  return pullback(y, input, u, options.create_graph, false);
}

Tensor jvp(const Function& f, const Tensor& x, const Tensor& tangent, const DerivativeOptions& options) {
  const char* op = "jvp";
  check_function(op, f);
  check_input(op, x);
  const Tensor v = checked_direction(op, "tangent", tangent, x, "x");
  return select(push_forward(op, f, x, unsqueeze(v, 0), options.create_graph).tangents, 0, 0);
}

Tensor batched_jvp(const Function& f, const Tensor& x, const Tensor& tangents, const DerivativeOptions& options) {
  const char* op = "batched_jvp";
  check_function(op, f);
  check_input(op, x);
  check<ValueError>(tangents.defined(), op, "tangents is undefined");
  check<ShapeError>(tangents.dim() == x.dim() + 1 && tangents.size(0) >= 1 &&
                        Shape(tangents.shape().begin() + 1, tangents.shape().end()) == x.shape(),
                    op, "tangents must be [T, *x.shape] with T >= 1 for x of shape ", shape_str(x.shape()), ", got ",
                    shape_str(tangents.shape()));
  check<DTypeError>(tangents.dtype() == x.dtype(), op, "tangents have dtype ", tangents.dtype(), ", but x has dtype ",
                    x.dtype());
  const Tensor moved = tangents.device() == x.device() ? tangents : to_device(tangents, x.device());
  return push_forward(op, f, x, moved, options.create_graph).tangents;
}

Tensor hvp(const Function& f, const Tensor& x, const Tensor& v, const DerivativeOptions& options) {
  const char* op = "hvp";
  check_function(op, f);
  check_input(op, x);
  const Tensor direction = checked_direction(op, "v", v, x, "x");
  const EnableGradGuard recording;
  if (!options.create_graph) {
    // Forward over reverse: x carries v, and the reverse pass that computes the gradient g(x) pushes
    // v's tangent through every backward formula, giving d/dt g(x + t v) = H v.
    Tensor input = x.detach();
    input.requires_grad_();
    const Tensor dual = make_dual(input, unsqueeze(direction, 0));
    const Tensor y = evaluate(op, f, dual);
    check<ShapeError>(y.numel() == 1, op, "f must return one element (a scalar), got f(x) of shape ",
                      shape_str(y.shape()));
    const Tensor gradient = pullback(y, dual, ones_like(y), false, false);
    const Tensor t = tangents_of(gradient);
    return t.defined() ? select(t, 0, 0) : zeros_like(x);
  }
  const Tensor input = differentiable_input(x, options.create_graph);
  const Tensor y = evaluate(op, f, input);
  check<ShapeError>(y.numel() == 1, op, "f must return one element (a scalar), got f(x) of shape ",
                    shape_str(y.shape()));
  // Reverse over reverse: the gradient g(x), recorded, then its vjp with v (H is symmetric). Used when the
  // result must be differentiable again: a forward-over-reverse result keeps the tangents of saved outputs
  // as values only (node.hpp), so a third derivative through it would miss terms.
  const Tensor gradient = pullback(y, input, ones_like(y), true, true);
  return pullback(gradient, input, direction, options.create_graph, false);
}

Tensor jacobian(const Function& f, const Tensor& x, const JacobianOptions& options) {
  return batched_jacobian("jacobian", f, x, options);
}

Tensor full_jacobian(const Function& f, const Tensor& x, const JacobianOptions& options) {
  const char* op = "full_jacobian";
  check_function(op, f);
  check_input(op, x);
  const Shape shape = x.shape();
  // A batch of one: [1, shape...] -> [1, f's shape...].
  const Function batched = [&](const Tensor& one) { return unsqueeze(evaluate(op, f, reshape(one, shape)), 0); };
  return select(batched_jacobian(op, batched, unsqueeze(x, 0), options), 0, 0);
}

JacobianSVD jacobian_svd(const Function& f, const Tensor& x, std::int64_t k, const JacobianOptions& options) {
  const char* op = "jacobian_svd";
  check<ValueError>(k >= 1, op, "k must be at least 1, got ", k);
  const EnableGradGuard recording;
  const Tensor j = batched_jacobian(op, f, x, options);
  const std::int64_t rank = std::min(j.size(1), j.size(2));
  check<ValueError>(k <= rank, op, "k must be at most min(m, n) = ", rank, " for per-sample Jacobians of shape ",
                    shape_str(j.shape()), ", got ", k);
  const SVD d = svd(j);
  return {.singular_values = d.s,
          .input_directions = narrow(d.v, -1, 0, k),
          .output_directions = narrow(d.u, -1, 0, k)};
}

}  // namespace lg
