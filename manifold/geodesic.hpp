// Discrete geodesics in a decoder's latent space (Shao, Kumar & Fletcher 2018,
// "The Riemannian geometry of deep generative models"; Arvanitidis, Hansen &
// Hauberg 2018, "Latent space oddity").
//
// The shortest decoded path between two latent points a and b is found by
// minimising the discrete energy of a curve z_0 = a, z_1, ..., z_{T-1}, z_T = b
// (manifold/latent_curves.hpp),
//   E(z) = T sum_t |g(z_{t+1}) - g(z_t)|^2,
// over its T - 1 interior points, the endpoints fixed. E >= L^2 with equality
// at constant speed, so a minimiser of E is a shortest curve at constant speed;
// E's gradient w.r.t. z_t is 2 T J_g(z_t)^T (2 g(z_t) - g(z_{t-1}) - g(z_{t+1})),
// the discrete geodesic equation's residual (the curve's acceleration in the
// data space, projected on the decoder's tangent space). Only decoded points
// are needed: no Jacobian is ever formed.
//
// geodesics() solves N pairs at once: the interior points of all N curves are
// one [N, T - 1, d] parameter, every step decodes all N (T + 1) points in one
// decoder call, and the library's Adam (default) or SGD steps on the summed
// energy, its learning rate annealed to 0 by a cosine over the iterations. The
// curves do not interact: the summed energy's gradient w.r.t. one curve's
// points is that curve's own, and both optimisers act elementwise, so a batch
// follows the same iterates as its curves alone (the early stop, on the summed
// energy, is the one shared decision). The gradient is taken with lg::grad
// w.r.t. the points only, so a decoder's own parameters keep their .grad
// untouched.
//
// The energy is not convex: from the straight latent line the solver can stop in
// a local minimum, e.g. on the wrong side of a hole in the data. A practical
// remedy (Chen et al. 2019, "Fast approximate geodesics for deep generative
// models"; the graph distances of Isomap, Tenenbaum, de Silva & Langford 2000)
// is to start from a shortest path in a k-nearest-neighbour graph of encoded
// data: graph_initial_curves() builds the graph on codes [M, d] (edges: each
// code to its k nearest codes, both ways), joins a and b to their k nearest
// codes, runs Dijkstra, and resamples the path to T + 1 points equally spaced
// by latent arc length.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/tensor.hpp"
#include "manifold/latent_curves.hpp"

namespace lg::manifold {

// Which of the library's optimisers steps the curves' interior points: adam (optim::Adam; its steps are about lr
// long in latent units whatever the decoder's scale) or sgd (optim::SGD with momentum 0.9; lr must suit the
// energy's curvature, about 8 T |J|^2 for a decoder with Jacobian J, so below about 0.5 / (T |J|^2)).
enum class GeodesicOptimizer { adam, sgd };

// Options of geodesics().
struct GeodesicOptions {
  // T, the segments per curve (T + 1 points, T - 1 of them optimised), at least 1.
  std::int64_t points = 16;
  // The most optimiser steps, non-negative.
  std::int64_t iterations = 500;
  // The optimiser's learning rate, positive.
  double lr = 1e-2;
  // Stops early once the summed energy has changed by at most tolerance times itself over the last 10 steps;
  // 0 never stops early. Adam's steps are about lr long whatever the gradient's size, so a loose tolerance
  // can stop it before the anneal has brought it to rest, about lr off the minimiser.
  double tolerance = 1e-10;
  // The optimiser.
  GeodesicOptimizer optimizer = GeodesicOptimizer::adam;
  // Decays lr to 0 over the iterations by a cosine (optim::CosineAnnealing), so that the curve settles: Adam's
  // steps stay about lr long near a minimum, and a constant lr leaves the points wandering about that far off it.
  bool anneal = true;
  // Initial curves [N, T + 1, d] (e.g. from graph_initial_curves); undefined: the straight latent lines.
  // Their first and last points are replaced by start and end.
  Tensor initial = {};
};

// What geodesics() found for N pairs.
struct GeodesicResult {
  // The curves [N, T + 1, d], from start to end, detached.
  Tensor curves = {};
  // Their decoded lengths [N].
  Tensor lengths = {};
  // Their discrete energies [N] (>= lengths^2, equal at constant decoded speed).
  Tensor energies = {};
  // The decoded lengths [N] of the straight latent lines between the same points, T segments each.
  Tensor straight_lengths = {};
  // The optimiser steps taken.
  std::int64_t iterations = 0;
  // The summed energy of the N curves before each step (iterations entries), then after the last one.
  std::vector<double> energy_history = {};
};

// Minimises the discrete energies of N curves from start [N, d] to end [N, d] under the decoder, as above.
// Throws ShapeError on mismatched shapes, ValueError on invalid options, DTypeError on integer points.
GeodesicResult geodesics(const Decoder& decoder, const Tensor& start, const Tensor& end,
                         const GeodesicOptions& options = {});

// The straight latent lines [N, T + 1, d] from start [N, d] to end [N, d], equally spaced.
Tensor straight_curves(const Tensor& start, const Tensor& end, std::int64_t points);

// Options of graph_initial_curves().
struct GraphCurveOptions {
  // k: each code is joined to its k nearest codes (and start and end to theirs), at least 1.
  std::int64_t neighbours = 8;
  // T, the segments of each returned curve, at least 1.
  std::int64_t points = 16;
  // When set, an edge weighs the distance between the decoded points, |g(c_i) - g(c_j)| (the neighbours are still
  // chosen in the latent space); else the latent distance |c_i - c_j|.
  Decoder decoder = {};
};

// Initial curves [N, T + 1, d] from start [N, d] to end [N, d]: the shortest paths through the k-nearest-neighbour
// graph of codes [M, d], resampled by latent arc length. ValueError when a pair is not connected (raise k).
Tensor graph_initial_curves(const Tensor& codes, const Tensor& start, const Tensor& end,
                            const GraphCurveOptions& options = {});

}  // namespace lg::manifold
