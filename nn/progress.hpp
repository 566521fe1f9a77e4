// Training progress without printing: a ProgressMeter measures throughput and
// the time left, and hands a Progress record to a callback that the program
// installs (examples/common/terminal_progress.hpp draws a bar or prints lines).
// The library itself never writes to the terminal.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>

namespace lg::nn {

// One report of training progress, handed to the callback.
struct Progress {
  std::int64_t epoch = 0;            // 0-based
  // The number of epochs in all.
  std::int64_t epochs = 0;
  std::int64_t step = 0;             // steps done in this epoch
  // The number of steps in one epoch.
  std::int64_t steps_per_epoch = 0;
  double loss = 0.0;                 // running mean of the epoch's losses so far
  double examples_per_second = 0.0;  // over this epoch so far
  double elapsed_seconds = 0.0;      // since the meter started
  double eta_seconds = 0.0;          // to the end of the last epoch, at the current rate
  bool epoch_done = false;           // the last report of an epoch
};

// The program's receiver of Progress reports.
using ProgressCallback = std::function<void(const Progress&)>;

// Tracks steps, losses and time over the epochs and reports them through the callback.
class ProgressMeter {
 public:
  // Reports at most every `interval_seconds`, and always at the end of an epoch.
  ProgressMeter(std::int64_t epochs, std::int64_t steps_per_epoch, ProgressCallback callback,
                double interval_seconds = 0.25);
  // Starts epoch `epoch` (0-based): resets its steps, examples, loss sum and clock.
  void start_epoch(std::int64_t epoch);
  // Records a step of `examples` examples with loss `loss`; reports when the interval has passed or the epoch ends.
  void step(double loss, std::int64_t examples);
  // The epoch's mean loss so far.
  double mean_loss() const { return steps_ ? loss_sum_ / static_cast<double>(steps_) : 0.0; }
  // Seconds since the current epoch started.
  double epoch_seconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  Progress snapshot(bool epoch_done) const;

  std::int64_t epochs_, steps_per_epoch_;
  ProgressCallback callback_;
  double interval_;
  Clock::time_point started_, epoch_started_, last_report_;
  std::int64_t epoch_ = 0, steps_ = 0, examples_ = 0;
  double loss_sum_ = 0.0;
};

}  // namespace lg::nn
