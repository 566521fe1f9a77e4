// Optimizer base: groups, per-parameter state, and the by-name state dict
// (validate everything, then write).
#include "optim/optimizer.hpp"

#include <set>

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/view.hpp"

namespace lg::optim {

NamedParameters positional_names(const std::vector<Tensor>& parameters) {
  NamedParameters named;
  for (std::size_t i = 0; i < parameters.size(); ++i) named.emplace_back(std::to_string(i), parameters[i]);
  return named;
}

Optimizer::Optimizer(std::string name, std::vector<std::string> buffer_names)
    : name_(std::move(name)), buffer_names_(std::move(buffer_names)) {}

void Optimizer::add_group(NamedParameters params) {
  std::set<std::string> names;
  std::set<const TensorImpl*> tensors;
  for (const auto& group : groups_)
    for (const auto& [name, parameter] : group.params) {
      names.insert(name);
      tensors.insert(parameter.tensor.impl().get());
    }
  for (const auto& [name, parameter] : params) {
    const Tensor& tensor = parameter.tensor;
    check<ValueError>(!name.empty(), name_, "a parameter has an empty name");
    check<ValueError>(names.insert(name).second, name_, "parameter name '", name, "' appears twice");
    check<ValueError>(tensor.defined(), name_, "parameter '", name, "' is undefined");
    check<ValueError>(tensors.insert(tensor.impl().get()).second, name_, "parameter '", name,
                      "' is the same tensor as another parameter");
    check<DTypeError>(tensor.is_floating_point(), name_, "parameter '", name, "' must be float32 or float64, got ",
                      tensor.dtype());
    check<ValueError>(tensor.is_leaf() && tensor.requires_grad(), name_, "parameter '", name,
                      "' must be a leaf tensor that requires grad");
    check<ValueError>(tensor.is_contiguous(), name_, "parameter '", name, "' ", shape_str(tensor.shape()),
                      " is not contiguous");
    check<ValueError>(parameter.manifold != nullptr, name_, "parameter '", name, "' has no manifold");
    check<ValueError>(accepts_manifold(*parameter.manifold), name_, "parameter '", name, "' lies on the ",
                      parameter.manifold->name(), " manifold, but ", name_, " steps ", manifold_requirement());
  }
  state_.emplace_back(params.size());
  for (ParameterState& s : state_.back()) s.buffers.resize(buffer_names_.size());
  groups_.push_back({std::move(params)});
}

bool Optimizer::accepts_manifold(const manifold::Manifold& manifold) const { return manifold::is_euclidean(manifold); }

void Optimizer::zero_grad() {
  for (const auto& group : groups_)
    for (const auto& entry : group.params) entry.second.tensor.set_grad(Tensor{});
}

void Optimizer::check_group(std::size_t group, std::string_view op) const {
  check<ValueError>(group < groups_.size(), op, "group ", group, " does not exist (", groups_.size(), " groups)");
}

double Optimizer::lr(std::size_t group) const {
  check_group(group, name_);
  return group_lr(group);
}

void Optimizer::set_lr(double lr, std::size_t group) {
  check_group(group, name_);
  check<ValueError>(lr >= 0.0, name_, "learning rate must be non-negative, got ", lr);
  set_group_lr(lr, group);
}

const ParameterState& Optimizer::state(const std::string& name) const {
  for (std::size_t g = 0; g < groups_.size(); ++g)
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i)
      if (groups_[g].params[i].first == name) return state_[g][i];
  fail<ValueError>(name_, "no parameter called '", name, "'");
}

Tensor Optimizer::contiguous_grad(std::size_t group, std::size_t index) const {
  const std::string& name = groups_[group].params[index].first;
  const Tensor& parameter = groups_[group].params[index].second.tensor;
  const Tensor grad = parameter.grad();
  if (!grad.defined()) return grad;
  check<ShapeError>(grad.shape() == parameter.shape() && grad.dtype() == parameter.dtype(), name_, "gradient of '",
                    name, "' is ", shape_str(grad.shape()), " ", grad.dtype(), " but the parameter is ",
                    shape_str(parameter.shape()), " ", parameter.dtype());
  return grad.is_contiguous() ? grad : grad.contiguous();
}

Tensor& Optimizer::buffer(std::size_t group, std::size_t index, std::size_t slot) {
  Tensor& stored = state_[group][index].buffers[slot];
  if (!stored.defined()) {
    const Tensor& parameter = groups_[group].params[index].second.tensor;
    stored = zeros(buffer_shape(group, index, slot), parameter.dtype(), parameter.device());
  }
  return stored;
}

Shape Optimizer::buffer_shape(std::size_t group, std::size_t index, std::size_t) const {
  return groups_[group].params[index].second.tensor.shape();
}

nn::StateDict Optimizer::state_dict() const {
  NoGradGuard no_grad;
  nn::StateDict state;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (const auto& [option, value] : option_entries(g))
      state.emplace("group." + std::to_string(g) + "." + option, scalar_tensor(value, float64));
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const ParameterState& s = state_[g][i];
      const std::string prefix = "state." + groups_[g].params[i].first + ".";
      if (s.step == 0) continue;
      state.emplace(prefix + "step", scalar_tensor(static_cast<double>(s.step), int64));
      for (std::size_t b = 0; b < buffer_names_.size(); ++b)
        if (s.buffers[b].defined()) state.emplace(prefix + buffer_names_[b], clone(s.buffers[b]));
    }
  }
  return state;
}

void Optimizer::load_state_dict(const nn::StateDict& state) {
  const std::string op = name_ + "::load_state_dict";
  std::set<std::string> used;
  auto find = [&](const std::string& key) -> const Tensor* {
    const auto found = state.find(key);
    if (found == state.end()) return nullptr;
    check<ValueError>(found->second.defined(), op, "key '", key, "' holds an undefined tensor");
    used.insert(key);
    return &found->second;
  };
  auto scalar_of = [&](const std::string& key, const Tensor& t, DType dtype) {
    check<ShapeError>(t.dim() == 0, op, "'", key, "' must be 0-d, got ", shape_str(t.shape()));
    check<DTypeError>(t.dtype() == dtype, op, "'", key, "' must be ", dtype, ", got ", t.dtype());
    return t.item<double>();
  };

  // Validate everything, building the new groups' option values and states aside.
  std::vector<std::vector<double>> options(groups_.size());
  std::vector<std::vector<ParameterState>> states(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (const auto& [option, current] : option_entries(g)) {
      const std::string key = "group." + std::to_string(g) + "." + option;
      const Tensor* t = find(key);
      check<ValueError>(t != nullptr, op, "missing key '", key, "'");
      options[g].push_back(scalar_of(key, *t, float64));
    }
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const std::string& name = groups_[g].params[i].first;
      const Tensor& parameter = groups_[g].params[i].second.tensor;
      const std::string prefix = "state." + name + ".";
      ParameterState s;
      s.buffers.resize(buffer_names_.size());
      if (const Tensor* step = find(prefix + "step")) {
        const double count = scalar_of(prefix + "step", *step, int64);
        check<ValueError>(count >= 1, op, "'", prefix, "step' must be positive, got ", count);
        s.step = step->item<std::int64_t>();
      }
      for (std::size_t b = 0; b < buffer_names_.size(); ++b) {
        const std::string key = prefix + buffer_names_[b];
        const Tensor* t = find(key);
        if (t == nullptr) continue;
        check<ValueError>(s.step > 0, op, "'", key, "' is present but '", prefix, "step' is not");
        const Shape expected = buffer_shape(g, i, b);
        check<ShapeError>(t->shape() == expected, op, "shape mismatch for '", key, "': ", shape_str(t->shape()),
                          " in the state dict, expected ", shape_str(expected), " for parameter '", name, "' ",
                          shape_str(parameter.shape()));
        check<DTypeError>(t->dtype() == parameter.dtype(), op, "dtype mismatch for '", key, "': ", t->dtype(),
                          " in the state dict, parameter '", name, "' is ", parameter.dtype());
        s.buffers[b] = *t;
      }
      states[g].push_back(std::move(s));
    }
  }
  for (const auto& [key, tensor] : state)
    check<ValueError>(used.count(key) == 1, op, "unexpected key '", key, "' (not a parameter of this ",
                      name_, " or not one of its options)");

  NoGradGuard no_grad;
  // Own copies (later steps must not write into the dict), on the parameter's device (a checkpoint
  // loads to the CPU).
  for (std::size_t g = 0; g < states.size(); ++g)
    for (std::size_t i = 0; i < states[g].size(); ++i)
      for (Tensor& b : states[g][i].buffers)
        if (b.defined()) b = to_device(clone(b.detach()), groups_[g].params[i].second.tensor.device());
  load_option_entries(options, op);  // checks the values; throws before it changes anything
  state_ = std::move(states);
}

}  // namespace lg::optim
