// Thread-local switches, set with RAII guards (never a global flag a user must
// remember to reset). See Note [no-grad] in docs/notes.md.
#pragma once

namespace lg {

// Whether ops record a graph on this thread (true unless turned off).
bool grad_mode_enabled();
// Turns graph recording on this thread on or off; prefer the guards below.
void set_grad_mode(bool enabled);

// While alive, ops record no graph (inference, optimiser steps, backward itself).
class NoGradGuard {
 public:
  NoGradGuard() : previous_(grad_mode_enabled()) { set_grad_mode(false); }
  ~NoGradGuard() { set_grad_mode(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// While alive, ops record a graph even inside a NoGradGuard.
class EnableGradGuard {
 public:
  EnableGradGuard() : previous_(grad_mode_enabled()) { set_grad_mode(true); }
  ~EnableGradGuard() { set_grad_mode(previous_); }
  EnableGradGuard(const EnableGradGuard&) = delete;
  EnableGradGuard& operator=(const EnableGradGuard&) = delete;

 private:
  bool previous_;
};

// Anomaly mode (docs/testing.md, G15 anomaly detection): every recorded op's
// output and every backward gradient is checked for NaN/Inf, and the first op
// that produced one is named.
bool anomaly_mode_enabled();
// While alive, turns anomaly mode on (or off) on this thread, restoring the previous setting on destruction.
class AnomalyModeGuard {
 public:
  // Sets anomaly mode to enabled until destruction.
  explicit AnomalyModeGuard(bool enabled = true);
  ~AnomalyModeGuard();
  AnomalyModeGuard(const AnomalyModeGuard&) = delete;
  AnomalyModeGuard& operator=(const AnomalyModeGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace lg
