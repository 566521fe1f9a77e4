// The test device's backend: its own allocator, and every kernel the CPU's on
// CPU views of the same bytes (borrowed.hpp). A new device's backend has this
// shape, with its own kernels in place of the forwarding.
#include "autograd/backend/test_device/test_backend.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "autograd/backend/borrowed.hpp"
#include "autograd/backend/cpu/cpu_backend.hpp"

namespace lg {
namespace {

using kernel::Window2d;

std::atomic<std::size_t> allocated_bytes{0};

// The same bytes as a CPU tensor, for the CPU kernels.
Tensor on_cpu(const Tensor& t) { return kernel::same_bytes_on(t, lg::cpu); }

class TestBackend final : public Backend {
 public:
  std::string_view name() const override { return "test"; }

  bool host_accessible() const override { return false; }
  // Fresh blocks are filled with 0xFF bytes (NaN in float32 and float64, -1 in int64), so a kernel
  // that reads memory it never wrote gives different bits than on the CPU, and a test sees it.
  void* allocate(std::size_t nbytes, Device) override {
    const std::size_t size = (nbytes + 63) / 64 * 64 + 64;
    void* block = std::aligned_alloc(64, size);
    if (block == nullptr) throw std::bad_alloc();
    std::memset(block, 0xFF, size);
    allocated_bytes += nbytes;
    return block;
  }
  void release(void* block, std::size_t nbytes, Device) noexcept override {
    allocated_bytes -= nbytes;
    std::free(block);
  }

  void copy_from_host(const void* host, const Tensor& dst) override {
    cpu_backend().copy_from_host(host, on_cpu(dst));
  }
  void copy_to_host(const Tensor& src, void* host) override { cpu_backend().copy_to_host(on_cpu(src), host); }

  void unary(kernel::Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) override {
    cpu_backend().unary(op, on_cpu(x), on_cpu(out), alpha, beta);
  }
  void binary(kernel::Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) override {
    cpu_backend().binary(op, on_cpu(a), on_cpu(b), on_cpu(out), alpha);
  }
  void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) override {
    cpu_backend().where(on_cpu(condition), on_cpu(a), on_cpu(b), on_cpu(out));
  }
  void copy(const Tensor& src, const Tensor& dst) override { cpu_backend().copy(on_cpu(src), on_cpu(dst)); }
  void fill(const Tensor& dst, double value) override { cpu_backend().fill(on_cpu(dst), value); }
  bool all_finite(const Tensor& x) override { return cpu_backend().all_finite(on_cpu(x)); }
  double sum_of_squares(const Tensor& x, double initial) override {
    return cpu_backend().sum_of_squares(on_cpu(x), initial);
  }

  void reduce(kernel::Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out) override {
    cpu_backend().reduce(op, on_cpu(x), reduced, on_cpu(out));
  }
  void arg_reduce(kernel::Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values,
                  const Tensor& indices) override {
    cpu_backend().arg_reduce(op, on_cpu(x), dim, on_cpu(values), on_cpu(indices));
  }

  void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) override {
    cpu_backend().gemm(on_cpu(a), on_cpu(b), on_cpu(out), accumulate);
  }

  void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) override {
    cpu_backend().index_select(on_cpu(x), dim, on_cpu(index), on_cpu(out));
  }
  void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) override {
    cpu_backend().index_add(on_cpu(out), dim, on_cpu(index), on_cpu(source));
  }
  void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) override {
    cpu_backend().gather(on_cpu(x), dim, on_cpu(index), on_cpu(out));
  }
  void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) override {
    cpu_backend().scatter_add(on_cpu(out), dim, on_cpu(index), on_cpu(source));
  }

  void im2col(const Tensor& x, const Window2d& window, const Tensor& out) override {
    cpu_backend().im2col(on_cpu(x), window, on_cpu(out));
  }
  void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias) override {
    cpu_backend().col2im(on_cpu(columns), window, on_cpu(out), on_cpu(bias));
  }
  void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window,
              const Tensor& out) override {
    cpu_backend().conv2d(on_cpu(x), on_cpu(weight), on_cpu(bias), window, on_cpu(out));
  }
  void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                      const Tensor& out) override {
    cpu_backend().conv2d_adjoint(on_cpu(y), on_cpu(weight), on_cpu(bias), window, on_cpu(out));
  }
  void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out) override {
    cpu_backend().conv2d_weight(on_cpu(x), on_cpu(g), window, on_cpu(out));
  }
  void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                         const Tensor& out, const Tensor& weight_grad) override {
    cpu_backend().conv2d_and_weight(on_cpu(x), on_cpu(weight), on_cpu(g), window, on_cpu(out), on_cpu(weight_grad));
  }

  void qr(const Tensor& a, const Tensor& q, const Tensor& r) override {
    cpu_backend().qr(on_cpu(a), on_cpu(q), on_cpu(r));
  }

  // factorisations and solves
  kernel::FactorStatus cholesky(const Tensor& a, const Tensor& l) override {
    return cpu_backend().cholesky(on_cpu(a), on_cpu(l));
  }
  kernel::FactorStatus triangular_solve(const Tensor& t, const Tensor& b, const Tensor& x, bool upper,
                                        bool unit_diagonal) override {
    return cpu_backend().triangular_solve(on_cpu(t), on_cpu(b), on_cpu(x), upper, unit_diagonal);
  }
  kernel::FactorStatus lu_factor(const Tensor& a, const Tensor& lu, const Tensor& pivots) override {
    return cpu_backend().lu_factor(on_cpu(a), on_cpu(lu), on_cpu(pivots));
  }
  void lu_solve(const Tensor& lu, const Tensor& pivots, const Tensor& b, const Tensor& x) override {
    cpu_backend().lu_solve(on_cpu(lu), on_cpu(pivots), on_cpu(b), on_cpu(x));
  }
  void lu_slogdet(const Tensor& lu, const Tensor& pivots, const Tensor& sign, const Tensor& logabsdet) override {
    cpu_backend().lu_slogdet(on_cpu(lu), on_cpu(pivots), on_cpu(sign), on_cpu(logabsdet));
  }

  // spectral decompositions
  void eigh(const Tensor& a, const Tensor& eigenvalues, const Tensor& eigenvectors) override {
    cpu_backend().eigh(on_cpu(a), on_cpu(eigenvalues), on_cpu(eigenvectors));
  }
  void svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& v) override {
    cpu_backend().svd(on_cpu(a), on_cpu(u), on_cpu(s), on_cpu(v));
  }
  void matrix_exp(const Tensor& a, const Tensor& out) override {
    cpu_backend().matrix_exp(on_cpu(a), on_cpu(out));
  }

  void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                   const kernel::AdamStep& step) override {
    cpu_backend().adam_update(on_cpu(param), on_cpu(grad), on_cpu(exp_avg), on_cpu(exp_avg_sq), step);
  }
  void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                  const kernel::SgdStep& step) override {
    cpu_backend().sgd_update(on_cpu(param), on_cpu(grad), on_cpu(momentum_buffer), step);
  }
};

}  // namespace

Backend& test_backend() {
  static auto* backend = new TestBackend();  // never destroyed: storages may be freed during static teardown
  return *backend;
}

std::size_t test_device_allocated_bytes() { return allocated_bytes; }

}  // namespace lg
