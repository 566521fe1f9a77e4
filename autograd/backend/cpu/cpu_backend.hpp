// The CPU backend: host memory from the caching allocator, and the kernels of
// cpu_kernels.hpp. Other devices may run on it too (the test device does).
#pragma once
#include "autograd/backend/backend.hpp"

namespace lg {

Backend& cpu_backend();

}  // namespace lg
