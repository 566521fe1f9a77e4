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

// A block of bytes on a device with its version counter, shared by a tensor and its views.
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

  // The bytes for host code; DeviceError when the host cannot read the device's memory.
  void* data() const;
  // The bytes as the backend sees them, for backends only (no check).
  void* device_data() const { return data_; }
  // The size of the block in bytes.
  std::size_t nbytes() const { return nbytes_; }
  // The device the bytes live on.
  Device device() const { return device_; }
  // Whether host code may read the bytes through data().
  bool host_accessible() const { return host_accessible_; }
  // The number of in-place writes so far.
  std::uint64_t version() const { return version_; }
  // Records an in-place write.
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
// The CPU allocator's counters now.
AllocatorStats allocator_stats();
// Frees the CPU allocator's cached blocks (cached_bytes becomes 0); live storages are untouched.
void empty_cache();

}  // namespace lg
