// Optimizer: the base of SGD, Adam, AdamW (and later the Riemannian family).
//
// Parameters come in groups; each group has its parameters with their names
// and its own hyper-parameters ("lr", "momentum", ... as numbers; flags as 0/1),
// which schedulers change between steps. Each parameter has a state: the
// optimiser's buffers (named by the optimiser, e.g. "exp_avg", created at the
// parameter's first step) and its step count.
//
// state_dict() names everything by parameter name, never by address, so a
// model rebuilt in a new process resumes bit for bit:
//   "group.<g>.<option>"       0-d float64, e.g. "group.0.lr"
//   "state.<name>.step"        0-d int64,   e.g. "state.encoder.0.weight.step"
//   "state.<name>.<buffer>"    a copy of the buffer, e.g. "state.encoder.0.weight.exp_avg"
// load_state_dict() validates every entry before it changes anything.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nn/parameter.hpp"
#include "nn/state_dict.hpp"

namespace lg::optim {

using nn::NamedParameters;
using GroupOptions = std::map<std::string, double>;

struct ParamGroup {
  NamedParameters params;
  GroupOptions options;
};

struct ParameterState {
  std::vector<Tensor> buffers;  // one slot per buffer name; undefined until first used
  std::int64_t step = 0;
};

// Names parameters by position ("0", "1", ...), for a plain list of tensors.
NamedParameters positional_names(const std::vector<Tensor>& parameters);

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter that has a gradient (others are skipped).
  virtual void step() = 0;
  // Drops every parameter's gradient (sets it undefined).
  void zero_grad();

  const std::vector<ParamGroup>& param_groups() const { return groups_; }
  std::size_t group_count() const { return groups_.size(); }
  double lr(std::size_t group = 0) const;
  void set_lr(double lr, std::size_t group);
  // The state of the parameter called `name` (ValueError when unknown).
  const ParameterState& state(const std::string& name) const;
  const std::vector<std::string>& buffer_names() const { return buffer_names_; }
  const std::string& name() const { return name_; }

  nn::StateDict state_dict() const;
  void load_state_dict(const nn::StateDict& state);

 protected:
  Optimizer(std::string name, std::vector<std::string> buffer_names);
  // Adds a group after checking its parameters (float leaves requiring grad,
  // contiguous, names unique across all groups) and that options has "lr".
  void add_group(NamedParameters params, GroupOptions options);
  // The gradient of parameter i of group g, contiguous (a copy only when the
  // stored gradient is not), or undefined when it has none. Checks the pairing.
  Tensor contiguous_grad(std::size_t group, std::size_t index) const;
  // Zero-filled buffer `slot` of a parameter's state, created on first use.
  Tensor& buffer(std::size_t group, std::size_t index, std::size_t slot);

  std::string name_;
  std::vector<std::string> buffer_names_;
  std::vector<ParamGroup> groups_;
  std::vector<std::vector<ParameterState>> state_;  // [group][parameter]
};

}  // namespace lg::optim
