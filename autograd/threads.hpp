// One number controls all CPU parallelism: our OpenMP kernels and OpenBLAS.
// See Note [threads] in docs/notes.md.
#pragma once

namespace lg {

// Sets the OpenMP threads of every CPU kernel, GEMMs included (OpenBLAS runs on one); ValueError if < 1.
void set_num_threads(int threads);
// The thread count last set, else OpenMP's default.
int num_threads();

}  // namespace lg
