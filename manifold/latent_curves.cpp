#include "manifold/latent_curves.hpp"

#include "autograd/error.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold {
namespace {

// Curves or polylines [N, T + 1, D] with T >= 1, floating point.
void check_curves(const char* op, const Tensor& z, const char* name) {
  check<ValueError>(z.defined(), op, name, " is undefined");
  check<ShapeError>(z.dim() == 3, op, "expected ", name, " as N curves of T + 1 points [N, T + 1, d], got ",
                    shape_str(z.shape()));
  check<ShapeError>(z.size(1) >= 2, op, "a curve needs T + 1 >= 2 points (T >= 1 segments), got ", name, " ",
                    shape_str(z.shape()));
  check<DTypeError>(z.is_floating_point(), op, name, ": expected float32 or float64, got ", z.dtype());
}

// The steps x_{t+1} - x_t of polylines x [N, T + 1, D]: [N, T, D].
Tensor segments(const Tensor& x) {
  const std::int64_t t = x.size(1) - 1;
  return narrow(x, 1, 1, t) - narrow(x, 1, 0, t);
}

Tensor decode_checked(const char* op, const Decoder& decoder, const Tensor& z) {
  check_curves(op, z, "z");
  check<ValueError>(static_cast<bool>(decoder), op, "the decoder is empty");
  const std::int64_t n = z.size(0), points = z.size(1), count = n * points;
  const Tensor decoded = decoder(reshape(z, {count, z.size(2)}));
  check<ValueError>(decoded.defined(), op, "the decoder returned an undefined tensor");
  check<ShapeError>(decoded.dim() >= 1 && decoded.size(0) == count, op, "the decoder mapped ", count, " points ",
                    shape_str({count, z.size(2)}), " to ", shape_str(decoded.shape()),
                    ", not one output row per point");
  check<DTypeError>(decoded.is_floating_point(), op, "the decoder returned ", decoded.dtype(),
                    ", expected float32 or float64");
  return reshape(decoded, {n, points, -1});
}

}  // namespace

Tensor decode_curves(const Decoder& decoder, const Tensor& z) { return decode_checked("decode_curves", decoder, z); }

Tensor polyline_length(const Tensor& x) {
  check_curves("polyline_length", x, "x");
  const Tensor steps = segments(x);
  return sum(sqrt(sum(steps * steps, {-1})), {-1});
}

Tensor polyline_energy(const Tensor& x) {
  check_curves("polyline_energy", x, "x");
  const Tensor steps = segments(x);
  return sum(steps * steps, {-1, -2}) * static_cast<double>(x.size(1) - 1);
}

Tensor curve_length(const Decoder& decoder, const Tensor& z) {
  return polyline_length(decode_checked("curve_length", decoder, z));
}

Tensor curve_energy(const Decoder& decoder, const Tensor& z) {
  return polyline_energy(decode_checked("curve_energy", decoder, z));
}

Tensor latent_length(const Tensor& z) {
  check_curves("latent_length", z, "z");
  return polyline_length(z);
}

Tensor latent_energy(const Tensor& z) {
  check_curves("latent_energy", z, "z");
  return polyline_energy(z);
}

}  // namespace lg::manifold
