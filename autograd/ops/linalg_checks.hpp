// Input checks shared by the linear-algebra op files (decompositions.cpp, spectral.cpp,
// matrix_functions.cpp; not user API), and the unit roundoff their tolerances scale.
#pragma once
#include <limits>
#include <string_view>

#include "autograd/ops/op_helpers.hpp"

namespace lg::detail {

// A defined float32/float64 tensor of matrices [..., m, n]; ShapeError or DTypeError naming `op`.
inline void check_matrices(std::string_view op, const Tensor& a) {
  check_defined(op, a);
  check_floating(op, a);
  check<ShapeError>(a.dim() >= 2, op, "expected matrices [..., m, n], got ", shape_str(a.shape()));
}

// The same, with square matrices [..., n, n].
inline void check_square(std::string_view op, const Tensor& a) {
  check_matrices(op, a);
  check<ShapeError>(a.size(-1) == a.size(-2), op, "expected square matrices [..., n, n], got ", shape_str(a.shape()));
}

// LAPACK refuses NaN and inf (LAPACKE would report a bad argument from inside the kernel), so every
// linear-algebra op rejects them first, by its own name: "`op`: `what` [2, 3] has non-finite values".
inline void check_finite(std::string_view op, std::string_view what, const Tensor& x) {
  check<ValueError>(kernel::all_finite(x), op, what, " ", shape_str(x.shape()), " has non-finite values (NaN or inf)");
}

// check_square or check_matrices, then check_finite of A: the whole input check of a spectral op.
inline void check_matrices(std::string_view op, const Tensor& a, bool square) {
  if (square) check_square(op, a);
  else check_matrices(op, a);
  check_finite(op, "A", a);
}

// The unit roundoff of x's dtype.
inline double epsilon_of(const Tensor& x) {
  return x.dtype() == DType::float32 ? std::numeric_limits<float>::epsilon() : std::numeric_limits<double>::epsilon();
}

}  // namespace lg::detail
