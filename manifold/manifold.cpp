// The Manifold base's shared pieces (shape check, norm, the maps that have no
// closed form by default) and the Euclidean space.
#include "manifold/manifold.hpp"

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold {

void Manifold::check_point(std::string_view op, const Tensor& x) const {
  check<ValueError>(x.defined(), op, "got an undefined tensor for a point of ", name());
  const Shape want = point_shape();
  const auto rank = static_cast<std::int64_t>(want.size());
  bool fits = x.dim() >= rank;
  for (std::int64_t i = 0; fits && i < rank; ++i) fits = x.shape()[x.dim() - rank + i] == want[i];
  check<ShapeError>(fits, op, "expected a point of ", name(), " with trailing dims ", shape_str(want), ", got ",
                    shape_str(x.shape()));
}

Tensor Manifold::norm(const Tensor& x, const Tensor& u) const { return sqrt(inner(x, u, u)); }

Tensor Manifold::exp(const Tensor&, const Tensor&) const {
  fail<ValueError>("exp", name(), " has no closed-form exponential map; use retract()");
}

Tensor Manifold::log(const Tensor&, const Tensor&) const {
  fail<ValueError>("log", name(), " has no closed-form logarithm map");
}

Tensor Manifold::distance(const Tensor&, const Tensor&) const {
  fail<ValueError>("distance", name(), " has no closed-form geodesic distance");
}

double Euclidean::constraint_violation(const Tensor&) const { return 0.0; }
Tensor Euclidean::project(const Tensor& x) const { return x; }
Tensor Euclidean::project_tangent(const Tensor&, const Tensor& u) const { return u; }
Tensor Euclidean::riemannian_gradient(const Tensor&, const Tensor& euclidean_grad) const { return euclidean_grad; }
Tensor Euclidean::inner(const Tensor&, const Tensor& u, const Tensor& v) const { return sum(u * v); }
Tensor Euclidean::retract(const Tensor& x, const Tensor& v) const { return x + v; }
Tensor Euclidean::transport(const Tensor&, const Tensor&, const Tensor& v) const { return v; }
Tensor Euclidean::exp(const Tensor& x, const Tensor& v) const { return x + v; }
Tensor Euclidean::log(const Tensor& x, const Tensor& y) const { return y - x; }
Tensor Euclidean::distance(const Tensor& x, const Tensor& y) const { return sqrt(sum((y - x) * (y - x))); }

Tensor Euclidean::random_point(Generator& generator, DType dtype, const Shape& batch) const {
  return randn(batch, dtype, &generator);
}

Tensor Euclidean::random_tangent(const Tensor& x, Generator& generator) const {
  Tensor direction = randn(x.shape(), x.dtype(), &generator).to(x.device());
  return direction / sqrt(sum(direction * direction));
}

std::shared_ptr<const Manifold> euclidean() {
  static const std::shared_ptr<const Manifold> instance = std::make_shared<const Euclidean>();
  return instance;
}

bool is_euclidean(const Manifold& manifold) { return dynamic_cast<const Euclidean*>(&manifold) != nullptr; }

}  // namespace lg::manifold
