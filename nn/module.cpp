// Module: registration, recursive walks, modes, and the all-or-nothing state
// dict load (validate every entry first, then copy).
#include "nn/module.hpp"

#include <set>

#include "autograd/backend/backend.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/view.hpp"

namespace lg::nn {
namespace {

std::string join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

}  // namespace

void Module::check_new_name(const std::string& name) const {
  check<ValueError>(!name.empty(), "Module::register", "empty name");
  check<ValueError>(name.find('.') == std::string::npos, "Module::register", "name '", name,
                    "' contains '.', which separates the levels of dotted names");
  auto taken = [&](const auto& entries) {
    for (const auto& entry : entries)
      if (entry.first == name) return true;
    return false;
  };
  check<ValueError>(!taken(parameters_) && !taken(buffers_) && !taken(children_), "Module::register", "name '", name,
                    "' is already registered in this module");
}

Tensor Module::register_parameter(const std::string& name, const Tensor& data) {
  check_new_name(name);
  Parameter parameter = make_parameter(data, "Module::register_parameter");
  parameters_.emplace_back(name, parameter);
  return parameter.tensor;
}

Tensor Module::register_buffer(const std::string& name, const Tensor& data) {
  check_new_name(name);
  check<ValueError>(data.defined(), "Module::register_buffer", "buffer '", name, "' is undefined");
  buffers_.emplace_back(name, data);
  return data;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
  check_new_name(name);
  check<ValueError>(module != nullptr, "Module::register_module", "module '", name, "' is null");
  check<ValueError>(module.get() != this, "Module::register_module", "a module cannot contain itself");
  children_.emplace_back(name, std::move(module));
}

void Module::collect_parameters(const std::string& prefix, NamedParameters& out) const {
  for (const auto& [name, parameter] : parameters_) out.emplace_back(join(prefix, name), parameter);
  for (const auto& [name, child] : children_) child->collect_parameters(join(prefix, name), out);
}

void Module::collect_buffers(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out) const {
  for (const auto& [name, buffer] : buffers_) out.emplace_back(join(prefix, name), buffer);
  for (const auto& [name, child] : children_) child->collect_buffers(join(prefix, name), out);
}

Parameter* Module::find_parameter(const std::string& dotted_name) {
  const std::size_t dot = dotted_name.find('.');
  if (dot == std::string::npos) {
    for (auto& [name, parameter] : parameters_)
      if (name == dotted_name) return &parameter;
    return nullptr;
  }
  for (auto& [name, child] : children_)
    if (dotted_name.compare(0, dot, name) == 0)
      return child->find_parameter(dotted_name.substr(dot + 1));
  return nullptr;
}

void Module::set_manifold(const std::string& dotted_name, std::shared_ptr<const manifold::Manifold> manifold) {
  check<ValueError>(manifold != nullptr, "Module::set_manifold", "the manifold for '", dotted_name, "' is null");
  Parameter* parameter = find_parameter(dotted_name);
  check<ValueError>(parameter != nullptr, "Module::set_manifold", "no parameter called '", dotted_name, "'");
  // The parameter must be shaped as the manifold's points (a ShapeError naming both otherwise);
  // whether its values lie on the manifold is the caller's choice (project() puts them there).
  manifold->check_point("Module::set_manifold", parameter->tensor);
  parameter->manifold = std::move(manifold);
}

NamedParameters Module::named_parameters() const {
  NamedParameters out;
  collect_parameters("", out);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& entry : named_parameters()) out.push_back(std::move(entry.second.tensor));
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers() const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect_buffers("", out);
  return out;
}

std::vector<Tensor> Module::buffers() const {
  std::vector<Tensor> out;
  for (auto& entry : named_buffers()) out.push_back(std::move(entry.second));
  return out;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& entry : children_) entry.second->train(on);
}

namespace {
// Moves t's values (and its gradient) to `device` in place: the TensorImpl that every handle shares
// gets a new, contiguous storage there, so layers' handles follow. The old storage lives on in
// graphs built before the move; those graphs should not be used after it.
void move_in_place(const Tensor& t, Device device) {
  if (t.device() == device) return;
  Tensor moved = empty(t.shape(), t.dtype(), device);
  kernel::transfer(t, moved);
  TensorImpl& impl = *t.impl();
  impl.storage = moved.impl()->storage;
  impl.strides = moved.strides();
  impl.offset = 0;
  if (impl.grad) move_in_place(Tensor(impl.grad), device);
}
}  // namespace

void Module::to(Device device) {
  check<DeviceError>(has_backend(device), "Module::to", "device ", device, " has no backend in this build");
  NoGradGuard no_grad;
  for (const Tensor& parameter : parameters()) move_in_place(parameter, device);
  for (const Tensor& buffer : buffers()) move_in_place(buffer, device);
}

void Module::zero_grad() {
  for (const Tensor& parameter : parameters()) parameter.set_grad(Tensor{});
}

StateDict Module::state_dict() const {
  NoGradGuard no_grad;
  StateDict state;
  for (const auto& [name, parameter] : named_parameters()) state.emplace(name, clone(parameter.tensor.detach()));
  for (const auto& [name, tensor] : named_buffers()) state.emplace(name, clone(tensor.detach()));
  return state;
}

void Module::load_state_dict(const StateDict& state, bool strict) {
  std::vector<std::pair<std::string, Tensor>> targets;
  for (auto& [name, parameter] : named_parameters()) targets.emplace_back(name, std::move(parameter.tensor));
  for (auto& entry : named_buffers()) targets.push_back(std::move(entry));

  // Validate everything first: on any error nothing has been written.
  std::set<std::string> expected;
  for (const auto& [name, target] : targets) {
    expected.insert(name);
    const auto found = state.find(name);
    if (found == state.end()) {
      check<ValueError>(!strict, "load_state_dict", "missing key '", name, "' (shape ", shape_str(target.shape()),
                        ", ", target.dtype(), ")");
      continue;
    }
    const Tensor& source = found->second;
    check<ValueError>(source.defined(), "load_state_dict", "key '", name, "' holds an undefined tensor");
    check<ShapeError>(source.shape() == target.shape(), "load_state_dict", "shape mismatch for '", name, "': ",
                      shape_str(source.shape()), " in the state dict, ", shape_str(target.shape()), " in the module");
    check<DTypeError>(source.dtype() == target.dtype(), "load_state_dict", "dtype mismatch for '", name, "': ",
                      source.dtype(), " in the state dict, ", target.dtype(), " in the module");
  }
  if (strict)
    for (const auto& [name, source] : state)
      check<ValueError>(expected.count(name) == 1, "load_state_dict", "unexpected key '", name, "' (shape ",
                        source.defined() ? shape_str(source.shape()) : std::string("undefined"), ")");

  // Values may come from any device (a checkpoint loads to the CPU); copy_ brings them to where
  // the module lives.
  NoGradGuard no_grad;
  for (auto& [name, target] : targets) {
    const auto found = state.find(name);
    if (found != state.end()) target.copy_(found->second);
  }
}

}  // namespace lg::nn
