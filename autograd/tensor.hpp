// Tensor: a cheap, shared handle to a TensorImpl (storage + shape + strides +
// offset + dtype, and the autograd fields). Copying a Tensor copies the handle,
// not the data: `Tensor b = a;` makes b and a the same tensor. Views (reshape,
// transpose, slice, expand...) make a new TensorImpl over the same Storage.
#pragma once
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <vector>

#include "autograd/device.hpp"
#include "autograd/dtype.hpp"
#include "autograd/shape.hpp"
#include "autograd/storage.hpp"

namespace lg {

class Node;
class Tensor;
using TensorHook = std::function<Tensor(const Tensor&)>;

struct TensorImpl {
  TensorImpl(std::shared_ptr<Storage> storage, Shape shape, Shape strides, std::int64_t offset, DType dtype);
  ~TensorImpl();
  TensorImpl(const TensorImpl&) = delete;
  TensorImpl& operator=(const TensorImpl&) = delete;

  std::shared_ptr<Storage> storage;
  Shape shape;
  Shape strides;
  std::int64_t offset = 0;  // in elements
  DType dtype;

  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;      // accumulated by backward() on leaves
  std::shared_ptr<Node> grad_fn;         // the node that produced this tensor; null for leaves
  std::weak_ptr<Node> grad_accumulator;  // leaves: the node that accumulates into `grad`
  std::vector<TensorHook> hooks;         // leaves only; a non-leaf's hooks live on its grad_fn
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  const std::shared_ptr<TensorImpl>& impl() const { return impl_; }

  // --- metadata -------------------------------------------------------------
  const Shape& shape() const { return checked().shape; }
  const Shape& strides() const { return checked().strides; }
  std::int64_t offset() const { return checked().offset; }
  std::int64_t dim() const { return static_cast<std::int64_t>(shape().size()); }
  std::int64_t size(std::int64_t dim) const;
  std::int64_t numel() const { return numel_of(shape()); }
  DType dtype() const { return checked().dtype; }
  Device device() const { return checked().storage->device(); }
  bool is_contiguous() const;
  bool is_floating_point() const { return is_floating(dtype()); }

  // Pointer to element [0, 0, ...] for host code; T must match the dtype. DeviceError on a device
  // whose memory the host cannot read (copy to the CPU first: t.to(lg::cpu)).
  template <class T> T* data_ptr() const;
  // The value of a one-element tensor, converted to T (copied from the device).
  template <class T> T item() const;
  double item() const { return item<double>(); }
  // All values in row-major order, converted to T (copied from the device).
  template <class T> std::vector<T> to_vector() const;

  // --- autograd -------------------------------------------------------------
  bool requires_grad() const { return checked().requires_grad; }
  Tensor& requires_grad_(bool requires_grad = true);
  bool is_leaf() const { return checked().grad_fn == nullptr; }
  const std::shared_ptr<Node>& grad_fn() const { return checked().grad_fn; }
  Tensor grad() const;
  void set_grad(const Tensor& grad) const;
  // Accumulates d(this)/d(leaf) into every leaf's grad(). A non-scalar tensor needs `gradient`.
  void backward(const Tensor& gradient = {}, bool retain_graph = false, bool create_graph = false) const;
  // A tensor sharing the data, cut from the graph.
  Tensor detach() const;
  // Calls hook(gradient) when the gradient w.r.t. this tensor is computed; a
  // defined return value replaces the gradient.
  void register_hook(TensorHook hook) const;
  // Keep the gradient of a non-leaf in grad() after backward().
  void retain_grad() const;
  std::uint64_t version() const { return checked().storage->version(); }

  // --- common ops as methods (the free functions in lg:: are the reference) ---
  Tensor to(DType dtype) const;
  // A copy on `device` (this tensor when it is there already); differentiable.
  Tensor to(Device device) const;
  Tensor clone() const;
  Tensor contiguous() const;
  Tensor reshape(const Shape& shape) const;
  Tensor view(const Shape& shape) const;
  Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
  Tensor t() const;
  Tensor permute(const Shape& dims) const;
  Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
  Tensor select(std::int64_t dim, std::int64_t index) const;
  Tensor expand(const Shape& shape) const;
  Tensor squeeze(std::optional<std::int64_t> dim = {}) const;
  Tensor unsqueeze(std::int64_t dim) const;
  Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;
  Tensor sum() const;
  Tensor sum(const Shape& dims, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(const Shape& dims, bool keepdim = false) const;
  Tensor matmul(const Tensor& other) const;
  Tensor exp() const;
  Tensor log() const;
  Tensor sqrt() const;
  Tensor abs() const;
  Tensor pow(double exponent) const;

  // --- in-place (bump the version counter) ------------------------------------
  Tensor& add_(const Tensor& other, double alpha = 1.0);
  Tensor& sub_(const Tensor& other);
  Tensor& mul_(const Tensor& other);
  Tensor& mul_(double value);
  Tensor& div_(const Tensor& other);
  Tensor& zero_();
  Tensor& fill_(double value);
  Tensor& copy_(const Tensor& source);

 private:
  const TensorImpl& checked() const;
  std::shared_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& out, const Tensor& tensor);

// Debug counters that tests use to prove memory stays flat.
namespace debug {
std::int64_t live_tensors();
std::int64_t live_nodes();
}  // namespace debug

// --- template definitions -------------------------------------------------------
template <class T>
T* Tensor::data_ptr() const {
  const TensorImpl& impl = checked();
  check<DTypeError>(impl.dtype == dtype_of<T>(), "data_ptr", "tensor has dtype ", impl.dtype,
                    ", requested ", dtype_of<T>());
  return static_cast<T*>(impl.storage->data()) + impl.offset;
}

namespace detail {
// A new TensorImpl over t's storage with the given layout and no autograd state (requires_grad
// false, no grad_fn): what views, detach() and a node's saved output are made of. Two aliases of
// one storage see each other's writes and share its version counter.
Tensor alias(const Tensor& t, Shape shape, Shape strides, std::int64_t offset);
// The same with t's own layout.
Tensor alias(const Tensor& t);
// Writes t's values, row-major, to `host` (t.numel() values of t's dtype), from any device.
void copy_values_to_host(const Tensor& t, void* host);
}  // namespace detail

template <class T>
std::vector<T> Tensor::to_vector() const {
  std::vector<T> values;
  values.reserve(static_cast<std::size_t>(numel()));
  visit_dtype(dtype(), [&]<class S>() {
    std::vector<S> raw(static_cast<std::size_t>(numel()));
    detail::copy_values_to_host(*this, raw.data());
    for (const S value : raw) values.push_back(static_cast<T>(value));
  });
  return values;
}

template <class T>
T Tensor::item() const {
  check<ShapeError>(numel() == 1, "item", "expected a tensor with one element, got shape ", shape_str(shape()));
  return to_vector<T>()[0];
}

}  // namespace lg
