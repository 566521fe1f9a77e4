// Element types. float32 is the default; float64 is what gradcheck and the
// references use; int64 holds labels and indices and is never differentiated.
#pragma once
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string_view>

#include "autograd/error.hpp"

namespace lg {

enum class DType : std::uint8_t { float32, float64, int64 };
inline constexpr DType float32 = DType::float32;
inline constexpr DType float64 = DType::float64;
inline constexpr DType int64 = DType::int64;

// The dtype's name: "float32", "float64" or "int64".
constexpr std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::float32: return "float32";
    case DType::float64: return "float64";
    case DType::int64: return "int64";
  }
  return "unknown";
}
// Writes dtype_name(dtype).
inline std::ostream& operator<<(std::ostream& out, DType dtype) { return out << dtype_name(dtype); }

// Bytes per element: 4 for float32, 8 for float64 and int64.
constexpr std::size_t dtype_size(DType dtype) { return dtype == DType::float32 ? 4 : 8; }
// Whether dtype is float32 or float64 (int64 is not).
constexpr bool is_floating(DType dtype) { return dtype != DType::int64; }

// The DType of the C++ type T (float, double or std::int64_t; others do not link).
template <class T> constexpr DType dtype_of();
// float is float32.
template <> constexpr DType dtype_of<float>() { return DType::float32; }
// double is float64.
template <> constexpr DType dtype_of<double>() { return DType::float64; }
// std::int64_t is int64.
template <> constexpr DType dtype_of<std::int64_t>() { return DType::int64; }

// Calls fn.template operator()<T>() with the C++ type of `dtype`.
template <class Fn>
decltype(auto) visit_dtype(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::float32: return fn.template operator()<float>();
    case DType::float64: return fn.template operator()<double>();
    case DType::int64: return fn.template operator()<std::int64_t>();
  }
  throw InternalError("visit_dtype: internal error, unknown dtype");
}

// Same, for ops that only make sense on floating point; names `op` otherwise.
template <class Fn>
decltype(auto) visit_floating(DType dtype, std::string_view op, Fn&& fn) {
  switch (dtype) {
    case DType::float32: return fn.template operator()<float>();
    case DType::float64: return fn.template operator()<double>();
    case DType::int64: break;
  }
  fail<DTypeError>(op, "expected a floating-point tensor (float32 or float64), got int64");
}

}  // namespace lg
