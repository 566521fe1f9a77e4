// Covariances, Gram matrices and mode unfoldings (see covariance.hpp).
#include "manifold/covariance.hpp"

#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

using detail::mT;

namespace {

void check_rows(const char* op, const Tensor& x) {
  check<ValueError>(x.defined(), op, "x is undefined");
  check<ShapeError>(x.dim() >= 2, op, "expected points as rows [..., N, D], got ", shape_str(x.shape()));
  check<DTypeError>(x.is_floating_point(), op, "expected float32 or float64, got ", x.dtype());
}

void check_latents(const char* op, const Tensor& z) {
  check<ValueError>(z.defined(), op, "z is undefined");
  check<ShapeError>(z.dim() >= 3, op, "expected latents [..., C, H, W], got ", shape_str(z.shape()));
  check<DTypeError>(z.is_floating_point(), op, "expected float32 or float64, got ", z.dtype());
}

// The permutation of z's dims that brings the mode's dim (C, H or W) to the front of the last three,
// the other two keeping their order.
Shape mode_permutation(std::int64_t dims, std::int64_t mode) {
  Shape order;
  for (std::int64_t d = 0; d < dims - 3; ++d) order.push_back(d);
  const std::int64_t c = dims - 3, h = dims - 2, w = dims - 1;
  if (mode == 1) order.insert(order.end(), {c, h, w});
  if (mode == 2) order.insert(order.end(), {h, c, w});
  if (mode == 3) order.insert(order.end(), {w, c, h});
  return order;
}

}  // namespace

Tensor covariance(const Tensor& x, double correction) {
  const char* op = "covariance";
  check_rows(op, x);
  const std::int64_t n = x.size(-2);
  check<ValueError>(correction >= 0.0 && correction < static_cast<double>(n), op,
                    "the correction must be in [0, N) with N = ", n, " points (rows of ", shape_str(x.shape()),
                    "), got ", correction);
  const Tensor centred = x - mean(x, {-2}, true);
  return matmul(mT(centred), centred) / (static_cast<double>(n) - correction);
}

Tensor gram(const Tensor& x) {
  check_rows("gram", x);
  return matmul(x, mT(x));
}

Tensor mode_unfolding(const Tensor& z, std::int64_t mode) {
  const char* op = "mode_unfolding";
  check_latents(op, z);
  check<ValueError>(mode >= 1 && mode <= 3, op, "the mode must be 1 (channels), 2 (rows) or 3 (columns), got ",
                    mode);
  const Tensor moved = permute(z, mode_permutation(z.dim(), mode));
  return flatten(moved, -2, -1);
}

ModeCovariances mode_covariances(const Tensor& z) {
  const char* op = "mode_covariances";
  check_latents(op, z);
  const std::int64_t c = z.size(-3), h = z.size(-2), w = z.size(-1);
  check<ValueError>(h * w >= 2 && c * w >= 2 && c * h >= 2, op,
                    "each unfolding needs at least 2 columns (H W, C W, C H >= 2), got latents ", shape_str(z.shape()));
  return {covariance(mT(mode_unfolding(z, 1))), covariance(mT(mode_unfolding(z, 2))),
          covariance(mT(mode_unfolding(z, 3)))};
}

}  // namespace lg::manifold
