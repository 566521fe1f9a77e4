#include "autograd/forward_mode.hpp"

#include <algorithm>

#include "autograd/error.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/node.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

thread_local bool rule_running = false;

}  // namespace

namespace detail {
bool forward_rule_running() { return rule_running; }
ForwardRuleGuard::ForwardRuleGuard() : previous_(rule_running) { rule_running = true; }
ForwardRuleGuard::~ForwardRuleGuard() { rule_running = previous_; }
}  // namespace detail

Tensor make_dual(const Tensor& primal, const Tensor& tangents) {
  const char* op = "make_dual";
  check<ValueError>(primal.defined() && tangents.defined(), op, "primal and tangents must be defined");
  check<DTypeError>(primal.is_floating_point(), op, "primal must be float32 or float64, got ", primal.dtype());
  check<DTypeError>(tangents.dtype() == primal.dtype(), op, "tangents have dtype ", tangents.dtype(),
                    ", but primal has dtype ", primal.dtype());
  check<DeviceError>(tangents.device() == primal.device(), op, "tangents are on ", tangents.device().str(),
                     ", but primal is on ", primal.device().str());
  check<ShapeError>(tangents.dim() == primal.dim() + 1 && tangents.size(0) >= 1 &&
                        Shape(tangents.shape().begin() + 1, tangents.shape().end()) == primal.shape(),
                    op, "tangents must be T >= 1 stacked tangents of primal's shape ", shape_str(primal.shape()),
                    ", [T, ...], got ", shape_str(tangents.shape()));
  Tensor dual;
  {
    // The identity, recorded so that reverse mode reaches primal; primal's own tangents are not pushed.
    const detail::ForwardRuleGuard replacing;
    dual = record(op, detail::alias(primal), {primal},
                  [](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads { return {g}; });
  }
  dual.impl()->tangent = tangents.impl();
  return dual;
}

Tensor tangents_of(const Tensor& t) {
  check<ValueError>(t.defined(), "tangents_of", "got an undefined tensor");
  return Tensor(t.impl()->tangent);
}

bool has_tangents(const Tensor& t) { return t.defined() && t.impl()->tangent != nullptr; }

Tensor lift_tangent(const Tensor& tangent, std::int64_t output_rank) {
  if (!tangent.defined()) return tangent;
  const std::int64_t rank = tangent.dim() - 1;
  check<InternalError>(rank <= output_rank, "lift_tangent", "tangents of shape ", shape_str(tangent.shape()),
                       " cannot broadcast to rank ", output_rank);
  if (rank == output_rank) return tangent;
  Shape shape{tangent.size(0)};
  shape.insert(shape.end(), static_cast<std::size_t>(output_rank - rank), 1);
  shape.insert(shape.end(), tangent.shape().begin() + 1, tangent.shape().end());
  return reshape(tangent, shape);
}

Tensor add_tangents(const Tensor& a, const Tensor& b) {
  if (!a.defined()) return b;
  if (!b.defined()) return a;
  return a + b;
}

std::int64_t tangent_dim(std::int64_t dim, std::int64_t rank) {
  const std::int64_t normalised = dim < 0 ? dim + rank : dim;
  check<ShapeError>(normalised >= 0 && normalised < std::max<std::int64_t>(rank, 1), "tangent_dim", "dim ", dim,
                    " is out of range for rank ", rank);
  return normalised + 1;
}

Shape tangent_shape(std::int64_t count, const Shape& shape) {
  Shape result{count};
  result.insert(result.end(), shape.begin(), shape.end());
  return result;
}

}  // namespace lg
