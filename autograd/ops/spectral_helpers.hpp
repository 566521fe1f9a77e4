// Small pieces shared by spectral.cpp and matrix_functions.cpp (not user API): the input check of
// an op on matrices, and the matrix forms the backwards are written in, all differentiable.
#pragma once
#include <limits>
#include <string_view>

#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/view.hpp"

namespace lg::detail {

// A defined float32/float64 tensor of matrices [..., m, n] (square ones when `square`).
inline void check_matrices(std::string_view op, const Tensor& a, bool square) {
  check_defined(op, a);
  check_floating(op, a);
  check<ShapeError>(a.dim() >= 2, op, "expected matrices [..., m, n], got ", shape_str(a.shape()));
  if (square)
    check<ShapeError>(a.size(-1) == a.size(-2), op, "expected square matrices [..., n, n], got ",
                      shape_str(a.shape()));
}

// The transpose of each matrix of x [..., m, n].
inline Tensor transposed(const Tensor& x) { return transpose(x, -2, -1); }

// (X + X^T) / 2 of each square matrix.
inline Tensor symmetrised(const Tensor& x) { return (x + transposed(x)) * 0.5; }

// diag(v) of each vector v [..., n]: [..., n, n].
inline Tensor diagonal_matrix(const Tensor& v) {
  const std::int64_t n = v.size(-1);
  return unsqueeze(v, -1) * eye(n, v.dtype()).to(v.device());
}

// The unit roundoff of x's dtype.
inline double epsilon_of(const Tensor& x) {
  return x.dtype() == DType::float32 ? std::numeric_limits<float>::epsilon() : std::numeric_limits<double>::epsilon();
}

}  // namespace lg::detail
