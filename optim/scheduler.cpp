// Schedulers: closed-form lr(t) per group (see scheduler.hpp).
#include "optim/scheduler.hpp"

#include <cmath>
#include <numbers>

#include "autograd/factory.hpp"

namespace lg::optim {

Scheduler::Scheduler(std::string name, Optimizer& optimizer) : name_(std::move(name)), optimizer_(optimizer) {
  for (std::size_t g = 0; g < optimizer.group_count(); ++g) base_lrs_.push_back(optimizer.lr(g));
}

void Scheduler::apply() {
  for (std::size_t g = 0; g < base_lrs_.size(); ++g) optimizer_.set_lr(schedule(step_, base_lrs_[g]), g);
}

void Scheduler::step() {
  ++step_;
  apply();
}

double Scheduler::lr_at(std::int64_t t, std::size_t group) const {
  check<ValueError>(group < base_lrs_.size(), name_, "group ", group, " does not exist (", base_lrs_.size(),
                    " groups)");
  check<ValueError>(t >= 0, name_, "step must be non-negative, got ", t);
  return schedule(t, base_lrs_[group]);
}

nn::StateDict Scheduler::state_dict() const {
  nn::StateDict state;
  state.emplace("last_step", scalar_tensor(static_cast<double>(step_), int64));
  for (std::size_t g = 0; g < base_lrs_.size(); ++g)
    state.emplace("base_lr." + std::to_string(g), scalar_tensor(base_lrs_[g], float64));
  return state;
}

void Scheduler::load_state_dict(const nn::StateDict& state) {
  const std::string op = name_ + "::load_state_dict";
  auto scalar = [&](const std::string& key, DType dtype) {
    const auto found = state.find(key);
    check<ValueError>(found != state.end(), op, "missing key '", key, "'");
    const Tensor& t = found->second;
    check<ValueError>(t.defined(), op, "key '", key, "' holds an undefined tensor");
    check<ShapeError>(t.dim() == 0, op, "'", key, "' must be 0-d, got ", shape_str(t.shape()));
    check<DTypeError>(t.dtype() == dtype, op, "'", key, "' must be ", dtype, ", got ", t.dtype());
    return t;
  };
  const std::int64_t step = scalar("last_step", int64).item<std::int64_t>();
  check<ValueError>(step >= 0, op, "last_step must be non-negative, got ", step);
  std::vector<double> base_lrs;
  for (std::size_t g = 0; g < base_lrs_.size(); ++g)
    base_lrs.push_back(scalar("base_lr." + std::to_string(g), float64).item<double>());
  check<ValueError>(state.size() == base_lrs_.size() + 1, op, "expected ", base_lrs_.size() + 1,
                    " keys (last_step and one base_lr per group), got ", state.size());
  step_ = step;
  base_lrs_ = std::move(base_lrs);
  apply();
}

StepLR::StepLR(Optimizer& optimizer, const StepLROptions& options) : Scheduler("StepLR", optimizer), options_(options) {
  check<ValueError>(options.step_size > 0, name_, "step_size must be positive, got ", options.step_size);
  apply();
}

double StepLR::schedule(std::int64_t t, double base_lr) const {
  return base_lr * std::pow(options_.gamma, static_cast<double>(t / options_.step_size));
}

ExponentialLR::ExponentialLR(Optimizer& optimizer, const ExponentialLROptions& options)
    : Scheduler("ExponentialLR", optimizer), options_(options) {
  apply();
}

double ExponentialLR::schedule(std::int64_t t, double base_lr) const {
  return base_lr * std::pow(options_.gamma, static_cast<double>(t));
}

CosineAnnealing::CosineAnnealing(Optimizer& optimizer, const CosineAnnealingOptions& options)
    : Scheduler("CosineAnnealing", optimizer), options_(options) {
  check<ValueError>(options.warmup_steps >= 0 && options.total_steps > options.warmup_steps, name_,
                    "needs 0 <= warmup_steps < total_steps, got warmup_steps ", options.warmup_steps,
                    " and total_steps ", options.total_steps);
  check<ValueError>(options.warmup_start_factor >= 0.0 && options.warmup_start_factor <= 1.0, name_,
                    "warmup_start_factor ", options.warmup_start_factor, " is outside [0, 1]");
  check<ValueError>(options.min_lr >= 0.0, name_, "min_lr must be non-negative, got ", options.min_lr);
  apply();
}

double CosineAnnealing::schedule(std::int64_t t, double base_lr) const {
  const auto warmup = options_.warmup_steps, total = options_.total_steps;
  if (t < warmup) {
    const double f = options_.warmup_start_factor;
    return base_lr * (f + (1.0 - f) * static_cast<double>(t) / static_cast<double>(warmup));
  }
  if (t >= total) return options_.min_lr;
  const double progress = static_cast<double>(t - warmup) / static_cast<double>(total - warmup);
  return options_.min_lr + (base_lr - options_.min_lr) * (1.0 + std::cos(std::numbers::pi * progress)) / 2.0;
}

}  // namespace lg::optim
