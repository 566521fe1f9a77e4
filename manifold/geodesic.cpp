#include "manifold/geodesic.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <queue>
#include <utility>

#include "autograd/engine.hpp"
#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/pairwise_distances.hpp"
#include "optim/adam.hpp"
#include "optim/scheduler.hpp"
#include "optim/sgd.hpp"

namespace lg::manifold {
namespace {

// The early stop compares the summed energy with its value this many steps back: one step alone can change it
// by almost nothing where Adam turns round, far from a minimum.
constexpr std::size_t stop_window = 10;

// start and end: floating points [N, d] of the same shape and dtype.
void check_endpoints(const char* op, const Tensor& start, const Tensor& end) {
  check<ValueError>(start.defined() && end.defined(), op, "start and end must be defined");
  check<ShapeError>(start.dim() == 2 && start.shape() == end.shape(), op,
                    "expected start and end as N points [N, d] of one shape, got ", shape_str(start.shape()), " and ",
                    shape_str(end.shape()));
  check<DTypeError>(start.is_floating_point() && start.dtype() == end.dtype(), op,
                    "start and end must share a float dtype, got ", start.dtype(), " and ", end.dtype());
}

std::unique_ptr<optim::Optimizer> make_optimizer(const Tensor& interior, const GeodesicOptions& options) {
  if (options.optimizer == GeodesicOptimizer::sgd)
    return std::make_unique<optim::SGD>(std::vector<Tensor>{interior},
                                        optim::SGDOptions{.lr = options.lr, .momentum = 0.9});
  return std::make_unique<optim::Adam>(std::vector<Tensor>{interior}, optim::AdamOptions{.lr = options.lr});
}

// Host-side graph: for each node, its (neighbour, weight) edges.
using Adjacency = std::vector<std::vector<std::pair<std::int64_t, double>>>;

// Euclidean distance between row i of a [*, width] and row j of b [*, width], both row-major host vectors.
double row_distance(const std::vector<double>& a, std::int64_t i, const std::vector<double>& b, std::int64_t j,
                    std::int64_t width) {
  double total = 0.0;
  for (std::int64_t c = 0; c < width; ++c) {
    const double diff = a[static_cast<std::size_t>(i * width + c)] - b[static_cast<std::size_t>(j * width + c)];
    total += diff * diff;
  }
  return std::sqrt(total);
}

// The points of a path (host rows of d coordinates), resampled to T + 1 points equally spaced by arc length.
std::vector<double> resample(const std::vector<std::vector<double>>& path, std::int64_t segments) {
  const std::size_t d = path.front().size();
  std::vector<double> cumulative(path.size(), 0.0);
  for (std::size_t i = 1; i < path.size(); ++i) {
    double squared = 0.0;
    for (std::size_t c = 0; c < d; ++c) squared += (path[i][c] - path[i - 1][c]) * (path[i][c] - path[i - 1][c]);
    cumulative[i] = cumulative[i - 1] + std::sqrt(squared);
  }
  const double total = cumulative.back();
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(segments + 1) * d);
  std::size_t segment = 1;
  for (std::int64_t t = 0; t <= segments; ++t) {
    if (t == segments || total == 0.0) {  // the ends exactly
      const auto& point = t == segments ? path.back() : path.front();
      out.insert(out.end(), point.begin(), point.end());
      continue;
    }
    const double target = total * static_cast<double>(t) / static_cast<double>(segments);
    while (segment + 1 < path.size() && cumulative[segment] < target) ++segment;
    const double piece = cumulative[segment] - cumulative[segment - 1];
    const double w = piece > 0.0 ? std::clamp((target - cumulative[segment - 1]) / piece, 0.0, 1.0) : 0.0;
    for (std::size_t c = 0; c < d; ++c) out.push_back((1.0 - w) * path[segment - 1][c] + w * path[segment][c]);
  }
  return out;
}

}  // namespace

Tensor straight_curves(const Tensor& start, const Tensor& end, std::int64_t points) {
  const char* op = "straight_curves";
  check_endpoints(op, start, end);
  check<ValueError>(points >= 1, op, "a curve needs T >= 1 segments, got T = ", points);
  // (1 - s) a + s b: exactly a at s = 0 and exactly b at s = 1.
  const Tensor s =
      reshape(to_device(linspace(0.0, 1.0, points + 1, start.dtype()), start.device()), {1, points + 1, 1});
  return unsqueeze(start, 1) * (1.0 - s) + unsqueeze(end, 1) * s;
}

GeodesicResult geodesics(const Decoder& decoder, const Tensor& start, const Tensor& end,
                         const GeodesicOptions& options) {
  const char* op = "geodesics";
  check_endpoints(op, start, end);
  check<ValueError>(static_cast<bool>(decoder), op, "the decoder is empty");
  const std::int64_t t = options.points;
  check<ValueError>(t >= 1, op, "a curve needs T >= 1 segments, got points = ", t);
  check<ValueError>(options.iterations >= 0, op, "iterations must be non-negative, got ", options.iterations);
  check<ValueError>(options.lr > 0.0 && std::isfinite(options.lr), op, "lr must be positive and finite, got ",
                    options.lr);
  check<ValueError>(options.tolerance >= 0.0, op, "tolerance must be non-negative, got ", options.tolerance);
  const std::int64_t n = start.size(0), d = start.size(1);
  const Tensor a = unsqueeze(start.detach(), 1), b = unsqueeze(end.detach(), 1);  // [N, 1, d]

  Tensor initial;
  if (options.initial.defined()) {
    const Shape expected{n, t + 1, d};
    check<ShapeError>(options.initial.shape() == expected, op, "initial curves must be ", shape_str(expected),
                      " (N, T + 1, d) for start ", shape_str(start.shape()), " and points = ", t, ", got ",
                      shape_str(options.initial.shape()));
    check<DTypeError>(options.initial.dtype() == start.dtype(), op, "initial curves are ", options.initial.dtype(),
                      ", start and end ", start.dtype());
    initial = to_device(options.initial.detach(), start.device());
  } else {
    initial = straight_curves(start.detach(), end.detach(), t);
  }

  GeodesicResult result;
  // The interior points, one [N, T - 1, d] parameter (none when T = 1: the curve is one segment).
  Tensor interior;
  if (t >= 2) {
    interior = contiguous(narrow(initial, 1, 1, t - 1)).clone();
    interior.requires_grad_();
  }
  const auto curves = [&]() { return t >= 2 ? cat({a, interior, b}, 1) : cat({a, b}, 1); };

  if (t >= 2) {
    const std::unique_ptr<optim::Optimizer> optimizer = make_optimizer(interior, options);
    std::unique_ptr<optim::Scheduler> scheduler;
    if (options.anneal && options.iterations >= 1)
      scheduler = std::make_unique<optim::CosineAnnealing>(
          *optimizer, optim::CosineAnnealingOptions{.total_steps = options.iterations});
    for (;;) {
      const Tensor total = sum(curve_energy(decoder, curves()));
      result.energy_history.push_back(total.item());
      const std::size_t seen = result.energy_history.size();
      if (result.iterations == options.iterations) break;
      if (seen > stop_window) {
        const double before = result.energy_history[seen - 1 - stop_window], now = result.energy_history[seen - 1];
        if (std::abs(before - now) <= options.tolerance * std::abs(before)) break;
      }
      interior.set_grad(grad({total}, {interior})[0]);
      optimizer->step();
      if (scheduler) scheduler->step();
      ++result.iterations;
    }
  }

  NoGradGuard no_grad;
  result.curves = curves().detach();
  const Tensor decoded = decode_curves(decoder, result.curves);
  result.lengths = polyline_length(decoded);
  result.energies = polyline_energy(decoded);
  if (result.energy_history.empty()) result.energy_history.push_back(sum(result.energies).item());
  result.straight_lengths = curve_length(decoder, straight_curves(start.detach(), end.detach(), t));
  return result;
}

Tensor graph_initial_curves(const Tensor& codes, const Tensor& start, const Tensor& end,
                            const GraphCurveOptions& options) {
  const char* op = "graph_initial_curves";
  check_endpoints(op, start, end);
  check<ValueError>(codes.defined(), op, "codes are undefined");
  check<ShapeError>(codes.dim() == 2 && codes.size(1) == start.size(1), op,
                    "expected codes [M, d] with the d of start ", shape_str(start.shape()), ", got ",
                    shape_str(codes.shape()));
  check<DTypeError>(codes.is_floating_point(), op, "codes: expected float32 or float64, got ", codes.dtype());
  const std::int64_t m = codes.size(0), n = start.size(0), d = start.size(1), k = options.neighbours;
  check<ValueError>(options.points >= 1, op, "a curve needs T >= 1 segments, got points = ", options.points);
  check<ValueError>(k >= 1 && k < m, op, "neighbours k must be in [1, ", m - 1, "] (the other codes), got ", k);
  NoGradGuard no_grad;

  const Tensor host_codes = to_device(to_dtype(codes.detach(), float64), cpu);
  const Tensor host_start = to_device(to_dtype(start.detach(), float64), cpu);
  const Tensor host_end = to_device(to_dtype(end.detach(), float64), cpu);
  const std::vector<double> c = host_codes.to_vector<double>();
  const std::vector<double> s = host_start.to_vector<double>(), e = host_end.to_vector<double>();

  // Edge weights: latent distances, or the decoded points' distances (one decoder call for all the points).
  std::vector<double> dc, ds, de;
  std::int64_t width = d;
  if (options.decoder) {
    const auto decode = [&](const Tensor& points) {
      const Tensor out = options.decoder(points);
      check<ShapeError>(out.defined() && out.dim() >= 1 && out.size(0) == points.size(0), op,
                        "the decoder must map points ", shape_str(points.shape()), " to one output row each");
      return to_device(to_dtype(reshape(out, {points.size(0), -1}), float64), cpu);
    };
    const Tensor decoded = decode(
        cat({codes.detach(), to_dtype(start.detach(), codes.dtype()), to_dtype(end.detach(), codes.dtype())}, 0));
    width = decoded.size(1);
    dc = narrow(decoded, 0, 0, m).to_vector<double>();
    ds = narrow(decoded, 0, m, n).to_vector<double>();
    de = narrow(decoded, 0, m + n, n).to_vector<double>();
  } else {
    dc = c;
    ds = s;
    de = e;
  }

  // The kNN graph on the codes, made symmetric.
  Adjacency graph(static_cast<std::size_t>(m));
  {
    const std::vector<std::int64_t> idx = nearest_neighbours(host_codes, k).indices.to_vector<std::int64_t>();
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < k; ++j) {
        const std::int64_t other = idx[static_cast<std::size_t>(i * k + j)];
        const double w = row_distance(dc, i, dc, other, width);
        graph[static_cast<std::size_t>(i)].emplace_back(other, w);
        graph[static_cast<std::size_t>(other)].emplace_back(i, w);
      }
  }
  const std::vector<std::int64_t> start_nn =
      nearest_neighbours(host_start, host_codes, k).indices.to_vector<std::int64_t>();
  const std::vector<std::int64_t> end_nn =
      nearest_neighbours(host_end, host_codes, k).indices.to_vector<std::int64_t>();

  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(n * (options.points + 1) * d));
  const double infinity = std::numeric_limits<double>::infinity();
  for (std::int64_t p = 0; p < n; ++p) {
    // Dijkstra from the start over the codes; the start's k nearest codes are its first edges.
    std::vector<double> dist(static_cast<std::size_t>(m), infinity);
    std::vector<std::int64_t> previous(static_cast<std::size_t>(m), -1);  // -1: reached from the start
    using Entry = std::pair<double, std::int64_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    for (std::int64_t j = 0; j < k; ++j) {
      const std::int64_t node = start_nn[static_cast<std::size_t>(p * k + j)];
      const double w = row_distance(ds, p, dc, node, width);
      if (w < dist[static_cast<std::size_t>(node)]) {
        dist[static_cast<std::size_t>(node)] = w;
        queue.emplace(w, node);
      }
    }
    while (!queue.empty()) {
      const auto [distance, node] = queue.top();
      queue.pop();
      if (distance > dist[static_cast<std::size_t>(node)]) continue;
      for (const auto& [other, w] : graph[static_cast<std::size_t>(node)])
        if (distance + w < dist[static_cast<std::size_t>(other)]) {
          dist[static_cast<std::size_t>(other)] = distance + w;
          previous[static_cast<std::size_t>(other)] = node;
          queue.emplace(distance + w, other);
        }
    }
    // The end joins its k nearest codes: the best of them closes the path.
    std::int64_t last = -1;
    double best = infinity;
    for (std::int64_t j = 0; j < k; ++j) {
      const std::int64_t node = end_nn[static_cast<std::size_t>(p * k + j)];
      const double total = dist[static_cast<std::size_t>(node)] + row_distance(de, p, dc, node, width);
      if (total < best) {
        best = total;
        last = node;
      }
    }
    check<ValueError>(last >= 0, op, "pair ", p, ": the end is not connected to the start in the ", k,
                      "-nearest-neighbour graph of ", m, " codes; raise neighbours");
    std::vector<std::vector<double>> path;
    const auto row = [&](const std::vector<double>& v, std::int64_t i) {
      return std::vector<double>(v.begin() + i * d, v.begin() + (i + 1) * d);
    };
    path.push_back(row(e, p));
    for (std::int64_t node = last; node >= 0; node = previous[static_cast<std::size_t>(node)])
      path.push_back(row(c, node));
    path.push_back(row(s, p));
    std::reverse(path.begin(), path.end());
    const std::vector<double> curve = resample(path, options.points);
    out.insert(out.end(), curve.begin(), curve.end());
  }
  return to_device(from_vector(out, {n, options.points + 1, d}, start.dtype()), start.device());
}

}  // namespace lg::manifold
