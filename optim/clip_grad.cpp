// clip_grad_norm: one float64 pass per gradient for the norm (kernel::sum_of_squares,
// sequential, so the bits do not depend on the thread count), then an in-place
// scale of each gradient.
#include "optim/clip_grad.hpp"

#include <cmath>

#include "autograd/grad_mode.hpp"
#include "autograd/backend/kernels.hpp"

namespace lg::optim {

double clip_grad_norm(const std::vector<Tensor>& parameters, double max_norm) {
  check<ValueError>(max_norm >= 0.0, "clip_grad_norm", "max_norm must be non-negative, got ", max_norm);
  NoGradGuard no_grad;
  double sum_of_squares = 0.0;
  for (const Tensor& parameter : parameters) {
    check<ValueError>(parameter.defined(), "clip_grad_norm", "a parameter is undefined");
    const Tensor grad = parameter.grad();
    if (!grad.defined()) continue;
    check<DTypeError>(grad.is_floating_point(), "clip_grad_norm", "gradients must be float32 or float64, got ",
                      grad.dtype());
    sum_of_squares = kernel::sum_of_squares(grad, sum_of_squares);
  }
  const double total = std::sqrt(sum_of_squares);
  if (!std::isfinite(total) || total <= max_norm) return total;
  const double scale = max_norm / (total + 1e-6);
  for (const Tensor& parameter : parameters) {
    Tensor grad = parameter.grad();
    if (grad.defined()) grad.mul_(scale);
  }
  return total;
}

double clip_grad_norm(const nn::NamedParameters& parameters, double max_norm) {
  std::vector<Tensor> tensors;
  tensors.reserve(parameters.size());
  for (const auto& entry : parameters) tensors.push_back(entry.second.tensor);
  return clip_grad_norm(tensors, max_norm);
}

}  // namespace lg::optim
