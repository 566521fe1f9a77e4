// The CPU caching allocator: freed blocks are kept by size and handed out
// again, so a training loop, whose shapes repeat every step, stops calling
// malloc after its first step. See Note [caching allocator] in docs/notes.md.
#include "autograd/backend/cpu/allocator.hpp"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace lg {
namespace {

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

void* cpu_allocate(std::size_t nbytes) { return cpu_allocator().allocate(nbytes); }
void cpu_release(void* block, std::size_t nbytes) { cpu_allocator().release(block, nbytes); }
AllocatorStats allocator_stats() { return cpu_allocator().stats(); }
void empty_cache() { cpu_allocator().empty(); }

}  // namespace lg
