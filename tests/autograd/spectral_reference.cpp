#include "spectral_reference.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "reference.hpp"

namespace lg::testing {
namespace {

std::size_t at(std::int64_t row, std::int64_t column, std::int64_t columns) {
  return static_cast<std::size_t>(row * columns + column);
}

// The index of the entry of largest magnitude of column j of a row-major rows x columns matrix.
std::int64_t largest_in_column(const Values& matrix, std::int64_t rows, std::int64_t columns, std::int64_t j) {
  std::int64_t best = 0;
  for (std::int64_t i = 1; i < rows; ++i)
    if (std::abs(matrix[at(i, j, columns)]) > std::abs(matrix[at(best, j, columns)])) best = i;
  return best;
}

Values multiply(const Values& a, const Values& b, std::int64_t n) {
  Values out(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t l = 0; l < n; ++l)
      for (std::int64_t j = 0; j < n; ++j) out[at(i, j, n)] += a[at(i, l, n)] * b[at(l, j, n)];
  return out;
}

}  // namespace

EigenPairs jacobi_eigen(const Values& symmetric, std::int64_t n) {
  Values a = symmetric, v(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i) v[at(i, i, n)] = 1.0;
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0.0;
    for (std::int64_t p = 0; p < n; ++p)
      for (std::int64_t q = p + 1; q < n; ++q) off += a[at(p, q, n)] * a[at(p, q, n)];
    if (off == 0.0) break;
    for (std::int64_t p = 0; p < n; ++p)
      for (std::int64_t q = p + 1; q < n; ++q) {
        const double apq = a[at(p, q, n)];
        if (apq == 0.0) continue;
        // The rotation J in the (p, q) plane with (J^T A J)_pq = 0 (Numerical Recipes, Section 11.1).
        const double theta = (a[at(q, q, n)] - a[at(p, p, n)]) / (2.0 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
        for (std::int64_t k = 0; k < n; ++k) {  // A J
          const double kp = a[at(k, p, n)], kq = a[at(k, q, n)];
          a[at(k, p, n)] = c * kp - s * kq;
          a[at(k, q, n)] = s * kp + c * kq;
        }
        for (std::int64_t k = 0; k < n; ++k) {  // J^T (A J)
          const double pk = a[at(p, k, n)], qk = a[at(q, k, n)];
          a[at(p, k, n)] = c * pk - s * qk;
          a[at(q, k, n)] = s * pk + c * qk;
        }
        for (std::int64_t k = 0; k < n; ++k) {  // V J
          const double kp = v[at(k, p, n)], kq = v[at(k, q, n)];
          v[at(k, p, n)] = c * kp - s * kq;
          v[at(k, q, n)] = s * kp + c * kq;
        }
      }
  }
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::int64_t i, std::int64_t j) { return a[at(i, i, n)] < a[at(j, j, n)]; });
  EigenPairs pairs{Values(static_cast<std::size_t>(n)), Values(static_cast<std::size_t>(n * n))};
  for (std::int64_t j = 0; j < n; ++j) {
    const std::int64_t from = order[static_cast<std::size_t>(j)];
    pairs.values[static_cast<std::size_t>(j)] = a[at(from, from, n)];
    for (std::int64_t i = 0; i < n; ++i) pairs.vectors[at(i, j, n)] = v[at(i, from, n)];
    const double sign = pairs.vectors[at(largest_in_column(pairs.vectors, n, n, j), j, n)] < 0 ? -1.0 : 1.0;
    for (std::int64_t i = 0; i < n; ++i) pairs.vectors[at(i, j, n)] *= sign;
  }
  return pairs;
}

SingularTriples jacobi_svd(const Values& a, std::int64_t m, std::int64_t n) {
  if (m < n) {  // A^T = U' S V'^T gives A = V' S U'^T
    Values transposed(a.size());
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) transposed[at(j, i, m)] = a[at(i, j, n)];
    SingularTriples t = jacobi_svd(transposed, n, m);
    SingularTriples result{t.v, t.s, t.u};
    for (std::int64_t i = 0; i < m; ++i) {  // re-apply the sign rule to the new u
      const double sign = result.u[at(largest_in_column(result.u, m, m, i), i, m)] < 0 ? -1.0 : 1.0;
      for (std::int64_t r = 0; r < m; ++r) result.u[at(r, i, m)] *= sign;
      for (std::int64_t r = 0; r < n; ++r) result.v[at(r, i, m)] *= sign;
    }
    return result;
  }
  Values w = a, v(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i) v[at(i, i, n)] = 1.0;
  const auto rotate = [](Values& x, std::int64_t rows, std::int64_t columns, std::int64_t p, std::int64_t q, double c,
                         double s) {
    for (std::int64_t i = 0; i < rows; ++i) {
      const double xp = x[at(i, p, columns)], xq = x[at(i, q, columns)];
      x[at(i, p, columns)] = c * xp - s * xq;
      x[at(i, q, columns)] = s * xp + c * xq;
    }
  };
  for (int sweep = 0; sweep < 60; ++sweep) {
    bool rotated = false;
    for (std::int64_t p = 0; p < n; ++p)
      for (std::int64_t q = p + 1; q < n; ++q) {
        double alpha = 0, beta = 0, gamma = 0;
        for (std::int64_t i = 0; i < m; ++i) {
          alpha += w[at(i, p, n)] * w[at(i, p, n)];
          beta += w[at(i, q, n)] * w[at(i, q, n)];
          gamma += w[at(i, p, n)] * w[at(i, q, n)];
        }
        if (std::abs(gamma) <= 1e-17 * std::sqrt(alpha * beta)) continue;
        rotated = true;
        const double zeta = (beta - alpha) / (2.0 * gamma);
        const double t = (zeta >= 0 ? 1.0 : -1.0) / (std::abs(zeta) + std::sqrt(1.0 + zeta * zeta));
        const double c = 1.0 / std::sqrt(1.0 + t * t), s = c * t;
        rotate(w, m, n, p, q, c, s);
        rotate(v, n, n, p, q, c, s);
      }
    if (!rotated) break;
  }
  Values norms(static_cast<std::size_t>(n));
  for (std::int64_t j = 0; j < n; ++j) {
    double sum = 0;
    for (std::int64_t i = 0; i < m; ++i) sum += w[at(i, j, n)] * w[at(i, j, n)];
    norms[static_cast<std::size_t>(j)] = std::sqrt(sum);
  }
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::int64_t i, std::int64_t j) {
    return norms[static_cast<std::size_t>(i)] > norms[static_cast<std::size_t>(j)];
  });
  SingularTriples result{Values(static_cast<std::size_t>(m * n)), Values(static_cast<std::size_t>(n)),
                         Values(static_cast<std::size_t>(n * n))};
  for (std::int64_t j = 0; j < n; ++j) {
    const std::int64_t from = order[static_cast<std::size_t>(j)];
    const double sigma = norms[static_cast<std::size_t>(from)];
    result.s[static_cast<std::size_t>(j)] = sigma;
    for (std::int64_t i = 0; i < m; ++i) result.u[at(i, j, n)] = w[at(i, from, n)] / sigma;
    for (std::int64_t i = 0; i < n; ++i) result.v[at(i, j, n)] = v[at(i, from, n)];
    const double sign = result.u[at(largest_in_column(result.u, m, n, j), j, n)] < 0 ? -1.0 : 1.0;
    for (std::int64_t i = 0; i < m; ++i) result.u[at(i, j, n)] *= sign;
    for (std::int64_t i = 0; i < n; ++i) result.v[at(i, j, n)] *= sign;
  }
  return result;
}

Values taylor_exp(const Values& a, std::int64_t n) {
  double norm = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    double row = 0;
    for (std::int64_t j = 0; j < n; ++j) row += std::abs(a[at(i, j, n)]);
    norm = std::max(norm, row);
  }
  int squarings = 0;
  while (norm > 0.5) {
    norm /= 2;
    ++squarings;
  }
  Values scaled = a;
  for (double& x : scaled) x = std::ldexp(x, -squarings);
  Values sum(static_cast<std::size_t>(n * n), 0.0), term(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i) sum[at(i, i, n)] = term[at(i, i, n)] = 1.0;
  for (int k = 1; k <= 30; ++k) {  // ||A||^k / k! < 2^-30 / 30! is far below the roundoff
    term = multiply(term, scaled, n);
    for (double& x : term) x /= k;
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += term[i];
  }
  for (int i = 0; i < squarings; ++i) sum = multiply(sum, sum, n);
  return sum;
}

Values symmetric_function_reference(const Values& symmetric, std::int64_t n, double (*f)(double)) {
  const EigenPairs pairs = jacobi_eigen(symmetric, n);
  Values out(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t l = 0; l < n; ++l)
        out[at(i, j, n)] +=
            pairs.vectors[at(i, l, n)] * f(pairs.values[static_cast<std::size_t>(l)]) * pairs.vectors[at(j, l, n)];
  return out;
}

Tensor batched_reference(const Tensor& x, const Shape& block_shape,
                         const std::function<Values(const Values&, std::int64_t, std::int64_t)>& per_matrix) {
  const std::int64_t rows = x.shape()[x.shape().size() - 2], columns = x.shape().back();
  const Values all = values_of(x);
  const std::int64_t block = rows * columns;
  const std::int64_t count = block == 0 ? 0 : static_cast<std::int64_t>(all.size()) / block;
  Values out;
  for (std::int64_t b = 0; b < count; ++b) {
    const Values matrix(all.begin() + b * block, all.begin() + (b + 1) * block);
    const Values result = per_matrix(matrix, rows, columns);
    out.insert(out.end(), result.begin(), result.end());
  }
  Shape shape(x.shape().begin(), x.shape().end() - 2);
  shape.insert(shape.end(), block_shape.begin(), block_shape.end());
  return make(out, shape);
}

Values symmetric_part_of(const Values& x, std::int64_t n) {
  Values out(x.size());
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j) out[at(i, j, n)] = 0.5 * (x[at(i, j, n)] + x[at(j, i, n)]);
  return out;
}

Values random_orthogonal(Generator& g, std::int64_t n) {
  Values q(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i) q[at(i, i, n)] = 1.0;
  for (std::int64_t r = 0; r < n; ++r) {  // Q <- Q (I - 2 h h^T / h^T h)
    Values h(static_cast<std::size_t>(n));
    double length = 0;
    for (double& x : h) {
      x = g.next_normal();
      length += x * x;
    }
    for (std::int64_t i = 0; i < n; ++i) {
      double qh = 0;
      for (std::int64_t j = 0; j < n; ++j) qh += q[at(i, j, n)] * h[static_cast<std::size_t>(j)];
      for (std::int64_t j = 0; j < n; ++j) q[at(i, j, n)] -= 2.0 * qh * h[static_cast<std::size_t>(j)] / length;
    }
  }
  return q;
}

Tensor with_eigenvalues(Generator& g, const Shape& batch, const std::vector<double>& spectrum) {
  const auto n = static_cast<std::int64_t>(spectrum.size());
  Values out;
  for (std::int64_t b = 0; b < numel_of(batch); ++b) {
    const Values q = random_orthogonal(g, n);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double sum = 0;
        for (std::int64_t l = 0; l < n; ++l)
          sum += q[at(i, l, n)] * spectrum[static_cast<std::size_t>(l)] * q[at(j, l, n)];
        out.push_back(sum);
      }
  }
  Shape shape = batch;
  shape.insert(shape.end(), {n, n});
  return make(out, shape);
}

Tensor with_singular_values(Generator& g, const Shape& batch, std::int64_t m, std::int64_t n,
                            const std::vector<double>& sigma) {
  const auto k = static_cast<std::int64_t>(sigma.size());
  Values out;
  for (std::int64_t b = 0; b < numel_of(batch); ++b) {
    const Values left = random_orthogonal(g, m), right = random_orthogonal(g, n);  // first k columns used
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double sum = 0;
        for (std::int64_t l = 0; l < k; ++l)
          sum += left[at(i, l, m)] * sigma[static_cast<std::size_t>(l)] * right[at(j, l, n)];
        out.push_back(sum);
      }
  }
  Shape shape = batch;
  shape.insert(shape.end(), {m, n});
  return make(out, shape);
}

}  // namespace lg::testing
