// From a device to its backend. A new device adds its case here and its folder
// beside cpu/ and test_device/; nothing else changes.
#include "autograd/backend/backend.hpp"

#include "autograd/backend/cpu/cpu_backend.hpp"
#include "autograd/backend/test_device/test_backend.hpp"
#include "autograd/error.hpp"

namespace lg {
namespace {

// The one list of devices this build has a backend for; null for any other.
Backend* find_backend(Device device) {
  switch (device.type) {
    case Device::Type::cpu: return &cpu_backend();
    case Device::Type::test: return device.index == 0 ? &test_backend() : nullptr;  // one test device
    case Device::Type::cuda: return nullptr;  // device discovery only so far: no CUDA kernels yet
  }
  return nullptr;
}

}  // namespace

Backend& backend_for(Device device) {
  Backend* backend = find_backend(device);
  if (backend == nullptr) fail<DeviceError>("backend", "device ", device, " has no backend in this build");
  return *backend;
}

bool has_backend(Device device) { return find_backend(device) != nullptr; }

}  // namespace lg
