#include "autograd/functional.hpp"

#include <algorithm>
#include <vector>

#include "autograd/engine.hpp"
#include "autograd/error.hpp"
#include "autograd/factory.hpp"
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

// Column j of every example's Jacobian, for each j: one jvp with e_j in every example, by the
// double-vjp trick (g(u) = J^T u recorded once at u = 0, then one reverse pass of <g(u), e_j> per j).
Tensor jacobian_by_columns(const Tensor& y, const Tensor& input, std::int64_t m, std::int64_t n,
                           bool create_graph) {
  const std::int64_t batch = input.size(0);
  Tensor dummy = zeros_like(y);
  dummy.requires_grad_();
  const Tensor transposed = pullback(y, input, dummy, true, true);  // J^T u, linear in u
  const Tensor basis = to_device(eye(n, input.dtype()), input.device());
  std::vector<Tensor> columns;
  columns.reserve(static_cast<std::size_t>(n));
  for (std::int64_t j = 0; j < n; ++j) {
    const Tensor tangent = reshape(batched_unit(basis, j, batch), input.shape());
    columns.push_back(reshape(pullback(transposed, dummy, tangent, create_graph, true), {batch, m}));
  }
  return stack(columns, 2);
}

// jacobian() with its errors named after `op`.
Tensor batched_jacobian(const char* op, const Function& f, const Tensor& x, const JacobianOptions& options) {
  check_function(op, f);
  check_input(op, x);
  check<ShapeError>(x.dim() >= 1 && x.size(0) >= 1, op, "expected a batch x [B, ...] with B >= 1, got x of shape ",
                    shape_str(x.shape()));
  const EnableGradGuard recording;  // a Jacobian asked for under no_grad still needs its reverse passes
  const Tensor input = differentiable_input(x, options.create_graph);
  const Tensor y = evaluate(op, f, input);
  const std::int64_t batch = x.size(0);
  check<ShapeError>(y.dim() >= 1 && y.size(0) == batch, op, "f must keep the batch dim: x of shape ",
                    shape_str(x.shape()), " gave f(x) of shape ", shape_str(y.shape()));
  const std::int64_t m = y.numel() / batch, n = x.numel() / batch;
  if (m == 0 || n == 0) return zeros({batch, m, n}, x.dtype(), x.device());
  const bool by_rows = options.mode == JacobianMode::reverse || (options.mode == JacobianMode::automatic && m <= n);
  return by_rows ? jacobian_by_rows(y, input, m, n, options.create_graph)
                 : jacobian_by_columns(y, input, m, n, options.create_graph);
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
  const EnableGradGuard recording;
  const Tensor input = differentiable_input(x, options.create_graph);
  const Tensor y = evaluate(op, f, input);
  // Two reverse passes: g(u) = J^T u recorded at a dummy u = 0, then d/du <g(u), v> = J v.
  Tensor dummy = zeros_like(y);
  dummy.requires_grad_();
  const Tensor transposed = pullback(y, input, dummy, true, true);
  return pullback(transposed, dummy, v, options.create_graph, false);
}

Tensor hvp(const Function& f, const Tensor& x, const Tensor& v, const DerivativeOptions& options) {
  const char* op = "hvp";
  check_function(op, f);
  check_input(op, x);
  const Tensor direction = checked_direction(op, "v", v, x, "x");
  const EnableGradGuard recording;
  const Tensor input = differentiable_input(x, options.create_graph);
  const Tensor y = evaluate(op, f, input);
  check<ShapeError>(y.numel() == 1, op, "f must return one element (a scalar), got f(x) of shape ",
                    shape_str(y.shape()));
  // Reverse over reverse: the gradient g(x), recorded, then its vjp with v (H is symmetric).
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
