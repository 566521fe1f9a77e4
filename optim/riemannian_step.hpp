// Small pieces the Riemannian optimisers share: the move to a new point (by the
// retraction or the exponential map), the optional re-projection onto the
// manifold, and the check that use_exp can be honoured.
//
// Why a re-projection. Maps such as Stiefel's exp() (and the shortcut polar
// formula (X + V)(I + V^T V)^{-1/2}, which we no longer use) assume X^T X = I exactly. When the
// Euclidean gradient G has a large normal part, the tangent projection at a
// slightly-off X leaks a normal error of about ||E|| ||sym(X^T G)|| into the step
// (E = X^T X - I), so E can grow geometrically from rounding level until X leaves
// the manifold (measured: ~1.4x per step on O(5) with lr 0.05). QR, Cayley and
// the polar factor formed from (X + V)^T (X + V) do not amplify it. geoopt's answer is its `stabilize` option (a
// periodic projx); ours is a drift threshold, as for the Cayley optimisers.
// See Note [Riemannian optimisers] in docs/notes.md.
#pragma once
#include <string>
#include <string_view>

#include "optim/optimizer.hpp"

namespace lg::optim {

// retract(x, v), or exp(x, v) when use_exp, on the parameter's manifold.
Tensor move_on_manifold(const manifold::Manifold& manifold, const Tensor& x, const Tensor& v, bool use_exp);

// `next` itself, or manifold.project(next) when its constraint_violation exceeds `threshold` (infinity:
// never measured).
Tensor reproject_if_drifted(const manifold::Manifold& manifold, const Tensor& next, double threshold);

// Throws ValueError, starting with `op`, unless threshold >= 0 (infinity turns re-projection off).
void check_reproject_threshold(std::string_view op, double threshold);

// Throws ValueError, starting with `op`, when use_exp is set and a parameter's manifold has no closed-form exp.
void check_exp_available(std::string_view op, const NamedParameters& params, bool use_exp);

}  // namespace lg::optim
