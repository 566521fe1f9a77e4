// The CPU's plain kernels: the functions of kernels.hpp, on CPU tensors only,
// written as straight loops over the definitions, BLAS and LAPACK. The CPU
// backend (cpu_backend.cpp) hands them out; other code calls lg::kernel::*,
// which dispatch on the device. Each is defined in the file named beside it.
// The fast build replaces some with the x86 kernels of fast/, tested against these.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/backend/kernels.hpp"

namespace lg::kernel::cpu {

// elementwise.cpp
void unary(Unary op, const Tensor& x, const Tensor& out, double alpha, double beta);
void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha);
void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out);
void copy(const Tensor& src, const Tensor& dst);
void fill(const Tensor& dst, double value);
bool all_finite(const Tensor& x);

// reduce.cpp
void reduce(Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out);
void arg_reduce(Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values, const Tensor& indices);
double sum_of_squares(const Tensor& x, double initial);

// gemm.cpp
void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate = false);
// gemm, with each float32 block of the thread split handed to `float32_block` (BLAS when null):
// row-major C[m, n] (+)= op(A) op(B), op(A)[i, p] = a[i lda + p] or a[p lda + i] when transpose_a,
// op(B)[p, j] = b[p ldb + j] or b[j ldb + p] when transpose_b, added to C when `accumulate`.
using Float32Block = void (*)(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k,
                              const float* a, std::int64_t lda, const float* b, std::int64_t ldb, bool accumulate,
                              float* c, std::int64_t ldc);
void gemm_in_blocks(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate, Float32Block float32_block);

// indexing.cpp
void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out);
void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source);
void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out);
void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source);

// im2col.cpp
void im2col(const Tensor& x, const Window2d& window, const Tensor& out);
void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias = {});

// convolution.cpp
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window, const Tensor& out);
void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                    const Tensor& out);
void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out);
void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                       const Tensor& out, const Tensor& weight_grad);

// linalg.cpp
void qr(const Tensor& a, const Tensor& q, const Tensor& r);

// factorisations and solves (linalg_factor.cpp)
FactorStatus cholesky(const Tensor& a, const Tensor& l);
FactorStatus triangular_solve(const Tensor& t, const Tensor& b, const Tensor& x, bool upper, bool unit_diagonal);
FactorStatus lu_factor(const Tensor& a, const Tensor& lu, const Tensor& pivots);
void lu_solve(const Tensor& lu, const Tensor& pivots, const Tensor& b, const Tensor& x);
void lu_slogdet(const Tensor& lu, const Tensor& pivots, const Tensor& sign, const Tensor& logabsdet);

// spectral decompositions: linalg_spectral.cpp, matrix_exp.cpp
void eigh(const Tensor& a, const Tensor& eigenvalues, const Tensor& eigenvectors);
void svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& v);
void matrix_exp(const Tensor& a, const Tensor& out);

// optimizer_updates.cpp
void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const AdamStep& step);
void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, const SgdStep& step);

}  // namespace lg::kernel::cpu
