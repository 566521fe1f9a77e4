// lg::kernel::*: check that a kernel's tensors share one device, then call that
// device's backend. The only place where code meets the device boundary; no
// kernel arithmetic lives here.
#include <initializer_list>
#include <vector>

#include "autograd/backend/backend.hpp"
#include "autograd/error.hpp"
#include "autograd/factory.hpp"

namespace lg::kernel {
namespace {

// The backend of the device all defined tensors share; DeviceError naming the kernel otherwise.
Backend& backend_of(std::string_view op, std::initializer_list<const Tensor*> tensors) {
  const Tensor* first = nullptr;
  for (const Tensor* t : tensors) {
    if (!t->defined()) continue;
    if (first == nullptr) first = t;
    else if (t->device() != first->device())
      fail<DeviceError>(op, "expected tensors on one device, got ", first->device(), " and ", t->device());
  }
  check<ValueError>(first != nullptr, op, "no tensor given");
  return backend_for(first->device());
}

}  // namespace

void unary(Unary op, const Tensor& x, const Tensor& out, double alpha, double beta) {
  backend_of("unary", {&x, &out}).unary(op, x, out, alpha, beta);
}
void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha) {
  backend_of("binary", {&a, &b, &out}).binary(op, a, b, out, alpha);
}
void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) {
  backend_of("where", {&condition, &a, &b, &out}).where(condition, a, b, out);
}
void copy(const Tensor& src, const Tensor& dst) { backend_of("copy", {&src, &dst}).copy(src, dst); }
void fill(const Tensor& dst, double value) { backend_of("fill", {&dst}).fill(dst, value); }

void copy_from_host(const void* host, const Tensor& dst) {
  backend_of("copy_from_host", {&dst}).copy_from_host(host, dst);
}
void copy_to_host(const Tensor& src, void* host) { backend_of("copy_to_host", {&src}).copy_to_host(src, host); }

void transfer(const Tensor& src, const Tensor& dst) {
  check<ShapeError>(src.shape() == dst.shape(), "transfer", "source ", shape_str(src.shape()),
                    " and destination ", shape_str(dst.shape()), " differ in shape");
  if (src.device() == dst.device()) return copy(src, dst);
  // Through dense host values of src's dtype; the destination's backend converts the dtype.
  Tensor host = src.device() == lg::cpu ? src : empty(src.shape(), src.dtype(), lg::cpu);
  if (src.device() != lg::cpu) copy_to_host(src, host.impl()->storage->data());
  if (dst.device() == lg::cpu) return copy(host, dst);
  if (!host.is_contiguous() || host.dtype() != dst.dtype()) {
    Tensor dense = empty(src.shape(), dst.dtype(), lg::cpu);
    copy(host, dense);
    host = dense;
  }
  copy_from_host(static_cast<const char*>(host.impl()->storage->data()) + host.offset() * dtype_size(host.dtype()),
                 dst);
}

bool all_finite(const Tensor& x) { return backend_of("all_finite", {&x}).all_finite(x); }
double sum_of_squares(const Tensor& x, double initial) {
  return backend_of("sum_of_squares", {&x}).sum_of_squares(x, initial);
}

void reduce(Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out) {
  backend_of("reduce", {&x, &out}).reduce(op, x, reduced, out);
}
void arg_reduce(Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values, const Tensor& indices) {
  backend_of("arg_reduce", {&x, &values, &indices}).arg_reduce(op, x, dim, values, indices);
}

void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate) {
  backend_of("gemm", {&a, &b, &out}).gemm(a, b, out, accumulate);
}

void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) {
  backend_of("index_select", {&x, &index, &out}).index_select(x, dim, index, out);
}
void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) {
  backend_of("index_add", {&out, &index, &source}).index_add(out, dim, index, source);
}
void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) {
  backend_of("gather", {&x, &index, &out}).gather(x, dim, index, out);
}
void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) {
  backend_of("scatter_add", {&out, &index, &source}).scatter_add(out, dim, index, source);
}

void im2col(const Tensor& x, const Window2d& window, const Tensor& out) {
  backend_of("im2col", {&x, &out}).im2col(x, window, out);
}
void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias) {
  backend_of("col2im", {&columns, &out, &bias}).col2im(columns, window, out, bias);
}
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window, const Tensor& out) {
  backend_of("conv2d", {&x, &weight, &bias, &out}).conv2d(x, weight, bias, window, out);
}
void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                    const Tensor& out) {
  backend_of("conv2d_adjoint", {&y, &weight, &bias, &out}).conv2d_adjoint(y, weight, bias, window, out);
}
void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out) {
  backend_of("conv2d_weight", {&x, &g, &out}).conv2d_weight(x, g, window, out);
}
void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                       const Tensor& out, const Tensor& weight_grad) {
  backend_of("conv2d_and_weight", {&x, &weight, &g, &out, &weight_grad})
      .conv2d_and_weight(x, weight, g, window, out, weight_grad);
}

void qr(const Tensor& a, const Tensor& q, const Tensor& r) { backend_of("qr", {&a, &q, &r}).qr(a, q, r); }

// factorisations and solves
FactorStatus cholesky(const Tensor& a, const Tensor& l) { return backend_of("cholesky", {&a, &l}).cholesky(a, l); }
FactorStatus triangular_solve(const Tensor& t, const Tensor& b, const Tensor& x, bool upper, bool unit_diagonal) {
  return backend_of("triangular_solve", {&t, &b, &x}).triangular_solve(t, b, x, upper, unit_diagonal);
}
FactorStatus lu_factor(const Tensor& a, const Tensor& lu, const Tensor& pivots) {
  return backend_of("lu_factor", {&a, &lu, &pivots}).lu_factor(a, lu, pivots);
}
void lu_solve(const Tensor& lu, const Tensor& pivots, const Tensor& b, const Tensor& x) {
  backend_of("lu_solve", {&lu, &pivots, &b, &x}).lu_solve(lu, pivots, b, x);
}
void lu_slogdet(const Tensor& lu, const Tensor& pivots, const Tensor& sign, const Tensor& logabsdet) {
  backend_of("lu_slogdet", {&lu, &pivots, &sign, &logabsdet}).lu_slogdet(lu, pivots, sign, logabsdet);
}

// spectral decompositions
void eigh(const Tensor& a, const Tensor& eigenvalues, const Tensor& eigenvectors) {
  backend_of("eigh", {&a, &eigenvalues, &eigenvectors}).eigh(a, eigenvalues, eigenvectors);
}
void svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& v) {
  backend_of("svd", {&a, &u, &s, &v}).svd(a, u, s, v);
}
void matrix_exp(const Tensor& a, const Tensor& out) { backend_of("matrix_exp", {&a, &out}).matrix_exp(a, out); }

void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const AdamStep& step) {
  backend_of("adam_update", {&param, &grad, &exp_avg, &exp_avg_sq}).adam_update(param, grad, exp_avg, exp_avg_sq, step);
}
void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, const SgdStep& step) {
  backend_of("sgd_update", {&param, &grad, &momentum_buffer}).sgd_update(param, grad, momentum_buffer, step);
}

}  // namespace lg::kernel
