// Two helpers every CPU kernel file uses: the device check and a typed pointer
// to a tensor's first element (storage start + offset). Kernels then index with
// the tensor's own strides.
#pragma once
#include <string_view>

#include "autograd/error.hpp"
#include "autograd/tensor.hpp"

namespace lg::kernel::cpu {

inline void check_cpu(std::string_view op, const Tensor& t) {
  if (t.device().type != Device::Type::cpu) fail<DeviceError>(op, "no kernel for device ", t.device(), " in this build");
}

template <class T>
T* base(const Tensor& t) {
  return static_cast<T*>(t.impl()->storage->data()) + t.offset();
}

}  // namespace lg::kernel::cpu
