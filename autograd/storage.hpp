// Storage: a block of bytes on a device, shared by a tensor and all its views.
// The block comes from the device's backend (backend.hpp) and goes back to it.
// It also carries the version counter: every in-place write bumps it, and a
// tensor saved for backward remembers the version it saw (SavedTensor in node.hpp;
// Note [version counter] in docs/notes.md).
//
// Memory rule for host code: data() is the bytes for host code, and throws
// DeviceError on a device whose memory the host cannot read (a GPU, the test
// device). Only backends, which know their memory, use device_data().
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "autograd/device.hpp"

namespace lg {

class Backend;

class Storage {
 public:
  // nbytes from `device`'s backend allocator.
  Storage(std::size_t nbytes, Device device);
  // Bytes owned elsewhere, which this storage only names (a backend's view of
  // its memory, or host values being copied); nothing is freed at the end.
  static std::shared_ptr<Storage> borrow(void* data, std::size_t nbytes, Device device);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() const;
  void* device_data() const { return data_; }
  std::size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }
  bool host_accessible() const { return host_accessible_; }
  std::uint64_t version() const { return version_; }
  void bump_version() { ++version_; }

 private:
  Storage() = default;
  void* data_ = nullptr;
  std::size_t nbytes_ = 0;
  Device device_;
  Backend* owner_ = nullptr;  // the backend that frees data_; null when borrowed
  bool host_accessible_ = false;
  std::uint64_t version_ = 0;
};

// The CPU caching allocator (backend/cpu/allocator.cpp): freed blocks are kept
// by size and handed out again, so a training loop, whose shapes repeat every
// step, stops calling malloc after its first step. See Note [caching allocator].
struct AllocatorStats {
  std::size_t allocated_bytes = 0;  // held by live storages
  std::size_t cached_bytes = 0;     // freed, kept for reuse
  std::uint64_t system_allocations = 0;
};
AllocatorStats allocator_stats();
void empty_cache();

}  // namespace lg
