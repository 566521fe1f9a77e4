// Shared checks and small helpers for op implementations (not user API).
#pragma once
#include <string_view>

#include "autograd/backend/kernels.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/node.hpp"

namespace lg::detail {

inline void check_same_device(std::string_view op, const Tensor& a, const Tensor& b) {
  if (a.device() != b.device()) fail<DeviceError>(op, "device mismatch, ", a.device(), " and ", b.device());
}

inline void check_same_dtype(std::string_view op, const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype()) fail<DTypeError>(op, "dtype mismatch, ", a.dtype(), " and ", b.dtype());
}

inline void check_defined(std::string_view op, const Tensor& t) {
  check<ValueError>(t.defined(), op, "got an undefined tensor");
}

inline void check_floating(std::string_view op, const Tensor& t) {
  if (!t.is_floating_point())
    fail<DTypeError>(op, "expected a floating-point tensor (float32 or float64), got ", t.dtype(), " with shape ",
                     shape_str(t.shape()));
}

// Dims as flags, one per dim of a rank-`rank` tensor; empty `dims` means all.
std::vector<bool> dim_flags(std::string_view op, const Shape& dims, std::int64_t rank);

}  // namespace lg::detail
