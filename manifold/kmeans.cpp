#include "manifold/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/pairwise_distances.hpp"

namespace lg::manifold {
namespace {

using Index = std::int64_t;

std::size_t at(Index i) { return static_cast<std::size_t>(i); }

// Squared distances [N, K] of the points to the centres (host, row-major), by one GEMM.
std::vector<double> squared_distances(const Tensor& points, const std::vector<double>& centres, Index k) {
  const Tensor c = from_vector(centres, {k, points.size(1)}, points.dtype());
  return to_device(pairwise_squared_distances(points, to_device(c, points.device())), cpu).to_vector<double>();
}

// k-means++: the first centre uniformly, each next one with probability D(x)^2 / sum D^2.
std::vector<double> seed_centres(const Tensor& points, const std::vector<double>& x, Index k, Generator& generator) {
  const Index n = points.size(0), d = points.size(1);
  std::vector<double> centres;
  centres.reserve(at(k * d));
  std::vector<double> nearest(at(n), 0.0);
  const auto add = [&](Index row) {
    centres.insert(centres.end(), x.begin() + row * d, x.begin() + (row + 1) * d);
    const std::vector<double> fresh(x.begin() + row * d, x.begin() + (row + 1) * d);
    const std::vector<double> to_new = squared_distances(points, fresh, 1);
    const bool first = centres.size() == at(d);
    for (Index i = 0; i < n; ++i) nearest[at(i)] = first ? to_new[at(i)] : std::min(nearest[at(i)], to_new[at(i)]);
  };
  add(static_cast<Index>(generator.next_below(static_cast<std::uint64_t>(n))));
  for (Index c = 1; c < k; ++c) {
    double total = 0.0;
    for (const double v : nearest) total += v;
    Index chosen = n - 1;
    if (total > 0.0) {
      const double u = generator.next_double() * total;
      double running = 0.0;
      for (Index i = 0; i < n; ++i) {
        running += nearest[at(i)];
        if (u < running && nearest[at(i)] > 0.0) {
          chosen = i;
          break;
        }
      }
      // Rounding can leave u at the very end: take the last point with D > 0.
      if (running <= u)
        while (chosen > 0 && nearest[at(chosen)] == 0.0) --chosen;
    } else {
      chosen = static_cast<Index>(generator.next_below(static_cast<std::uint64_t>(n)));  // all points coincide
    }
    add(chosen);
  }
  return centres;
}

// Labels each point with its nearest centre (ties to the smaller index); writes each point's squared distance.
std::vector<Index> assign(const std::vector<double>& distances, Index n, Index k, std::vector<double>& best) {
  std::vector<Index> labels(at(n));
  for (Index i = 0; i < n; ++i) {
    const auto row = distances.begin() + i * k;
    const auto nearest = std::min_element(row, row + k);  // the first minimum: ties to the smaller index
    labels[at(i)] = nearest - row;
    best[at(i)] = *nearest;
  }
  return labels;
}

}  // namespace

KMeansResult kmeans(const Tensor& points, std::int64_t k, const KMeansOptions& options) {
  const char* op = "kmeans";
  check<ValueError>(points.defined(), op, "the points are undefined");
  check<ShapeError>(points.dim() == 2, op, "expected points [N, d], got ", shape_str(points.shape()));
  check<DTypeError>(points.is_floating_point(), op, "expected float32 or float64 points, got ", points.dtype());
  const Index n = points.size(0), d = points.size(1);
  check<ValueError>(k >= 1 && k <= n, op, "K must be in [1, N] = [1, ", n, "], got K = ", k);
  check<ValueError>(options.iterations >= 1, op, "iterations must be at least 1, got ", options.iterations);

  NoGradGuard no_grad;
  const Tensor p = points.detach();
  const std::vector<double> x = to_device(p, cpu).contiguous().to_vector<double>();
  Generator generator(options.seed);
  std::vector<double> centres = seed_centres(p, x, k, generator);
  std::vector<double> best(at(n));
  std::vector<Index> labels = assign(squared_distances(p, centres, k), n, k, best);

  KMeansResult result;
  while (result.iterations < options.iterations) {
    // Update: each centre the mean of its points; an empty cluster takes the worst-served point.
    std::vector<double> sums(at(k * d), 0.0);
    std::vector<Index> counts(at(k), 0);
    for (Index i = 0; i < n; ++i) {
      ++counts[at(labels[at(i)])];
      for (Index j = 0; j < d; ++j) sums[at(labels[at(i)] * d + j)] += x[at(i * d + j)];
    }
    for (Index c = 0; c < k; ++c) {
      if (counts[at(c)] == 0) {
        const Index far = std::max_element(best.begin(), best.end()) - best.begin();  // first of the farthest
        for (Index j = 0; j < d; ++j) centres[at(c * d + j)] = x[at(far * d + j)];
        best[at(far)] = 0.0;  // it now sits on a centre: the next empty cluster takes another point
        continue;
      }
      for (Index j = 0; j < d; ++j)
        centres[at(c * d + j)] = sums[at(c * d + j)] / static_cast<double>(counts[at(c)]);
    }
    ++result.iterations;
    std::vector<Index> fresh = assign(squared_distances(p, centres, k), n, k, best);
    const bool unchanged = fresh == labels;
    labels = std::move(fresh);
    if (unchanged) {
      result.converged = true;
      break;
    }
  }

  // The final clusters: counts, mean distances and inertia (from the distances of the last assignment).
  std::vector<Index> counts(at(k), 0);
  std::vector<double> distance_sums(at(k), 0.0);
  for (Index i = 0; i < n; ++i) {
    ++counts[at(labels[at(i)])];
    distance_sums[at(labels[at(i)])] += std::sqrt(best[at(i)]);
    result.inertia += best[at(i)];
  }
  std::vector<double> mean_distances(at(k), 0.0);
  for (Index c = 0; c < k; ++c)
    if (counts[at(c)] > 0) mean_distances[at(c)] = distance_sums[at(c)] / static_cast<double>(counts[at(c)]);
  result.centres = to_device(from_vector(centres, {k, d}, points.dtype()), points.device());
  result.labels = from_vector(labels, {n});
  result.mean_distances = from_vector(mean_distances, {k}, float64);
  result.counts = from_vector(counts, {k});
  return result;
}

}  // namespace lg::manifold
