#include "autograd/storage.hpp"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "autograd/denormals.hpp"
#include "autograd/error.hpp"

namespace lg {
namespace {

// A reference into denormals.cpp, so that every program holding a tensor also links its start-up
// switch to flushing denormals (Note [denormals]).
[[gnu::used]] const auto link_denormals = &lg::flush_denormals;

constexpr std::size_t kAlignment = 64;  // a cache line; also what AVX-512 loads like

std::size_t round_up(std::size_t nbytes) { return (nbytes + kAlignment - 1) / kAlignment * kAlignment; }

class CpuAllocator {
 public:
  void* allocate(std::size_t nbytes) {
    const std::size_t size = round_up(nbytes == 0 ? 1 : nbytes);
    std::lock_guard lock(mutex_);
    stats_.allocated_bytes += size;
#ifndef LATENTGEO_NO_ALLOCATOR_CACHE
    auto it = free_.find(size);
    if (it != free_.end() && !it->second.empty()) {
      void* block = it->second.back();
      it->second.pop_back();
      stats_.cached_bytes -= size;
      return block;
    }
#endif
    void* block = std::aligned_alloc(kAlignment, size);
    if (!block) throw std::bad_alloc();
    ++stats_.system_allocations;
    return block;
  }

  void release(void* block, std::size_t nbytes) {
    const std::size_t size = round_up(nbytes == 0 ? 1 : nbytes);
    std::lock_guard lock(mutex_);
    stats_.allocated_bytes -= size;
#ifndef LATENTGEO_NO_ALLOCATOR_CACHE
    free_[size].push_back(block);
    stats_.cached_bytes += size;
#else
    std::free(block);
#endif
  }

  void empty() {
    std::lock_guard lock(mutex_);
    for (auto& [size, blocks] : free_)
      for (void* block : blocks) std::free(block);
    free_.clear();
    stats_.cached_bytes = 0;
  }

  AllocatorStats stats() {
    std::lock_guard lock(mutex_);
    return stats_;
  }

  ~CpuAllocator() { empty(); }

 private:
  std::mutex mutex_;
  std::unordered_map<std::size_t, std::vector<void*>> free_;
  AllocatorStats stats_;
};

CpuAllocator& cpu_allocator() {
  static CpuAllocator allocator;
  return allocator;
}

}  // namespace

Storage::Storage(std::size_t nbytes, Device device) : nbytes_(nbytes), device_(device) {
  check<DeviceError>(device.type == Device::Type::cpu, "storage",
                     "device ", device.str(), " is not available in this build");
  data_ = cpu_allocator().allocate(nbytes);
}

Storage::~Storage() { cpu_allocator().release(data_, nbytes_); }

AllocatorStats allocator_stats() { return cpu_allocator().stats(); }
void empty_cache() { cpu_allocator().empty(); }

}  // namespace lg
