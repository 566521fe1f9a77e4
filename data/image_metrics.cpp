// Per-image MSE and PSNR (see the header), on the host in float64: the values
// come out with to_vector<double>(), whatever the tensors' dtype and device.
#include "data/image_metrics.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/shape.hpp"

namespace lg::data {
namespace {

void check_images(const char* op, const Tensor& images, const Tensor& references) {
  check<ValueError>(images.defined() && references.defined(), op, "undefined tensor");
  check<DTypeError>(images.is_floating_point() && references.is_floating_point(), op,
                    "expected floating-point images, got int64");
  check<ShapeError>(images.shape() == references.shape(), op, "images ", shape_str(images.shape()), " and references ",
                    shape_str(references.shape()), " differ in shape");
  check<ValueError>(images.dim() >= 1 && images.size(0) >= 1 && images.numel() >= images.size(0), op,
                    "expected a batch [N, ...] with N >= 1 and at least one value per image, got ",
                    shape_str(images.shape()));
}

std::vector<double> per_image_mse(const Tensor& images, const Tensor& references) {
  const std::vector<double> a = images.to_vector<double>(), b = references.to_vector<double>();
  const auto n = static_cast<std::size_t>(images.size(0));
  const std::size_t per = a.size() / n;
  std::vector<double> mse(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::size_t j = i * per; j < (i + 1) * per; ++j) sum += (a[j] - b[j]) * (a[j] - b[j]);
    mse[i] = sum / static_cast<double>(per);
  }
  return mse;
}

}  // namespace

Tensor mean_squared_error_per_image(const Tensor& images, const Tensor& references) {
  check_images("mean_squared_error_per_image", images, references);
  const std::vector<double> mse = per_image_mse(images, references);
  return from_vector(mse, {static_cast<std::int64_t>(mse.size())}, float64);
}

Tensor psnr(const Tensor& images, const Tensor& references, const PSNROptions& options) {
  check_images("psnr", images, references);
  check<ValueError>(options.peak > 0.0 && std::isfinite(options.peak), "psnr", "peak must be positive and finite, got ",
                    options.peak);
  std::vector<double> values = per_image_mse(images, references);
  for (double& v : values)
    v = v > 0.0 ? 10.0 * std::log10(options.peak * options.peak / v) : std::numeric_limits<double>::infinity();
  return from_vector(values, {static_cast<std::int64_t>(values.size())}, float64);
}

}  // namespace lg::data
