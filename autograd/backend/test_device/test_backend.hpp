// The test device, "test:0": a second device that proves the device boundary
// without a GPU. Its memory comes from an allocator of its own, and host code
// cannot read it: Storage::data() and Tensor::data_ptr() throw on it, as they
// must on a GPU. Its kernels are the CPU's, run on a CPU view of the same bytes,
// so everything computed on it has the CPU's bits. Any code path that bypasses
// lg::kernel::* (a host loop over data_ptr, a kernel called on the wrong
// device) fails loudly on it. The CUDA backend is held to the same tests.
#pragma once
#include "autograd/backend/backend.hpp"

namespace lg {

Backend& test_backend();

// Bytes the test device holds now, for tests that check it frees what it takes.
std::size_t test_device_allocated_bytes();

}  // namespace lg
