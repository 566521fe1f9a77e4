// A small timing harness for whole training steps (bench_common.hpp is not
// committed yet, so this folder keeps its own). Candidates that are compared in
// one row are timed in turn, step by step, so a burst of load from another
// process hits all of them alike. Each candidate has a `configure` that sets its
// thread counts, run before each of its steps: latentgeo and libtorch share one
// OpenMP runtime and one OpenBLAS in this process, so every switch of candidate
// must set both knobs again. We report the median with min and max.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace lg::bench {

struct StepStats {
  double median_ms = 0.0;
  double min_ms = 0.0;
  double max_ms = 0.0;
};

struct Candidate {
  std::string name;
  std::function<void()> configure;  // thread counts; not timed
  std::function<void()> step;       // one training step; timed
};

struct TimingOptions {
  int warmup_steps = 5;
  int timed_steps = 21;  // odd, so the median is one step
};

inline std::vector<StepStats> time_steps(const std::vector<Candidate>& candidates, const TimingOptions& options) {
  using clock = std::chrono::steady_clock;
  for (const Candidate& c : candidates) {
    c.configure();
    for (int i = 0; i < options.warmup_steps; ++i) c.step();
  }
  std::vector<std::vector<double>> times(candidates.size());
  for (int s = 0; s < options.timed_steps; ++s) {
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      candidates[c].configure();
      const auto start = clock::now();
      candidates[c].step();
      times[c].push_back(std::chrono::duration<double, std::milli>(clock::now() - start).count());
    }
  }
  std::vector<StepStats> stats(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    std::vector<double>& t = times[c];
    std::sort(t.begin(), t.end());
    const std::size_t n = t.size();
    stats[c] = {n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]), t.front(), t.back()};
  }
  return stats;
}

// printf-style formatting into a std::string.
template <class... Args>
std::string format(const char* pattern, Args... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, pattern, args...);
  return buffer;
}

// "median (min-max)" in milliseconds.
inline std::string spread(const StepStats& s) {
  return format(s.median_ms < 10 ? "%.2f (%.2f-%.2f)" : "%.1f (%.1f-%.1f)", s.median_ms, s.min_ms, s.max_ms);
}

// A text table: the first column left-aligned, the others right-aligned.
class Table {
 public:
  struct Column {
    std::string title;
    int width;
  };
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  void print_header() const {
    std::vector<std::string> titles;
    std::string rule;
    for (const Column& column : columns_) {
      titles.push_back(column.title);
      rule += std::string(static_cast<std::size_t>(column.width), '-') + "  ";
    }
    print_row(titles);
    std::printf("%s\n", rule.c_str());
  }
  void print_row(const std::vector<std::string>& cells) const {
    std::string line;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const std::string text = i < cells.size() ? cells[i] : std::string();
      const int gap = std::max(0, columns_[i].width - static_cast<int>(text.size()));
      const std::string pad(static_cast<std::size_t>(gap), ' ');
      line += (i == 0 ? text + pad : pad + text) + "  ";
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }

 private:
  std::vector<Column> columns_;
};

// The load averages (1, 5, 15 minutes), so a reader can judge how noisy a run was.
inline std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  file >> one >> five >> fifteen;
  return one.empty() ? "unknown" : one + " " + five + " " + fifteen;
}

}  // namespace lg::bench
