// make_parameter: detach from any graph, then mark as requiring grad.
#include "nn/parameter.hpp"

namespace lg::nn {

Parameter make_parameter(const Tensor& data, std::string_view owner) {
  check<ValueError>(data.defined(), owner, "cannot make a parameter from an undefined tensor");
  check<DTypeError>(data.is_floating_point(), owner, "a parameter must be float32 or float64, got ", data.dtype());
  Tensor leaf = data.is_leaf() ? data : data.detach();
  leaf.requires_grad_(true);
  return Parameter{leaf};
}

}  // namespace lg::nn
