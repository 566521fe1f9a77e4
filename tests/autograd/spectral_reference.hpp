// Independent float64 references for the spectral ops (plain loops over row-major values, no
// LAPACK, no library op): Jacobi's eigenvalue iteration, the one-sided Jacobi SVD and the Taylor
// series of e^A; and the test matrices they are checked on, built with a prescribed spectrum.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include <latentgeo.hpp>

namespace lg::testing {

// A dense row-major n x n (or m x n) matrix of float64 values.
using Values = std::vector<double>;

// The eigenpairs of a symmetric n x n matrix: values ascending, vectors as the columns of a
// row-major n x n matrix, each with its entry of largest magnitude positive (linalg.hpp's rule).
struct EigenPairs {
  Values values;
  Values vectors;
};
// Cyclic Jacobi rotations until the off-diagonal part vanishes (Golub and Van Loan, Section 8.5).
EigenPairs jacobi_eigen(const Values& symmetric, std::int64_t n);

// The thin SVD of an m x n matrix, k = min(m, n): u m x k, s descending, v n x k (row-major), u_i's
// entry of largest magnitude positive and v_i with it.
struct SingularTriples {
  Values u, s, v;
};
// One-sided Jacobi (Hestenes): rotate pairs of columns until all are orthogonal.
SingularTriples jacobi_svd(const Values& a, std::int64_t m, std::int64_t n);

// e^A of an n x n matrix: the Taylor series of A / 2^s with ||A / 2^s||_inf <= 1/2, squared s times.
Values taylor_exp(const Values& a, std::int64_t n);

// V diag(f(w)) V^T from jacobi_eigen of a symmetric matrix.
Values symmetric_function_reference(const Values& symmetric, std::int64_t n, double (*f)(double));

// The ops' reference over a batch: `per_matrix` maps each [rows, columns] block of x (its
// row-major values) to the output block, and the blocks are stacked under x's leading dims.
Tensor batched_reference(const Tensor& x, const Shape& block_shape,
                         const std::function<Values(const Values&, std::int64_t, std::int64_t)>& per_matrix);

// (X + X^T) / 2 of each matrix of x (row-major values of one n x n matrix).
Values symmetric_part_of(const Values& x, std::int64_t n);

// A random orthogonal n x n matrix (a product of n Householder reflections), row-major.
Values random_orthogonal(Generator& g, std::int64_t n);
// Q diag(spectrum) Q^T with a random orthogonal Q, for each of `batch` matrices: [batch..., n, n].
Tensor with_eigenvalues(Generator& g, const Shape& batch, const std::vector<double>& spectrum);
// U0 diag(sigma) V0^T with random orthonormal columns U0 [m, k], V0 [n, k], for each of `batch`
// matrices: [batch..., m, n], k = sigma.size() = min(m, n).
Tensor with_singular_values(Generator& g, const Shape& batch, std::int64_t m, std::int64_t n,
                            const std::vector<double>& sigma);

}  // namespace lg::testing
