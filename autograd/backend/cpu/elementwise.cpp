// CPU elementwise kernels: unary and binary maps, where, copy, fill, each one
// map of elementwise_maps.hpp with the formula in a lambda.
#include <cmath>
#include <limits>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/cpu/elementwise_maps.hpp"
#include "autograd/backend/strided_iterator.hpp"

namespace lg::kernel::cpu {
namespace {

// 1 / (1 + e^-v): for very negative v, e^-v overflows to inf and the result is
// exactly 0, the right limit. No branch, so random signs cost nothing extra.
// (fast/elementwise_float32.cpp has a float32 version that vectorises.)
template <class T>
T sigmoid(T v) {
  return T(1) / (T(1) + std::exp(-v));
}

// log(1 + e^-|x|), the log term of binary cross-entropy with logits.
template <class T>
T softplus_of_minus_abs(T x) {
  return std::log1p(std::exp(-std::abs(x)));
}

template <class T>
void unary_typed(Unary op, const Tensor& x, const Tensor& out, T alpha, T beta) {
  constexpr bool is_float = std::is_floating_point_v<T>;
  switch (op) {
    case Unary::neg: return map1<T, T>(x, out, [](T v) { return -v; });
    case Unary::abs: return map1<T, T>(x, out, [](T v) { return v < 0 ? -v : v; });
    case Unary::sign: return map1<T, T>(x, out, [](T v) { return T((v > 0) - (v < 0)); });
    case Unary::relu: return map1<T, T>(x, out, [](T v) { return v > 0 ? v : T(0); });
    case Unary::clamp:
      return map1<T, T>(x, out, [=](T v) {
        if (!(v >= alpha) && alpha == alpha) v = alpha;  // NaN bound means "no bound"
        if (!(v <= beta) && beta == beta) v = beta;
        return v;
      });
    case Unary::gt_scalar: return map1<T, T>(x, out, [=](T v) { return T(v > alpha); });
    case Unary::inside:
      return map1<T, T>(x, out, [=](T v) { return T((alpha != alpha || v >= alpha) && (beta != beta || v <= beta)); });
    default: break;
  }
  if constexpr (is_float) {
    switch (op) {
      case Unary::exp: return map1<T, T>(x, out, [](T v) { return std::exp(v); });
      case Unary::log: return map1<T, T>(x, out, [](T v) { return std::log(v); });
      case Unary::log1p: return map1<T, T>(x, out, [](T v) { return std::log1p(v); });
      case Unary::expm1: return map1<T, T>(x, out, [](T v) { return std::expm1(v); });
      case Unary::sqrt: return map1<T, T>(x, out, [](T v) { return std::sqrt(v); });
      case Unary::rsqrt: return map1<T, T>(x, out, [](T v) { return T(1) / std::sqrt(v); });
      case Unary::sin: return map1<T, T>(x, out, [](T v) { return std::sin(v); });
      case Unary::cos: return map1<T, T>(x, out, [](T v) { return std::cos(v); });
      case Unary::tanh: return map1<T, T>(x, out, [](T v) { return std::tanh(v); });
      case Unary::erf: return map1<T, T>(x, out, [](T v) { return std::erf(v); });
      case Unary::sigmoid: return map1<T, T>(x, out, [](T v) { return sigmoid(v); });
      case Unary::leaky_relu: return map1<T, T>(x, out, [=](T v) { return v > 0 ? v : alpha * v; });
      case Unary::elu: return map1<T, T>(x, out, [=](T v) { return v > 0 ? v : alpha * std::expm1(v); });
      case Unary::softplus:
        return map1<T, T>(x, out, [=](T v) {
          const T z = alpha * v;
          return z > beta ? v : std::log1p(std::exp(z)) / alpha;
        });
      case Unary::gelu:
        return map1<T, T>(x, out, [](T v) { return T(0.5) * v * (T(1) + std::erf(v * T(M_SQRT1_2))); });
      case Unary::pow_scalar: return map1<T, T>(x, out, [=](T v) { return std::pow(v, alpha); });
      default: break;
    }
  }
  fail<DTypeError>("unary", "op not defined for dtype ", dtype_of<T>());
}

template <class T>
void binary_typed(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, T alpha) {
  switch (op) {
    case Binary::add:
      if (alpha == T(1)) return map2<T>(a, b, out, [](T x, T y) { return x + y; });
      return map2<T>(a, b, out, [=](T x, T y) { return x + alpha * y; });
    case Binary::sub:
      if (alpha == T(1)) return map2<T>(a, b, out, [](T x, T y) { return x - y; });
      return map2<T>(a, b, out, [=](T x, T y) { return x - alpha * y; });
    case Binary::mul: return map2<T>(a, b, out, [](T x, T y) { return x * y; });
    case Binary::div:
      if constexpr (std::is_integral_v<T>)
        return map2<T>(a, b, out, [](T x, T y) { return y == 0 ? T(0) : x / y; });
      else
        return map2<T>(a, b, out, [](T x, T y) { return x / y; });
    case Binary::pow:
      return map2<T>(a, b, out, [](T x, T y) { return static_cast<T>(std::pow(x, y)); });
    case Binary::maximum: return map2<T>(a, b, out, [](T x, T y) { return x != x || x > y ? x : y; });
    case Binary::minimum: return map2<T>(a, b, out, [](T x, T y) { return x != x || x < y ? x : y; });
    case Binary::eq: return map2<T>(a, b, out, [](T x, T y) { return T(x == y); });
    case Binary::ne: return map2<T>(a, b, out, [](T x, T y) { return T(x != y); });
    case Binary::lt: return map2<T>(a, b, out, [](T x, T y) { return T(x < y); });
    case Binary::le: return map2<T>(a, b, out, [](T x, T y) { return T(x <= y); });
    case Binary::gt: return map2<T>(a, b, out, [](T x, T y) { return T(x > y); });
    case Binary::ge: return map2<T>(a, b, out, [](T x, T y) { return T(x >= y); });
    case Binary::relu_backward: return map2<T>(a, b, out, [](T g, T x) { return x > 0 ? g : T(0); });
    case Binary::sigmoid_backward: return map2<T>(a, b, out, [](T g, T y) { return g * (y * (T(1) - y)); });
    case Binary::bce_with_logits:
      return map2<T>(a, b, out, [](T x, T t) {
        return (x > T(0) ? x : T(0)) - x * t + softplus_of_minus_abs(x);
      });
    case Binary::atan2:
      if constexpr (std::is_floating_point_v<T>) return map2<T>(a, b, out, [](T y, T x) { return std::atan2(y, x); });
      break;
  }
}

}  // namespace

void unary(Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) {
  check_cpu("unary", x);
  visit_dtype(x.dtype(), [&]<class T>() { unary_typed<T>(op, x, out, static_cast<T>(alpha), static_cast<T>(beta)); });
}

void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) {
  check_cpu("binary", a);
  visit_dtype(out.dtype(), [&]<class T>() { binary_typed<T>(op, a, b, out, static_cast<T>(alpha)); });
}

void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) {
  check_cpu("where", a);
  visit_dtype(out.dtype(), [&]<class T>() {
    visit_dtype(condition.dtype(), [&]<class C>() {
      const C* cp = base<C>(condition);
      const T* ap = base<T>(a);
      const T* bp = base<T>(b);
      T* op = base<T>(out);
      const Shape& shape = out.shape();
      const auto layout = make_layout<4>(shape, {out.strides(), broadcast_strides(condition, shape),
                                                 broadcast_strides(a, shape), broadcast_strides(b, shape)});
      parallel_rows(layout, [&](const std::array<std::int64_t, 4>& at, std::int64_t n,
                                const std::array<std::int64_t, 4>& step) {
        for (std::int64_t i = 0; i < n; ++i)
          op[at[0] + i * step[0]] = cp[at[1] + i * step[1]] != C(0) ? ap[at[2] + i * step[2]] : bp[at[3] + i * step[3]];
      });
    });
  });
}

void copy(const Tensor& src, const Tensor& dst) {
  check_cpu("copy", src);
  visit_dtype(dst.dtype(), [&]<class T>() {
    visit_dtype(src.dtype(), [&]<class S>() { map1<T, S>(src, dst, [](S v) { return static_cast<T>(v); }); });
  });
}

void fill(const Tensor& dst, double value) {
  check_cpu("fill", dst);
  visit_dtype(dst.dtype(), [&]<class T>() {
    const T v = static_cast<T>(value);
    T* op = base<T>(dst);
    const auto layout = make_layout<1>(dst.shape(), {dst.strides()});
    parallel_rows(layout, [&](const std::array<std::int64_t, 1>& at, std::int64_t n,
                              const std::array<std::int64_t, 1>& step) {
      for (std::int64_t i = 0; i < n; ++i) op[at[0] + i * step[0]] = v;
    });
  });
}

bool all_finite(const Tensor& x) {
  check_cpu("all_finite", x);
  bool finite = true;
  visit_dtype(x.dtype(), [&]<class T>() {
    if constexpr (std::is_floating_point_v<T>) {
      const T* xp = base<T>(x);
      const auto layout = make_layout<1>(x.shape(), {x.strides()});
      for_each_row(layout, 0, layout.rows(), [&](const std::array<std::int64_t, 1>& at, std::int64_t n,
                                                 const std::array<std::int64_t, 1>& step) {
        // No early exit and a bitwise or (no short circuit), so the loop vectorises in GCC and clang
        // (with -fno-trapping-math, CMakeLists.txt; an `omp simd` here warned in the -O1 sanitizer
        // build, which vectorises nothing); NaN fails the comparison too.
        int bad = 0;
        const T* row = xp + at[0];
        if (step[0] == 1) {
          for (std::int64_t i = 0; i < n; ++i) bad |= !(std::abs(row[i]) <= std::numeric_limits<T>::max());
        } else {
          for (std::int64_t i = 0; i < n; ++i) bad |= !(std::abs(row[i * step[0]]) <= std::numeric_limits<T>::max());
        }
        finite = finite && bad == 0;
      });
    }
  });
  return finite;
}

}  // namespace lg::kernel::cpu
