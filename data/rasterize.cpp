#include "data/rasterize.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "autograd/error.hpp"

namespace lg::data {

std::vector<double> rasterize(std::int64_t height, std::int64_t width, const SignedDistance& shape,
                              const RasterOptions& options) {
  const char* op = "rasterize";
  check<ValueError>(height >= 1 && width >= 1, op, "expected an image of at least 1 x 1 pixels, got ", height, " x ",
                    width);
  check<ValueError>(options.supersampling >= 1, op, "supersampling must be >= 1, got ", options.supersampling);
  check<ValueError>(options.radius >= 0.0 && std::isfinite(options.radius), op,
                    "radius must be finite and >= 0, got ", options.radius);
  check<ValueError>(static_cast<bool>(shape), op, "the shape's distance function is empty");
  std::vector<double> image(static_cast<std::size_t>(height * width), 0.0);
  // The ramp reaches half a subsample outside the shape; one pixel of slack covers it.
  const double reach = options.radius + 1.0;
  const auto first = [](double v, std::int64_t size) {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(v)), 0, size);
  };
  const std::int64_t c0 = first(options.centre.x - reach, width), c1 = first(options.centre.x + reach + 1.0, width);
  const std::int64_t r0 = first(options.centre.y - reach, height), r1 = first(options.centre.y + reach + 1.0, height);
  const std::int64_t k = options.supersampling;
  const double step = 1.0 / static_cast<double>(k);
  const auto samples = static_cast<double>(k * k);
  // A pixel whose centre is this far from the edge lies wholly on one side of every ramp: its subsamples are
  // at most sqrt(2)/2 pixel from the centre, the ramps reach 1/(2k) past the edge, and the distance changes at
  // most one-for-one with the point (1 instead of sqrt(2)/2 leaves room for approximate distances).
  const double settled = 1.0 + 0.5 / static_cast<double>(k);
  for (std::int64_t r = r0; r < r1; ++r)
    for (std::int64_t c = c0; c < c1; ++c) {
      const double at_centre = shape({static_cast<double>(c) + 0.5, static_cast<double>(r) + 0.5});
      if (at_centre >= settled) continue;  // outside: stays 0
      if (at_centre <= -settled) {
        image[static_cast<std::size_t>(r * width + c)] = 1.0;
        continue;
      }
      double total = 0.0;
      for (std::int64_t j = 0; j < k; ++j)
        for (std::int64_t i = 0; i < k; ++i) {
          const Point p{static_cast<double>(c) + (static_cast<double>(i) + 0.5) * step,
                        static_cast<double>(r) + (static_cast<double>(j) + 0.5) * step};
          total += std::clamp(0.5 - static_cast<double>(k) * shape(p), 0.0, 1.0);
        }
      image[static_cast<std::size_t>(r * width + c)] = total / samples;
    }
  return image;
}

ShapeFrame::ShapeFrame(Point centre, double angle, double scale)
    : centre_(centre), cos_(std::cos(angle)), sin_(std::sin(angle)), scale_(scale) {
  check<ValueError>(scale > 0.0 && std::isfinite(scale), "ShapeFrame", "scale must be finite and > 0, got ", scale);
  check<ValueError>(std::isfinite(angle), "ShapeFrame", "angle must be finite, got ", angle);
}

Point ShapeFrame::to_shape(Point p) const {
  const double dx = p.x - centre_.x, dy = centre_.y - p.y;  // y up
  // Turning the shape by +angle is turning the point by -angle.
  return {(cos_ * dx + sin_ * dy) / scale_, (-sin_ * dx + cos_ * dy) / scale_};
}

Point to_shape_coordinates(Point p, Point centre, double angle, double scale) {
  return ShapeFrame(centre, angle, scale).to_shape(p);
}

double disk_distance(Point p, double radius) { return std::hypot(p.x, p.y) - radius; }

double ring_distance(Point p, double radius, double half_width) {
  return std::abs(std::hypot(p.x, p.y) - radius) - half_width;
}

double box_distance(Point p, double half_width, double half_height) {
  const double qx = std::abs(p.x) - half_width, qy = std::abs(p.y) - half_height;
  return std::hypot(std::max(qx, 0.0), std::max(qy, 0.0)) + std::min(std::max(qx, qy), 0.0);
}

double ellipse_distance(Point p, double a, double b) {
  const double k0 = std::hypot(p.x / a, p.y / b);
  const double k1 = std::hypot(p.x / (a * a), p.y / (b * b));
  if (k1 == 0.0) return -std::min(a, b);  // the centre
  return k0 * (k0 - 1.0) / k1;
}

double polygon_distance(Point p, std::span<const Point> vertices) {
  check<ValueError>(vertices.size() >= 3, "polygon_distance", "a polygon needs at least 3 vertices, got ",
                    vertices.size());
  double nearest = std::numeric_limits<double>::infinity();
  bool inside = false;
  for (std::size_t i = 0, j = vertices.size() - 1; i < vertices.size(); j = i++) {
    const Point a = vertices[j], b = vertices[i];
    const double ex = b.x - a.x, ey = b.y - a.y, wx = p.x - a.x, wy = p.y - a.y;
    const double length2 = ex * ex + ey * ey;
    const double t = length2 > 0.0 ? std::clamp((wx * ex + wy * ey) / length2, 0.0, 1.0) : 0.0;
    nearest = std::min(nearest, std::hypot(wx - t * ex, wy - t * ey));
    if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (b.x - a.x) * (p.y - a.y) / (b.y - a.y)) inside = !inside;
  }
  return inside ? -nearest : nearest;
}

double heart_distance(Point p) {
  // Quilez's heart has its tip at the origin and its lobes up to y = 0.75 + sqrt(2) / 4; the centre of its
  // enclosing circle is (0, 0.63).
  const double x = std::abs(p.x), y = p.y + 0.63;
  if (x + y > 1.0) return std::hypot(x - 0.25, y - 0.75) - std::sqrt(2.0) / 4.0;
  const double along = 0.5 * std::max(x + y, 0.0);
  const double to_top = (x * x) + (y - 1.0) * (y - 1.0);
  const double to_v = (x - along) * (x - along) + (y - along) * (y - along);
  const double sign = x - y > 0.0 ? 1.0 : (x - y < 0.0 ? -1.0 : 0.0);
  return std::sqrt(std::min(to_top, to_v)) * sign;
}

}  // namespace lg::data
