// Principal angles by QR, two SVDs and atan2 (see principal_angles.hpp).
#include "manifold/principal_angles.hpp"

#include "autograd/ops/arithmetic.hpp"
#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

using detail::mT;

namespace {

// x with its last dim in reverse order.
Tensor reversed_last(const Tensor& x) {
  const std::int64_t k = x.size(-1);
  const Tensor index = arange(static_cast<double>(k - 1), -1.0, -1.0, int64).to(x.device());
  return index_select(x, -1, index);
}

// The sines and cosines of the angles, both ordered by ascending angle.
struct SinesCosines {
  Tensor sines;
  Tensor cosines;
};

SinesCosines sines_and_cosines(const Tensor& a, const Tensor& b) {
  check<ShapeError>(a.dim() >= 2 && b.dim() >= 2 && a.size(-2) == b.size(-2), "principal_angles",
                    "expected bases [..., n, p] and [..., n, q] with one n, got ", shape_str(a.shape()), " and ",
                    shape_str(b.shape()));
  check<DTypeError>(a.dtype() == b.dtype() && a.is_floating_point(), "principal_angles",
                    "expected one floating dtype, got ", a.dtype(), " and ", b.dtype());
  check<ValueError>(a.size(-1) >= 1 && b.size(-1) >= 1 && a.size(-1) <= a.size(-2) && b.size(-1) <= b.size(-2),
                    "principal_angles", "expected 1 <= p, q <= n, got ", shape_str(a.shape()), " and ",
                    shape_str(b.shape()));
  // Work with the smaller basis first: the sines of the p angles are then the p smallest
  // singular values of the n x q residual (the other q - p are 1).
  if (a.size(-1) > b.size(-1)) return sines_and_cosines(b, a);
  const std::int64_t k = a.size(-1);
  const Tensor qa = detail::q_factor(a), qb = detail::q_factor(b);
  const Tensor overlap = matmul(mT(qa), qb);                      // [..., p, q]
  const Tensor cosines = svdvals(overlap);                        // descending = ascending angle
  const Tensor residual = qb - matmul(qa, overlap);               // [..., n, q]
  const Tensor all_sines = svdvals(residual);                     // descending, min(n, q) values
  const Tensor sines = reversed_last(all_sines.narrow(-1, all_sines.size(-1) - k, k));
  return {sines, cosines};
}

}  // namespace

Tensor principal_angles(const Tensor& a, const Tensor& b) {
  const SinesCosines parts = sines_and_cosines(a, b);
  return atan2(parts.sines, parts.cosines.contiguous());
}

Tensor grassmann_distance(const Tensor& a, const Tensor& b) {
  const Tensor angles = principal_angles(a, b);
  return sqrt(sum(angles * angles, {-1}));
}

Tensor chordal_distance(const Tensor& a, const Tensor& b) {
  const Tensor sines = sines_and_cosines(a, b).sines;
  return sqrt(sum(sines * sines, {-1}));
}

}  // namespace lg::manifold
