// Denormal (subnormal) floats, below 1.2e-38 in float32, take a slow microcode path on x86: 10 to
// 100 times slower per operation. Training meets them (Adam's second moments of tiny gradients,
// activations near zero), and the quickstart's epochs slowed from 2.6 s to 11 s as they appeared.
// So latentgeo flushes them to zero by default, as TensorFlow and oneDNN do: FTZ (results) and DAZ
// (inputs) in the x86 MXCSR register. See Note [denormals] in docs/notes.md.
#pragma once

namespace lg {

// Turns flushing on or off for the calling thread and every thread of our OpenMP pool (threads
// created later inherit it from the thread that creates them). On by default: set at start-up for
// the main thread, unless LATENTGEO_KEEP_DENORMALS=1 is in the environment. No-op off x86.
void set_flush_denormals(bool flush);
// Whether the calling thread flushes.
bool flush_denormals();

}  // namespace lg
