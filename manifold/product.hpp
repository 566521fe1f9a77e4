// The product M_1 x ... x M_k of manifolds with the sum metric. A point is a
// flat vector [..., D] concatenating the factors' points, each flattened in
// row-major order (D = the sum of the factors' point sizes), as geoopt's
// ProductManifold stores it; part(x, i) gives factor i's point in its own shape.
// Every map applies each factor's map to its part and concatenates the results;
// inner products and squared distances add up. exp, log and distance exist when
// every factor has them.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "manifold/manifold.hpp"

namespace lg::manifold {

// M_1 x ... x M_k with points as flat vectors [..., D].
class Product final : public Manifold {
 public:
  // The product of `factors` (at least one, none null, each with a fixed non-empty point shape:
  // a Euclidean factor has none, so it is not accepted); ValueError otherwise.
  explicit Product(std::vector<std::shared_ptr<const Manifold>> factors);
  // The number of factors.
  std::int64_t size() const { return static_cast<std::int64_t>(factors_.size()); }
  // Factor i.
  const Manifold& factor(std::int64_t i) const;
  // Factor i's point (or tangent vector) inside x [..., D], reshaped to [..., point_shape_i] (a view).
  Tensor part(const Tensor& x, std::int64_t i) const;
  // The flat vector [..., D] of the factors' points or tangent vectors (the inverse of part()).
  Tensor combine(const std::vector<Tensor>& parts) const;

  // "Product(<factor name> x <factor name> ...)".
  std::string name() const override;
  // [D].
  Shape point_shape() const override { return {dimension_}; }
  // The largest of the factors' violations.
  double constraint_violation(const Tensor& x) const override;
  // Each factor's projection.
  Tensor project(const Tensor& x) const override;
  // Each factor's tangent projection.
  Tensor project_tangent(const Tensor& x, const Tensor& u) const override;
  // Each factor's Riemannian gradient.
  Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const override;
  // The sum of the factors' inner products: [...].
  Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const override;
  // Each factor's retraction.
  Tensor retract(const Tensor& x, const Tensor& v) const override;
  // Each factor's transport.
  Tensor transport(const Tensor& x, const Tensor& y, const Tensor& v) const override;

  // Whether every factor has exp.
  bool has_exp() const override;
  // Whether every factor has log.
  bool has_log() const override;
  // Whether every factor has distance.
  bool has_distance() const override;
  // Each factor's exp.
  Tensor exp(const Tensor& x, const Tensor& v) const override;
  // Each factor's log.
  Tensor log(const Tensor& x, const Tensor& y) const override;
  // sqrt of the sum of the factors' squared distances: [...].
  Tensor distance(const Tensor& x, const Tensor& y) const override;

  // Each factor's random point, concatenated.
  Tensor random_point(Generator& generator, DType dtype = float64, const Shape& batch = {}) const override;
  // Each factor's random tangent, concatenated and scaled to unit norm.
  Tensor random_tangent(const Tensor& x, Generator& generator) const override;

 private:
  // map(factor, i) for every factor, concatenated; x is checked first, naming op.
  template <class Map>
  Tensor each(std::string_view op, const Tensor& x, Map&& map) const;

  std::vector<std::shared_ptr<const Manifold>> factors_;
  std::vector<std::int64_t> offsets_;  // where factor i starts in the flat vector
  std::vector<std::int64_t> sizes_;    // numel of factor i's point
  std::int64_t dimension_ = 0;
};

}  // namespace lg::manifold
