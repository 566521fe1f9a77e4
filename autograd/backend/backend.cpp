// From a device to its backend. A new device adds its case here and its folder
// beside cpu/ and test_device/; nothing else changes.
#include "autograd/backend/backend.hpp"

#include "autograd/backend/cpu/cpu_backend.hpp"
#include "autograd/backend/test_device/test_backend.hpp"
#include "autograd/error.hpp"

namespace lg {

Backend& backend_for(Device device) {
  switch (device.type) {
    case Device::Type::cpu: return cpu_backend();
    case Device::Type::test:
      check<DeviceError>(device.index == 0, "backend", "the test device has index 0, got ", device);
      return test_backend();
    case Device::Type::cuda: break;  // device discovery only so far: no CUDA kernels yet
  }
  fail<DeviceError>("backend", "device ", device, " has no backend in this build");
}

bool has_backend(Device device) {
  return device.type == Device::Type::cpu || (device.type == Device::Type::test && device.index == 0);
}

}  // namespace lg
