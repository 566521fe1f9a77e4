// Differentiable linear algebra. Every op takes matrices in the last two dims
// and is batched over any leading dims ([..., m, n]); float32 and float64.
// Forwards call the backend's LAPACK-style kernels; backwards are written with
// differentiable ops (so second order works), each from the published
// derivation named in its file.
//
// Conventions (each op's file says more):
//   - eigh / eigvalsh: eigenvalues ascending; svd / svdvals: singular values
//     descending.
//   - Eigenvectors and singular vectors are defined up to sign; we fix it so
//     that the entry of largest magnitude of each eigenvector, and of each
//     left singular vector u_i, is positive (v_i follows from A v_i = s_i u_i).
//   - qr is the reduced factorisation of a tall or square A with a positive
//     diagonal in R, which makes it unique for full-rank A.
//   - A matrix that the op's domain excludes (not positive definite for
//     cholesky, singular for solve/inverse) gets a ValueError naming the op and
//     the offending batch item.
#pragma once
#include "autograd/tensor.hpp"

namespace lg {

// --- parts of matrices (views and masks; matrix_parts.cpp) -------------------

// The main diagonal of each matrix: [..., n, n] (or [..., m, n]) -> [..., min(m, n)], a strided view.
Tensor diagonal(const Tensor& x);
// Square matrices with `v` on the diagonal and zeros elsewhere: [..., n] -> [..., n, n].
Tensor diag_embed(const Tensor& v);
// The lower triangle (j <= i + k, k = 0 keeps the diagonal), zeros above: [..., m, n].
Tensor tril(const Tensor& x, std::int64_t k = 0);
// The upper triangle (j >= i + k), zeros below: [..., m, n].
Tensor triu(const Tensor& x, std::int64_t k = 0);
// The sum of the diagonal of each matrix: [..., n, n] -> [...].
Tensor trace(const Tensor& x);
// The transpose of each matrix, a view: [..., m, n] -> [..., n, m].
Tensor matrix_transpose(const Tensor& x);
// (X + X^T) / 2 of each square matrix.
Tensor symmetric_part(const Tensor& x);
// (X - X^T) / 2 of each square matrix.
Tensor skew_part(const Tensor& x);

// --- factorisations and solves (decompositions.cpp) -------------------------

// The lower-triangular L with positive diagonal and A = L L^T, for symmetric positive-definite A
// [..., n, n] (only the lower triangle of A is read; the gradient is symmetrised).
Tensor cholesky(const Tensor& a);
// X with A X = B: A [..., n, n] invertible, B [..., n, k] with the same leading dims.
Tensor solve(const Tensor& a, const Tensor& b);
// X with T X = B for triangular T [..., n, n] (the `upper` or the lower triangle is read, the other
// ignored), B [..., n, k]; unit_diagonal treats T's diagonal as ones.
Tensor triangular_solve(const Tensor& t, const Tensor& b, bool upper, bool unit_diagonal = false);
// A^{-1} of each invertible square matrix.
Tensor inverse(const Tensor& a);
// det(A) of each square matrix: [..., n, n] -> [...] (by LU with partial pivoting).
Tensor det(const Tensor& a);
// sign(det A) and log |det A| of each square matrix, each [...]; sign is 0 and logabsdet -inf when singular.
struct SignLogDet {
  Tensor sign;       // +1, -1 (or 0 for a singular matrix); not differentiable
  Tensor logabsdet;  // log |det A|
};
// sign and log |det A| without overflow for large n: see SignLogDet.
SignLogDet slogdet(const Tensor& a);
// Q [..., m, n] with orthonormal columns and upper-triangular R [..., n, n] with positive diagonal.
struct QR {
  Tensor q;  // [..., m, n], Q^T Q = I
  Tensor r;  // [..., n, n], upper triangular, diagonal > 0 for full-rank A
};
// The reduced QR factorisation A = Q R of A [..., m, n], m >= n.
QR qr(const Tensor& a);

// --- spectral decompositions (spectral.cpp) --------------------------------

// Eigenvalues ascending, [..., n], and orthonormal eigenvectors as columns, [..., n, n].
struct Eigh {
  Tensor eigenvalues;   // [..., n], ascending
  Tensor eigenvectors;  // [..., n, n], column i belongs to eigenvalue i, sign as in the header comment
};
// A = V diag(w) V^T for symmetric A [..., n, n] (the lower triangle is read).
Eigh eigh(const Tensor& a);
// The eigenvalues of symmetric A, ascending: [..., n].
Tensor eigvalsh(const Tensor& a);
// The thin SVD A = U diag(s) V^T, k = min(m, n).
struct SVD {
  Tensor u;  // [..., m, k], orthonormal columns
  Tensor s;  // [..., k], descending, >= 0
  Tensor v;  // [..., n, k], orthonormal columns (V, not V^T)
};
// The thin singular value decomposition of A [..., m, n]: see SVD.
SVD svd(const Tensor& a);
// The singular values of A [..., m, n], descending: [..., min(m, n)].
Tensor svdvals(const Tensor& a);

// --- matrix functions (matrix_functions.cpp) ---------------------------------

// e^A of a general square matrix, by scaling and squaring with a Pade approximant (Higham 2005).
Tensor matrix_exp(const Tensor& a);
// The symmetric positive-definite square root of SPD A.
Tensor sqrtm(const Tensor& a);
// The symmetric logarithm of SPD A.
Tensor logm(const Tensor& a);
// e^A of symmetric A (an SPD matrix), through its eigendecomposition.
Tensor expm(const Tensor& a);

}  // namespace lg
