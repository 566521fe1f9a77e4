// CUDA device discovery. The CUDA kernels of the backend interface will live
// in this folder; for now a CUDA build can report the devices it sees.
#include <cuda_runtime.h>

namespace lg {

int cuda_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) return 0;  // no driver or no GPU: not an error here
  return count;
}

}  // namespace lg
