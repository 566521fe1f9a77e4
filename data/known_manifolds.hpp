// Images of manifolds whose geometry is known exactly: datasets on which a
// latent-geometry method (a geodesic, a midpoint, an intrinsic dimension, a
// curvature estimate) can be checked against the truth.
//
// Each ImageManifold maps a parameter p of a known Riemannian manifold M to an
// anti-aliased gray image I(p) (data/rasterize.hpp), one to one and
// continuous (Lipschitz: the image difference shrinks linearly with the
// parameter difference), so the images form a copy of M inside pixel space
// and M's distances and midpoints are the ground truth:
//
//   RotatedArrowImages   M = S^1, p = theta [N, 1] (radians, any real, read mod 2 pi):
//                        an arrow through the image centre pointing at angle theta
//                        (counter-clockwise from the right). Its head is at one end
//                        only, so theta and theta + pi differ: one to one on the circle.
//                        d(a, b) = min(|a - b|, 2 pi - |a - b|) (taken mod 2 pi);
//                        midpoint on the shorter arc, in [0, 2 pi).
//   TranslatedDiskImages M = [0, 1]^2 (flat), p = (x, y) [N, 2]: a disk whose centre moves
//                        over a square, x to the right, y down. Different centres,
//                        different images. d = |a - b|, midpoint (a + b) / 2.
//   SphereDirectionImages M = S^2, p = u [N, 3] unit vectors: a globe (a faint ring) seen
//                        along -z with a marker dot at u's place on it: the dot sits at
//                        the orthographic projection (u_x, u_y) (x right, y up) and its
//                        brightness is 0.6 + 0.4 u_z (front bright, back dim: a depth
//                        cue). One to one: the dot's place gives (u_x, u_y), which
//                        fixes u up to the sign of u_z, and its brightness gives u_z
//                        itself: at image_size >= 16 the dot (radius >= 1.6 pixels)
//                        covers some pixel wholly, whose value is the brightness. The
//                        dot never fades out (brightness >= 0.2, above the ring's 0.15),
//                        so its place is always readable. (A Lambertian-lit ball would
//                        not do: every light from behind the ball leaves the visible
//                        half nearly dark, and those images nearly coincide.)
//                        d(u, v) = atan2(|u x v|, u . v) (accurate at every angle),
//                        midpoint (u + v) / |u + v|, ValueError for antipodal pairs.
//
// Parameters and distances are float64. Labels (for colouring scatter plots)
// are ten equal bins of one coordinate: theta / (2 pi) for the circle, x for
// the square, (u_z + 1) / 2 for the sphere (equal-area latitude bands).
//
// sample_pairs draws pairs at an exact geodesic distance: on the circle
// theta and theta +- d; on the square a uniform point and a uniform direction,
// redrawn until the second point lies inside (d <= 1, where about 1 draw in
// 22 is kept); on the sphere u uniform and v = cos d u + sin d t along a
// uniform unit tangent t.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"
#include "data/dataset.hpp"

namespace lg::data {

// How the images of a manifold are drawn.
struct ImageManifoldOptions {
  // Side of the square images in pixels (>= 8).
  std::int64_t image_size = 32;
  // Subsamples per pixel side for anti-aliasing (>= 1).
  std::int64_t supersampling = 4;
};

// Images of a manifold and the parameters they were drawn from.
struct ManifoldImages {
  // images float32 [N, 1, S, S] in [0, 1]; labels int64 [N] in [0, 9] (bins of one coordinate, see above).
  Dataset dataset;
  // float64 [N, d]: row i is image i's point of the manifold.
  Tensor parameters;
};

// Two rows of parameters a fixed geodesic distance apart, pair i being (first[i], second[i]).
struct ParameterPairs {
  // float64 [N, d].
  Tensor first;
  // float64 [N, d], each row at the requested distance from first's.
  Tensor second;
};

// A manifold of images with a known parametrisation and metric; the three below implement it.
class ImageManifold {
 public:
  // Checks the options (ValueError naming the bad one).
  explicit ImageManifold(ImageManifoldOptions options);
  virtual ~ImageManifold() = default;

  // A short name, also the datasets' name: "rotation", "translation" or "sphere".
  virtual std::string name() const = 0;
  // Coordinates in a parameter row (1, 2 or 3).
  virtual std::int64_t parameter_size() const = 0;
  // The manifold's dimension (1 or 2).
  virtual std::int64_t dimension() const = 0;
  // The largest distance sample_pairs accepts (pi for the circle and the sphere, 1 for the square).
  virtual double max_pair_distance() const = 0;

  // The images of parameters [N, d]: float32 [N, 1, S, S] in [0, 1].
  virtual Tensor render(const Tensor& parameters) const = 0;
  // The geodesic distances between rows of a and b (both [N, d]): float64 [N].
  virtual Tensor distance(const Tensor& a, const Tensor& b) const = 0;
  // The midpoints of the geodesics between rows of a and b: float64 [N, d]; ValueError where it is not unique.
  virtual Tensor midpoint(const Tensor& a, const Tensor& b) const = 0;
  // `count` parameters drawn from the uniform (Riemannian volume) distribution: float64 [count, d].
  virtual Tensor sample(std::int64_t count, Generator& generator) const = 0;
  // `count` pairs exactly `distance` apart (0 <= distance <= max_pair_distance()), first uniform.
  virtual ParameterPairs sample_pairs(std::int64_t count, double distance, Generator& generator) const = 0;
  // Evenly spread parameters: n angles 2 pi k / n on the circle; the n x n grid linspace(0, 1, n)^2 on the
  // square (x slower); n^2 points of the Fibonacci lattice on the sphere (n >= 1; n = 1 on the square is (0.5,
  // 0.5)).
  virtual Tensor grid(std::int64_t n) const = 0;
  // The labels of parameters [N, d]: int64 [N] in [0, 9].
  virtual Tensor labels(const Tensor& parameters) const = 0;

  // The dataset of the given parameters: render, labels and name together.
  ManifoldImages images(const Tensor& parameters) const;
  // `count` uniform parameters from Generator(seed) and their images.
  ManifoldImages sample_images(std::int64_t count, std::uint64_t seed) const;
  // The drawing options.
  const ImageManifoldOptions& options() const { return options_; }

 protected:
  // Throws unless parameters is a defined float64 [N, parameter_size()] (N >= 1) with finite values
  // (and, on the square, inside [0, 1]^2; on the sphere, unit rows within 1e-6); op names the caller.
  void check_parameters(const char* op, const Tensor& parameters, const char* name) const;
  // check_parameters on both, and ShapeError unless they have the same number of rows.
  void check_pair(const char* op, const Tensor& a, const Tensor& b) const;
  // Throws ValueError unless count >= 1 and 0 <= distance <= max_pair_distance().
  void check_pair_request(const char* op, std::int64_t count, double distance) const;
  // Extra checks of a parameter row's values (default: none); returns an empty string or what is wrong.
  virtual std::string invalid_row(std::span<const double> row) const;

 private:
  ImageManifoldOptions options_;
};

// The circle S^1 as an arrow turned by theta.
class RotatedArrowImages : public ImageManifold {
 public:
  // An arrow 0.8 of the image side long (tail to head), centred in the image.
  explicit RotatedArrowImages(ImageManifoldOptions options = {}) : ImageManifold(options) {}
  // "rotation".
  std::string name() const override { return "rotation"; }
  // 1 (theta).
  std::int64_t parameter_size() const override { return 1; }
  // 1.
  std::int64_t dimension() const override { return 1; }
  // pi.
  double max_pair_distance() const override;
  // The arrows turned by each theta.
  Tensor render(const Tensor& parameters) const override;
  // min(|a - b|, 2 pi - |a - b|) mod 2 pi, computed as |atan2(sin(b - a), cos(b - a))|.
  Tensor distance(const Tensor& a, const Tensor& b) const override;
  // a + (the signed shorter arc to b) / 2, in [0, 2 pi); ValueError when b is a + pi (two shorter arcs).
  Tensor midpoint(const Tensor& a, const Tensor& b) const override;
  // theta uniform in [0, 2 pi).
  Tensor sample(std::int64_t count, Generator& generator) const override;
  // theta uniform, and theta + distance or theta - distance (a fair coin), wrapped into [0, 2 pi).
  ParameterPairs sample_pairs(std::int64_t count, double distance, Generator& generator) const override;
  // 2 pi k / n, k = 0..n-1.
  Tensor grid(std::int64_t n) const override;
  // floor(10 theta / 2 pi), theta taken in [0, 2 pi).
  Tensor labels(const Tensor& parameters) const override;
};

// The flat square [0, 1]^2 as a translated disk.
class TranslatedDiskImages : public ImageManifold {
 public:
  // A disk of radius 0.15 of the image side, its centre moving over the square [0.2, 0.8]^2 of the image.
  explicit TranslatedDiskImages(ImageManifoldOptions options = {}) : ImageManifold(options) {}
  // "translation".
  std::string name() const override { return "translation"; }
  // 2 (x, y).
  std::int64_t parameter_size() const override { return 2; }
  // 2.
  std::int64_t dimension() const override { return 2; }
  // 1.
  double max_pair_distance() const override { return 1.0; }
  // The disks at each (x, y).
  Tensor render(const Tensor& parameters) const override;
  // |a - b|.
  Tensor distance(const Tensor& a, const Tensor& b) const override;
  // (a + b) / 2.
  Tensor midpoint(const Tensor& a, const Tensor& b) const override;
  // (x, y) uniform in [0, 1]^2.
  Tensor sample(std::int64_t count, Generator& generator) const override;
  // A uniform first point, a uniform direction, redrawn until the second point is inside the square.
  ParameterPairs sample_pairs(std::int64_t count, double distance, Generator& generator) const override;
  // linspace(0, 1, n)^2, x slower.
  Tensor grid(std::int64_t n) const override;
  // floor(10 x), 9 at x = 1.
  Tensor labels(const Tensor& parameters) const override;

 protected:
  // "outside [0, 1]^2" for a row off the square.
  std::string invalid_row(std::span<const double> row) const override;
};

// The sphere S^2 as a marker dot on a globe, brightness telling front from back.
class SphereDirectionImages : public ImageManifold {
 public:
  // A globe of radius 0.36 of the image side, the dot's radius 0.1 of it.
  explicit SphereDirectionImages(ImageManifoldOptions options = {}) : ImageManifold(options) {}
  // "sphere".
  std::string name() const override { return "sphere"; }
  // 3 (a unit vector).
  std::int64_t parameter_size() const override { return 3; }
  // 2.
  std::int64_t dimension() const override { return 2; }
  // pi.
  double max_pair_distance() const override;
  // The globe with the dot at each u.
  Tensor render(const Tensor& parameters) const override;
  // atan2(|u x v|, u . v).
  Tensor distance(const Tensor& a, const Tensor& b) const override;
  // (u + v) / |u + v|; ValueError when |u + v| < 1e-12 (antipodal).
  Tensor midpoint(const Tensor& a, const Tensor& b) const override;
  // Normalised standard normal vectors (uniform on the sphere).
  Tensor sample(std::int64_t count, Generator& generator) const override;
  // u uniform and cos(d) u + sin(d) t for a uniform unit tangent t at u.
  ParameterPairs sample_pairs(std::int64_t count, double distance, Generator& generator) const override;
  // The Fibonacci lattice of n^2 points: z_i = 1 - (2 i + 1) / n^2, longitude i times the golden angle.
  Tensor grid(std::int64_t n) const override;
  // floor(10 (u_z + 1) / 2), 9 at u_z = 1.
  Tensor labels(const Tensor& parameters) const override;

 protected:
  // "not a unit vector" for a row whose norm differs from 1 by more than 1e-6.
  std::string invalid_row(std::span<const double> row) const override;
};

}  // namespace lg::data
