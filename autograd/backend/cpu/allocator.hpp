// The CPU's allocator (allocator.cpp): 64-byte aligned blocks, cached by size.
#pragma once
#include <cstddef>

#include "autograd/storage.hpp"

namespace lg {

void* cpu_allocate(std::size_t nbytes);
void cpu_release(void* block, std::size_t nbytes);

}  // namespace lg
