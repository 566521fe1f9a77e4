// The unit sphere S^{n-1} = { x in R^n : ||x|| = 1 } with the metric of R^n
// (Absil, Mahony & Sepulchre 2008, Examples 3.5.1, 4.1.1 and §5.4).
//
// Tangent space at x: { v : <x, v> = 0 }, projection v - <x, v> x. Geodesics are
// great circles: exp_x(v) = cos(|v|) x + sin(|v|) v / |v|; the distance is the
// angle between x and y, computed as 2 atan2(|x - y|, |x + y|), accurate for
// tiny and for nearly antipodal pairs alike (acos(<x, y>) loses half the digits
// near 0). log_x(y) is undefined for y = -x.
#pragma once
#include <cstdint>

#include "manifold/manifold.hpp"

namespace lg::manifold {

// Unit vectors in R^n (n >= 1), points shaped [..., n].
class Sphere final : public Manifold {
 public:
  // S^{n-1} in R^n; ValueError unless n >= 1.
  explicit Sphere(std::int64_t n);
  // The ambient dimension.
  std::int64_t n() const { return n_; }

  // "Sphere(n)".
  std::string name() const override;
  // [n].
  Shape point_shape() const override { return {n_}; }
  // | ||x|| - 1 |, the largest over the batch.
  double constraint_violation(const Tensor& x) const override;
  // x / ||x|| (x must be nonzero).
  Tensor project(const Tensor& x) const override;
  // u - <x, u> x.
  Tensor project_tangent(const Tensor& x, const Tensor& u) const override;
  // project_tangent(x, G): the metric is the embedding's.
  Tensor riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const override;
  // <u, v> over the last dim: [...].
  Tensor inner(const Tensor& x, const Tensor& u, const Tensor& v) const override;
  // exp(x, v): as cheap here as normalising x + v (AMS08 Example 4.1.1), and exactly x at v = 0,
  // where the normalisation rounds.
  Tensor retract(const Tensor& x, const Tensor& v) const override;
  // project_tangent(y, v).
  Tensor transport(const Tensor& x, const Tensor& y, const Tensor& v) const override;

  // True: exp, log and distance are closed form.
  bool has_exp() const override { return true; }
  // See has_exp().
  bool has_log() const override { return true; }
  // See has_exp().
  bool has_distance() const override { return true; }
  // cos(|v|) x + sin(|v|) v / |v| (with the series of sin(t)/t near 0, so exp_x(0) = x exactly).
  Tensor exp(const Tensor& x, const Tensor& v) const override;
  // theta u / |u| with u = y - <x, y> x and theta the distance (0 for y = x).
  Tensor log(const Tensor& x, const Tensor& y) const override;
  // The angle 2 atan2(|x - y|, |x + y|), in [0, pi]: [...].
  Tensor distance(const Tensor& x, const Tensor& y) const override;

  // A normalised standard normal vector: uniform on the sphere.
  Tensor random_point(Generator& generator, DType dtype = float64, const Shape& batch = {}) const override;
  // A projected standard normal vector with unit norm per item.
  Tensor random_tangent(const Tensor& x, Generator& generator) const override;

 private:
  std::int64_t n_;
};

}  // namespace lg::manifold
