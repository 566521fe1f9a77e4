#include "data/known_manifolds.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/ops/ops.hpp"
#include "data/rasterize.hpp"

namespace lg::data {
namespace {

constexpr double two_pi = 2.0 * std::numbers::pi;

// Renders each parameter row with `draw` (row -> pixels) into float32 [N, 1, S, S].
template <class Draw>
Tensor render_rows(const Tensor& parameters, std::int64_t size, Draw draw) {
  const std::int64_t n = parameters.size(0), d = parameters.size(1), pixels = size * size;
  const std::vector<double> p = parameters.to_vector<double>();
  std::vector<float> images(static_cast<std::size_t>(n * pixels));
  for (std::int64_t i = 0; i < n; ++i) {
    const std::vector<double> image = draw(std::span<const double>(p).subspan(static_cast<std::size_t>(i * d),
                                                                               static_cast<std::size_t>(d)));
    std::transform(image.begin(), image.end(), images.begin() + i * pixels,
                   [](double v) { return static_cast<float>(v); });
  }
  return from_vector(images, {n, 1, size, size});
}

// Ten equal bins of t in [0, 1] (t = 1 in the last).
std::int64_t bin(double t) {
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(10.0 * t)), 0, 9);
}

// theta mod 2 pi in [0, 2 pi).
double wrap(double theta) {
  double w = std::fmod(theta, two_pi);
  if (w < 0.0) w += two_pi;
  return w >= two_pi ? 0.0 : w;
}

// A standard normal 3-vector.
std::array<double, 3> normal3(Generator& generator) {
  return {generator.next_normal(), generator.next_normal(), generator.next_normal()};
}

double norm3(const std::array<double, 3>& v) { return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); }

// A uniform unit vector (a normal vector, normalised; redrawn in the unlikely case it is nearly 0).
std::array<double, 3> unit3(Generator& generator) {
  for (;;) {
    std::array<double, 3> v = normal3(generator);
    const double length = norm3(v);
    if (length > 1e-6) return {v[0] / length, v[1] / length, v[2] / length};
  }
}

}  // namespace

// ---------------------------------------------------------------- ImageManifold

ImageManifold::ImageManifold(ImageManifoldOptions options) : options_(options) {
  check<ValueError>(options.image_size >= 8, "ImageManifold", "image_size must be >= 8, got ", options.image_size);
  check<ValueError>(options.supersampling >= 1, "ImageManifold", "supersampling must be >= 1, got ",
                    options.supersampling);
}

std::string ImageManifold::invalid_row(std::span<const double> /*row*/) const { return {}; }

void ImageManifold::check_parameters(const char* op, const Tensor& parameters, const char* name) const {
  check<ValueError>(parameters.defined(), op, name, " is undefined");
  check<DTypeError>(parameters.dtype() == float64, op, name, ": expected float64, got ", parameters.dtype());
  check<ShapeError>(parameters.dim() == 2 && parameters.size(0) >= 1 && parameters.size(1) == parameter_size(), op,
                    name, ": expected [N, ", parameter_size(), "] with N >= 1, got ", shape_str(parameters.shape()));
  const std::vector<double> values = parameters.to_vector<double>();
  const auto d = static_cast<std::size_t>(parameter_size());
  for (std::size_t i = 0; i < values.size() / d; ++i) {
    const std::span<const double> row = std::span<const double>(values).subspan(i * d, d);
    check<ValueError>(std::all_of(row.begin(), row.end(), [](double v) { return std::isfinite(v); }), op, name,
                      ": row ", i, " is not finite");
    const std::string problem = invalid_row(row);
    check<ValueError>(problem.empty(), op, name, ": row ", i, " is ", problem);
  }
}

void ImageManifold::check_pair(const char* op, const Tensor& a, const Tensor& b) const {
  check_parameters(op, a, "a");
  check_parameters(op, b, "b");
  check<ShapeError>(a.size(0) == b.size(0), op, "a ", shape_str(a.shape()), " and b ", shape_str(b.shape()),
                    " differ in their number of rows");
}

void ImageManifold::check_pair_request(const char* op, std::int64_t count, double distance) const {
  check<ValueError>(count >= 1, op, "count must be >= 1, got ", count);
  check<ValueError>(distance >= 0.0 && distance <= max_pair_distance(), op, "distance must be in [0, ",
                    max_pair_distance(), "] on the ", name(), " manifold, got ", distance);
}

ManifoldImages ImageManifold::images(const Tensor& parameters) const {
  return {Dataset{render(parameters), labels(parameters), name()}, parameters};
}

ManifoldImages ImageManifold::sample_images(std::int64_t count, std::uint64_t seed) const {
  check<ValueError>(count >= 1, "ImageManifold::sample_images", "count must be >= 1, got ", count);
  Generator generator(seed);
  return images(sample(count, generator));
}

// ---------------------------------------------------------------- circle

double RotatedArrowImages::max_pair_distance() const { return std::numbers::pi; }

Tensor RotatedArrowImages::render(const Tensor& parameters) const {
  check_parameters("RotatedArrowImages::render", parameters, "parameters");
  const auto& o = options();
  const double size = static_cast<double>(o.image_size);
  const double length = 0.8 * size;
  const Point centre{0.5 * size, 0.5 * size};
  // Tail to head along +x, one unit long: a shaft then a triangular head.
  static constexpr std::array<Point, 7> arrow{{{-0.5, -0.07},
                                               {0.1, -0.07},
                                               {0.1, -0.2},
                                               {0.5, 0.0},
                                               {0.1, 0.2},
                                               {0.1, 0.07},
                                               {-0.5, 0.07}}};
  return render_rows(parameters, o.image_size, [&](std::span<const double> row) {
    const ShapeFrame frame(centre, row[0], length);
    return rasterize(
        o.image_size, o.image_size, [&](Point p) { return length * polygon_distance(frame.to_shape(p), arrow); },
        {.supersampling = o.supersampling, .radius = 0.51 * length, .centre = centre});
  });
}

Tensor RotatedArrowImages::distance(const Tensor& a, const Tensor& b) const {
  check_pair("RotatedArrowImages::distance", a, b);
  const Tensor difference = b - a;
  return abs(atan2(sin(difference), cos(difference))).reshape({a.size(0)});
}

Tensor RotatedArrowImages::midpoint(const Tensor& a, const Tensor& b) const {
  const char* op = "RotatedArrowImages::midpoint";
  check_pair(op, a, b);
  const std::vector<double> as = a.to_vector<double>(), bs = b.to_vector<double>();
  std::vector<double> middle(as.size());
  for (std::size_t i = 0; i < as.size(); ++i) {
    const double difference = bs[i] - as[i];
    const double arc = std::atan2(std::sin(difference), std::cos(difference));  // the signed shorter arc
    check<ValueError>(std::abs(arc) < std::numbers::pi - 1e-12, op, "row ", i, ": ", as[i], " and ", bs[i],
                      " are antipodal (both arcs are shortest)");
    middle[i] = wrap(as[i] + 0.5 * arc);
  }
  return from_vector(middle, a.shape(), float64);
}

Tensor RotatedArrowImages::sample(std::int64_t count, Generator& generator) const {
  check<ValueError>(count >= 1, "RotatedArrowImages::sample", "count must be >= 1, got ", count);
  std::vector<double> theta(static_cast<std::size_t>(count));
  for (double& t : theta) t = two_pi * generator.next_double();
  return from_vector(theta, {count, 1}, float64);
}

ParameterPairs RotatedArrowImages::sample_pairs(std::int64_t count, double distance, Generator& generator) const {
  check_pair_request("RotatedArrowImages::sample_pairs", count, distance);
  std::vector<double> first(static_cast<std::size_t>(count)), second(first.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    first[i] = two_pi * generator.next_double();
    const double sign = generator.next_below(2) == 0 ? 1.0 : -1.0;
    second[i] = wrap(first[i] + sign * distance);
  }
  return {from_vector(first, {count, 1}, float64), from_vector(second, {count, 1}, float64)};
}

Tensor RotatedArrowImages::grid(std::int64_t n) const {
  check<ValueError>(n >= 1, "RotatedArrowImages::grid", "n must be >= 1, got ", n);
  std::vector<double> theta(static_cast<std::size_t>(n));
  for (std::int64_t k = 0; k < n; ++k)
    theta[static_cast<std::size_t>(k)] = two_pi * static_cast<double>(k) / static_cast<double>(n);
  return from_vector(theta, {n, 1}, float64);
}

Tensor RotatedArrowImages::labels(const Tensor& parameters) const {
  check_parameters("RotatedArrowImages::labels", parameters, "parameters");
  std::vector<std::int64_t> labels;
  for (const double theta : parameters.to_vector<double>()) labels.push_back(bin(wrap(theta) / two_pi));
  return from_vector(labels, {parameters.size(0)});
}

// ---------------------------------------------------------------- square

std::string TranslatedDiskImages::invalid_row(std::span<const double> row) const {
  const bool inside = row[0] >= 0.0 && row[0] <= 1.0 && row[1] >= 0.0 && row[1] <= 1.0;
  return inside ? std::string{} : detail::concat("(", row[0], ", ", row[1], "), outside [0, 1]^2");
}

Tensor TranslatedDiskImages::render(const Tensor& parameters) const {
  check_parameters("TranslatedDiskImages::render", parameters, "parameters");
  const auto& o = options();
  const double size = static_cast<double>(o.image_size);
  const double radius = 0.15 * size;
  return render_rows(parameters, o.image_size, [&](std::span<const double> row) {
    const Point centre{(0.2 + 0.6 * row[0]) * size, (0.2 + 0.6 * row[1]) * size};
    return rasterize(
        o.image_size, o.image_size, [&](Point p) { return disk_distance({p.x - centre.x, p.y - centre.y}, radius); },
        {.supersampling = o.supersampling, .radius = radius, .centre = centre});
  });
}

Tensor TranslatedDiskImages::distance(const Tensor& a, const Tensor& b) const {
  check_pair("TranslatedDiskImages::distance", a, b);
  return sqrt(sum((a - b) * (a - b), {1}));
}

Tensor TranslatedDiskImages::midpoint(const Tensor& a, const Tensor& b) const {
  check_pair("TranslatedDiskImages::midpoint", a, b);
  return (a + b) * 0.5;
}

Tensor TranslatedDiskImages::sample(std::int64_t count, Generator& generator) const {
  check<ValueError>(count >= 1, "TranslatedDiskImages::sample", "count must be >= 1, got ", count);
  std::vector<double> points(static_cast<std::size_t>(2 * count));
  for (double& v : points) v = generator.next_double();
  return from_vector(points, {count, 2}, float64);
}

ParameterPairs TranslatedDiskImages::sample_pairs(std::int64_t count, double distance, Generator& generator) const {
  check_pair_request("TranslatedDiskImages::sample_pairs", count, distance);
  std::vector<double> first, second;
  while (static_cast<std::int64_t>(first.size()) < 2 * count) {
    const double x = generator.next_double(), y = generator.next_double();
    const double angle = two_pi * generator.next_double();
    const double x2 = x + distance * std::cos(angle), y2 = y + distance * std::sin(angle);
    if (x2 < 0.0 || x2 > 1.0 || y2 < 0.0 || y2 > 1.0) continue;
    first.insert(first.end(), {x, y});
    second.insert(second.end(), {x2, y2});
  }
  return {from_vector(first, {count, 2}, float64), from_vector(second, {count, 2}, float64)};
}

Tensor TranslatedDiskImages::grid(std::int64_t n) const {
  check<ValueError>(n >= 1, "TranslatedDiskImages::grid", "n must be >= 1, got ", n);
  std::vector<double> points;
  const auto at = [n](std::int64_t k) {
    return n == 1 ? 0.5 : static_cast<double>(k) / static_cast<double>(n - 1);
  };
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j) points.insert(points.end(), {at(i), at(j)});
  return from_vector(points, {n * n, 2}, float64);
}

Tensor TranslatedDiskImages::labels(const Tensor& parameters) const {
  check_parameters("TranslatedDiskImages::labels", parameters, "parameters");
  const std::vector<double> p = parameters.to_vector<double>();
  std::vector<std::int64_t> labels;
  for (std::size_t i = 0; i < p.size(); i += 2) labels.push_back(bin(p[i]));
  return from_vector(labels, {parameters.size(0)});
}

// ---------------------------------------------------------------- sphere

double SphereDirectionImages::max_pair_distance() const { return std::numbers::pi; }

std::string SphereDirectionImages::invalid_row(std::span<const double> row) const {
  const double length = std::sqrt(row[0] * row[0] + row[1] * row[1] + row[2] * row[2]);
  return std::abs(length - 1.0) <= 1e-6 ? std::string{} : detail::concat("not a unit vector (norm ", length, ")");
}

Tensor SphereDirectionImages::render(const Tensor& parameters) const {
  check_parameters("SphereDirectionImages::render", parameters, "parameters");
  const auto& o = options();
  const double size = static_cast<double>(o.image_size);
  const Point centre{0.5 * size, 0.5 * size};
  const double globe = 0.36 * size, dot = 0.1 * size;
  const std::vector<double> ring = rasterize(
      o.image_size, o.image_size,
      [&](Point p) { return ring_distance({p.x - centre.x, p.y - centre.y}, globe, 0.02 * size); },
      {.supersampling = o.supersampling, .radius = 0.4 * size, .centre = centre});
  return render_rows(parameters, o.image_size, [&](std::span<const double> u) {
    const Point place{centre.x + globe * u[0], centre.y - globe * u[1]};  // y up on the globe, down in the image
    std::vector<double> image = rasterize(
        o.image_size, o.image_size, [&](Point p) { return disk_distance({p.x - place.x, p.y - place.y}, dot); },
        {.supersampling = o.supersampling, .radius = dot, .centre = place});
    const double brightness = 0.6 + 0.4 * u[2];
    for (std::size_t k = 0; k < image.size(); ++k) image[k] = std::max(0.15 * ring[k], brightness * image[k]);
    return image;
  });
}

Tensor SphereDirectionImages::distance(const Tensor& a, const Tensor& b) const {
  check_pair("SphereDirectionImages::distance", a, b);
  const auto column = [](const Tensor& t, std::int64_t k) { return t.narrow(1, k, 1); };
  const Tensor cross = cat({column(a, 1) * column(b, 2) - column(a, 2) * column(b, 1),
                            column(a, 2) * column(b, 0) - column(a, 0) * column(b, 2),
                            column(a, 0) * column(b, 1) - column(a, 1) * column(b, 0)},
                           1);
  return atan2(norm(cross, 2.0, {1}), sum(a * b, {1}));
}

Tensor SphereDirectionImages::midpoint(const Tensor& a, const Tensor& b) const {
  const char* op = "SphereDirectionImages::midpoint";
  check_pair(op, a, b);
  const Tensor total = a + b;
  const std::vector<double> lengths = norm(total, 2.0, {1}).to_vector<double>();
  for (std::size_t i = 0; i < lengths.size(); ++i)
    check<ValueError>(lengths[i] >= 1e-12, op, "row ", i, ": the points are antipodal (|u + v| = ", lengths[i],
                      "), so the midpoint is not unique");
  return total / norm(total, 2.0, {1}, true);
}

Tensor SphereDirectionImages::sample(std::int64_t count, Generator& generator) const {
  check<ValueError>(count >= 1, "SphereDirectionImages::sample", "count must be >= 1, got ", count);
  std::vector<double> points;
  for (std::int64_t i = 0; i < count; ++i) {
    const auto u = unit3(generator);
    points.insert(points.end(), u.begin(), u.end());
  }
  return from_vector(points, {count, 3}, float64);
}

ParameterPairs SphereDirectionImages::sample_pairs(std::int64_t count, double distance, Generator& generator) const {
  check_pair_request("SphereDirectionImages::sample_pairs", count, distance);
  std::vector<double> first, second;
  const double c = std::cos(distance), s = std::sin(distance);
  while (static_cast<std::int64_t>(first.size()) < 3 * count) {
    const auto u = unit3(generator);
    auto t = normal3(generator);
    const double along = t[0] * u[0] + t[1] * u[1] + t[2] * u[2];
    for (std::size_t k = 0; k < 3; ++k) t[k] -= along * u[k];
    const double length = norm3(t);
    if (length < 1e-6) continue;  // t nearly parallel to u: draw again
    std::array<double, 3> v{};
    for (std::size_t k = 0; k < 3; ++k) v[k] = c * u[k] + s * t[k] / length;
    const double v_length = norm3(v);
    first.insert(first.end(), u.begin(), u.end());
    for (const double vk : v) second.push_back(vk / v_length);
  }
  return {from_vector(first, {count, 3}, float64), from_vector(second, {count, 3}, float64)};
}

Tensor SphereDirectionImages::grid(std::int64_t n) const {
  check<ValueError>(n >= 1, "SphereDirectionImages::grid", "n must be >= 1, got ", n);
  const std::int64_t count = n * n;
  const double golden_angle = std::numbers::pi * (3.0 - std::sqrt(5.0));
  std::vector<double> points;
  for (std::int64_t i = 0; i < count; ++i) {
    const double z = 1.0 - (2.0 * static_cast<double>(i) + 1.0) / static_cast<double>(count);
    const double r = std::sqrt(std::max(0.0, 1.0 - z * z)), longitude = golden_angle * static_cast<double>(i);
    points.insert(points.end(), {r * std::cos(longitude), r * std::sin(longitude), z});
  }
  return from_vector(points, {count, 3}, float64);
}

Tensor SphereDirectionImages::labels(const Tensor& parameters) const {
  check_parameters("SphereDirectionImages::labels", parameters, "parameters");
  const std::vector<double> p = parameters.to_vector<double>();
  std::vector<std::int64_t> labels;
  for (std::size_t i = 2; i < p.size(); i += 3) labels.push_back(bin(0.5 * (p[i] + 1.0)));
  return from_vector(labels, {parameters.size(0)});
}

}  // namespace lg::data
