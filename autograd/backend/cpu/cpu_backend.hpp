// The CPU backend: host memory from the caching allocator (allocator.cpp), and
// the plain kernels of cpu_kernels.hpp, each Backend function the kernel of the
// same name. A fast build (LATENTGEO_FAST_KERNELS) derives FastCpuBackend from
// it (fast/fast_cpu_backend.cpp), replacing the kernels it has faster versions
// of. Other devices may run on it too (the test device does).
#pragma once
#include <string>

#include "autograd/backend/backend.hpp"
#include "autograd/backend/cpu/allocator.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"

namespace lg {

class CpuBackend : public Backend {
 public:
  std::string_view name() const override { return "cpu"; }

  bool host_accessible() const override { return true; }
  void* allocate(std::size_t nbytes, Device) override { return cpu_allocate(nbytes); }
  void release(void* block, std::size_t nbytes, Device) noexcept override { cpu_release(block, nbytes); }

  // A contiguous tensor is one memcpy; other layouts go through the strided copy kernel.
  void copy_from_host(const void* host, const Tensor& dst) override;
  void copy_to_host(const Tensor& src, void* host) override;

  void unary(kernel::Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) override {
    kernel::cpu::unary(op, x, out, alpha, beta);
  }
  void binary(kernel::Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) override {
    kernel::cpu::binary(op, a, b, out, alpha);
  }
  void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) override {
    kernel::cpu::where(condition, a, b, out);
  }
  void copy(const Tensor& src, const Tensor& dst) override { kernel::cpu::copy(src, dst); }
  void fill(const Tensor& dst, double value) override { kernel::cpu::fill(dst, value); }
  bool all_finite(const Tensor& x) override { return kernel::cpu::all_finite(x); }
  double sum_of_squares(const Tensor& x, double initial) override { return kernel::cpu::sum_of_squares(x, initial); }

  void reduce(kernel::Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out) override {
    kernel::cpu::reduce(op, x, reduced, out);
  }
  void arg_reduce(kernel::Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values,
                  const Tensor& indices) override {
    kernel::cpu::arg_reduce(op, x, dim, values, indices);
  }

  void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) override {
    kernel::cpu::gemm(a, b, out, accumulate);
  }

  void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) override {
    kernel::cpu::index_select(x, dim, index, out);
  }
  void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) override {
    kernel::cpu::index_add(out, dim, index, source);
  }
  void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) override {
    kernel::cpu::gather(x, dim, index, out);
  }
  void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) override {
    kernel::cpu::scatter_add(out, dim, index, source);
  }

  void im2col(const Tensor& x, const kernel::Window2d& window, const Tensor& out) override { kernel::cpu::im2col(x, window, out); }
  void col2im(const Tensor& columns, const kernel::Window2d& window, const Tensor& out, const Tensor& bias) override {
    kernel::cpu::col2im(columns, window, out, bias);
  }
  void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const kernel::Window2d& window,
              const Tensor& out) override {
    kernel::cpu::conv2d(x, weight, bias, window, out);
  }
  void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const kernel::Window2d& window,
                      const Tensor& out) override {
    kernel::cpu::conv2d_adjoint(y, weight, bias, window, out);
  }
  void conv2d_weight(const Tensor& x, const Tensor& g, const kernel::Window2d& window, const Tensor& out) override {
    kernel::cpu::conv2d_weight(x, g, window, out);
  }
  void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const kernel::Window2d& window,
                         const Tensor& out, const Tensor& weight_grad) override {
    kernel::cpu::conv2d_and_weight(x, weight, g, window, out, weight_grad);
  }

  void qr(const Tensor& a, const Tensor& q, const Tensor& r) override { kernel::cpu::qr(a, q, r); }

  // factorisations and solves
  kernel::FactorStatus cholesky(const Tensor& a, const Tensor& l) override { return kernel::cpu::cholesky(a, l); }
  kernel::FactorStatus triangular_solve(const Tensor& t, const Tensor& b, const Tensor& x, bool upper,
                                        bool unit_diagonal) override {
    return kernel::cpu::triangular_solve(t, b, x, upper, unit_diagonal);
  }
  kernel::FactorStatus lu_factor(const Tensor& a, const Tensor& lu, const Tensor& pivots) override {
    return kernel::cpu::lu_factor(a, lu, pivots);
  }
  void lu_solve(const Tensor& lu, const Tensor& pivots, const Tensor& b, const Tensor& x) override {
    kernel::cpu::lu_solve(lu, pivots, b, x);
  }
  void lu_slogdet(const Tensor& lu, const Tensor& pivots, const Tensor& sign, const Tensor& logabsdet) override {
    kernel::cpu::lu_slogdet(lu, pivots, sign, logabsdet);
  }

  // spectral decompositions
  void eigh(const Tensor& a, const Tensor& eigenvalues, const Tensor& eigenvectors) override {
    kernel::cpu::eigh(a, eigenvalues, eigenvectors);
  }
  void svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& v) override {
    kernel::cpu::svd(a, u, s, v);
  }
  void matrix_exp(const Tensor& a, const Tensor& out) override { kernel::cpu::matrix_exp(a, out); }

  void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                   const kernel::AdamStep& step) override {
    kernel::cpu::adam_update(param, grad, exp_avg, exp_avg_sq, step);
  }
  void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                  const kernel::SgdStep& step) override {
    kernel::cpu::sgd_update(param, grad, momentum_buffer, step);
  }
};

// The plain CPU backend, in every build.
Backend& plain_cpu_backend();
// The CPU backend tensors on the CPU use: the fast one in a fast build, else the plain one.
Backend& cpu_backend();
// Which kernels cpu_backend() runs, in words, for benchmarks' headers ("plain", or "fast" with the
// float32 GEMM it uses).
std::string cpu_kernels_in_use();

}  // namespace lg
