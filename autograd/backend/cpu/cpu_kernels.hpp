// The CPU's kernels: the functions of kernels.hpp, on CPU tensors only. The CPU
// backend (cpu_backend.cpp) hands them out; other code calls lg::kernel::*,
// which dispatch on the device. Each is defined in the file named beside it.
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

// indexing.cpp
void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out);
void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source);
void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out);
void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source);

// conv.cpp
void im2col(const Tensor& x, const Window2d& window, const Tensor& out);
void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias = {});

// convolution.cpp
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window, const Tensor& out);
void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                    const Tensor& out);
void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out);
void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                       const Tensor& out, const Tensor& weight_grad);
void set_convolution_chunk_bytes(std::int64_t bytes);

// linalg.cpp
void qr(const Tensor& a, const Tensor& q, const Tensor& r);

// optimizer_updates.cpp
void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const AdamStep& step);
void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, const SgdStep& step);

}  // namespace lg::kernel::cpu
