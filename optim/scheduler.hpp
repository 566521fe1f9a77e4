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

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Advances t by one and sets every group's lr.
  void step();
  std::int64_t last_step() const { return step_; }
  const std::vector<double>& base_lrs() const { return base_lrs_; }
  // The lr the schedule gives group `group` at step t.
  double lr_at(std::int64_t t, std::size_t group = 0) const;

  nn::StateDict state_dict() const;
  // Validates, then restores t and the base lrs and sets the optimiser's lrs to match.
  void load_state_dict(const nn::StateDict& state);

 protected:
  Scheduler(std::string name, Optimizer& optimizer);
  virtual double schedule(std::int64_t t, double base_lr) const = 0;
  // Sets every group's lr for the current t; derived constructors call it last.
  void apply();
  std::string name_;

 private:
  Optimizer& optimizer_;
  std::vector<double> base_lrs_;
  std::int64_t step_ = 0;
};

struct StepLROptions {
  std::int64_t step_size = 1;
  double gamma = 0.1;
};

class StepLR : public Scheduler {
 public:
  StepLR(Optimizer& optimizer, const StepLROptions& options);

 protected:
  double schedule(std::int64_t t, double base_lr) const override;

 private:
  StepLROptions options_;
};

struct ExponentialLROptions {
  double gamma = 0.9;
};

class ExponentialLR : public Scheduler {
 public:
  ExponentialLR(Optimizer& optimizer, const ExponentialLROptions& options);

 protected:
  double schedule(std::int64_t t, double base_lr) const override;

 private:
  ExponentialLROptions options_;
};

struct CosineAnnealingOptions {
  std::int64_t total_steps = 0;   // T, > warmup_steps
  std::int64_t warmup_steps = 0;  // W
  double min_lr = 0.0;
  double warmup_start_factor = 0.0;  // f in [0, 1]
};

class CosineAnnealing : public Scheduler {
 public:
  CosineAnnealing(Optimizer& optimizer, const CosineAnnealingOptions& options);

 protected:
  double schedule(std::int64_t t, double base_lr) const override;

 private:
  CosineAnnealingOptions options_;
};

}  // namespace lg::optim
