// The fast CPU kernels, built with LATENTGEO_FAST_KERNELS (ON by default): x86 speed work kept apart
// from the plain kernels of ../ that a student reads first. Each function computes what the plain
// one of the same name computes (cpu_kernels.hpp) and falls back to it where its trick does not
// apply; tests/fast_kernels/ holds each to the plain one. FastCpuBackend (fast_cpu_backend.cpp)
// hands these out in place of the plain ones.
#pragma once
#include <cstdint>

#include "autograd/backend/backend.hpp"
#include "autograd/backend/cpu/fast/vector_isa.hpp"
#include "autograd/backend/kernels.hpp"

namespace lg::kernel::fast {

// elementwise_float32.cpp: float32 sigmoid and binary cross-entropy with logits through the
// branch-free exp and log1p of float_math.hpp; every other case is the plain kernel's.
void unary(Unary op, const Tensor& x, const Tensor& out, double alpha, double beta);
void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha);
// Their contiguous rows, out[i] = sigmoid(x[i]) and out[i] = bce_with_logits(x[i], t[i]) for i < n, on
// the vectors of `isa` (which this CPU must have; the ops above pass vector_isa()).
void sigmoid_row(VectorIsa isa, const float* x, float* out, std::int64_t n);
void bce_with_logits_row(VectorIsa isa, const float* x, const float* t, float* out, std::int64_t n);

// normal_float32.cpp: out[i] = float32(mean + stddev z_i) for the 2 count normals z that box_muller()
// (autograd/random.hpp) makes of the uniform pairs, the same floats, computed on the vectors of `isa`
// with the C library's functions only where a float boundary is too near to tell. Returns how many
// pairs were computed again that way.
std::int64_t normals_float32(VectorIsa isa, const double* uniforms, std::int64_t count, double mean, double stddev,
                             float* out);

// gemm_avx512.cpp: float32 products on our own AVX-512 GEMM (sgemm.hpp) where the CPU has it,
// cut into blocks for the threads as the plain gemm does; everything else the plain gemm.
void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate = false);

// im2col_rows.cpp: contiguous window rows copied as runs (a padded, phase-split plane for short
// rows); col2im adding whole rows.
void im2col(const Tensor& x, const Window2d& window, const Tensor& out);
void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias = {});

// convolution_chunked.cpp: the convolutions over chunks of the batch sized to the cache, GEMMs image
// by image on large images, in place.
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window, const Tensor& out);
void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                    const Tensor& out);
void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out);
void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                       const Tensor& out, const Tensor& weight_grad);
// The chunk budget in bytes (0: the default, 1 MiB). For tests, which make chunks of one or two
// images to check the chunk loop against one chunk.
void set_convolution_chunk_bytes(std::int64_t bytes);

// openblas_core.cpp: before main, where OpenBLAS chose kernels below this CPU's features (the
// AVX-512 or AVX2 class), has it choose again with OPENBLAS_CORETYPE set for the CPU. Returns the
// core asked for, or null when nothing was changed (LATENTGEO_OPENBLAS_CORE=keep, a good choice
// already, a build without DYNAMIC_ARCH).
const char* upgrade_openblas_core();

// The CPU backend with these kernels in place of the plain ones (fast_cpu_backend.cpp).
Backend& fast_cpu_backend();

}  // namespace lg::kernel::fast
