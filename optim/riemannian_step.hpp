// Small pieces the Riemannian optimisers share: the move to a new point (by the
// retraction or the exponential map) and the check that use_exp can be honoured.
#pragma once
#include <string>
#include <string_view>

#include "optim/optimizer.hpp"

namespace lg::optim {

// retract(x, v), or exp(x, v) when use_exp, on the parameter's manifold.
Tensor move_on_manifold(const manifold::Manifold& manifold, const Tensor& x, const Tensor& v, bool use_exp);

// Throws ValueError, starting with `op`, when use_exp is set and a parameter's manifold has no closed-form exp.
void check_exp_available(std::string_view op, const NamedParameters& params, bool use_exp);

}  // namespace lg::optim
