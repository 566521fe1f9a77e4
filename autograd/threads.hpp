// One number controls all CPU parallelism: our OpenMP kernels and OpenBLAS.
// See Note [threads] in docs/notes.md.
#pragma once

namespace lg {

void set_num_threads(int threads);
int num_threads();

}  // namespace lg
