// Learning-rate schedulers. Each sets lr = schedule(t, base_lr) for every
// parameter group, where t counts calls of step() (0 at construction) and
// base_lr is the group's lr when the scheduler was made. Closed forms of t, not
// recurrences, so the lr after a resume is bit-identical:
//   StepLR         base_lr gamma^floor(t / step_size)
//   ExponentialLR  base_lr gamma^t
//   CosineAnnealing with linear warm-up over W steps to T steps in all:
//     t < W:      base_lr (f + (1 - f) t / W),   f = warmup_start_factor
//     W <= t < T: min_lr + (base_lr - min_lr) (1 + cos(pi (t - W) / (T - W))) / 2
//     t >= T:     min_lr
// state_dict(): "last_step" (0-d int64) and "base_lr.<g>" (0-d float64).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nn/state_dict.hpp"
#include "optim/optimizer.hpp"

namespace lg::optim {

// Base of the schedulers: holds the optimiser, the groups' base lrs and the step count t.
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Advances t by one and sets every group's lr.
  void step();
  // The step count t: the number of step() calls since construction (or the restored one).
  std::int64_t last_step() const { return step_; }
  // Each group's lr when the scheduler was made (or as restored), in group order.
  const std::vector<double>& base_lrs() const { return base_lrs_; }
  // The lr the schedule gives group `group` at step t.
  double lr_at(std::int64_t t, std::size_t group = 0) const;

  // The state as "last_step" (0-d int64) and one "base_lr.<g>" (0-d float64) per group.
  nn::StateDict state_dict() const;
  // Validates, then restores t and the base lrs and sets the optimiser's lrs to match.
  void load_state_dict(const nn::StateDict& state);

 protected:
  // Records the optimiser's current lr of every group as its base lr, with t = 0.
  Scheduler(std::string name, Optimizer& optimizer);
  // The lr at step t for a group whose base lr is base_lr.
  virtual double schedule(std::int64_t t, double base_lr) const = 0;
  // Sets every group's lr for the current t; derived constructors call it last.
  void apply();
  // The scheduler's name ("StepLR", ...), which its error messages start with.
  std::string name_;

 private:
  Optimizer& optimizer_;
  std::vector<double> base_lrs_;
  std::int64_t step_ = 0;
};

// Options of StepLR.
struct StepLROptions {
  // Steps between decays; must be positive.
  std::int64_t step_size = 1;
  // Factor the lr is multiplied by every step_size steps.
  double gamma = 0.1;
};

// Decays the lr stepwise: base_lr gamma^floor(t / step_size).
class StepLR : public Scheduler {
 public:
  // Sets every group's lr to its step-0 value; throws ValueError unless step_size > 0.
  StepLR(Optimizer& optimizer, const StepLROptions& options);

 protected:
  // Returns base_lr gamma^floor(t / step_size).
  double schedule(std::int64_t t, double base_lr) const override;

 private:
  StepLROptions options_;
};

// Options of ExponentialLR.
struct ExponentialLROptions {
  // Factor the lr is multiplied by every step.
  double gamma = 0.9;
};

// Decays the lr every step: base_lr gamma^t.
class ExponentialLR : public Scheduler {
 public:
  // Sets every group's lr to its step-0 value.
  ExponentialLR(Optimizer& optimizer, const ExponentialLROptions& options);

 protected:
  // Returns base_lr gamma^t.
  double schedule(std::int64_t t, double base_lr) const override;

 private:
  ExponentialLROptions options_;
};

// Options of CosineAnnealing.
struct CosineAnnealingOptions {
  std::int64_t total_steps = 0;   // T, > warmup_steps
  std::int64_t warmup_steps = 0;  // W
  // Floor the lr decays to, reached at step T; must be non-negative.
  double min_lr = 0.0;
  double warmup_start_factor = 0.0;  // f in [0, 1]
};

// Linear warm-up over W steps, then cosine decay to min_lr at step T, min_lr after.
class CosineAnnealing : public Scheduler {
 public:
  // Sets every group's lr to its step-0 value; throws ValueError unless 0 <= W < T, f is in [0, 1] and min_lr >= 0.
  CosineAnnealing(Optimizer& optimizer, const CosineAnnealingOptions& options);

 protected:
  // Returns the warm-up, cosine or floor lr for step t (the formulas at the top of this file).
  double schedule(std::int64_t t, double base_lr) const override;

 private:
  CosineAnnealingOptions options_;
};

}  // namespace lg::optim
