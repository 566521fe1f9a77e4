// Small pieces shared by spectral.cpp and matrix_functions.cpp (not user API): the input check of
// an op on matrices and the unit roundoff that their tolerances scale.
#pragma once
#include <limits>
#include <string_view>

#include "autograd/ops/op_helpers.hpp"

namespace lg::detail {

// A defined float32/float64 tensor of matrices [..., m, n] (square ones when `square`) with finite
// values: LAPACK refuses NaN and inf, so every linear-algebra op rejects them by its own name, as
// decompositions.cpp does.
inline void check_matrices(std::string_view op, const Tensor& a, bool square) {
  check_defined(op, a);
  check_floating(op, a);
  check<ShapeError>(a.dim() >= 2, op, "expected matrices [..., m, n], got ", shape_str(a.shape()));
  if (square)
    check<ShapeError>(a.size(-1) == a.size(-2), op, "expected square matrices [..., n, n], got ",
                      shape_str(a.shape()));
  check<ValueError>(kernel::all_finite(a), op, "A ", shape_str(a.shape()), " has non-finite values (NaN or inf)");
}

// The unit roundoff of x's dtype.
inline double epsilon_of(const Tensor& x) {
  return x.dtype() == DType::float32 ? std::numeric_limits<float>::epsilon() : std::numeric_limits<double>::epsilon();
}

}  // namespace lg::detail
