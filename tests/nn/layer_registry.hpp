// The layer registry: one entry per layer type in nn/layer_list.hpp, with the
// layers and inputs to gradcheck. test_layer_gradients.cpp checks every sample
// (first and second order, float64, w.r.t. the input and all the module's
// parameters) and fails when a listed layer has no entry, or an entry names a
// layer that is not listed.
//
// Entries live next to the layer family's other tests, each file adding its
// entries with a static `RegisterLayers` object.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <latentgeo.hpp>

namespace nn_test {

struct LayerSample {
  std::string label;                                   // "Conv2d (stride, padding, dilation)"
  std::shared_ptr<lg::nn::Module> module;              // its parameters are checked with the input
  std::function<lg::Tensor(const lg::Tensor&)> forward;  // the module's forward (modules have no virtual one)
  lg::Tensor input;                                    // float64, requires grad
  lg::GradcheckOptions options = {};
};

struct LayerEntry {
  std::string layer;  // as in lg::nn::kLayers
  // Builds the samples when the check runs (modules and inputs are made then, in order: a sample
  // may continue from the state an earlier one left, as BatchNorm's evaluation does).
  std::function<std::vector<LayerSample>()> samples;
};

inline std::vector<LayerEntry>& layer_registry() {
  static std::vector<LayerEntry> entries;
  return entries;
}

struct RegisterLayers {
  explicit RegisterLayers(std::vector<LayerEntry> entries) {
    for (auto& entry : entries) layer_registry().push_back(std::move(entry));
  }
};

// A sample that calls module->forward.
template <class M>
LayerSample sample(std::string label, std::shared_ptr<M> module, lg::Tensor input,
                   const lg::GradcheckOptions& options = {}) {
  auto forward = [module](const lg::Tensor& x) { return module->forward(x); };
  return {std::move(label), std::move(module), std::move(forward), std::move(input), options};
}

}  // namespace nn_test
