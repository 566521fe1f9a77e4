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

// The data behind a Tensor: a strided view (shape, strides, offset in elements) of a Storage,
// and its autograd state.
struct TensorImpl {
  // Takes the view's layout as given (no checks) with no autograd state; counted by debug::live_tensors().
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

  // Forward mode (autograd/forward_mode.hpp): the tangents [T, *shape] this value carries, T of them
  // stacked along a leading dim; null when it carries none (all its tangents are zero).
  std::shared_ptr<TensorImpl> tangent;
};

// A shared handle to a TensorImpl; copies share the tensor, and a default-constructed one is undefined.
class Tensor {
 public:
  Tensor() = default;
  // Wraps impl (null gives an undefined tensor).
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // Whether this handle points at a TensorImpl.
  bool defined() const { return impl_ != nullptr; }
  // The shared TensorImpl (null when undefined).
  const std::shared_ptr<TensorImpl>& impl() const { return impl_; }

  // --- metadata -------------------------------------------------------------
  // The size of each dim; every accessor below throws ValueError on an undefined tensor.
  const Shape& shape() const { return checked().shape; }
  // The step, in elements, between neighbours along each dim.
  const Shape& strides() const { return checked().strides; }
  // Where element [0, 0, ...] sits in the storage, in elements.
  std::int64_t offset() const { return checked().offset; }
  // The number of dims (0 for a scalar).
  std::int64_t dim() const { return static_cast<std::int64_t>(shape().size()); }
  // The size of dim `dim` (negative counts from the end); throws when out of range.
  std::int64_t size(std::int64_t dim) const;
  // The number of elements, the product of the shape (1 for a scalar).
  std::int64_t numel() const { return numel_of(shape()); }
  // The element type.
  DType dtype() const { return checked().dtype; }
  // The device of the storage.
  Device device() const { return checked().storage->device(); }
  // Whether the elements lie in row-major order with no gaps (dims of size 1 are ignored).
  bool is_contiguous() const;
  // Whether the dtype is a floating-point one.
  bool is_floating_point() const { return is_floating(dtype()); }

  // Pointer to element [0, 0, ...] for host code; T must match the dtype. DeviceError on a device
  // whose memory the host cannot read (copy to the CPU first: t.to(lg::cpu)).
  template <class T> T* data_ptr() const;
  // The value of a one-element tensor, converted to T (copied from the device).
  template <class T> T item() const;
  // The value of a one-element tensor as a double; ShapeError otherwise.
  double item() const { return item<double>(); }
  // All values in row-major order, converted to T (copied from the device).
  template <class T> std::vector<T> to_vector() const;

  // --- autograd -------------------------------------------------------------
  // Whether gradients flow to this tensor.
  bool requires_grad() const { return checked().requires_grad; }
  // Sets requires_grad and returns *this; DTypeError for a non-floating dtype, and a non-leaf cannot turn it off.
  Tensor& requires_grad_(bool requires_grad = true);
  // Whether no node produced this tensor (grad_fn is null).
  bool is_leaf() const { return checked().grad_fn == nullptr; }
  // The node that produced this tensor; null for a leaf.
  const std::shared_ptr<Node>& grad_fn() const { return checked().grad_fn; }
  // The accumulated gradient (undefined before any backward()).
  Tensor grad() const;
  // Replaces the gradient (undefined clears it); ShapeError unless grad has this tensor's shape and dtype.
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
  // The storage's version counter, which every in-place write bumps.
  std::uint64_t version() const { return checked().storage->version(); }

  // --- common ops as methods (the free functions in lg:: are the reference) ---
  // This tensor converted to dtype, itself when it has it already (see lg::to_dtype).
  Tensor to(DType dtype) const;
  // A copy on `device` (this tensor when it is there already); differentiable.
  Tensor to(Device device) const;
  // A copy with its own contiguous storage; differentiable.
  Tensor clone() const;
  // This tensor if contiguous, else a contiguous copy.
  Tensor contiguous() const;
  // The same values in `shape` (a view when the strides allow, else a copy); one size may be -1.
  Tensor reshape(const Shape& shape) const;
  // A view with `shape`; throws when the strides cannot express it without a copy.
  Tensor view(const Shape& shape) const;
  // A view with dims dim0 and dim1 swapped.
  Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
  // The transpose of a matrix; a tensor of at most one dim is returned as is, more dims throw ShapeError.
  Tensor t() const;
  // A view whose dim i is this tensor's dim dims[i].
  Tensor permute(const Shape& dims) const;
  // A view of indices [start, start + length) along dim.
  Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
  // A view of slice `index` along dim, which is removed.
  Tensor select(std::int64_t dim, std::int64_t index) const;
  // A view broadcast to shape (size-1 dims repeat with stride 0).
  Tensor expand(const Shape& shape) const;
  // A view without dim when its size is 1 (else the same shape), or without every size-1 dim when none is given.
  Tensor squeeze(std::optional<std::int64_t> dim = {}) const;
  // A view with a new dim of size 1 at position dim.
  Tensor unsqueeze(std::int64_t dim) const;
  // A view with dims start_dim..end_dim merged into one (a copy when the strides do not allow it).
  Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;
  // The sum of all elements, a scalar.
  Tensor sum() const;
  // The sum over dims, keeping them as size 1 when keepdim.
  Tensor sum(const Shape& dims, bool keepdim = false) const;
  // The mean of all elements, a scalar.
  Tensor mean() const;
  // The mean over dims, keeping them as size 1 when keepdim.
  Tensor mean(const Shape& dims, bool keepdim = false) const;
  // The matrix product with other (see lg::matmul).
  Tensor matmul(const Tensor& other) const;
  // e^x elementwise.
  Tensor exp() const;
  // The natural log elementwise.
  Tensor log() const;
  // The square root elementwise.
  Tensor sqrt() const;
  // |x| elementwise.
  Tensor abs() const;
  // x^exponent elementwise.
  Tensor pow(double exponent) const;

  // --- in-place (bump the version counter) ------------------------------------
  // this += alpha * other, other broadcast into this shape with this dtype; returns *this. Under
  // grad mode, a leaf that requires grad throws.
  Tensor& add_(const Tensor& other, double alpha = 1.0);
  // this -= other (other broadcasts into this tensor's shape); returns *this.
  Tensor& sub_(const Tensor& other);
  // this *= other (other broadcasts into this tensor's shape); returns *this.
  Tensor& mul_(const Tensor& other);
  // this *= value; returns *this.
  Tensor& mul_(double value);
  // this /= other (other broadcasts into this tensor's shape); returns *this.
  Tensor& div_(const Tensor& other);
  // Sets every element to 0; returns *this.
  Tensor& zero_();
  // Sets every element to value; returns *this.
  Tensor& fill_(double value);
  // Copies source's values in (broadcast, converted to this dtype, moved from its device); returns *this.
  Tensor& copy_(const Tensor& source);

 private:
  const TensorImpl& checked() const;
  std::shared_ptr<TensorImpl> impl_;
};

// Prints the dtype, shape, device (when not the CPU), requires_grad (when set) and the values.
std::ostream& operator<<(std::ostream& out, const Tensor& tensor);

// Debug counters that tests use to prove memory stays flat.
namespace debug {
// The number of TensorImpls alive now.
std::int64_t live_tensors();
// The number of autograd Nodes alive now.
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
