// Draws lg::nn::Progress reports: a bar redrawn in place with '\r' when
// stdout is a terminal, one plain line per report otherwise (logs, CI).
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "nn/progress.hpp"

namespace examples {

inline std::string format_seconds(double seconds) {
  const auto total = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  return text;
}

inline lg::nn::ProgressCallback terminal_progress() {
  const bool tty = isatty(fileno(stdout));
  return [tty](const lg::nn::Progress& p) {
    if (!tty && !p.epoch_done) return;  // logs get one line per epoch
    const int width = 30;
    const int filled = p.steps_per_epoch ? static_cast<int>(width * p.step / p.steps_per_epoch) : width;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::printf("%sepoch %lld/%lld [%s] %lld/%lld  loss %.5f  %.0f examples/s  ETA %s%s", tty ? "\r" : "",
                static_cast<long long>(p.epoch + 1), static_cast<long long>(p.epochs), bar.c_str(),
                static_cast<long long>(p.step), static_cast<long long>(p.steps_per_epoch), p.loss,
                p.examples_per_second, format_seconds(p.eta_seconds).c_str(), tty && !p.epoch_done ? "" : "\n");
    std::fflush(stdout);
  };
}

// For a run counted in steps rather than epochs (full-batch training): "name  step s/S loss ...",
// redrawn in place on a terminal, one line a report block in a log.
inline lg::nn::ProgressCallback step_progress(const std::string& name, std::int64_t steps) {
  const bool tty = isatty(fileno(stdout));
  return [=](const lg::nn::Progress& p) {
    if (!tty && !p.epoch_done) return;
    const std::int64_t done = p.epoch * p.steps_per_epoch + p.step;
    std::printf("%s%s  step %6lld/%lld  loss %.3e  elapsed %s  ETA %s%s", tty ? "\r" : "", name.c_str(),
                static_cast<long long>(done), static_cast<long long>(steps), p.loss,
                format_seconds(p.elapsed_seconds).c_str(), format_seconds(p.eta_seconds).c_str(), tty ? "" : "\n");
    std::fflush(stdout);
  };
}

}  // namespace examples
