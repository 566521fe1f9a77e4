// Riemannian Adam (formulas in riemannian_adam.hpp), in tensor ops on the
// parameter's device. A point's scalar v is broadcast over its point dims by
// viewing it as [batch..., 1, ..., 1]. A Product's factors each get their own
// scalar, spread over the factor's coordinates, so v has the point's shape.
#include "optim/riemannian_adam.hpp"

#include <cmath>

#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/product.hpp"
#include "optim/riemannian_step.hpp"

namespace lg::optim {
namespace {
enum { exp_avg_slot = 0, exp_avg_sq_slot = 1, max_exp_avg_sq_slot = 2 };

// The shape of one point's dims replaced by ones: [batch..., 1, ..., 1], to broadcast a per-point scalar.
Shape broadcastable(const Shape& batch, std::size_t point_dims) {
  Shape shape = batch;
  shape.insert(shape.end(), point_dims, 1);
  return shape;
}

// Whether v is one scalar per point (shaped like the batch), rather than one per coordinate.
bool one_per_point(const manifold::Manifold& m) {
  return !manifold::is_euclidean(m) && dynamic_cast<const manifold::Product*>(&m) == nullptr;
}

Tensor squared_gradient_norm(const manifold::Manifold& m, const Tensor& x, const Tensor& g);

// squared_gradient_norm broadcastable against x.
Tensor per_coordinate(const manifold::Manifold& m, const Tensor& x, const Tensor& g) {
  const Tensor s = squared_gradient_norm(m, x, g);
  return one_per_point(m) ? reshape(s, broadcastable(s.shape(), m.point_shape().size())) : s;
}

// What v accumulates, in the buffer's shape: g * g on a Euclidean parameter (each coordinate a copy of R);
// on a Product, each factor's own squared norm spread over that factor's coordinates (Bécigneul &
// Ganea's one v per factor); otherwise <g, g>_x, one per point.
Tensor squared_gradient_norm(const manifold::Manifold& m, const Tensor& x, const Tensor& g) {
  if (manifold::is_euclidean(m)) return g * g;
  if (const auto* product = dynamic_cast<const manifold::Product*>(&m)) {
    std::vector<Tensor> parts;
    for (std::int64_t i = 0; i < product->size(); ++i) {
      const Tensor x_part = product->part(x, i);
      parts.push_back(expand(per_coordinate(product->factor(i), x_part, product->part(g, i)), x_part.shape()));
    }
    return product->combine(parts);
  }
  return m.inner(x, g, g);
}
}  // namespace

RiemannianAdam::RiemannianAdam(NamedParameters params, const RiemannianAdamOptions& options)
    : OptimizerWithOptions<RiemannianAdamOptions>("RiemannianAdam", {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}) {
  add_param_group(std::move(params), options);
}

void RiemannianAdam::add_param_group(NamedParameters params, const RiemannianAdamOptions& options) {
  check_exp_available(name_, params, options.use_exp);
  add_group(std::move(params), options);
}

void RiemannianAdam::check_options(const RiemannianAdamOptions& options, std::string_view op) const {
  check<ValueError>(options.beta1 >= 0.0 && options.beta1 < 1.0, op, "beta1 ", options.beta1, " is outside [0, 1)");
  check<ValueError>(options.beta2 >= 0.0 && options.beta2 < 1.0, op, "beta2 ", options.beta2, " is outside [0, 1)");
  check<ValueError>(options.eps >= 0.0, op, "eps must be non-negative, got ", options.eps);
  check<ValueError>(options.weight_decay >= 0.0, op, "weight_decay must be non-negative, got ", options.weight_decay);
  check_reproject_threshold(op, options.reproject_above);
}

Shape RiemannianAdam::buffer_shape(std::size_t group, std::size_t index, std::size_t slot) const {
  const nn::Parameter& parameter = groups_[group].params[index].second;
  const Shape& shape = parameter.tensor.shape();
  if (slot == exp_avg_slot || !one_per_point(*parameter.manifold)) return shape;
  const std::size_t point_dims = parameter.manifold->point_shape().size();
  return Shape(shape.begin(), shape.end() - static_cast<std::ptrdiff_t>(point_dims));
}

void RiemannianAdam::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const RiemannianAdamOptions& options = options_[g];
    const double beta1 = options.beta1, beta2 = options.beta2;
    check_exp_available(name_ + "::step", groups_[g].params, options.use_exp);  // set_options may have changed it
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      Tensor euclidean_grad = contiguous_grad(g, i);
      if (!euclidean_grad.defined()) continue;
      const manifold::Manifold& manifold = *groups_[g].params[i].second.manifold;
      const Tensor x = groups_[g].params[i].second.tensor.detach();
      if (options.weight_decay != 0.0) euclidean_grad = euclidean_grad + options.weight_decay * x;
      const Tensor grad = manifold.riemannian_gradient(x, euclidean_grad);
      const auto t = static_cast<double>(++state_[g][i].step);

      Tensor& exp_avg = buffer(g, i, exp_avg_slot);
      Tensor& exp_avg_sq = buffer(g, i, exp_avg_sq_slot);
      const Tensor squared_norm = squared_gradient_norm(manifold, x, grad);
      const Tensor m = beta1 * exp_avg + (1.0 - beta1) * grad;
      exp_avg_sq.copy_(beta2 * exp_avg_sq + (1.0 - beta2) * squared_norm);
      Tensor v = exp_avg_sq;
      if (options.amsgrad) {
        Tensor& max_exp_avg_sq = buffer(g, i, max_exp_avg_sq_slot);
        max_exp_avg_sq.copy_(maximum(max_exp_avg_sq, exp_avg_sq));
        v = max_exp_avg_sq;
      }
      if (one_per_point(manifold)) v = reshape(v, broadcastable(v.shape(), manifold.point_shape().size()));
      const double step_size = options.lr / (1.0 - std::pow(beta1, t));
      const double bias_sqrt = std::sqrt(1.0 - std::pow(beta2, t));
      const Tensor denominator = sqrt(v) / bias_sqrt + options.eps;
      const Tensor moved = move_on_manifold(manifold, x, -step_size * (m / denominator), options.use_exp);
      const Tensor next = reproject_if_drifted(manifold, moved, options.reproject_above);
      exp_avg.copy_(manifold.transport(x, next, m));
      Tensor target = x;
      target.copy_(next);  // bumps the storage version
    }
  }
}

}  // namespace lg::optim
