// latent_strata: rank triples, definiteness and smallest eigenvalues of the mode covariances (strata.hpp).
#include "strata.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace latent_strata {

namespace {

// The mean over the set of the constant channels and of the distinct positions of each latent, values the
// row-major [n, c, positions] latents.
std::pair<double, double> channel_and_position_counts(const std::vector<double>& values, std::int64_t n,
                                                      std::int64_t c, std::int64_t positions) {
  double constant = 0.0, distinct = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto z = values.begin() + static_cast<std::ptrdiff_t>(i * c * positions);
    const auto at = [&](std::int64_t channel, std::int64_t p) { return z[channel * positions + p]; };
    double scale = 0.0;
    for (std::int64_t k = 0; k < c * positions; ++k) scale = std::max(scale, std::abs(z[k]));
    const double tolerance = 1e-7 * scale;
    for (std::int64_t channel = 0; channel < c; ++channel) {
      double low = at(channel, 0), high = low;
      for (std::int64_t p = 1; p < positions; ++p) {
        low = std::min(low, at(channel, p));
        high = std::max(high, at(channel, p));
      }
      if (high - low <= tolerance) constant += 1.0;
    }
    std::vector<std::int64_t> kept;  // one position per class of equal columns
    for (std::int64_t p = 0; p < positions; ++p) {
      const bool seen = std::any_of(kept.begin(), kept.end(), [&](std::int64_t q) {
        for (std::int64_t channel = 0; channel < c; ++channel)
          if (std::abs(at(channel, p) - at(channel, q)) > tolerance) return false;
        return true;
      });
      if (!seen) kept.push_back(p);
    }
    distinct += static_cast<double>(kept.size());
  }
  return {constant / static_cast<double>(n), distinct / static_cast<double>(n)};
}

}  // namespace

StrataSummary strata_of(const lg::Tensor& z, const std::vector<double>& taus) {
  lg::check<lg::ShapeError>(z.dim() == 4, "strata_of", "expected latents [N, C, H, W], got ", lg::shape_str(z.shape()));
  const std::int64_t n = z.size(0), c = z.size(1), h = z.size(2), w = z.size(3);
  const lg::manifold::ModeCovariances s = lg::manifold::mode_covariances(z.to(lg::float64));
  const std::array<lg::Tensor, 3> factors = {s.channels, s.rows, s.columns};
  const std::array<std::int64_t, 3> sizes = {c, h, w}, columns = {h * w, c * w, c * h};

  StrataSummary out;
  out.taus = taus;
  out.histograms.resize(taus.size());
  out.definite_fraction.assign(taus.size(), {0.0, 0.0, 0.0});
  out.triples.assign(taus.size(), std::vector<Triple>(static_cast<std::size_t>(n)));
  for (std::size_t k = 0; k < 3; ++k) {
    const std::int64_t m = sizes[k];
    out.bound[k] = std::min(m, columns[k] - 1);
    const std::vector<double> values = lg::eigvalsh(factors[k]).to_vector<double>();  // [N, m], ascending
    double smallest = std::numeric_limits<double>::infinity();
    std::vector<double> relative(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      const auto row = values.begin() + static_cast<std::ptrdiff_t>(i * m);
      const double lowest = row[0], largest = row[m - 1];
      smallest = std::min(smallest, lowest);
      relative[static_cast<std::size_t>(i)] = largest > 0.0 ? lowest / largest : 0.0;
      for (std::size_t t = 0; t < taus.size(); ++t) {
        // An all-constant factor (largest eigenvalue 0) has rank 0.
        const double threshold = taus[t] * largest;
        const auto rank = largest > 0.0 ? static_cast<std::int64_t>(std::count_if(
                                              row, row + m, [threshold](double v) { return v > threshold; }))
                                        : 0;
        out.triples[t][static_cast<std::size_t>(i)][k] = rank;
        out.largest_rank[k] = std::max(out.largest_rank[k], rank);
        if (rank == m) out.definite_fraction[t][k] += 1.0 / static_cast<double>(n);
      }
    }
    out.smallest_eigenvalue[k] = smallest;
    std::nth_element(relative.begin(), relative.begin() + static_cast<std::ptrdiff_t>(n / 2), relative.end());
    out.median_relative_minimum[k] = relative[static_cast<std::size_t>(n / 2)];
  }
  for (std::size_t t = 0; t < taus.size(); ++t)
    for (const Triple& triple : out.triples[t]) ++out.histograms[t][triple];
  const auto [constant, distinct] = channel_and_position_counts(z.to_vector<double>(), n, c, h * w);
  out.constant_channels = constant;
  out.distinct_positions = distinct;
  return out;
}

std::string triple_text(const Triple& t) {
  std::string text = "(";
  text.append(std::to_string(t[0])).append(", ").append(std::to_string(t[1])).append(", ");
  text.append(std::to_string(t[2])).append(")");
  return text;
}

std::pair<Triple, double> mode_of(const std::map<Triple, std::int64_t>& histogram) {
  std::pair<Triple, std::int64_t> best = {{0, 0, 0}, -1};
  std::int64_t total = 0;
  for (const auto& [triple, count] : histogram) {
    total += count;
    if (count > best.second) best = {triple, count};
  }
  return {best.first, total ? static_cast<double>(best.second) / static_cast<double>(total) : 0.0};
}

}  // namespace latent_strata
