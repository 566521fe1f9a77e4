// The pairs flat_embedding trains and measures on: pairs of images of a known manifold at an exact geodesic
// distance d, with the image of their midpoint, and the two pair samplers of Braunsmann et al. (2024): uniform
// points with an exact tangent step, and the neighbours within epsilon of a finite sample. Rendering is slower
// than a training step, so each sampler renders its pool once and batches are drawn from it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include <latentgeo.hpp>

namespace flat_embedding {

// One manifold and what the experiment needs to know about it.
struct Setup {
  std::string label = {};                           // circle, square, sphere
  std::shared_ptr<lg::data::ImageManifold> images = {};  // the renderer, distances and midpoints
  std::int64_t code_size = 2;
  double diameter = 0.0;  // largest geodesic distance: pi, sqrt 2, pi
  double epsilon = 0.0;   // the training scale
  std::int64_t sample_points = 0;
  std::int64_t pixels = 0;
};

// A batch of pairs: images x, y and midpoint images m as rows [B, P] (m undefined when not needed), d [B].
struct Pairs {
  lg::Tensor x, y, m, d;
};

// The images of parameters [N, d] as rows [N, P].
lg::Tensor render_rows(const Setup& s, const lg::Tensor& parameters);

// The pairs (first[i], second[i]) of parameters rendered, with their distances and, when asked, midpoints.
Pairs render_pairs(const Setup& s, const lg::Tensor& first, const lg::Tensor& second, bool midpoints);

// `count` pairs exactly `distance` apart, first point uniform.
Pairs pairs_at(const Setup& s, std::int64_t count, double distance, lg::Generator& generator, bool midpoints);

// The training pairs of one sampler, all rendered once (rendering an arrow costs more than a training step):
// batches are drawn from them uniformly with replacement.
struct PairPool {
  lg::Tensor images;            // [N, P]
  lg::Tensor first;             // int64 [K], rows of images
  lg::Tensor second;            // int64 [K]
  lg::Tensor midpoint;          // [K, P]
  lg::Tensor d;                 // float32 [K]
  std::int64_t candidates = 0;  // neighbours: pairs in range before the subset
};

// The "tangent" sampler: `count` independent pairs, each a uniform point p and q = exp_p(d v) for a uniform unit
// tangent v, at distances d stratified over [epsilon / 5, epsilon] (64 strata).
PairPool make_tangent_pool(const Setup& s, std::int64_t count, lg::Generator& generator);

// The "neighbours" sampler: a finite uniform sample of points and its pairs at distances epsilon / 5 <= d <=
// epsilon (at most max_pairs of them, a uniform subset). Closer pairs are left out as in the tangent sampler:
// the bending quotient divides by d^4 and would magnify float32 rounding.
PairPool make_neighbour_pool(const Setup& s, std::int64_t max_pairs, lg::Generator& generator);

// `count` pairs drawn uniformly with replacement from a pool (midpoint images only when asked).
Pairs pool_batch(const PairPool& pool, std::int64_t count, lg::Generator& generator, bool midpoints);

}  // namespace flat_embedding
