// Anti-aliased drawing of shapes described by signed distance functions, the
// shared renderer of the procedural datasets (data/sprites.hpp,
// data/known_manifolds.hpp).
//
// Coordinates are in pixels: x to the right, y down, and pixel (row r, column c)
// is the unit square [c, c + 1) x [r, r + 1). A shape is a signed distance
// function sd(p): the distance from p to the shape's boundary, negative inside.
//
// Each pixel is split into k x k subsamples at ((c + (i + 1/2) / k), (r + (j + 1/2) / k)).
// A plain point sample would be 0 or 1 (inside or not), and the image would jump
// whenever an edge crosses a sample. Instead each sample takes the value
//   clamp(1/2 - k sd(p), 0, 1),
// a linear ramp one subsample wide across the edge, and the pixel is the mean
// of its k^2 samples. For a straight edge these ramps tile the pixel exactly, so
// the pixel value is the exact area of the pixel inside the edge (a box filter);
// and because sd is 1-Lipschitz in the shape's position, the image is a
// Lipschitz (smooth up to kinks) function of every parameter that moves the
// shape: no jumps, however small the move. A pixel whose centre is more than
// 1 + 1/(2k) pixels from the edge is set to 0 or 1 from that one value, which
// needs sd to change no faster than the distance to the point (a true distance
// does; an approximate one must near the edge). (Signed distance functions: Hart 1996,
// "Sphere tracing"; the heart and ellipse formulas are Inigo Quilez's,
// iquilezles.org/articles/distfunctions2d.)
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace lg::data {

// A point of the plane: image pixels (y down) or a shape's own coordinates (y up), as each function says.
struct Point {
  double x = 0.0;  // to the right
  double y = 0.0;  // down in the image, up in a shape's own coordinates
};

// The signed distance in pixels from an image point to a shape's boundary: negative inside, positive outside.
using SignedDistance = std::function<double(Point)>;

// Where to draw and how finely.
struct RasterOptions {
  // Subsamples per pixel side (k above, >= 1): the ramp across an edge is 1/k pixel wide.
  std::int64_t supersampling = 4;
  // The shape lies inside the disk of this radius (pixels) around `centre`; pixels farther are left at 0.
  double radius = 0.0;
  // The centre of that disk, in image pixels.
  Point centre = {};
};

// The coverage of each pixel of a height x width image by the shape, in [0, 1], row-major
// (height * width values). ValueError unless height, width, supersampling >= 1 and radius >= 0.
std::vector<double> rasterize(std::int64_t height, std::int64_t width, const SignedDistance& shape,
                              const RasterOptions& options);

// Where a shape sits in the image: centred at `centre`, turned counter-clockwise (as seen) by `angle`
// radians and drawn `scale` pixels to its unit. Keeps the angle's cosine and sine, since a shape's distance
// function is called for every subsample.
class ShapeFrame {
 public:
  // The frame of a shape at `centre` (image pixels), turned by `angle`, `scale` pixels to its unit (> 0).
  ShapeFrame(Point centre, double angle, double scale);
  // The image point p (pixels, y down) in the shape's own coordinates: y up, unrotated, divided by scale.
  // A distance in these coordinates times scale is a distance in pixels.
  Point to_shape(Point p) const;

 private:
  Point centre_;
  double cos_ = 1.0, sin_ = 0.0, scale_ = 1.0;
};

// ShapeFrame(centre, angle, scale).to_shape(p), for a single point.
Point to_shape_coordinates(Point p, Point centre, double angle, double scale);

// Signed distance from p to the disk of `radius` centred at the origin (exact).
double disk_distance(Point p, double radius);
// Signed distance from p to the ring (annulus) of mid radius `radius` and half-width `half_width` (exact).
double ring_distance(Point p, double radius, double half_width);
// Signed distance from p to the axis-aligned rectangle [-half_width, half_width] x [-half_height, half_height].
double box_distance(Point p, double half_width, double half_height);
// Approximate signed distance to the ellipse with semi-axes a (along x) and b (along y): exact on the boundary,
// to first order near it, which is all the ramp uses (Quilez's k0 (k0 - 1) / k1 form).
double ellipse_distance(Point p, double a, double b);
// Signed distance to a simple polygon (any orientation, convex or not): the distance to the nearest edge,
// negative inside by the even-odd rule (exact). ValueError with fewer than 3 vertices.
double polygon_distance(Point p, std::span<const Point> vertices);
// Signed distance to a heart of two half disks over a V (Quilez's exact formula, y up), shifted so that its
// smallest enclosing circle is centred at the origin: radius heart_radius, tip pointing down.
double heart_distance(Point p);
// The radius of the heart's enclosing circle (about 0.631).
inline constexpr double heart_radius = 0.631;

}  // namespace lg::data
