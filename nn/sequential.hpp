// Sequential: modules applied in order, y = f_n(... f_1(f_0(x))). The modules
// are registered as submodules "0", "1", ..., so parameter names read
// "0.weight", "2.bias". Any module with a `Tensor forward(const Tensor&)` can be
// added; Sequential keeps a call to that forward next to the module itself
// (there is no virtual forward in Module, every module keeps its own typed one).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nn/module.hpp"

namespace lg::nn {

// Applies its modules in order, registered as submodules "0", "1", ...
class Sequential : public Module {
 public:
  // An empty sequence; y = x.
  Sequential() = default;
  // The given modules in order, as push_back of each.
  template <class... M>
  explicit Sequential(std::shared_ptr<M>... modules) {
    (push_back(std::move(modules)), ...);
  }

  // Appends a module with a Tensor forward(const Tensor&) and returns it; throws ValueError when null.
  template <class M>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    check<ValueError>(module != nullptr, "Sequential::push_back", "module is null");
    register_module(std::to_string(steps_.size()), module);
    M* raw = module.get();  // owned by this Sequential through the registered child
    steps_.push_back({module, [raw](const Tensor& x) { return raw->forward(x); }});
    return module;
  }

  // Returns f_n(... f_1(f_0(x))), x itself when empty.
  Tensor forward(const Tensor& x) const;
  // The number of modules.
  std::size_t size() const { return steps_.size(); }
  // The module at `index` (ValueError when out of range).
  std::shared_ptr<Module> operator[](std::size_t index) const;

 private:
  struct Step {
    std::shared_ptr<Module> module;
    std::function<Tensor(const Tensor&)> forward;
  };
  std::vector<Step> steps_;
};

}  // namespace lg::nn
