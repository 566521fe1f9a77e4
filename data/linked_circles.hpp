// Two linked circles in R^3, drawn in code from a seed: the data of Kvalheim
// and Sontag, "Why should autoencoders work?" (TMLR 2024, arXiv 2310.02250),
// on which an autoencoder with a 1-d code must fail somewhere and one with a
// 2-d code need not.
//
// With radius r and arclength parameter s = r t, t in [0, 2 pi):
//
//   C1(t) = r (cos t, sin t, 0)          a circle in the plane z = 0, centre 0
//   C2(t) = r (1 + cos t, 0, sin t)      a circle in the plane y = 0, centre (r, 0, 0)
//
// (r = 1 is the paper's picture; another r scales the whole figure.) They are
// linked (a Hopf link): C2 meets the plane z = 0 at x = 0, the centre of C1's
// disk, and at x = 2 r, outside it; C1 meets the plane y = 0 at x = r, the
// centre of C2's disk, and at x = -r, outside it. Every point of either circle
// lies at distance exactly r from the other (for p = C2(t): its height is
// r sin t and its distance from the z axis r (1 + cos t), so its distance to C1
// is r sqrt(sin^2 t + cos^2 t) = r), so the circles are disjoint and together
// form a compact 1-manifold M. A union of two circles embeds
// in R^2 but not in R: by Borsuk-Ulam every continuous F: S^1 -> R takes the
// same value at some antipodal pair of each circle, x = C(t) and x' = C(t + pi)
// (h(t) = F(C(t)) - F(C(t + pi)) has h(t + pi) = -h(t), so it vanishes
// somewhere in [0, pi]). A decoder then returns one point D for both, and since
// |x - x'| = 2 r the triangle inequality gives max(|D - x|, |D - x'|) >= r: an
// autoencoder with a 1-d code has reconstruction error >= r somewhere on each
// circle, however well it is trained. With a 2-d code the error can go to 0
// everywhere.
//
// sample_linked_circles draws t uniformly on each circle (the first
// ceil(N / 2) points on C1, the rest on C2); linked_circles_grid gives n
// evenly spaced points on each, for measuring an error over arclength rather
// than only on the training points; linked_circles_at maps any (t, circle)
// to its point, e.g. for a bisection in t.
#pragma once
#include <cstdint>

#include "autograd/dtype.hpp"
#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg::data {

// How many points of the linked circles to draw, at which radius, in which dtype.
struct LinkedCirclesOptions {
  // Points in all (>= 2): the first ceil(count / 2) on C1, the rest on C2.
  std::int64_t count = 2000;
  // The circles' radius r (> 0 and finite); C2's centre is (r, 0, 0).
  double radius = 1.0;
  // Dtype of the points, float32 or float64.
  DType dtype = float64;
};

// Points of the two linked circles with the parameters that made them.
struct LinkedCircles {
  // [N, 3] in the chosen dtype: row i is C1(t_i) or C2(t_i).
  Tensor points;
  // float64 [N]: t_i in [0, 2 pi); the arclength along the circle is r t_i.
  Tensor parameters;
  // int64 [N]: 0 for a point of C1, 1 for one of C2.
  Tensor labels;
};

// The points C_label(t) for parameters t (float64 [N], any finite reals, read mod 2 pi) and labels
// (int64 [N], 0 or 1), as [N, 3] in `dtype`. Errors name the op "linked_circles_at": ValueError on a bad
// radius, label or a non-finite t, DTypeError on a wrong dtype, ShapeError unless both are [N] alike, N >= 1.
Tensor linked_circles_at(const Tensor& parameters, const Tensor& labels, double radius = 1.0,
                         DType dtype = float64);
// `options.count` points, t uniform in [0, 2 pi) from `generator` (one draw a point, in order).
// ValueError (op "sample_linked_circles") on bad options.
LinkedCircles sample_linked_circles(const LinkedCirclesOptions& options, Generator& generator);
// The same from a fresh Generator(seed): the same seed gives the same bits.
LinkedCircles sample_linked_circles(const LinkedCirclesOptions& options, std::uint64_t seed);
// n evenly spaced points on each circle, t_k = 2 pi k / n (k = 0..n-1), C1's n first, then C2's: 2 n rows.
// ValueError (op "linked_circles_grid") unless n >= 1 and the radius and dtype are valid.
LinkedCircles linked_circles_grid(std::int64_t n, double radius = 1.0, DType dtype = float64);

}  // namespace lg::data
