// Optimizer: the base of SGD, Adam, AdamW (and later the Riemannian family).
//
// Parameters come in groups; each group holds nn::Parameters with their names,
// and its own hyper-parameters: the optimiser's typed options struct
// (SGDOptions, AdamOptions, ...), kept per group by OptimizerWithOptions
// (optim/optimizer_with_options.hpp). The base sees the options only through
// lr()/set_lr(), which schedulers use between steps, and as (name, number)
// entries for the state dict. Each parameter has a state: the optimiser's buffers
// (named by the optimiser, e.g. "exp_avg", created at the parameter's first
// step) and its step count. A parameter's manifold must be one the optimiser
// can step on (SGD, Adam and AdamW: Euclidean only). See Note [parameter
// groups] in docs/notes.md.
//
// state_dict() names everything by parameter name, never by address, so a
// model rebuilt in a new process resumes bit for bit:
//   "group.<g>.<option>"       0-d float64 (flags 0/1), e.g. "group.0.lr"
//   "state.<name>.step"        0-d int64,   e.g. "state.encoder.0.weight.step"
//   "state.<name>.<buffer>"    a copy of the buffer, e.g. "state.encoder.0.weight.exp_avg"
// The option names are the fields of the options struct, so the layout is the
// one the string-keyed options wrote and their checkpoints load unchanged.
// load_state_dict() validates every entry, option values included, before it
// changes anything; a missing or unknown key is refused by name.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "manifold/manifold.hpp"
#include "nn/parameter.hpp"
#include "nn/state_dict.hpp"

namespace lg::optim {

using nn::NamedParameters;

// One group of parameters; its options are kept by OptimizerWithOptions, index for index.
struct ParamGroup {
  // The group's parameters with their names, in the order given.
  NamedParameters params;
};

// One parameter's optimiser state.
struct ParameterState {
  std::vector<Tensor> buffers;  // one slot per buffer name; undefined until first used
  // How many updates this parameter has had.
  std::int64_t step = 0;
};

// Names parameters by position ("0", "1", ...), for a plain list of tensors.
NamedParameters positional_names(const std::vector<Tensor>& parameters);

// Base of the optimisers: parameter groups, per-parameter state and the state dict laid out above.
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter that has a gradient (others are skipped).
  virtual void step() = 0;
  // Drops every parameter's gradient (sets it undefined).
  void zero_grad();

  // The groups in the order they were added.
  const std::vector<ParamGroup>& param_groups() const { return groups_; }
  // The number of groups.
  std::size_t group_count() const { return groups_.size(); }
  // The learning rate of a group, whatever the optimiser's options type.
  double lr(std::size_t group = 0) const;
  // Sets a group's learning rate; throws ValueError on an unknown group or a negative lr.
  void set_lr(double lr, std::size_t group);
  // The state of the parameter called `name` (ValueError when unknown).
  const ParameterState& state(const std::string& name) const;
  // The names of the per-parameter buffers, in slot order (e.g. "exp_avg").
  const std::vector<std::string>& buffer_names() const { return buffer_names_; }
  // The optimiser's name, used in error messages (e.g. "Adam").
  const std::string& name() const { return name_; }

  // Every group's options, and the step and buffers of each parameter stepped at least once, keyed as above.
  nn::StateDict state_dict() const;
  // Restores state_dict()'s layout, validating every entry first; a missing, unknown or malformed key
  // throws (ValueError, ShapeError or DTypeError) and changes nothing.
  void load_state_dict(const nn::StateDict& state);

 protected:
  // An optimiser with no groups yet; `buffer_names` names the per-parameter buffer slots.
  Optimizer(std::string name, std::vector<std::string> buffer_names);
  // Adds a group after checking its parameters: float leaves requiring grad,
  // contiguous, names unique across all groups, on a manifold this optimiser
  // accepts. The caller keeps the group's options.
  void add_group(NamedParameters params);
  // Whether this optimiser steps parameters on `manifold`. Euclidean only
  // here; a Riemannian optimiser overrides it (add_group runs in the
  // constructor, so the override counts in the class that adds the groups).
  virtual bool accepts_manifold(const manifold::Manifold& manifold) const;
  // What accepts_manifold allows, for add_group's error message ("steps <this>").
  virtual std::string manifold_requirement() const { return "Euclidean parameters only; use a Riemannian optimiser"; }
  // The gradient of parameter i of group g, contiguous (a copy only when the
  // stored gradient is not), or undefined when it has none. Checks the pairing.
  Tensor contiguous_grad(std::size_t group, std::size_t index) const;
  // Zero-filled buffer `slot` of a parameter's state, shaped buffer_shape(), created on first use.
  Tensor& buffer(std::size_t group, std::size_t index, std::size_t slot);
  // The shape of buffer `slot` of parameter i of group g: the parameter's shape here; an optimiser with
  // a scalar per matrix (Cayley ADAM's second moment) overrides it. load_state_dict checks against it.
  virtual Shape buffer_shape(std::size_t group, std::size_t index, std::size_t slot) const;
  // Throws ValueError (starting with `op`) unless `group` exists.
  void check_group(std::size_t group, std::string_view op) const;

  // The options' side, implemented by OptimizerWithOptions. lr() and set_lr()
  // check the group and the value first.
  virtual double group_lr(std::size_t group) const = 0;
  // Sets group `group`'s lr in its options; called by set_lr after its checks.
  virtual void set_group_lr(double lr, std::size_t group) = 0;
  // Group g's options as (name, value), flags as 0/1: its "group.<g>.<name>" entries.
  virtual std::vector<std::pair<std::string, double>> option_entries(std::size_t group) const = 0;
  // Replaces every group's options by values read from a state dict (one list
  // per group, in option_entries' order) after checking them all; on error it
  // throws, starting with `op`, and changes nothing.
  virtual void load_option_entries(const std::vector<std::vector<double>>& values, std::string_view op) = 0;

  // The optimiser's name, which its error messages start with.
  std::string name_;
  // Names of the per-parameter buffers, one slot each in ParameterState::buffers.
  std::vector<std::string> buffer_names_;
  // The parameter groups, in the order added.
  std::vector<ParamGroup> groups_;
  std::vector<std::vector<ParameterState>> state_;  // [group][parameter]
};

}  // namespace lg::optim
