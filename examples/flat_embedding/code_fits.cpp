#include "code_fits.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <latentgeo.hpp>

namespace flat_embedding {
namespace {

constexpr double pi = std::numbers::pi;

// Least squares: the coefficients c minimising sum_i (features_i . c - target_i)^2, from the normal equations
// F^T F c = F^T y, solved by lg::solve in float64.
std::vector<double> least_squares(const std::vector<std::vector<double>>& features, const std::vector<double>& target) {
  const auto count = static_cast<std::int64_t>(features.size());
  const auto width = static_cast<std::int64_t>(features.front().size());
  std::vector<double> flat;
  for (const auto& row : features) flat.insert(flat.end(), row.begin(), row.end());
  const lg::Tensor f = lg::from_vector(flat, {count, width}, lg::float64);
  const lg::Tensor y = lg::from_vector(target, {count, 1}, lg::float64);
  const lg::Tensor ft = lg::matrix_transpose(f);
  return lg::solve(lg::matmul(ft, f), lg::matmul(ft, y)).to_vector<double>();
}

}  // namespace

std::pair<double, double> sphere_fit(const std::vector<double>& z, std::size_t l) {
  const std::size_t n = z.size() / l;
  std::vector<std::vector<double>> features(n);
  std::vector<double> target(n);
  for (std::size_t i = 0; i < n; ++i) {
    double square = 0.0;
    for (std::size_t j = 0; j < l; ++j)
      features[i].push_back(2.0 * z[i * l + j]), square += z[i * l + j] * z[i * l + j];
    features[i].push_back(1.0);
    target[i] = square;
  }
  const auto c = least_squares(features, target);
  double centre = 0.0;
  for (std::size_t j = 0; j < l; ++j) centre += c[j] * c[j];
  const double r = std::sqrt(std::max(0.0, c[l] + centre));
  double rms = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double dist = 0.0;
    for (std::size_t j = 0; j < l; ++j) dist += (z[i * l + j] - c[j]) * (z[i * l + j] - c[j]);
    rms += (std::sqrt(dist) - r) * (std::sqrt(dist) - r);
  }
  return {r, std::sqrt(rms / static_cast<double>(n)) / r};
}

std::array<double, 3> affine_fit(const std::vector<double>& z, std::size_t l, const std::vector<double>& p) {
  const std::size_t n = z.size() / l;
  std::vector<std::vector<double>> features(n);
  for (std::size_t i = 0; i < n; ++i) features[i] = {p[2 * i], p[2 * i + 1], 1.0};
  std::vector<std::array<double, 3>> rows(l);
  for (std::size_t j = 0; j < l; ++j) {
    std::vector<double> target(n);
    for (std::size_t i = 0; i < n; ++i) target[i] = z[i * l + j];
    const auto c = least_squares(features, target);
    rows[j] = {c[0], c[1], c[2]};
  }
  // A^T A (2 x 2) and its eigenvalues: the squared singular values.
  double g00 = 0, g01 = 0, g11 = 0;
  for (const auto& r : rows) g00 += r[0] * r[0], g01 += r[0] * r[1], g11 += r[1] * r[1];
  const double mid = 0.5 * (g00 + g11), spread = std::sqrt(0.25 * (g00 - g11) * (g00 - g11) + g01 * g01);
  double residual = 0.0, total = 0.0;
  std::vector<double> mean(l, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < l; ++j) mean[j] += z[i * l + j] / static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < l; ++j) {
      const double fit = rows[j][0] * p[2 * i] + rows[j][1] * p[2 * i + 1] + rows[j][2];
      residual += (z[i * l + j] - fit) * (z[i * l + j] - fit);
      total += (z[i * l + j] - mean[j]) * (z[i * l + j] - mean[j]);
    }
  return {std::sqrt(mid + spread), std::sqrt(std::max(0.0, mid - spread)), std::sqrt(residual / total)};
}

double winding_number(const std::vector<double>& xy) {
  const std::size_t n = xy.size() / 2;
  double cx = 0.0, cy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    cx += xy[2 * i] / static_cast<double>(n);
    cy += xy[2 * i + 1] / static_cast<double>(n);
  }
  double turned = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = (i + 1) % n;
    const double to = std::atan2(xy[2 * j + 1] - cy, xy[2 * j] - cx);
    turned += std::remainder(to - std::atan2(xy[2 * i + 1] - cy, xy[2 * i] - cx), 2.0 * pi);
  }
  return turned / (2.0 * pi);
}

}  // namespace flat_embedding
