// The Riemannian optimisers' shared move and use_exp check (riemannian_step.hpp).
#include "optim/riemannian_step.hpp"

#include <cmath>

namespace lg::optim {

Tensor move_on_manifold(const manifold::Manifold& manifold, const Tensor& x, const Tensor& v, bool use_exp) {
  return use_exp ? manifold.exp(x, v) : manifold.retract(x, v);
}

Tensor reproject_if_drifted(const manifold::Manifold& manifold, const Tensor& next, double threshold) {
  const bool drifted = std::isfinite(threshold) && manifold.constraint_violation(next) > threshold;
  return drifted ? manifold.project(next) : next;
}

void check_reproject_threshold(std::string_view op, double threshold) {
  check<ValueError>(threshold >= 0.0, op, "reproject_above must be non-negative, got ", threshold);
}

void check_exp_available(std::string_view op, const NamedParameters& params, bool use_exp) {
  if (!use_exp) return;
  for (const auto& [name, parameter] : params)
    if (parameter.manifold != nullptr)
      check<ValueError>(parameter.manifold->has_exp(), op, "use_exp is set but parameter '", name, "' lies on ",
                        parameter.manifold->name(), ", which has no closed-form exponential map");
}

}  // namespace lg::optim
