#include "manifold/pullback_metric.hpp"

#include <vector>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold {
namespace {

void check_latent(const char* op, const Tensor& z) {
  check<ValueError>(z.defined(), op, "z is undefined");
  check<ShapeError>(z.dim() == 2 && z.size(0) >= 1 && z.size(1) >= 1, op, "expected latent points z [B, d], got ",
                    shape_str(z.shape()));
  check<DTypeError>(z.is_floating_point(), op, "expected float32 or float64 latent points, got ", z.dtype());
}

// A^T A for per-sample Jacobians a [B, m, d]: [B, d, d].
Tensor gram_of(const Tensor& a) { return matmul(matrix_transpose(a), a); }

}  // namespace

Tensor pullback_metric(const Function& decoder, const Tensor& z) {
  check_latent("pullback_metric", z);
  return gram_of(jacobian(decoder, z));
}

Tensor bernoulli_pullback_metric(const Function& logits, const Tensor& z) {
  check_latent("bernoulli_pullback_metric", z);
  const Tensor j = jacobian(logits, z);  // [B, D, d]
  Tensor p;
  {
    NoGradGuard no_grad;
    const Tensor l = logits(z);
    p = sigmoid(reshape(l, {l.size(0), l.numel() / l.size(0)}));  // [B, D]
  }
  // J^T diag(w) J with w = p (1 - p): scale the rows of J by sqrt(w) and take the Gram matrix.
  const Tensor weighted = j * unsqueeze(sqrt(p * (1.0 - p)), -1);
  return gram_of(weighted);
}

Tensor gaussian_pullback_metric(const Function& mean, const Function& standard_deviation, const Tensor& z) {
  check_latent("gaussian_pullback_metric", z);
  const Tensor jm = jacobian(mean, z), js = jacobian(standard_deviation, z);
  check<ShapeError>(jm.shape() == js.shape(), "gaussian_pullback_metric",
                    "the mean and standard-deviation maps differ in output size: Jacobians ", shape_str(jm.shape()),
                    " and ", shape_str(js.shape()));
  return gram_of(jm) + gram_of(js);
}

Tensor magnification_factor(const Tensor& metric) {
  check<ValueError>(metric.defined(), "magnification_factor", "the metric is undefined");
  check<ShapeError>(metric.dim() >= 2 && metric.size(-1) == metric.size(-2), "magnification_factor",
                    "expected metrics [..., d, d], got ", shape_str(metric.shape()));
  // The product of the eigenvalues (clamped at 0: rounding can leave a singular G slightly negative).
  const Tensor eigenvalues = relu(eigvalsh(metric));
  return sqrt(exp(sum(log(eigenvalues), {-1})));
}

Tensor latent_grid(double x_low, double x_high, double y_low, double y_high, std::int64_t columns,
                   std::int64_t rows, DType dtype) {
  check<ValueError>(columns >= 2 && rows >= 2, "latent_grid", "expected at least 2 columns and 2 rows, got ",
                    columns, " x ", rows);
  std::vector<double> points;
  points.reserve(static_cast<std::size_t>(2 * rows * columns));
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < columns; ++c) {
      points.push_back(x_low + (x_high - x_low) * static_cast<double>(c) / static_cast<double>(columns - 1));
      points.push_back(y_low + (y_high - y_low) * static_cast<double>(r) / static_cast<double>(rows - 1));
    }
  return from_vector(points, {rows * columns, 2}, dtype);
}

}  // namespace lg::manifold
