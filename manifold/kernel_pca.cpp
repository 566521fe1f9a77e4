// Kernel PCA by one eigendecomposition of the centred Gram matrix (see kernel_pca.hpp).
#include "manifold/kernel_pca.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "autograd/grad_mode.hpp"
#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

using detail::mT;

namespace {

void check_kernel_matrix(std::string_view op, const Tensor& k, const char* name) {
  check<ValueError>(k.defined(), op, name, " is undefined");
  check<ShapeError>(k.dim() == 2 && k.size(0) >= 1 && k.size(1) >= 1, op, name, ": expected a matrix [N, M], got ",
                    shape_str(k.shape()));
  check<DTypeError>(k.is_floating_point(), op, name, ": expected float32 or float64, got ", k.dtype());
}

// The last `count` entries of x [..., n] in reverse order: the largest `count` of ascending eigenvalues, descending.
Tensor last_reversed(const Tensor& x, std::int64_t dim, std::int64_t count) {
  const std::int64_t n = x.size(dim);
  const Tensor index = arange(static_cast<double>(n - 1), static_cast<double>(n - 1 - count), -1.0, int64);
  return index_select(x, dim, index.to(x.device()));
}

}  // namespace

Tensor centre_kernel(const Tensor& k) {
  const char* op = "centre_kernel";
  check_kernel_matrix(op, k, "k");
  check<ShapeError>(k.size(0) == k.size(1), op, "expected a square Gram matrix [N, N], got ", shape_str(k.shape()));
  return centre_cross_kernel(k);
}

Tensor centre_cross_kernel(const Tensor& k) {
  check_kernel_matrix("centre_cross_kernel", k, "k");
  // K - row means - column means + the overall mean: H1 K H2 without forming H.
  const Tensor row_means = mean(k, {1}, true), column_means = mean(k, {0}, true);
  return k - row_means - column_means + mean(k);
}

KernelPCA kernel_pca(const Tensor& k, const KernelPCAOptions& options) {
  const char* op = "kernel_pca";
  check_kernel_matrix(op, k, "the Gram matrix");
  check<ShapeError>(k.size(0) == k.size(1), op, "expected a square Gram matrix [N, N], got ", shape_str(k.shape()));
  check<ValueError>(options.components >= 0, op, "components must be >= 0 (0: all), got ", options.components);
  const RankTolerance& tolerance = options.tolerance;
  const double relative = tolerance.relative.value_or(1e-10);
  check<ValueError>(std::isfinite(relative) && relative >= 0.0 && std::isfinite(tolerance.absolute) &&
                        tolerance.absolute >= 0.0,
                    op, "the tolerances must be finite and >= 0, got relative ", relative, " and absolute ",
                    tolerance.absolute);
  const std::int64_t n = k.size(0);
  {
    NoGradGuard no_grad;
    const double eps = k.dtype() == float32 ? static_cast<double>(std::numeric_limits<float>::epsilon())
                                            : std::numeric_limits<double>::epsilon();
    const double largest = max(abs(k)).item<double>(), skew = max(abs(k - mT(k))).item<double>();
    check<ValueError>(std::isfinite(largest), op, "the Gram matrix has a non-finite entry");
    check<ValueError>(skew <= std::sqrt(eps) * largest, op, "expected a symmetric Gram matrix, but |K - K^T| is up to ",
                      skew, " (largest entry ", largest, ")");
  }
  const Tensor centred = symmetric_part(centre_kernel(k));
  const Eigh parts = eigh(centred);
  // How many eigenvalues stand above the tolerance, and the energy of all the positive ones.
  std::int64_t above = 0;
  double energy = 0.0;
  {
    NoGradGuard no_grad;
    const std::vector<double> values = parts.eigenvalues.to_vector<double>();
    const double threshold = std::max(tolerance.absolute, relative * std::max(values.back(), 0.0));
    for (const double v : values) {
      above += v > threshold ? 1 : 0;
      energy += std::max(v, 0.0);
    }
  }
  check<ValueError>(above >= 1, op, "the centred Gram matrix has no eigenvalue above the tolerance (constant kernel?)");
  check<ValueError>(options.components <= above, op, "asked for ", options.components,
                    " components, but only ", above, " eigenvalues of the centred Gram matrix [", n, ", ", n,
                    "] are above the tolerance");
  const std::int64_t r = options.components == 0 ? above : options.components;
  KernelPCA model;
  model.eigenvalues = last_reversed(parts.eigenvalues, -1, r);
  model.coefficients = last_reversed(parts.eigenvectors, -1, r) * rsqrt(model.eigenvalues).unsqueeze(0);
  model.explained = model.eigenvalues / energy;
  {
    NoGradGuard no_grad;
    std::vector<double> running = model.explained.to_vector<double>();
    for (std::size_t i = 1; i < running.size(); ++i) running[i] += running[i - 1];
    model.cumulative = from_vector(running, {r}, k.dtype()).to(k.device());
  }
  model.row_means = mean(k, {1});
  model.total_mean = mean(k);
  return model;
}

Tensor kernel_pca_transform(const KernelPCA& model, const Tensor& cross_kernel) {
  const char* op = "kernel_pca_transform";
  check<ValueError>(model.coefficients.defined(), op, "the model is not fitted (no coefficients)");
  check_kernel_matrix(op, cross_kernel, "the cross-kernel");
  const std::int64_t n = model.coefficients.size(0);
  check<ShapeError>(cross_kernel.size(1) == n, op, "expected the cross-kernel K(new, train) [M, ", n,
                    "] for a model fitted on ", n, " points, got ", shape_str(cross_kernel.shape()));
  check<DTypeError>(cross_kernel.dtype() == model.coefficients.dtype(), op, "the cross-kernel is ",
                    cross_kernel.dtype(), " but the model ", model.coefficients.dtype());
  const Tensor centred =
      cross_kernel - mean(cross_kernel, {1}, true) - model.row_means.unsqueeze(0) + model.total_mean;
  return matmul(centred, model.coefficients);
}

std::int64_t components_for_energy(const KernelPCA& model, double fraction) {
  const char* op = "components_for_energy";
  check<ValueError>(model.cumulative.defined(), op, "the model is not fitted (no explained energy)");
  check<ValueError>(fraction > 0.0 && fraction <= 1.0, op, "the fraction must be in (0, 1], got ", fraction);
  const std::vector<double> cumulative = model.cumulative.to_vector<double>();
  for (std::size_t i = 0; i < cumulative.size(); ++i)
    if (cumulative[i] >= fraction - 1e-12) return static_cast<std::int64_t>(i) + 1;
  fail<ValueError>(op, "the model's ", cumulative.size(), " components explain only ",
                   cumulative.empty() ? 0.0 : cumulative.back(), " of the energy, less than ", fraction);
}

Tensor kernel_principal_angles(const KernelPCA& first, const KernelPCA& second, const Tensor& cross_kernel) {
  const char* op = "kernel_principal_angles";
  check<ValueError>(first.coefficients.defined() && second.coefficients.defined(), op,
                    "both models must be fitted (no coefficients)");
  check_kernel_matrix(op, cross_kernel, "the cross-kernel");
  const std::int64_t n1 = first.coefficients.size(0), n2 = second.coefficients.size(0);
  check<ShapeError>(cross_kernel.size(0) == n1 && cross_kernel.size(1) == n2, op,
                    "expected the cross-kernel K(X1, X2) [", n1, ", ", n2, "] between the models' training sets, got ",
                    shape_str(cross_kernel.shape()));
  check<DTypeError>(cross_kernel.dtype() == first.coefficients.dtype() &&
                        cross_kernel.dtype() == second.coefficients.dtype(),
                    op, "expected one dtype, got the cross-kernel ", cross_kernel.dtype(), " and models ",
                    first.coefficients.dtype(), " and ", second.coefficients.dtype());
  const Tensor overlap = matmul(mT(first.coefficients), matmul(centre_cross_kernel(cross_kernel), second.coefficients));
  const Tensor cosines = clamp(svdvals(overlap), 0.0, 1.0);  // descending: the angles ascend
  return atan2(sqrt((1.0 - cosines) * (1.0 + cosines)), cosines);
}

}  // namespace lg::manifold
