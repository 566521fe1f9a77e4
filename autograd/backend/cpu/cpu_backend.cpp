// The CPU backend: each Backend function is the CPU kernel of the same name.
#include "autograd/backend/cpu/cpu_backend.hpp"

#include <cstdint>
#include <cstring>

#include "autograd/backend/borrowed.hpp"
#include "autograd/backend/cpu/allocator.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/factory.hpp"

namespace lg {
namespace {

namespace cpu = kernel::cpu;
using kernel::Window2d;

void* element_zero(const Tensor& t) {
  return static_cast<char*>(t.impl()->storage->data()) + t.offset() * static_cast<std::int64_t>(dtype_size(t.dtype()));
}
bool aligned(const void* host, DType dtype) { return reinterpret_cast<std::uintptr_t>(host) % dtype_size(dtype) == 0; }

class CpuBackend final : public Backend {
 public:
  std::string_view name() const override { return "cpu"; }

  bool host_accessible() const override { return true; }
  void* allocate(std::size_t nbytes, Device) override { return cpu_allocate(nbytes); }
  void release(void* block, std::size_t nbytes, Device) noexcept override { cpu_release(block, nbytes); }

  // A contiguous tensor is one memcpy, which also takes host bytes at any alignment (a checkpoint's
  // payload sits wherever the file put it). Otherwise the host values are wrapped as a dense CPU
  // tensor, so one strided copy kernel serves both directions; it reads and writes whole elements,
  // so host memory that is not aligned for the dtype goes through an aligned copy first.
  void copy_from_host(const void* host, const Tensor& dst) override {
    const std::size_t nbytes = static_cast<std::size_t>(dst.numel()) * dtype_size(dst.dtype());
    if (dst.is_contiguous()) {
      if (nbytes > 0) std::memcpy(element_zero(dst), host, nbytes);
      return;
    }
    if (aligned(host, dst.dtype())) {
      cpu::copy(kernel::borrowed_tensor(const_cast<void*>(host), dst.shape(), dst.dtype(), lg::cpu), dst);
      return;
    }
    const Tensor staged = empty(dst.shape(), dst.dtype(), lg::cpu);
    std::memcpy(element_zero(staged), host, nbytes);
    cpu::copy(staged, dst);
  }
  void copy_to_host(const Tensor& src, void* host) override {
    const std::size_t nbytes = static_cast<std::size_t>(src.numel()) * dtype_size(src.dtype());
    if (src.is_contiguous()) {
      if (nbytes > 0) std::memcpy(host, element_zero(src), nbytes);
      return;
    }
    if (aligned(host, src.dtype())) {
      cpu::copy(src, kernel::borrowed_tensor(host, src.shape(), src.dtype(), lg::cpu));
      return;
    }
    const Tensor staged = empty(src.shape(), src.dtype(), lg::cpu);
    cpu::copy(src, staged);
    std::memcpy(host, element_zero(staged), nbytes);
  }

  void unary(kernel::Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) override {
    cpu::unary(op, x, out, alpha, beta);
  }
  void binary(kernel::Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) override {
    cpu::binary(op, a, b, out, alpha);
  }
  void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) override {
    cpu::where(condition, a, b, out);
  }
  void copy(const Tensor& src, const Tensor& dst) override { cpu::copy(src, dst); }
  void fill(const Tensor& dst, double value) override { cpu::fill(dst, value); }
  bool all_finite(const Tensor& x) override { return cpu::all_finite(x); }
  double sum_of_squares(const Tensor& x, double initial) override { return cpu::sum_of_squares(x, initial); }

  void reduce(kernel::Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out) override {
    cpu::reduce(op, x, reduced, out);
  }
  void arg_reduce(kernel::Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values,
                  const Tensor& indices) override {
    cpu::arg_reduce(op, x, dim, values, indices);
  }

  void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) override {
    cpu::gemm(a, b, out, accumulate);
  }

  void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) override {
    cpu::index_select(x, dim, index, out);
  }
  void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) override {
    cpu::index_add(out, dim, index, source);
  }
  void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) override {
    cpu::gather(x, dim, index, out);
  }
  void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) override {
    cpu::scatter_add(out, dim, index, source);
  }

  void im2col(const Tensor& x, const Window2d& window, const Tensor& out) override { cpu::im2col(x, window, out); }
  void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias) override {
    cpu::col2im(columns, window, out, bias);
  }
  void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window,
              const Tensor& out) override {
    cpu::conv2d(x, weight, bias, window, out);
  }
  void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                      const Tensor& out) override {
    cpu::conv2d_adjoint(y, weight, bias, window, out);
  }
  void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out) override {
    cpu::conv2d_weight(x, g, window, out);
  }
  void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                         const Tensor& out, const Tensor& weight_grad) override {
    cpu::conv2d_and_weight(x, weight, g, window, out, weight_grad);
  }

  void qr(const Tensor& a, const Tensor& q, const Tensor& r) override { cpu::qr(a, q, r); }

  void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                   const kernel::AdamStep& step) override {
    cpu::adam_update(param, grad, exp_avg, exp_avg_sq, step);
  }
  void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                  const kernel::SgdStep& step) override {
    cpu::sgd_update(param, grad, momentum_buffer, step);
  }
};

}  // namespace

Backend& cpu_backend() {
  static auto* backend = new CpuBackend();  // never destroyed: storages may be freed during static teardown
  return *backend;
}

}  // namespace lg
