#include "autograd/threads.hpp"

#include "autograd/backend/kernels.hpp"

namespace lg {

void set_num_threads(int threads) { kernel::set_num_threads(threads); }
int num_threads() { return kernel::num_threads(); }

}  // namespace lg
