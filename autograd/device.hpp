// Where a tensor's bytes live. Ops dispatch on this to a backend; op code
// itself never branches on the device.
#pragma once
#include <ostream>
#include <string>

namespace lg {

struct Device {
  enum class Type { cpu, cuda };
  Type type = Type::cpu;
  int index = 0;

  friend bool operator==(const Device&, const Device&) = default;
  std::string str() const { return type == Type::cpu ? "cpu" : "cuda:" + std::to_string(index); }
};
inline const Device cpu{};
inline Device cuda(int index = 0) { return Device{Device::Type::cuda, index}; }
inline std::ostream& operator<<(std::ostream& out, const Device& device) { return out << device.str(); }

// GPUs visible to a CUDA build (0 in a build without CUDA, or with no driver).
int cuda_device_count();
bool cuda_is_available();

}  // namespace lg
