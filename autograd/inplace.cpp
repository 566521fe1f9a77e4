// In-place ops. Each bumps the storage's version counter, so a tensor saved for
// backward before the change is caught when backward reads it.
//
// When a graph must be recorded (grad mode on, and self or an operand requires
// grad), the result is computed out of place from a clone of self, written
// back into self's storage, and self's grad_fn is moved to the new node
// ("rebasing its history"). Two cases are refused with a clear error: a leaf
// that requires grad (its .grad would no longer mean anything), and a tensor
// whose storage other tensors share (a view or its base would be left with a
// stale graph).
#include "autograd/backend/kernels.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/node.hpp"
#include "autograd/ops/ops.hpp"

namespace lg {
namespace {

bool must_record(const Tensor& self, std::initializer_list<Tensor> others) {
  if (!grad_mode_enabled()) return false;
  if (self.requires_grad()) return true;
  for (const Tensor& t : others)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

// Runs `write` (a kernel writing into self) directly, or, when recording,
// computes `recorded(clone_of_self)` and rebases self onto it.
template <class Write, class Recorded>
Tensor& apply_inplace(Tensor& self, std::string_view op, std::initializer_list<Tensor> others, Write&& write,
                      Recorded&& recorded) {
  check<ValueError>(self.defined(), op, "called on an undefined tensor");
  for (const Tensor& t : others)
    if (t.defined()) check<DeviceError>(t.device() == self.device(), op, "device mismatch, ", self.device().str(),
                                        " and ", t.device().str());
  if (!must_record(self, others)) {
    write();
    self.impl()->storage->bump_version();
    return self;
  }
  check(!(self.is_leaf() && self.requires_grad()), op,
        "a leaf tensor that requires grad cannot be modified in place while grad mode is on; do it under "
        "NoGradGuard (as optimisers do)");
  check(self.impl()->storage.use_count() == 1, op,
        "in-place change of a tensor that shares its storage with other tensors (a view, or an output saved for "
        "backward) cannot be recorded; use the out-of-place op");
  Tensor result = recorded(clone(self));
  check<ShapeError>(result.shape() == self.shape(), op, "result shape ", shape_str(result.shape()),
                    " does not match the tensor's shape ", shape_str(self.shape()));
  kernel::copy(result, self);
  self.impl()->storage->bump_version();
  self.impl()->grad_fn = result.grad_fn();
  self.impl()->requires_grad = true;
  return self;
}

void check_broadcast_into(std::string_view op, const Tensor& self, const Tensor& other) {
  check<DTypeError>(self.dtype() == other.dtype(), op, "dtype mismatch, ", self.dtype(), " and ", other.dtype());
  check<ShapeError>(broadcast_shapes(op, self.shape(), other.shape()) == self.shape(), op, "cannot broadcast ",
                    shape_str(other.shape()), " into ", shape_str(self.shape()));
}

}  // namespace

Tensor& Tensor::add_(const Tensor& other, double alpha) {
  check_broadcast_into("add_", *this, other);
  return apply_inplace(
      *this, "add_", {other}, [&] { kernel::binary(kernel::Binary::add, *this, other, *this, alpha); },
      [&](const Tensor& self) { return add(self, other, alpha); });
}

Tensor& Tensor::sub_(const Tensor& other) {
  check_broadcast_into("sub_", *this, other);
  return apply_inplace(
      *this, "sub_", {other}, [&] { kernel::binary(kernel::Binary::sub, *this, other, *this); },
      [&](const Tensor& self) { return sub(self, other); });
}

Tensor& Tensor::mul_(const Tensor& other) {
  check_broadcast_into("mul_", *this, other);
  return apply_inplace(
      *this, "mul_", {other}, [&] { kernel::binary(kernel::Binary::mul, *this, other, *this); },
      [&](const Tensor& self) { return mul(self, other); });
}

Tensor& Tensor::mul_(double value) { return mul_(scalar_tensor(value, dtype(), device())); }

Tensor& Tensor::div_(const Tensor& other) {
  check_broadcast_into("div_", *this, other);
  return apply_inplace(
      *this, "div_", {other}, [&] { kernel::binary(kernel::Binary::div, *this, other, *this); },
      [&](const Tensor& self) { return div(self, other); });
}

Tensor& Tensor::fill_(double value) {
  return apply_inplace(
      *this, "fill_", {}, [&] { kernel::fill(*this, value); },
      [&](const Tensor& self) { return self * 0.0 + value; });
}

Tensor& Tensor::zero_() { return fill_(0.0); }

Tensor& Tensor::copy_(const Tensor& source) {
  check<ValueError>(source.defined(), "copy_", "source is undefined");
  check<ShapeError>(broadcast_shapes("copy_", shape(), source.shape()) == shape(), "copy_", "cannot broadcast ",
                    shape_str(source.shape()), " into ", shape_str(shape()));
  // From another device: moved here first (differentiably), then copied like any source.
  const Tensor here = source.device() == device() ? source : to_device(source, device());
  return apply_inplace(
      *this, "copy_", {here}, [&] { kernel::copy(here, *this); },
      [&](const Tensor& self) { return self * 0.0 + lg::expand(to_dtype(here, self.dtype()), self.shape()); });
}

}  // namespace lg
