// The plain CPU backend's copies between host values and tensors, and the choice of CPU backend.
#include "autograd/backend/cpu/cpu_backend.hpp"

#include <cstdint>
#include <cstring>

#include "autograd/backend/borrowed.hpp"
#include "autograd/factory.hpp"
#if LATENTGEO_FAST_KERNELS
#include "autograd/backend/cpu/fast/fast_kernels.hpp"
#include "autograd/backend/cpu/fast/sgemm.hpp"
#endif

namespace lg {
namespace {

namespace cpu = kernel::cpu;

void* element_zero(const Tensor& t) {
  return static_cast<char*>(t.impl()->storage->data()) + t.offset() * static_cast<std::int64_t>(dtype_size(t.dtype()));
}
bool aligned(const void* host, DType dtype) { return reinterpret_cast<std::uintptr_t>(host) % dtype_size(dtype) == 0; }

}  // namespace

// A contiguous tensor is one memcpy, which also takes host bytes at any alignment (a checkpoint's
// payload sits wherever the file put it). Otherwise the host values are wrapped as a dense CPU
// tensor, so one strided copy kernel serves both directions; it reads and writes whole elements,
// so host memory that is not aligned for the dtype goes through an aligned copy first.
void CpuBackend::copy_from_host(const void* host, const Tensor& dst) {
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
void CpuBackend::copy_to_host(const Tensor& src, void* host) {
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

Backend& plain_cpu_backend() {
  static auto* backend = new CpuBackend();  // never destroyed: storages may be freed during static teardown
  return *backend;
}

// The one place where the build's choice of CPU kernels shows.
#if LATENTGEO_FAST_KERNELS
Backend& cpu_backend() { return kernel::fast::fast_cpu_backend(); }
std::string cpu_kernels_in_use() {
  return std::string("fast (backend/cpu/fast/), float32 GEMM on ") +
         (kernel::fast::sgemm_available() ? "latentgeo's own AVX-512 sgemm (Note [own sgemm])" : "OpenBLAS");
}
#else
Backend& cpu_backend() { return plain_cpu_backend(); }
std::string cpu_kernels_in_use() { return "plain (LATENTGEO_FAST_KERNELS=OFF), every GEMM on OpenBLAS"; }
#endif

}  // namespace lg
