#include "manifold/disentanglement.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <vector>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/random.hpp"

namespace lg::manifold {
namespace {

using Matrix = std::vector<double>;  // row-major

void check_rows(const char* op, const Tensor& t, const char* name) {
  check<ValueError>(t.defined(), op, name, " is undefined");
  check<ShapeError>(t.dim() == 2 && t.size(0) >= 1 && t.size(1) >= 1, op, name,
                    ": expected a matrix [N, columns] with N >= 1, got ", shape_str(t.shape()));
}

void check_codes_and_factors(const char* op, const Tensor& codes, const Tensor& factors) {
  check_rows(op, codes, "codes");
  check_rows(op, factors, "factors");
  check<DTypeError>(codes.is_floating_point(), op, "codes: expected float32 or float64, got ", codes.dtype());
  check<ShapeError>(codes.size(0) == factors.size(0), op, "codes ", shape_str(codes.shape()), " and factors ",
                    shape_str(factors.shape()), " differ in their number of rows");
  for (const double v : codes.to_vector<double>())
    check<ValueError>(std::isfinite(v), op, "codes hold a value that is not finite (", v, ")");
}

// Each code column's bin index (equal-width bins over the column's range) as int64 [N * m], row-major.
std::vector<std::int64_t> bin_codes(const Matrix& z, std::int64_t n, std::int64_t m, std::int64_t bins) {
  std::vector<std::int64_t> binned(z.size());
  for (std::int64_t j = 0; j < m; ++j) {
    double low = z[static_cast<std::size_t>(j)], high = low;
    for (std::int64_t i = 0; i < n; ++i) {
      low = std::min(low, z[static_cast<std::size_t>(i * m + j)]);
      high = std::max(high, z[static_cast<std::size_t>(i * m + j)]);
    }
    const double width = (high - low) / static_cast<double>(bins);
    for (std::int64_t i = 0; i < n; ++i) {
      const auto at = static_cast<std::size_t>(i * m + j);
      const std::int64_t b = width > 0.0 ? static_cast<std::int64_t>(std::floor((z[at] - low) / width)) : 0;
      binned[at] = std::clamp<std::int64_t>(b, 0, bins - 1);
    }
  }
  return binned;
}

// Each factor column's values relabelled 0, 1, ... in increasing order; `levels` gets each column's count.
std::vector<std::int64_t> relabel(const std::vector<std::int64_t>& v, std::int64_t n, std::int64_t k,
                                  std::vector<std::int64_t>& levels) {
  std::vector<std::int64_t> labels(v.size());
  levels.assign(static_cast<std::size_t>(k), 0);
  for (std::int64_t c = 0; c < k; ++c) {
    std::map<std::int64_t, std::int64_t> index;
    for (std::int64_t i = 0; i < n; ++i) index.emplace(v[static_cast<std::size_t>(i * k + c)], 0);
    std::int64_t next = 0;
    for (auto& entry : index) entry.second = next++;
    for (std::int64_t i = 0; i < n; ++i)
      labels[static_cast<std::size_t>(i * k + c)] = index.at(v[static_cast<std::size_t>(i * k + c)]);
    levels[static_cast<std::size_t>(c)] = next;
  }
  return labels;
}

double entropy_of_counts(const std::vector<double>& counts, double total) {
  double h = 0.0;
  for (const double c : counts)
    if (c > 0.0) h -= c / total * std::log(c / total);
  return h;
}

// sum p log_base p over a distribution given by non-negative weights of total `total` (0 log 0 = 0).
double plogp(const std::vector<double>& weights, double total, double base) {
  double s = 0.0;
  for (const double w : weights)
    if (w > 0.0) s += w / total * std::log(w / total) / std::log(base);
  return s;
}

double soft_threshold(double t, double a) { return t > a ? t - a : (t < -a ? t + a : 0.0); }

struct Standardised {
  std::vector<double> mean, scale;  // per column; scale 1 for a constant column (which stays 0 after centring)
};

Standardised column_statistics(const Matrix& x, const std::vector<std::int64_t>& rows, std::int64_t m) {
  Standardised s{std::vector<double>(static_cast<std::size_t>(m), 0.0),
                 std::vector<double>(static_cast<std::size_t>(m), 0.0)};
  const auto n = static_cast<double>(rows.size());
  for (const std::int64_t r : rows)
    for (std::int64_t j = 0; j < m; ++j)
      s.mean[static_cast<std::size_t>(j)] += x[static_cast<std::size_t>(r * m + j)] / n;
  for (const std::int64_t r : rows)
    for (std::int64_t j = 0; j < m; ++j) {
      const double d = x[static_cast<std::size_t>(r * m + j)] - s.mean[static_cast<std::size_t>(j)];
      s.scale[static_cast<std::size_t>(j)] += d * d / n;
    }
  for (double& v : s.scale) v = v > 0.0 ? std::sqrt(v) : 0.0;
  return s;
}

}  // namespace

Tensor mutual_information(const Tensor& codes, const Tensor& factors, const MigOptions& options) {
  const char* op = "mutual_information";
  check_codes_and_factors(op, codes, factors);
  check<DTypeError>(factors.dtype() == int64, op, "factors: expected int64 (discrete factors), got ", factors.dtype());
  check<ValueError>(options.bins >= 2, op, "bins must be >= 2, got ", options.bins);
  const std::int64_t n = codes.size(0), m = codes.size(1), k = factors.size(1);
  const std::vector<std::int64_t> binned = bin_codes(codes.to_vector<double>(), n, m, options.bins);
  std::vector<std::int64_t> levels;
  const std::vector<std::int64_t> labels = relabel(factors.to_vector<std::int64_t>(), n, k, levels);
  const auto total = static_cast<double>(n);
  std::vector<double> information(static_cast<std::size_t>(m * k));
  for (std::int64_t j = 0; j < m; ++j)
    for (std::int64_t c = 0; c < k; ++c) {
      const std::int64_t values = levels[static_cast<std::size_t>(c)];
      std::vector<double> joint(static_cast<std::size_t>(options.bins * values), 0.0);
      std::vector<double> code_counts(static_cast<std::size_t>(options.bins), 0.0);
      std::vector<double> factor_counts(static_cast<std::size_t>(values), 0.0);
      for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t b = binned[static_cast<std::size_t>(i * m + j)];
        const std::int64_t v = labels[static_cast<std::size_t>(i * k + c)];
        joint[static_cast<std::size_t>(b * values + v)] += 1.0;
        code_counts[static_cast<std::size_t>(b)] += 1.0;
        factor_counts[static_cast<std::size_t>(v)] += 1.0;
      }
      double mi = 0.0;
      for (std::int64_t b = 0; b < options.bins; ++b)
        for (std::int64_t v = 0; v < values; ++v) {
          const double count = joint[static_cast<std::size_t>(b * values + v)];
          if (count > 0.0)
            mi += count / total *
                  std::log(count * total /
                           (code_counts[static_cast<std::size_t>(b)] * factor_counts[static_cast<std::size_t>(v)]));
        }
      information[static_cast<std::size_t>(j * k + c)] = std::max(mi, 0.0);  // rounding can leave -1e-17
    }
  return from_vector(information, {m, k}, float64);
}

MigResult mutual_information_gap(const Tensor& codes, const Tensor& factors, const MigOptions& options) {
  const char* op = "mutual_information_gap";
  check_codes_and_factors(op, codes, factors);
  check<ValueError>(codes.size(1) >= 2, op, "codes: a gap needs m >= 2 code dimensions, got ",
                    shape_str(codes.shape()));
  const std::int64_t n = codes.size(0), m = codes.size(1), k = factors.size(1);
  const Tensor information = mutual_information(codes, factors, options);
  const std::vector<double> mi = information.to_vector<double>();
  std::vector<std::int64_t> levels;
  const std::vector<std::int64_t> labels = relabel(factors.to_vector<std::int64_t>(), n, k, levels);
  std::vector<double> entropies(static_cast<std::size_t>(k)), gaps(static_cast<std::size_t>(k));
  double total_gap = 0.0;
  for (std::int64_t c = 0; c < k; ++c) {
    std::vector<double> counts(static_cast<std::size_t>(levels[static_cast<std::size_t>(c)]), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
      counts[static_cast<std::size_t>(labels[static_cast<std::size_t>(i * k + c)])] += 1.0;
    const double h = entropy_of_counts(counts, static_cast<double>(n));
    check<ValueError>(h > 0.0, op, "factor ", c, " is constant (entropy 0): there is nothing to capture");
    std::vector<double> column;
    for (std::int64_t j = 0; j < m; ++j) column.push_back(mi[static_cast<std::size_t>(j * k + c)]);
    std::partial_sort(column.begin(), column.begin() + 2, column.end(), std::greater<>());
    entropies[static_cast<std::size_t>(c)] = h;
    gaps[static_cast<std::size_t>(c)] = (column[0] - column[1]) / h;
    total_gap += gaps[static_cast<std::size_t>(c)];
  }
  return {.mig = total_gap / static_cast<double>(k),
          .gaps = from_vector(gaps, {k}, float64),
          .mutual_information = information,
          .factor_entropies = from_vector(entropies, {k}, float64)};
}

LassoResult lasso(const Tensor& x, const Tensor& y, const LassoOptions& options) {
  const char* op = "lasso";
  check_rows(op, x, "x");
  check<ValueError>(y.defined(), op, "y is undefined");
  check<DTypeError>(x.is_floating_point() && y.is_floating_point(), op, "expected floating x and y, got ", x.dtype(),
                    " and ", y.dtype());
  check<ShapeError>(y.dim() == 1 && y.size(0) == x.size(0), op, "expected y [", x.size(0), "] for x ",
                    shape_str(x.shape()), ", got ", shape_str(y.shape()));
  check<ValueError>(options.alpha >= 0.0 && std::isfinite(options.alpha), op, "alpha must be finite and >= 0, got ",
                    options.alpha);
  check<ValueError>(options.tolerance > 0.0, op, "tolerance must be > 0, got ", options.tolerance);
  check<ValueError>(options.max_iterations >= 1, op, "max_iterations must be >= 1, got ", options.max_iterations);
  const std::int64_t n = x.size(0), m = x.size(1);
  const Matrix xs = x.to_vector<double>();
  const std::vector<double> ys = y.to_vector<double>();
  for (const double v : xs) check<ValueError>(std::isfinite(v), op, "x holds a value that is not finite (", v, ")");
  for (const double v : ys) check<ValueError>(std::isfinite(v), op, "y holds a value that is not finite (", v, ")");
  const auto rows = static_cast<double>(n);
  // Centred columns, stored column by column.
  std::vector<double> means(static_cast<std::size_t>(m), 0.0), columns(xs.size()), squares(static_cast<std::size_t>(m));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < m; ++j)
      means[static_cast<std::size_t>(j)] += xs[static_cast<std::size_t>(i * m + j)] / rows;
  for (std::int64_t j = 0; j < m; ++j) {
    double s = 0.0;
    for (std::int64_t i = 0; i < n; ++i) {
      const double v = xs[static_cast<std::size_t>(i * m + j)] - means[static_cast<std::size_t>(j)];
      columns[static_cast<std::size_t>(j * n + i)] = v;
      s += v * v;
    }
    squares[static_cast<std::size_t>(j)] = s / rows;
  }
  double y_mean = 0.0;
  for (const double v : ys) y_mean += v / rows;
  std::vector<double> residual(ys.size());
  for (std::size_t i = 0; i < ys.size(); ++i) residual[i] = ys[i] - y_mean;
  std::vector<double> w(static_cast<std::size_t>(m), 0.0);
  LassoResult result;
  for (result.iterations = 1; result.iterations <= options.max_iterations; ++result.iterations) {
    double largest_change = 0.0;
    for (std::int64_t j = 0; j < m; ++j) {
      const double sq = squares[static_cast<std::size_t>(j)];
      if (sq <= 0.0) continue;  // a constant column: weight 0
      const double* column = columns.data() + j * n;
      double rho = 0.0;
      for (std::int64_t i = 0; i < n; ++i) rho += column[i] * residual[static_cast<std::size_t>(i)];
      const double old = w[static_cast<std::size_t>(j)];
      rho = rho / rows + sq * old;
      const double updated = soft_threshold(rho, options.alpha) / sq;
      const double change = updated - old;
      if (change != 0.0) {
        for (std::int64_t i = 0; i < n; ++i) residual[static_cast<std::size_t>(i)] -= change * column[i];
        w[static_cast<std::size_t>(j)] = updated;
      }
      largest_change = std::max(largest_change, std::abs(change));
    }
    if (largest_change <= options.tolerance) {
      result.converged = true;
      break;
    }
  }
  result.iterations = std::min(result.iterations, options.max_iterations);
  double intercept = y_mean;
  for (std::int64_t j = 0; j < m; ++j) intercept -= means[static_cast<std::size_t>(j)] * w[static_cast<std::size_t>(j)];
  result.weights = from_vector(w, {m}, float64);
  result.intercept = intercept;
  return result;
}

DciScores dci_scores(const Tensor& importance) {
  const char* op = "dci_scores";
  check_rows(op, importance, "importance");
  const std::int64_t m = importance.size(0), k = importance.size(1);
  check<ShapeError>(m >= 2 && k >= 2, op, "importance: expected [m, K] with m, K >= 2, got ",
                    shape_str(importance.shape()));
  const Matrix r = importance.to_vector<double>();
  for (const double v : r)
    check<ValueError>(std::isfinite(v) && v >= 0.0, op, "importance must be finite and >= 0, found ", v);
  double total = 0.0;
  for (const double v : r) total += v;
  std::vector<double> code_d(static_cast<std::size_t>(m), 0.0), rho(static_cast<std::size_t>(m), 0.0);
  std::vector<double> factor_c(static_cast<std::size_t>(k), 0.0);
  DciScores scores;
  for (std::int64_t i = 0; i < m; ++i) {
    const std::vector<double> row(r.begin() + i * k, r.begin() + (i + 1) * k);
    double s = 0.0;
    for (const double v : row) s += v;
    if (s <= 0.0) continue;
    code_d[static_cast<std::size_t>(i)] = 1.0 + plogp(row, s, static_cast<double>(k));
    rho[static_cast<std::size_t>(i)] = s / total;
    scores.disentanglement += rho[static_cast<std::size_t>(i)] * code_d[static_cast<std::size_t>(i)];
  }
  for (std::int64_t c = 0; c < k; ++c) {
    std::vector<double> column;
    double s = 0.0;
    for (std::int64_t i = 0; i < m; ++i) {
      column.push_back(r[static_cast<std::size_t>(i * k + c)]);
      s += column.back();
    }
    if (s > 0.0) factor_c[static_cast<std::size_t>(c)] = 1.0 + plogp(column, s, static_cast<double>(m));
    scores.completeness += factor_c[static_cast<std::size_t>(c)] / static_cast<double>(k);
  }
  scores.code_disentanglement = from_vector(code_d, {m}, float64);
  scores.code_weights = from_vector(rho, {m}, float64);
  scores.factor_completeness = from_vector(factor_c, {k}, float64);
  return scores;
}

DciResult dci(const Tensor& codes, const Tensor& factors, const DciOptions& options) {
  const char* op = "dci";
  check_codes_and_factors(op, codes, factors);
  check<DTypeError>(factors.is_floating_point() || factors.dtype() == int64, op,
                    "factors: expected a floating dtype or int64, got ", factors.dtype());
  const std::int64_t n = codes.size(0), m = codes.size(1), k = factors.size(1);
  check<ShapeError>(m >= 2 && k >= 2, op, "expected m >= 2 code dimensions and K >= 2 factors, got codes ",
                    shape_str(codes.shape()), " and factors ", shape_str(factors.shape()));
  check<ValueError>(options.train_fraction > 0.0 && options.train_fraction < 1.0, op,
                    "train_fraction must be in (0, 1), got ", options.train_fraction);
  const auto train_rows = static_cast<std::int64_t>(std::llround(options.train_fraction * static_cast<double>(n)));
  check<ValueError>(train_rows >= 2 && train_rows < n, op, "train_fraction ", options.train_fraction, " of ", n,
                    " rows leaves ", train_rows, " training rows and ", n - train_rows,
                    " test rows (need >= 2 and >= 1)");
  Generator generator(options.seed);
  const std::vector<std::int64_t> order = randperm(n, &generator).to_vector<std::int64_t>();
  const std::vector<std::int64_t> train(order.begin(), order.begin() + train_rows);
  const std::vector<std::int64_t> test(order.begin() + train_rows, order.end());
  const Matrix z = codes.to_vector<double>(), v = factors.to_vector<double>();
  const Standardised code_stats = column_statistics(z, train, m), factor_stats = column_statistics(v, train, k);
  for (std::int64_t c = 0; c < k; ++c)
    check<ValueError>(factor_stats.scale[static_cast<std::size_t>(c)] > 0.0, op, "factor ", c,
                      " is constant on the training rows: there is nothing to predict");
  const auto standard = [](const Matrix& x, const std::vector<std::int64_t>& rows, std::int64_t columns,
                           const Standardised& stats) {
    std::vector<double> out;
    for (const std::int64_t r : rows)
      for (std::int64_t j = 0; j < columns; ++j) {
        const double scale = stats.scale[static_cast<std::size_t>(j)];
        const double centred = x[static_cast<std::size_t>(r * columns + j)] - stats.mean[static_cast<std::size_t>(j)];
        out.push_back(scale > 0.0 ? centred / scale : 0.0);
      }
    return out;
  };
  const Matrix z_train = standard(z, train, m, code_stats), z_test = standard(z, test, m, code_stats);
  const Matrix v_train = standard(v, train, k, factor_stats), v_test = standard(v, test, k, factor_stats);
  const Tensor x = from_vector(z_train, {train_rows, m}, float64);
  std::vector<double> importance(static_cast<std::size_t>(m * k)), errors(static_cast<std::size_t>(k));
  DciResult result;
  for (std::int64_t c = 0; c < k; ++c) {
    std::vector<double> target;
    for (std::int64_t i = 0; i < train_rows; ++i) target.push_back(v_train[static_cast<std::size_t>(i * k + c)]);
    const LassoResult fit = lasso(x, from_vector(target, {train_rows}, float64), options.lasso);
    const std::vector<double> w = fit.weights.to_vector<double>();
    for (std::int64_t j = 0; j < m; ++j)
      importance[static_cast<std::size_t>(j * k + c)] = std::abs(w[static_cast<std::size_t>(j)]);
    double squared = 0.0;
    for (std::size_t i = 0; i < test.size(); ++i) {
      double prediction = fit.intercept;
      for (std::int64_t j = 0; j < m; ++j)
        prediction +=
            w[static_cast<std::size_t>(j)] * z_test[i * static_cast<std::size_t>(m) + static_cast<std::size_t>(j)];
      const double e = v_test[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(c)] - prediction;
      squared += e * e;
    }
    errors[static_cast<std::size_t>(c)] = std::sqrt(squared / static_cast<double>(test.size()));
    result.informativeness_error += errors[static_cast<std::size_t>(c)] / static_cast<double>(k);
  }
  result.importance = from_vector(importance, {m, k}, float64);
  result.factor_errors = from_vector(errors, {k}, float64);
  result.scores = dci_scores(result.importance);
  return result;
}

}  // namespace lg::manifold
