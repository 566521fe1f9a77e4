// Sliced Wasserstein distances and the Laplacian-pyramid image protocol (see sliced_wasserstein.hpp).
#include "manifold/sliced_wasserstein.hpp"

#include <algorithm>
#include <utility>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::manifold {
namespace {

// For each column of values [n, p] (row-major), the rows in ascending order (ties by row): [n, p] int64.
Tensor column_ranks(const Tensor& values) {
  const std::int64_t n = values.size(0), p = values.size(1);
  std::vector<double> v;
  {
    NoGradGuard no_grad;
    v = to_device(values, cpu).to_vector<double>();
  }
  std::vector<std::pair<double, std::int64_t>> column(static_cast<std::size_t>(n));
  std::vector<std::int64_t> result(static_cast<std::size_t>(n * p));
  for (std::int64_t c = 0; c < p; ++c) {
    for (std::int64_t r = 0; r < n; ++r)
      column[static_cast<std::size_t>(r)] = {v[static_cast<std::size_t>(r * p + c)], r};
    std::sort(column.begin(), column.end());  // by value, ties by row
    for (std::int64_t r = 0; r < n; ++r)
      result[static_cast<std::size_t>(r * p + c)] = column[static_cast<std::size_t>(r)].second;
  }
  return to_device(from_vector(result, {n, p}), values.device());
}

// The 5x5 binomial kernel outer([1, 4, 6, 4, 1]) / 256 times gain, as a conv2d weight [1, 1, 5, 5].
Tensor binomial_kernel(double gain, DType dtype, Device device) {
  const double taps[5] = {1, 4, 6, 4, 1};
  std::vector<double> values;
  for (double a : taps)
    for (double b : taps) values.push_back(gain * a * b / 256.0);
  return to_device(from_vector(values, {1, 1, 5, 5}, dtype), device);
}

// Mirror indices (reflect about the edge pixel, cv2's BORDER_REFLECT_101) for a border of 2 around n >= 3.
Tensor mirror_index(std::int64_t n, Device device) {
  std::vector<std::int64_t> index;
  for (std::int64_t i = -2; i < n + 2; ++i) index.push_back(i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i));
  return to_device(from_vector(index, {n + 4}), device);
}

// Images [B, 1, H, W] filtered by the binomial kernel times gain, mirror borders: [B, 1, H, W].
Tensor binomial_filter(const Tensor& x, double gain) {
  const Tensor padded = index_select(index_select(x, 2, mirror_index(x.size(2), x.device())), 3,
                                     mirror_index(x.size(3), x.device()));
  return conv2d(padded, binomial_kernel(gain, x.dtype(), x.device()));
}

// cv2.pyrDown: filter, keep even rows and columns.
Tensor pyr_down(const Tensor& x) {
  const Tensor filtered = binomial_filter(x, 1.0);
  return slice(slice(filtered, 2, 0, x.size(2), 2), 3, 0, x.size(3), 2);
}

// cv2.pyrUp to [B, 1, h, w]: zeros between pixels, filter with 4 x the kernel, crop to h x w.
Tensor pyr_up(const Tensor& x, std::int64_t h, std::int64_t w) {
  const std::int64_t b = x.size(0), rows = x.size(2), cols = x.size(3);
  const Tensor wide = stack({x, zeros_like(x)}, -1).reshape({b, 1, rows, 2 * cols});
  const Tensor up = stack({wide, zeros_like(wide)}, -2).reshape({b, 1, 2 * rows, 2 * cols});
  return binomial_filter(up, 4.0).narrow(2, 0, h).narrow(3, 0, w);
}

void check_images(const char* op, const Tensor& images, const char* name) {
  check<ValueError>(images.defined(), op, name, " is undefined");
  check<ShapeError>(images.dim() == 4, op, "expected ", name, " [N, C, H, W], got ", shape_str(images.shape()));
  check<DTypeError>(images.is_floating_point(), op, "expected float32 or float64 ", name, ", got ", images.dtype());
  check<ValueError>(images.numel() > 0, op, "expected non-empty ", name, ", got ", shape_str(images.shape()));
}

// The number of pyramid levels for side s: halve while >= min_resolution, at least one.
std::int64_t level_count(std::int64_t side, std::int64_t min_resolution) {
  std::int64_t count = 0;
  for (std::int64_t s = side; s >= min_resolution; s /= 2) ++count;
  return std::max<std::int64_t>(1, count);
}

// Flat indices into a level [N, C, h, w] of `per_image` random size x size patches of every image; each patch a
// row of C * size^2 indices. The same generator state gives the same positions.
Tensor patch_index(const Shape& shape, std::int64_t per_image, std::int64_t size, Generator& generator) {
  const std::int64_t n = shape[0], c = shape[1], h = shape[2], w = shape[3];
  std::vector<std::int64_t> index;
  index.reserve(static_cast<std::size_t>(n * per_image * c * size * size));
  for (std::int64_t image = 0; image < n; ++image)
    for (std::int64_t p = 0; p < per_image; ++p) {
      // The patch's top-left corner, uniform over the places where it fits.
      const auto top = static_cast<std::int64_t>(generator.next_below(static_cast<std::uint64_t>(h - size + 1)));
      const auto left = static_cast<std::int64_t>(generator.next_below(static_cast<std::uint64_t>(w - size + 1)));
      for (std::int64_t channel = 0; channel < c; ++channel)
        for (std::int64_t dy = 0; dy < size; ++dy)
          for (std::int64_t dx = 0; dx < size; ++dx)
            index.push_back(((image * c + channel) * h + top + dy) * w + left + dx);
    }
  return from_vector(index, {n * per_image, c * size * size});
}

// Patches [P, C, k, k] normalised as asked, flattened to descriptors [P, C k^2].
Tensor descriptors(const Tensor& patches, PatchNormalisation normalisation) {
  Tensor normalised = patches;
  if (normalisation != PatchNormalisation::none) {
    const Shape dims = normalisation == PatchNormalisation::per_channel ? Shape{0, 2, 3} : Shape{1, 2, 3};
    const Tensor centred = patches - mean(patches, dims, true);
    const Tensor spread = std(patches, dims, 0.0, true);
    // A constant channel (or patch) stays centred at 0 rather than 0 / 0.
    normalised = centred / where(spread > 0.0, spread, ones_like(spread));
  }
  return normalised.reshape({patches.size(0), -1});
}

}  // namespace

Tensor sliced_wasserstein(const Tensor& x, const Tensor& y, const SlicedWassersteinOptions& options) {
  const char* op = "sliced_wasserstein";
  check<ValueError>(x.defined() && y.defined(), op, "x or y is undefined");
  check<ShapeError>(x.dim() == 2 && x.shape() == y.shape(), op,
                    "expected x and y [N, D] of one shape (equal sizes: sorting pairs them), got ",
                    shape_str(x.shape()), " and ", shape_str(y.shape()));
  check<DTypeError>(x.is_floating_point() && x.dtype() == y.dtype(), op, "expected one floating dtype, got ",
                    x.dtype(), " and ", y.dtype());
  check<ValueError>(x.size(0) >= 1 && x.size(1) >= 1, op, "expected at least one point of one coordinate, got ",
                    shape_str(x.shape()));
  check<ValueError>(options.directions >= 1, op, "directions must be >= 1, got ", options.directions);
  check<ValueError>(options.order == 1 || options.order == 2, op, "order must be 1 or 2, got ", options.order);
  check<ValueError>(!options.squared || options.order == 2, op, "squared needs order 2");
  Generator seeded(options.seed);
  Generator* generator = options.generator != nullptr ? options.generator : &seeded;
  Tensor theta;
  {
    NoGradGuard no_grad;
    const Tensor gaussian = randn({options.directions, x.size(1)}, float64, generator);
    theta = to_device((gaussian / sqrt(sum(gaussian * gaussian, {1}, true))).to(x.dtype()), x.device());
  }
  const Tensor px = matmul(x, matrix_transpose(theta)), py = matmul(y, matrix_transpose(theta));  // [N, P]
  const Tensor difference = gather(px, 0, column_ranks(px)) - gather(py, 0, column_ranks(py));
  if (options.order == 1) return mean(abs(difference));
  const Tensor squared = mean(difference * difference);
  return options.squared ? squared : sqrt(squared);
}

std::vector<Tensor> laplacian_pyramid(const Tensor& images, std::int64_t levels) {
  const char* op = "laplacian_pyramid";
  check_images(op, images, "images");
  check<ValueError>(levels >= 1, op, "levels must be >= 1, got ", levels);
  const std::int64_t n = images.size(0), c = images.size(1);
  // One channel per batch entry: the filter acts on each channel alone.
  std::vector<Tensor> gaussian = {images.reshape({n * c, 1, images.size(2), images.size(3)})};
  for (std::int64_t l = 1; l < levels; ++l) {
    const Tensor& previous = gaussian.back();
    check<ValueError>(previous.size(2) >= 3 && previous.size(3) >= 3, op, "level ", l - 1, " is ",
                      previous.size(2), "x", previous.size(3), ", too small for ", levels,
                      " levels (the 5-tap filter needs sides >= 3)");
    gaussian.push_back(pyr_down(previous));
  }
  std::vector<Tensor> result;
  for (std::int64_t l = 0; l < levels; ++l) {
    const Tensor& g = gaussian[static_cast<std::size_t>(l)];
    const Tensor level = l + 1 < levels ? g - pyr_up(gaussian[static_cast<std::size_t>(l + 1)], g.size(2), g.size(3))
                                        : g;
    result.push_back(level.reshape({n, c, g.size(2), g.size(3)}));
  }
  return result;
}

ImageSlicedWasserstein image_sliced_wasserstein(const Tensor& a, const Tensor& b,
                                                const ImageSlicedWassersteinOptions& options) {
  const char* op = "image_sliced_wasserstein";
  check_images(op, a, "a");
  check_images(op, b, "b");
  check<ShapeError>(a.shape() == b.shape(), op, "expected image sets of one shape, got ", shape_str(a.shape()),
                    " and ", shape_str(b.shape()));
  check<DTypeError>(a.dtype() == b.dtype(), op, "expected one dtype, got ", a.dtype(), " and ", b.dtype());
  check<ValueError>(options.min_resolution >= 1 && options.patches_per_image >= 1 && options.directions >= 1 &&
                        options.repeats >= 1,
                    op, "min_resolution, patches_per_image, directions and repeats must be >= 1, got ",
                    options.min_resolution, ", ", options.patches_per_image, ", ", options.directions, ", ",
                    options.repeats);
  check<ValueError>(options.patch_size >= 1 && options.patch_size % 2 == 1, op,
                    "patch_size must be odd and >= 1, got ", options.patch_size);
  check<ValueError>(options.order == 1 || options.order == 2, op, "order must be 1 or 2, got ", options.order);
  NoGradGuard no_grad;
  const std::int64_t levels = level_count(std::min(a.size(2), a.size(3)), options.min_resolution);
  const std::vector<Tensor> pyramid_a = laplacian_pyramid(a, levels), pyramid_b = laplacian_pyramid(b, levels);
  ImageSlicedWasserstein result;
  Generator generator(options.seed);
  for (std::int64_t l = 0; l < levels; ++l) {
    const Tensor& level_a = pyramid_a[static_cast<std::size_t>(l)];
    const Tensor& level_b = pyramid_b[static_cast<std::size_t>(l)];
    const std::int64_t k = options.patch_size;
    check<ValueError>(k <= level_a.size(2) && k <= level_a.size(3), op, "patch_size ", k, " exceeds level ", l,
                      " of ", level_a.size(2), "x", level_a.size(3));
    // One set of positions for both sets.
    const Tensor index = to_device(patch_index(level_a.shape(), options.patches_per_image, k, generator), a.device());
    const Shape patch_shape = {index.size(0), a.size(1), k, k};
    const Tensor da =
        descriptors(index_select(level_a.contiguous().reshape({-1}), 0, index.reshape({-1})).reshape(patch_shape),
                    options.normalisation);
    const Tensor db =
        descriptors(index_select(level_b.contiguous().reshape({-1}), 0, index.reshape({-1})).reshape(patch_shape),
                    options.normalisation);
    double total = 0.0;
    for (std::int64_t r = 0; r < options.repeats; ++r)
      total += sliced_wasserstein(da, db, {.directions = options.directions, .order = options.order,
                                           .squared = false, .generator = &generator})
                   .item<double>();
    result.resolutions.push_back(level_a.size(2));
    result.levels.push_back(total / static_cast<double>(options.repeats));
  }
  double sum_levels = 0.0;
  for (double v : result.levels) sum_levels += v;
  result.mean = sum_levels / static_cast<double>(levels);
  return result;
}

}  // namespace lg::manifold
