#include "nn/progress.hpp"

#include <utility>

namespace lg::nn {

ProgressMeter::ProgressMeter(std::int64_t epochs, std::int64_t steps_per_epoch, ProgressCallback callback,
                             double interval_seconds)
    : epochs_(epochs), steps_per_epoch_(steps_per_epoch), callback_(std::move(callback)),
      interval_(interval_seconds), started_(Clock::now()), epoch_started_(started_), last_report_(started_) {}

void ProgressMeter::start_epoch(std::int64_t epoch) {
  epoch_ = epoch;
  steps_ = examples_ = 0;
  loss_sum_ = 0.0;
  epoch_started_ = Clock::now();
}

double ProgressMeter::epoch_seconds() const {
  return std::chrono::duration<double>(Clock::now() - epoch_started_).count();
}

Progress ProgressMeter::snapshot(bool epoch_done) const {
  Progress p;
  p.epoch = epoch_;
  p.epochs = epochs_;
  p.step = steps_;
  p.steps_per_epoch = steps_per_epoch_;
  p.loss = mean_loss();
  const double seconds = epoch_seconds();
  p.examples_per_second = seconds > 0 ? static_cast<double>(examples_) / seconds : 0.0;
  p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  const double seconds_per_step = steps_ ? seconds / static_cast<double>(steps_) : 0.0;
  const std::int64_t steps_left = (epochs_ - epoch_ - 1) * steps_per_epoch_ + (steps_per_epoch_ - steps_);
  p.eta_seconds = seconds_per_step * static_cast<double>(steps_left);
  p.epoch_done = epoch_done;
  return p;
}

void ProgressMeter::step(double loss, std::int64_t examples) {
  ++steps_;
  examples_ += examples;
  loss_sum_ += loss;
  if (!callback_) return;
  const auto now = Clock::now();
  const bool epoch_done = steps_ == steps_per_epoch_;
  if (epoch_done || std::chrono::duration<double>(now - last_report_).count() >= interval_) {
    last_report_ = now;
    callback_(snapshot(epoch_done));
  }
}

}  // namespace lg::nn
