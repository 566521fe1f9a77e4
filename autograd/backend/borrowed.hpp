// Tensors over memory that something else owns, for backends: a dense tensor
// over host values being copied in or out, and (the test device) the same
// bytes seen as another device's. Nothing is freed when they die.
#pragma once
#include "autograd/tensor.hpp"

namespace lg::kernel {

// A contiguous tensor of `shape` and `dtype` over `data`, on `device`.
inline Tensor borrowed_tensor(void* data, const Shape& shape, DType dtype, Device device) {
  const auto nbytes = static_cast<std::size_t>(numel_of(shape)) * dtype_size(dtype);
  return Tensor(std::make_shared<TensorImpl>(Storage::borrow(data, nbytes, device), shape,
                                             contiguous_strides(shape), 0, dtype));
}

// `t`'s view (same bytes, shape, strides, offset and dtype) as a tensor on `device`; undefined
// stays undefined. Only autograd-free data travels: no grad, no graph.
inline Tensor same_bytes_on(const Tensor& t, Device device) {
  if (!t.defined()) return t;
  const Storage& storage = *t.impl()->storage;
  return Tensor(std::make_shared<TensorImpl>(Storage::borrow(storage.device_data(), storage.nbytes(), device),
                                             t.shape(), t.strides(), t.offset(), t.dtype()));
}

}  // namespace lg::kernel
