#include "autograd/device.hpp"

namespace lg {

#ifndef LATENTGEO_WITH_CUDA
int cuda_device_count() { return 0; }
#endif

bool cuda_is_available() { return cuda_device_count() > 0; }

}  // namespace lg
