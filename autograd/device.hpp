// Where a tensor's bytes live. Kernels dispatch on this to the device's backend
// (backend/backend.hpp); op code itself never branches on the device.
//   cpu     host memory, the CPU kernels
//   cuda:N  an NVIDIA GPU (a CUDA build; device discovery only so far)
//   test:0  the test device (backend/test_device/): the CPU's kernels on memory
//           host code may not read, which proves the device boundary without a GPU
#pragma once
#include <ostream>
#include <string>

namespace lg {

// A device: its type (cpu, cuda or test) and index; the default is the CPU.
struct Device {
  enum class Type { cpu, cuda, test };
  Type type = Type::cpu;
  int index = 0;

  friend bool operator==(const Device&, const Device&) = default;
  // The device as text: "cpu", "cuda:N" or "test:N".
  std::string str() const {
    switch (type) {
      case Type::cpu: return "cpu";
      case Type::cuda: return "cuda:" + std::to_string(index);
      case Type::test: return "test:" + std::to_string(index);
    }
    return "unknown";
  }
};
inline const Device cpu{};
inline const Device test_device{Device::Type::test, 0};
// The CUDA device cuda:index.
inline Device cuda(int index = 0) { return Device{Device::Type::cuda, index}; }
// Writes device.str().
inline std::ostream& operator<<(std::ostream& out, const Device& device) { return out << device.str(); }

// GPUs visible to a CUDA build (0 in a build without CUDA, or with no driver).
int cuda_device_count();
// Whether cuda_device_count() is above 0.
bool cuda_is_available();

}  // namespace lg
