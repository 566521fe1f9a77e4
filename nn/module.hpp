// Module: the base of every layer and model. A module owns named parameters
// (trainable leaves), buffers (state that is saved but not trained, such as
// BatchNorm's running statistics) and submodules, in registration order.
// Names are dotted paths from the root ("encoder.0.weight"), so walks, state
// dicts and optimiser state are keyed deterministically by name.
//
// Layers keep a Tensor handle to each parameter they register; the module keeps
// another handle to the same TensorImpl, in a Parameter that also names the
// parameter's manifold (Euclidean unless set_manifold() says otherwise).
// load_state_dict() and to() change values in place, so both handles always agree.
//
// Each module has its own typed forward; there is no virtual forward here.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/device.hpp"
#include "nn/parameter.hpp"
#include "nn/state_dict.hpp"

namespace lg::nn {

// Base of every layer and model: named parameters, buffers and submodules, walked by dotted name.
class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;  // a copy would alias every parameter
  Module& operator=(const Module&) = delete;
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;

  // --- walks (own entries first, then each submodule's, in registration order)
  // Every parameter's tensor, this module's and then each submodule's.
  std::vector<Tensor> parameters() const;
  // Every parameter with its dotted name and manifold.
  NamedParameters named_parameters() const;
  // Every buffer's tensor.
  std::vector<Tensor> buffers() const;
  // Every buffer with its dotted name.
  std::vector<std::pair<std::string, Tensor>> named_buffers() const;
  // The direct submodules with their names, in registration order.
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const { return children_; }

  // Puts the parameter called `dotted_name` ("encoder.0.weight") on `manifold`.
  // Optimisers copy the parameters they are given, so set it before making one. ShapeError (from
  // Manifold::check_point) when the parameter is not shaped as the manifold's points.
  void set_manifold(const std::string& dotted_name, std::shared_ptr<const manifold::Manifold> manifold);

  // --- mode ---------------------------------------------------------------
  // Training mode (the default) vs evaluation mode, for this module and all below.
  void train(bool on = true);
  // Evaluation mode for this module and all below; same as train(false).
  void eval() { train(false); }
  // Whether this module is in training mode.
  bool is_training() const { return training_; }

  // Moves every parameter and buffer (and their gradients) to `device`, in place: handles held by
  // layers and optimisers follow. Optimiser state created before the move stays where it was, so
  // move a model before making its optimiser (or rebuild the optimiser).
  void to(Device device);
  // Drops every parameter's gradient (sets it undefined).
  void zero_grad();

  // --- state ---------------------------------------------------------------
  // Parameters and buffers by dotted name, as detached copies (a snapshot that
  // later training does not change).
  StateDict state_dict() const;
  // Copies values (from any device) into the parameters and buffers. Every key, shape and dtype
  // is validated before anything is written, so on error the module is
  // unchanged. strict: missing and unexpected keys are errors; otherwise they
  // are skipped.
  void load_state_dict(const StateDict& state, bool strict = true);

 protected:
  // Each returns a handle to what it stored. Names are non-empty, contain no
  // '.', and are unique within the module across all three kinds.
  Tensor register_parameter(const std::string& name, const Tensor& data);
  // Stores `data` itself as a buffer and returns it; throws ValueError on an undefined tensor or a bad name.
  Tensor register_buffer(const std::string& name, const Tensor& data);
  // Adds `module` as a child and returns it; throws ValueError on a null module, the module itself or a bad name.
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }

 private:
  void check_new_name(const std::string& name) const;
  void add_child(const std::string& name, std::shared_ptr<Module> module);
  void collect_parameters(const std::string& prefix, NamedParameters& out) const;
  // The parameter registered here or below under `dotted_name`, or null.
  Parameter* find_parameter(const std::string& dotted_name);
  void collect_buffers(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out) const;

  std::vector<std::pair<std::string, Parameter>> parameters_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace lg::nn
