// Storage: a block of bytes on a device, shared by a tensor and all its views.
// It also carries the version counter: every in-place write bumps it, and a
// tensor saved for backward remembers the version it saw (see saved_tensor.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "autograd/device.hpp"

namespace lg {

class Storage {
 public:
  Storage(std::size_t nbytes, Device device);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() const { return data_; }
  std::size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }
  std::uint64_t version() const { return version_; }
  void bump_version() { ++version_; }

 private:
  void* data_ = nullptr;
  std::size_t nbytes_ = 0;
  Device device_;
  std::uint64_t version_ = 0;
};

// The CPU caching allocator: freed blocks are kept by size and handed out
// again, so a training loop, whose shapes repeat every step, stops calling
// malloc after its first step. See Note [caching allocator] in docs/notes.md.
struct AllocatorStats {
  std::size_t allocated_bytes = 0;  // held by live storages
  std::size_t cached_bytes = 0;     // freed, kept for reuse
  std::uint64_t system_allocations = 0;
};
AllocatorStats allocator_stats();
void empty_cache();

}  // namespace lg
