// A small timing harness for the benchmarks: no external library.
//
// Each candidate is warmed up, then timed in `samples` samples (at least 20).
// A sample runs the candidate enough times back to back to last at least
// `min_sample_ms`, so a 5-microsecond call is not timed against a clock that
// ticks in microseconds; the per-call time is reported. Candidates that are
// compared (ours against a raw baseline) are sampled in turn, sample by sample,
// so a burst of load from another process hits them alike instead of landing on
// one side of the comparison. We report the median with min and max: the median
// resists outliers, and min..max shows how noisy the machine was.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace lg::bench {

struct Stats {
  double median_ms = 0.0;
  double min_ms = 0.0;
  double max_ms = 0.0;
  int calls_per_sample = 1;
};

struct MeasureOptions {
  int samples = 21;           // odd, so the median is one sample; never fewer than 20
  int warmup_calls = 3;       // untimed calls first: caches, allocator, BLAS thread start
  double min_sample_ms = 2.0;
};

inline double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// Times every candidate, interleaving their samples. Returns one Stats per candidate.
inline std::vector<Stats> measure(const std::vector<std::function<void()>>& candidates, const MeasureOptions& options = {}) {
  const int samples = std::max(options.samples, 20);
  std::vector<Stats> stats(candidates.size());
  std::vector<std::vector<double>> times(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    for (int i = 0; i < options.warmup_calls; ++i) candidates[c]();
    const auto start = std::chrono::steady_clock::now();
    candidates[c]();
    const double one_call = std::max(elapsed_ms(start), 1e-6);
    stats[c].calls_per_sample = std::max(1, static_cast<int>(options.min_sample_ms / one_call + 0.5));
  }
  for (int s = 0; s < samples; ++s) {
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const int calls = stats[c].calls_per_sample;
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < calls; ++i) candidates[c]();
      times[c].push_back(elapsed_ms(start) / calls);
    }
  }
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    std::vector<double>& t = times[c];
    std::sort(t.begin(), t.end());
    stats[c].median_ms = t.size() % 2 ? t[t.size() / 2] : 0.5 * (t[t.size() / 2 - 1] + t[t.size() / 2]);
    stats[c].min_ms = t.front();
    stats[c].max_ms = t.back();
  }
  return stats;
}

inline Stats measure_one(const std::function<void()>& candidate, const MeasureOptions& options = {}) {
  return measure({candidate}, options).front();
}

// Keeps the compiler from dropping a computation whose result is otherwise unused.
inline volatile double kept_value = 0.0;
template <class T>
void keep(const T& value) {
  kept_value = static_cast<double>(value);
}

// printf-style formatting into a std::string.
template <class... Args>
std::string format(const char* pattern, Args... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, pattern, args...);
  return buffer;
}

// "median (min-max)" in milliseconds, with precision that suits the magnitude.
inline std::string spread(const Stats& s) {
  const char* pattern = s.median_ms < 0.1 ? "%.4f (%.4f-%.4f)" : s.median_ms < 10 ? "%.3f (%.3f-%.3f)"
                                                                                   : "%.1f (%.1f-%.1f)";
  return format(pattern, s.median_ms, s.min_ms, s.max_ms);
}

inline std::string milliseconds(double ms) {
  return format(ms < 0.1 ? "%.4f" : ms < 10 ? "%.3f" : "%.1f", ms);
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
    print_row_of([&](std::size_t i) { return columns_[i].title; });
    std::string rule;
    for (const Column& column : columns_) rule += std::string(static_cast<std::size_t>(column.width), '-') + "  ";
    std::printf("%s\n", rule.c_str());
  }
  void print_row(const std::vector<std::string>& cells) const {
    print_row_of([&](std::size_t i) { return i < cells.size() ? cells[i] : std::string(); });
  }

 private:
  template <class Cell>
  void print_row_of(Cell&& cell) const {
    std::string line;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const std::string text = cell(i);
      const std::string pad(static_cast<std::size_t>(std::max(0, columns_[i].width - static_cast<int>(text.size()))),
                            ' ');
      line += (i == 0 ? text + pad : pad + text) + "  ";
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
  std::vector<Column> columns_;
};

// The 1-minute load average, so a reader can judge how noisy a run was.
inline std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  file >> one >> five >> fifteen;
  return one.empty() ? "unknown" : one + " " + five + " " + fifteen;
}

}  // namespace lg::bench
