#include "pair_samplers.hpp"

#include <algorithm>
#include <vector>

namespace flat_embedding {

lg::Tensor render_rows(const Setup& s, const lg::Tensor& parameters) {
  return s.images->render(parameters).reshape({parameters.size(0), s.pixels});
}

Pairs render_pairs(const Setup& s, const lg::Tensor& first, const lg::Tensor& second, bool midpoints) {
  Pairs p;
  p.x = render_rows(s, first);
  p.y = render_rows(s, second);
  if (midpoints) p.m = render_rows(s, s.images->midpoint(first, second));
  p.d = s.images->distance(first, second).to(lg::float32);
  return p;
}

Pairs pairs_at(const Setup& s, std::int64_t count, double distance, lg::Generator& generator, bool midpoints) {
  const auto pairs = s.images->sample_pairs(count, distance, generator);
  return render_pairs(s, pairs.first, pairs.second, midpoints);
}

PairPool make_tangent_pool(const Setup& s, std::int64_t count, lg::Generator& generator) {
  std::vector<lg::Tensor> first, second;
  constexpr std::int64_t strata = 64;
  for (std::int64_t k = 0; k < strata; ++k) {
    const std::int64_t n = count / strata + (k < count % strata ? 1 : 0);
    if (n == 0) continue;
    const double d = s.epsilon * (0.2 + 0.8 * (static_cast<double>(k) + 0.5) / static_cast<double>(strata));
    const auto pairs = s.images->sample_pairs(n, d, generator);
    first.push_back(pairs.first);
    second.push_back(pairs.second);
  }
  const auto p = lg::cat(first), q = lg::cat(second);
  PairPool pool;
  pool.candidates = count;
  pool.images = render_rows(s, lg::cat({p, q}));
  pool.first = lg::arange(0, count, 1, lg::int64);
  pool.second = lg::arange(count, 2 * count, 1, lg::int64);
  pool.midpoint = render_rows(s, s.images->midpoint(p, q));
  pool.d = s.images->distance(p, q).to(lg::float32);
  return pool;
}

PairPool make_neighbour_pool(const Setup& s, std::int64_t max_pairs, lg::Generator& generator) {
  const std::int64_t n = s.sample_points;
  const auto points = s.images->sample(n, generator);
  std::vector<std::int64_t> a, b;
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = i + 1; j < n; ++j) a.push_back(i), b.push_back(j);
  const auto ia = lg::from_vector(a, {static_cast<std::int64_t>(a.size())});
  const auto ib = lg::from_vector(b, {static_cast<std::int64_t>(b.size())});
  const auto distance =
      s.images->distance(lg::index_select(points, 0, ia), lg::index_select(points, 0, ib)).to_vector<double>();
  std::vector<std::int64_t> keep;
  for (std::size_t k = 0; k < distance.size(); ++k)
    if (distance[k] >= 0.2 * s.epsilon && distance[k] <= s.epsilon) keep.push_back(static_cast<std::int64_t>(k));
  PairPool pool;
  pool.candidates = static_cast<std::int64_t>(keep.size());
  lg::check<lg::ValueError>(!keep.empty(), "flat_embedding", "no pair of the ", n, " sample points of the ", s.label,
                            " lies within epsilon = ", s.epsilon, ": raise --sample-points");
  // A uniform subset: a partial Fisher-Yates shuffle.
  const auto kept = static_cast<std::size_t>(std::min<std::int64_t>(max_pairs, pool.candidates));
  for (std::size_t k = 0; k < kept; ++k) std::swap(keep[k], keep[k + generator.next_below(keep.size() - k)]);
  keep.resize(kept);
  std::vector<std::int64_t> first, second;
  for (const std::int64_t k : keep)
    first.push_back(a[static_cast<std::size_t>(k)]), second.push_back(b[static_cast<std::size_t>(k)]);
  pool.first = lg::from_vector(first, {static_cast<std::int64_t>(kept)});
  pool.second = lg::from_vector(second, {static_cast<std::int64_t>(kept)});
  const auto p = lg::index_select(points, 0, pool.first), q = lg::index_select(points, 0, pool.second);
  pool.images = render_rows(s, points);
  pool.midpoint = render_rows(s, s.images->midpoint(p, q));
  pool.d = s.images->distance(p, q).to(lg::float32);
  return pool;
}

Pairs pool_batch(const PairPool& pool, std::int64_t count, lg::Generator& generator, bool midpoints) {
  std::vector<std::int64_t> rows(static_cast<std::size_t>(count));
  for (auto& r : rows) r = static_cast<std::int64_t>(generator.next_below(static_cast<std::uint64_t>(pool.d.size(0))));
  const auto index = lg::from_vector(rows, {count});
  Pairs p;
  p.x = lg::index_select(pool.images, 0, lg::index_select(pool.first, 0, index));
  p.y = lg::index_select(pool.images, 0, lg::index_select(pool.second, 0, index));
  if (midpoints) p.m = lg::index_select(pool.midpoint, 0, index);
  p.d = lg::index_select(pool.d, 0, index);
  return p;
}

}  // namespace flat_embedding
