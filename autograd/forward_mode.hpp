// Forward-mode autodiff: tangents carried through the forward pass.
//
// Reverse mode (engine.hpp) runs the graph backwards once per cotangent u and gives u^T J, a row of the
// Jacobian J = df/dx. Forward mode gives J v, a column, in the same pass that computes f(x): every value
// y carries a tangent dy (its derivative along v), and every op pushes its inputs' tangents to its
// output's by the chain rule, its forward rule:
//
//   y = a * b      dy = da * b + a * db         y = exp(x)   dy = dx * y
//   y = A B        dY = dA B + A dB             y = sum(x)   dy = sum(dx)
//
// so one pass with x carrying v gives f(x) and J v, whatever the number of outputs: the cheap direction
// for a map with few inputs and many outputs (a decoder: a code to an image).
//
// Batched tangents. A value carries T tangents at once, stacked along a leading dim: [T, *shape]. Every
// rule is written for that layout (an elementwise op broadcasts its derivative over the T dim, a matmul
// batches over it), so T columns of J cost one pass with T-times-wider tensors rather than T passes.
// A single tangent is T = 1.
//
// Where the tangents live. A TensorImpl holds its tangents (null: all zero); make_dual attaches them to
// an input and tangents_of reads them off any value computed from it. Each op's rule is given to record()
// beside its backward (node.hpp) and is written with the same differentiable ops, so
//   - reverse over forward works: the tangents are ordinary recorded values, and grad() of a tangent
//     differentiates J v with respect to x, v and any parameter (a Jacobian penalty computed forwards);
//   - forward over reverse works: the backward formulas are ops too, so a reverse pass over values that
//     carry tangents gives the gradient's tangent, H v for a scalar loss (lg::hvp).
// While a rule runs, the ops inside it carry no tangents of their own (their inputs' tangents are the
// first-order ones being combined; second-order forward mode, tangents of tangents, is not supported).
//
// References: Griewank and Walther 2008, "Evaluating Derivatives", ch. 3 (tangent mode); Baydin,
// Pearlmutter, Radul and Siskind 2018, "Automatic differentiation in machine learning: a survey".
#pragma once
#include <cstdint>

#include "autograd/tensor.hpp"

namespace lg {

// primal's values carrying `tangents` [T, *primal.shape] (same dtype and device; T >= 1): a new tensor,
// recorded as an identity of primal in reverse mode, so gradients still reach primal. Replaces any
// tangents primal carried. ShapeError, DTypeError, DeviceError otherwise.
Tensor make_dual(const Tensor& primal, const Tensor& tangents);

// The tangents [T, *t.shape] that t carries, undefined when it carries none (they are all zero).
Tensor tangents_of(const Tensor& t);

// Whether t carries tangents.
bool has_tangents(const Tensor& t);

// --- helpers for writing forward rules (autograd/ops/*.cpp, docs/adding_an_op.md) ----------------------

// tangent [T, s...] viewed as [T, 1, ..., 1, s...] with output_rank dims after T, so that it
// broadcasts against a tensor of rank output_rank the way the primal did. Undefined stays undefined.
Tensor lift_tangent(const Tensor& tangent, std::int64_t output_rank);

// a + b, where an undefined tangent means zero (both undefined: undefined).
Tensor add_tangents(const Tensor& a, const Tensor& b);

// Dim `dim` (negative counts from the end) of a primal of rank `rank`, as a dim of its tangents (one
// more, for the leading T dim).
std::int64_t tangent_dim(std::int64_t dim, std::int64_t rank);

// The shape [T, shape...].
Shape tangent_shape(std::int64_t count, const Shape& shape);

namespace detail {
// Whether a forward rule is running on this thread (its ops then carry no tangents).
bool forward_rule_running();
// While alive, marks a forward rule as running on this thread.
class ForwardRuleGuard {
 public:
  ForwardRuleGuard();
  ~ForwardRuleGuard();
  ForwardRuleGuard(const ForwardRuleGuard&) = delete;
  ForwardRuleGuard& operator=(const ForwardRuleGuard&) = delete;

 private:
  bool previous_;
};
}  // namespace detail

}  // namespace lg
