// Sequential: fold the input through the steps in order.
#include "nn/sequential.hpp"

namespace lg::nn {

Tensor Sequential::forward(const Tensor& x) const {
  Tensor y = x;
  for (const Step& step : steps_) y = step.forward(y);
  return y;
}

std::shared_ptr<Module> Sequential::operator[](std::size_t index) const {
  check<ValueError>(index < steps_.size(), "Sequential", "index ", index, " is out of range for ", steps_.size(),
                    " modules");
  return steps_[index].module;
}

}  // namespace lg::nn
