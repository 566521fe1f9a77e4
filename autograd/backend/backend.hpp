// Backend: what one device type provides. Everything that touches a device's
// memory lives behind this interface: the allocator, copies to and from the
// host, and the kernel families of kernels.hpp. lg::kernel::* (dispatch.cpp)
// check that their tensors share one device and call that device's backend, so
// op code, optimisers, checkpoints and data code never branch on the device.
//
// Adding a device = one folder under autograd/backend/ with a class derived
// from Backend, plus one line in backend_for() (backend.cpp). The test device
// (backend/test_device/) is the worked example; docs/architecture.md walks
// through it; Note [device boundary] says why. Tensors handed to a backend are already checked to be on its
// device; shapes and dtypes are checked by the ops that call the kernels.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "autograd/backend/kernels.hpp"
#include "autograd/device.hpp"

namespace lg {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;

  // --- memory -----------------------------------------------------------------
  // Whether generic host code may read and write this device's memory through
  // a pointer (Tensor::data_ptr, Storage::data). True only for the CPU.
  virtual bool host_accessible() const = 0;
  virtual void* allocate(std::size_t nbytes, Device device) = 0;
  virtual void release(void* block, std::size_t nbytes, Device device) noexcept = 0;

  // --- copies between this device and the host ----------------------------------
  // `host` holds dst.numel() values of dst's dtype in row-major order; dst is a
  // tensor on this device with any strides.
  virtual void copy_from_host(const void* host, const Tensor& dst) = 0;
  // Writes src's values, row-major, to `host` (src.numel() values of its dtype).
  virtual void copy_to_host(const Tensor& src, void* host) = 0;

  // --- kernels (the meaning of each is in kernels.hpp) -------------------------------
  virtual void unary(kernel::Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) = 0;
  virtual void binary(kernel::Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) = 0;
  virtual void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) = 0;
  virtual void copy(const Tensor& src, const Tensor& dst) = 0;
  virtual void fill(const Tensor& dst, double value) = 0;
  virtual bool all_finite(const Tensor& x) = 0;
  virtual double sum_of_squares(const Tensor& x, double initial) = 0;

  virtual void reduce(kernel::Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out) = 0;
  virtual void arg_reduce(kernel::Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values,
                          const Tensor& indices) = 0;

  virtual void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) = 0;

  virtual void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) = 0;
  virtual void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) = 0;
  virtual void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) = 0;
  virtual void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) = 0;

  virtual void im2col(const Tensor& x, const kernel::Window2d& window, const Tensor& out) = 0;
  virtual void col2im(const Tensor& columns, const kernel::Window2d& window, const Tensor& out,
                      const Tensor& bias) = 0;
  virtual void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const kernel::Window2d& window,
                      const Tensor& out) = 0;
  virtual void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias,
                              const kernel::Window2d& window, const Tensor& out) = 0;
  virtual void conv2d_weight(const Tensor& x, const Tensor& g, const kernel::Window2d& window,
                             const Tensor& out) = 0;
  virtual void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g,
                                 const kernel::Window2d& window, const Tensor& out, const Tensor& weight_grad) = 0;

  virtual void qr(const Tensor& a, const Tensor& q, const Tensor& r) = 0;

  // factorisations and solves
  virtual kernel::FactorStatus cholesky(const Tensor& a, const Tensor& l) = 0;
  virtual kernel::FactorStatus triangular_solve(const Tensor& t, const Tensor& b, const Tensor& x, bool upper,
                                                bool unit_diagonal) = 0;
  virtual kernel::FactorStatus lu_factor(const Tensor& a, const Tensor& lu, const Tensor& pivots) = 0;
  virtual void lu_solve(const Tensor& lu, const Tensor& pivots, const Tensor& b, const Tensor& x) = 0;
  virtual void lu_slogdet(const Tensor& lu, const Tensor& pivots, const Tensor& sign, const Tensor& logabsdet) = 0;

  // spectral decompositions
  virtual void eigh(const Tensor& a, const Tensor& eigenvalues, const Tensor& eigenvectors) = 0;
  virtual void svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& v) = 0;
  virtual void matrix_exp(const Tensor& a, const Tensor& out) = 0;

  virtual void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                           const kernel::AdamStep& step) = 0;
  virtual void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                          const kernel::SgdStep& step) = 0;
};

// The backend of `device`'s type; DeviceError when this build has none for it.
Backend& backend_for(Device device);
// Whether backend_for(device) would succeed.
bool has_backend(Device device);

}  // namespace lg
