// Timing whole training steps, on top of bench/bench_common.hpp (its Stats,
// Table and formatting). What differs from bench::measure: each candidate has a
// `configure` that sets its thread counts and runs, untimed, before each of its
// steps. latentgeo and libtorch share one OpenMP runtime and one OpenBLAS in
// this process, so every switch of candidate must set both knobs again, and
// at::set_num_threads does more than set a number (it rebuilds a thread pool
// when the count changes), which must not be billed to libtorch's step.
// Candidates compared in one row take turns (see time_steps), so a burst of
// load from another process hits all of them alike; one sample is one step.
#pragma once
#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"

namespace lg::bench {

struct Candidate {
  std::string name;
  std::function<void()> configure;  // thread counts; not timed
  std::function<void()> step;       // one training step; timed
};

struct StepTimingOptions {
  int warmup_steps = 5;   // untimed, after the first configure
  int timed_steps = 21;   // per candidate; never fewer than 20
  int rounds = 3;         // the timed steps come in this many rounds of consecutive steps
  int rewarm_steps = 2;   // untimed, after each later switch to a candidate
};

// Candidates take turns in rounds: configure, a few untimed steps so thread
// pools settle after the switch (a real training run never switches), then a
// run of timed steps. rounds = timed_steps interleaves step by step.
inline std::vector<Stats> time_steps(const std::vector<Candidate>& candidates, const StepTimingOptions& options) {
  const int total = std::max(options.timed_steps, 20);
  const int rounds = std::clamp(options.rounds, 1, total);
  std::vector<std::vector<double>> times(candidates.size());
  for (int r = 0; r < rounds; ++r) {
    const int steps = total / rounds + (r < total % rounds ? 1 : 0);
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      candidates[c].configure();
      for (int i = 0; i < (r == 0 ? options.warmup_steps : options.rewarm_steps); ++i) candidates[c].step();
      for (int i = 0; i < steps; ++i) {
        const auto start = std::chrono::steady_clock::now();
        candidates[c].step();
        times[c].push_back(elapsed_ms(start));
      }
    }
  }
  std::vector<Stats> stats(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    std::vector<double>& t = times[c];
    std::sort(t.begin(), t.end());
    const std::size_t n = t.size();
    stats[c].median_ms = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    stats[c].min_ms = t.front();
    stats[c].max_ms = t.back();
  }
  return stats;
}

}  // namespace lg::bench
