#include "autograd/tensor.hpp"

#include <atomic>

#include "autograd/backend/kernels.hpp"
#include "autograd/engine.hpp"
#include "autograd/node.hpp"
#include "autograd/ops/ops.hpp"

namespace lg {
namespace {
std::atomic<std::int64_t> live_tensor_count{0};
}

namespace debug {
std::int64_t live_tensors() { return live_tensor_count.load(); }
}  // namespace debug

TensorImpl::TensorImpl(std::shared_ptr<Storage> storage_, Shape shape_, Shape strides_, std::int64_t offset_,
                       DType dtype_)
    : storage(std::move(storage_)), shape(std::move(shape_)), strides(std::move(strides_)), offset(offset_),
      dtype(dtype_) {
  ++live_tensor_count;
}

TensorImpl::~TensorImpl() { --live_tensor_count; }

const TensorImpl& Tensor::checked() const {
  if (!impl_) throw ValueError("tensor: use of an undefined tensor (default-constructed or a missing gradient)");
  return *impl_;
}

std::int64_t Tensor::size(std::int64_t d) const { return shape()[wrap_dim("size", d, dim())]; }

bool Tensor::is_contiguous() const {
  const TensorImpl& impl = checked();
  std::int64_t expected = 1;
  for (std::size_t i = impl.shape.size(); i-- > 0;) {
    if (impl.shape[i] == 1) continue;
    if (impl.strides[i] != expected) return false;
    expected *= impl.shape[i];
  }
  return true;
}

Tensor& Tensor::requires_grad_(bool requires_grad) {
  TensorImpl& impl = const_cast<TensorImpl&>(checked());
  check<ValueError>(impl.grad_fn == nullptr || requires_grad, "requires_grad_",
                    "cannot turn off requires_grad on a non-leaf tensor; use detach()");
  check<DTypeError>(!requires_grad || is_floating(impl.dtype), "requires_grad_",
                    "only floating-point tensors can require grad, got ", impl.dtype);
  impl.requires_grad = requires_grad;
  return *this;
}

Tensor Tensor::grad() const { return Tensor(checked().grad); }

void Tensor::set_grad(const Tensor& grad) const {
  TensorImpl& impl = const_cast<TensorImpl&>(checked());
  if (grad.defined())
    check<ShapeError>(grad.shape() == impl.shape && grad.dtype() == impl.dtype, "set_grad", "gradient ",
                      shape_str(grad.shape()), " ", grad.dtype(), " does not match tensor ", shape_str(impl.shape), " ",
                      impl.dtype);
  impl.grad = grad.impl();
}

void Tensor::backward(const Tensor& gradient, bool retain_graph, bool create_graph) const {
  lg::backward({*this}, gradient.defined() ? std::vector<Tensor>{gradient} : std::vector<Tensor>{},
               {.create_graph = create_graph, .retain_graph = retain_graph});
}

Tensor detail::alias(const Tensor& t, Shape shape, Shape strides, std::int64_t offset) {
  const DType dtype = t.dtype();  // throws on an undefined tensor
  return Tensor(std::make_shared<TensorImpl>(t.impl()->storage, std::move(shape), std::move(strides), offset, dtype));
}

Tensor detail::alias(const Tensor& t) { return alias(t, t.shape(), t.strides(), t.offset()); }

Tensor Tensor::detach() const { return detail::alias(*this); }

void Tensor::register_hook(TensorHook hook) const {
  check<ValueError>(requires_grad(), "register_hook", "cannot register a hook on a tensor that does not require grad");
  if (grad_fn()) grad_fn()->add_pre_hook(std::move(hook));
  else impl_->hooks.push_back(std::move(hook));
}

void Tensor::retain_grad() const {
  check<ValueError>(requires_grad(), "retain_grad", "the tensor does not require grad");
  if (is_leaf()) return;
  std::weak_ptr<TensorImpl> self = impl_;
  grad_fn()->add_pre_hook([self](const Tensor& grad) {
    if (auto impl = self.lock()) impl->grad = grad.detach().impl();
    return Tensor{};
  });
}

Tensor Tensor::to(DType dtype) const { return to_dtype(*this, dtype); }
Tensor Tensor::to(Device device) const { return to_device(*this, device); }

void detail::copy_values_to_host(const Tensor& t, void* host) { kernel::copy_to_host(t, host); }
Tensor Tensor::clone() const { return lg::clone(*this); }
Tensor Tensor::contiguous() const { return lg::contiguous(*this); }
Tensor Tensor::reshape(const Shape& shape) const { return lg::reshape(*this, shape); }
Tensor Tensor::view(const Shape& shape) const { return lg::view(*this, shape); }
Tensor Tensor::transpose(std::int64_t dim0, std::int64_t dim1) const { return lg::transpose(*this, dim0, dim1); }
Tensor Tensor::t() const {
  check<ShapeError>(dim() <= 2, "t", "expected at most 2 dims, got shape ", shape_str(shape()));
  return dim() < 2 ? *this : lg::transpose(*this, 0, 1);
}
Tensor Tensor::permute(const Shape& dims) const { return lg::permute(*this, dims); }
Tensor Tensor::narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const {
  return lg::narrow(*this, dim, start, length);
}
Tensor Tensor::select(std::int64_t dim, std::int64_t index) const { return lg::select(*this, dim, index); }
Tensor Tensor::expand(const Shape& shape) const { return lg::expand(*this, shape); }
Tensor Tensor::squeeze(std::optional<std::int64_t> dim) const { return lg::squeeze(*this, dim); }
Tensor Tensor::unsqueeze(std::int64_t dim) const { return lg::unsqueeze(*this, dim); }
Tensor Tensor::flatten(std::int64_t start_dim, std::int64_t end_dim) const {
  return lg::flatten(*this, start_dim, end_dim);
}
Tensor Tensor::sum() const { return lg::sum(*this); }
Tensor Tensor::sum(const Shape& dims, bool keepdim) const { return lg::sum(*this, dims, keepdim); }
Tensor Tensor::mean() const { return lg::mean(*this); }
Tensor Tensor::mean(const Shape& dims, bool keepdim) const { return lg::mean(*this, dims, keepdim); }
Tensor Tensor::matmul(const Tensor& other) const { return lg::matmul(*this, other); }
Tensor Tensor::exp() const { return lg::exp(*this); }
Tensor Tensor::log() const { return lg::log(*this); }
Tensor Tensor::sqrt() const { return lg::sqrt(*this); }
Tensor Tensor::abs() const { return lg::abs(*this); }
Tensor Tensor::pow(double exponent) const { return lg::pow(*this, exponent); }

}  // namespace lg
