// FastCpuBackend: the plain CPU backend with the fast kernels of this folder in place of the plain
// ones they speed up. What is not overridden here (reductions, indexing, linear algebra, the
// optimiser updates, memory) is the plain backend's.
#include "autograd/backend/cpu/cpu_backend.hpp"
#include "autograd/backend/cpu/fast/fast_kernels.hpp"

namespace lg::kernel::fast {
namespace {

class FastCpuBackend final : public CpuBackend {
 public:
  void unary(Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) override {
    fast::unary(op, x, out, alpha, beta);
  }
  void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) override {
    fast::binary(op, a, b, out, alpha);
  }
  void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) override {
    fast::gemm(a, b, out, accumulate);
  }
  void im2col(const Tensor& x, const Window2d& window, const Tensor& out) override { fast::im2col(x, window, out); }
  void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias) override {
    fast::col2im(columns, window, out, bias);
  }
  void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window,
              const Tensor& out) override {
    fast::conv2d(x, weight, bias, window, out);
  }
  void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                      const Tensor& out) override {
    fast::conv2d_adjoint(y, weight, bias, window, out);
  }
  void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out) override {
    fast::conv2d_weight(x, g, window, out);
  }
  void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                         const Tensor& out, const Tensor& weight_grad) override {
    fast::conv2d_and_weight(x, weight, g, window, out, weight_grad);
  }
};

}  // namespace

Backend& fast_cpu_backend() {
  static auto* backend = new FastCpuBackend();  // never destroyed: storages may be freed during static teardown
  return *backend;
}

}  // namespace lg::kernel::fast
