// why_autoencoders_work: the linked-circles experiment of Kvalheim and Sontag,
// "Why should autoencoders work?" (TMLR 2024, arXiv 2310.02250), with the
// topological bound checked in numbers. docs/papers/why_autoencoders_work.md
// reports a full run.
//
// The data are two linked circles in R^3 of radius r (data/linked_circles.hpp).
// An MLP autoencoder 3 -> w -> w -> k -> w -> w -> 3 (tanh, float64) is trained
// full batch with Adam on N points, for code sizes k = 1 and k = 2 and a few
// widths w. The paper's claim: an autoencoder can only be exact where the data
// embed in the code space. Two disjoint circles embed in R^2, so for k = 2 the
// error can go to 0 everywhere; they do not embed in R, and for k = 1 the error
// must stay large somewhere:
//
//   Borsuk-Ulam on a circle: for any continuous encoder F, h(t) = F(C(t)) - F(C(t + pi))
//   satisfies h(t + pi) = -h(t), so h has a zero t* in [0, pi]. The antipodal points
//   x = C(t*), x' = C(t* + pi) share a code, the decoder returns one point D for both,
//   and |x - x'| = 2 r gives max(|D - x|, |D - x'|) >= r.
//
// What training can do is confine that failure to a small "exceptional set"
// of each circle, where the code jumps back across its interval; the rest of
// the circle is reconstructed well. The program measures, on a fine uniform
// grid of each circle (not only on the training points):
//   - the mean, median and maximum reconstruction error |D(F(x)) - x|;
//   - the exceptional set: the fraction of arclength where the error exceeds 0.05 (and 0.01);
//   - for k = 1, whether each circle's code rises (or falls) monotonically but for one short
//     arc where it returns (the "jump"; wiggles back by under 5% of the code's range are not
//     counted), the arclength the jumps take, and whether the two circles' code intervals are
//     disjoint; for k = 2, the winding number of each circle's code loop and the distance
//     between the two loops;
//   - for k = 1, the Borsuk-Ulam pair of each circle: the sign changes of h on the grid,
//     refined by bisection in t down to adjacent doubles, and the two reconstruction errors
//     of the pair, the larger of which must be >= r (checked: exit 1 otherwise).
// It writes results.csv, results.json and PNGs (the circles coloured by error, error and
// code against arclength, the loss curves) into --out.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <latentgeo.hpp>

#include "../common/terminal_progress.hpp"

namespace {

constexpr double pi = std::numbers::pi;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Options {
  std::vector<std::int64_t> widths = {16, 64, 256};
  std::vector<std::int64_t> codes = {1, 2};
  std::int64_t points = 2000;
  std::int64_t steps = 2500;
  double lr = 1e-2;
  std::int64_t grid = 20000;
  double radius = 1.0;
  std::int64_t seed = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool quick = false;
  std::string out = "out/why_autoencoders_work";
};

// The autoencoder as encoder and decoder, both inside one Sequential (names "0.*" and "1.*").
struct Autoencoder {
  std::shared_ptr<lg::nn::Sequential> encoder, decoder, model;
};

Autoencoder make_autoencoder(std::int64_t width, std::int64_t code, lg::Generator& generator) {
  const lg::nn::LinearOptions options{.dtype = lg::float64, .generator = &generator};
  const auto linear = [&](std::int64_t in, std::int64_t out) {
    return std::make_shared<lg::nn::Linear>(in, out, options);
  };
  const auto tanh = [] { return std::make_shared<lg::nn::Tanh>(); };
  Autoencoder a;
  a.encoder = std::make_shared<lg::nn::Sequential>(linear(3, width), tanh(), linear(width, width), tanh(),
                                                   linear(width, code));
  a.decoder = std::make_shared<lg::nn::Sequential>(linear(code, width), tanh(), linear(width, width), tanh(),
                                                   linear(width, 3));
  a.model = std::make_shared<lg::nn::Sequential>(a.encoder, a.decoder);
  return a;
}

// |y_i - x_i| for rows of [N, 3].
lg::Tensor row_norms(const lg::Tensor& difference) { return lg::sqrt(lg::sum(difference * difference, {1})); }

// The Borsuk-Ulam pair found on one circle.
struct AntipodalPair {
  double t = nan;                // t* in [0, pi]
  double code = nan, code_opposite = nan;
  double error = nan, error_opposite = nan;
  std::int64_t sign_changes = 0;  // zeros of h on the grid of [0, pi] (odd for a generic encoder)
  double larger() const { return std::max(error, error_opposite); }
};

// What one trained autoencoder does on the evaluation grid.
struct Measures {
  double mean = 0, median = 0, max = 0, exceptional_05 = 0, exceptional_01 = 0;
  std::array<double, 2> circle_max{}, circle_median{};
  // k = 1.
  std::array<bool, 2> one_jump{};
  std::array<double, 2> jump_fraction{nan, nan};  // arclength fraction of the jumps back
  std::array<std::array<double, 2>, 2> interval{};  // each circle's code range
  bool disjoint = false;
  std::array<AntipodalPair, 2> pair{};
  // k = 2.
  std::array<double, 2> winding{nan, nan};
  double loop_distance = nan;
};

struct Run {
  std::int64_t code = 0, width = 0;
  std::vector<double> losses = {};
  double seconds = 0, loss_drop = 0;
  Measures measures = {};
  std::vector<double> errors = {};  // on the grid, C1's then C2's
  std::vector<double> codes = {};   // on the grid, [2 n, k] row-major
};

double median(std::vector<double> values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

double fraction_above(const std::vector<double>& values, double threshold) {
  return static_cast<double>(std::count_if(values.begin(), values.end(), [&](double v) { return v > threshold; })) /
         static_cast<double>(values.size());
}

// Whether a 1-d code along a closed circle (c_0..c_{n-1}, then c_0 again) runs one way but for one jump back, and
// the arclength fraction the jumps take. The cyclic differences split into runs of one sign; the direction
// covering more of the circle is the code's, and a run against it is a jump when it undoes more than 5% of the
// code's range (smaller wiggles are not counted). One jump taking a quarter of the circle or more is a fold, not a
// jump.
std::pair<bool, double> one_jump(const std::vector<double>& c) {
  const std::size_t n = c.size();
  std::vector<double> d(n);
  std::size_t up = 0;
  for (std::size_t i = 0; i < n; ++i) {
    d[i] = c[(i + 1) % n] - c[i];
    up += d[i] >= 0.0;
  }
  const bool rising = 2 * up >= n;
  const auto [low, high] = std::minmax_element(c.begin(), c.end());
  const double significant = 0.05 * (*high - *low);
  // Start at a step in the code's direction, so that no run against it wraps around the end.
  std::size_t start = 0;
  while (start < n && (d[start] >= 0.0) != rising) ++start;
  std::size_t jumps = 0, jump_steps = 0, run_steps = 0;
  double run_change = 0.0;
  for (std::size_t k = 1; k <= n; ++k) {
    const std::size_t i = (start + k) % n;
    if (k < n && (d[i] >= 0.0) != rising) {
      run_change += d[i];
      ++run_steps;
    } else if (run_steps > 0) {
      if (std::abs(run_change) > significant) ++jumps, jump_steps += run_steps;
      run_change = 0.0, run_steps = 0;
    }
  }
  const double fraction = static_cast<double>(jump_steps) / static_cast<double>(n);
  return {jumps == 1 && fraction < 0.25, fraction};
}

// The winding number of a closed loop of 2-d points about its centroid.
double winding_number(const std::vector<double>& xy) {
  const std::size_t n = xy.size() / 2;
  double cx = 0, cy = 0;
  for (std::size_t i = 0; i < n; ++i) cx += xy[2 * i], cy += xy[2 * i + 1];
  cx /= static_cast<double>(n), cy /= static_cast<double>(n);
  double turned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = (i + 1) % n;
    const double a = std::atan2(xy[2 * i + 1] - cy, xy[2 * i] - cx), b = std::atan2(xy[2 * j + 1] - cy, xy[2 * j] - cx);
    turned += std::remainder(b - a, 2.0 * pi);
  }
  return turned / (2.0 * pi);
}

// The codes F(C(t)) of one circle at the parameters t.
std::vector<double> encode_at(const Autoencoder& a, const std::vector<double>& t, std::int64_t circle, double r) {
  const auto n = static_cast<std::int64_t>(t.size());
  const auto points = lg::data::linked_circles_at(lg::from_vector(t, {n}, lg::float64),
                                                  lg::full({n}, static_cast<double>(circle), lg::int64), r);
  return a.encoder->forward(points).to_vector<double>();
}

// The Borsuk-Ulam pair of one circle for a 1-d code: codes c on the grid t_i = 2 pi i / n (n even) give
// h_i = c_i - c_{i + n/2} on [0, pi], with h_{n/2} = -h_0. Every bracket where h changes sign is refined
// by bisection in t until its ends are adjacent doubles; the pair kept is the one whose larger error is
// smallest (the tightest test of the bound).
AntipodalPair borsuk_ulam_pair(const Autoencoder& a, const std::vector<double>& c, std::int64_t circle, double r) {
  const std::size_t n = c.size(), half = n / 2;
  const auto h = [&](std::size_t i) { return i == half ? c[half] - c[0] : c[i] - c[i + half]; };
  std::vector<double> low, high;
  for (std::size_t i = 0; i < half; ++i)
    if (h(i) == 0.0 || (h(i) < 0.0) != (h(i + 1) < 0.0)) {
      low.push_back(2.0 * pi * static_cast<double>(i) / static_cast<double>(n));
      high.push_back(2.0 * pi * static_cast<double>(i + 1) / static_cast<double>(n));
    }
  AntipodalPair best;
  best.sign_changes = static_cast<std::int64_t>(low.size());
  if (low.empty()) return best;  // cannot happen for a continuous code: h(pi) = -h(0)
  const std::size_t m = low.size();
  const auto h_at = [&](const std::vector<double>& t) {
    std::vector<double> both = t;
    for (const double s : t) both.push_back(s + pi);
    const auto codes = encode_at(a, both, circle, r);
    std::vector<double> values(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) values[i] = codes[i] - codes[i + t.size()];
    return values;
  };
  std::vector<double> h_low = h_at(low);
  for (int iteration = 0; iteration < 200; ++iteration) {
    std::vector<double> middle(m);
    bool moved = false;
    for (std::size_t i = 0; i < m; ++i) {
      middle[i] = 0.5 * (low[i] + high[i]);
      moved = moved || (middle[i] != low[i] && middle[i] != high[i]);
    }
    if (!moved) break;
    const std::vector<double> h_middle = h_at(middle);
    for (std::size_t i = 0; i < m; ++i) {
      if (middle[i] == low[i] || middle[i] == high[i] || h_low[i] == 0.0) continue;
      if ((h_middle[i] < 0.0) == (h_low[i] < 0.0) && h_middle[i] != 0.0) {
        low[i] = middle[i];
        h_low[i] = h_middle[i];
      } else {
        high[i] = middle[i];
      }
    }
  }
  // Of each bracket's two ends, the one with the smaller |h|; then the reconstructions of t and t + pi.
  const std::vector<double> h_high = h_at(high);
  std::vector<double> t(m);
  for (std::size_t i = 0; i < m; ++i) t[i] = std::abs(h_low[i]) <= std::abs(h_high[i]) ? low[i] : high[i];
  std::vector<double> both = t;
  for (const double s : t) both.push_back(s + pi);
  const auto count = static_cast<std::int64_t>(both.size());
  const auto points = lg::data::linked_circles_at(lg::from_vector(both, {count}, lg::float64),
                                                  lg::full({count}, static_cast<double>(circle), lg::int64), r);
  const auto codes = a.encoder->forward(points);
  const auto errors = row_norms(a.decoder->forward(codes) - points).to_vector<double>();
  const auto code_values = codes.to_vector<double>();
  for (std::size_t i = 0; i < m; ++i) {
    const AntipodalPair candidate{.t = t[i], .code = code_values[i], .code_opposite = code_values[i + m],
                                  .error = errors[i], .error_opposite = errors[i + m],
                                  .sign_changes = best.sign_changes};
    if (std::isnan(best.t) || candidate.larger() < best.larger()) best = candidate;
  }
  return best;
}

Run train_and_measure(const Options& o, const lg::data::LinkedCircles& data, const lg::data::LinkedCircles& grid,
                      std::int64_t code, std::int64_t width) {
  Run run{.code = code, .width = width};
  lg::Generator init(static_cast<std::uint64_t>(o.seed) + 1);
  const Autoencoder a = make_autoencoder(width, code, init);
  lg::optim::Adam optimizer(a.model->named_parameters(), {.lr = o.lr});
  lg::optim::CosineAnnealing schedule(optimizer, {.total_steps = o.steps, .min_lr = 1e-2 * o.lr});
  const std::int64_t blocks = std::min<std::int64_t>(10, o.steps);
  const std::int64_t per_block = (o.steps + blocks - 1) / blocks;
  char name[64];
  std::snprintf(name, sizeof name, "k=%lld w=%-4lld", static_cast<long long>(code), static_cast<long long>(width));
  lg::nn::ProgressMeter meter(blocks, per_block, examples::step_progress(name, o.steps), 0.5);
  const auto started = std::chrono::steady_clock::now();
  const lg::Tensor& x = data.points;
  for (std::int64_t step = 0; step < o.steps; ++step) {
    if (step % per_block == 0) meter.start_epoch(step / per_block);
    // The mean squared reconstruction distance |D(F(x)) - x|^2 over the points.
    const auto difference = a.model->forward(x) - x;
    const auto loss = lg::mean(lg::sum(difference * difference, {1}));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    schedule.step();
    run.losses.push_back(loss.item());
    meter.step(run.losses.back(), x.size(0));
  }
  if (isatty(fileno(stdout))) std::printf("\n");
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // How much the loss still fell over the last 10% of the steps, relative to the final loss.
  const std::size_t tail = std::max<std::size_t>(1, run.losses.size() / 10);
  run.loss_drop = (run.losses[run.losses.size() - 1 - tail] - run.losses.back()) / run.losses.back();

  // --- the measures on the grid -------------------------------------------------------------------------------
  lg::NoGradGuard no_grad;
  const auto codes = a.encoder->forward(grid.points);
  run.errors = row_norms(a.decoder->forward(codes) - grid.points).to_vector<double>();
  run.codes = codes.to_vector<double>();
  Measures& m = run.measures;
  const auto n = static_cast<std::size_t>(o.grid);
  m.mean = 0;
  for (const double e : run.errors) m.mean += e / static_cast<double>(run.errors.size());
  m.median = median(run.errors);
  m.max = *std::max_element(run.errors.begin(), run.errors.end());
  m.exceptional_05 = fraction_above(run.errors, 0.05);
  m.exceptional_01 = fraction_above(run.errors, 0.01);
  for (std::size_t circle = 0; circle < 2; ++circle) {
    const std::vector<double> errors(run.errors.begin() + static_cast<std::ptrdiff_t>(circle * n),
                                     run.errors.begin() + static_cast<std::ptrdiff_t>((circle + 1) * n));
    m.circle_max[circle] = *std::max_element(errors.begin(), errors.end());
    m.circle_median[circle] = median(errors);
    const auto k = static_cast<std::size_t>(code);
    const std::vector<double> c(run.codes.begin() + static_cast<std::ptrdiff_t>(circle * n * k),
                                run.codes.begin() + static_cast<std::ptrdiff_t>((circle + 1) * n * k));
    if (code == 1) {
      std::tie(m.one_jump[circle], m.jump_fraction[circle]) = one_jump(c);
      const auto [low, high] = std::minmax_element(c.begin(), c.end());
      m.interval[circle] = {*low, *high};
      m.pair[circle] = borsuk_ulam_pair(a, c, static_cast<std::int64_t>(circle), o.radius);
    } else if (code == 2) {
      m.winding[circle] = winding_number(c);
    }
  }
  if (code == 1) m.disjoint = m.interval[0][1] < m.interval[1][0] || m.interval[1][1] < m.interval[0][0];
  if (code == 2) {
    // The distance between the two code loops, on about 2000 points of each.
    const std::size_t k = static_cast<std::size_t>(code), stride = std::max<std::size_t>(1, n / 2000);
    double closest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; i += stride)
      for (std::size_t j = n; j < 2 * n; j += stride) {
        double d2 = 0;
        for (std::size_t c = 0; c < k; ++c) d2 += std::pow(run.codes[i * k + c] - run.codes[j * k + c], 2);
        closest = std::min(closest, d2);
      }
    m.loop_distance = std::sqrt(closest);
  }
  return run;
}

std::string yes_no(bool value) { return value ? "yes" : "no"; }

std::string number(double value, const char* format = "%.4g") {
  if (std::isnan(value)) return "";
  char text[48];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string json_number(double value) { return std::isnan(value) ? "null" : number(value, "%.10g"); }

// The oblique view of a 3-D point (azimuth 35 degrees, elevation 25 degrees, orthographic).
std::array<double, 2> project(double x, double y, double z) {
  const double azimuth = 35.0 * pi / 180.0, elevation = 25.0 * pi / 180.0;
  const double right = -std::sin(azimuth) * x + std::cos(azimuth) * y;
  const double up = -std::sin(elevation) * (std::cos(azimuth) * x + std::sin(azimuth) * y) + std::cos(elevation) * z;
  return {right, up};
}

// The oblique view of the circles, grid points as dots coloured by their error class (below 0.01, to 0.05, to r,
// r and above; about 8000 of them, and every one above 0.05), and for k = 1 each circle's Borsuk-Ulam pair joined
// by its diameter.
void save_circles_plot(const std::string& path, const Run& run, const lg::data::LinkedCircles& grid,
                       const Options& o) {
  const auto xyz = grid.points.to_vector<double>();
  const std::size_t rows = xyz.size() / 3, stride = std::max<std::size_t>(1, rows / 8000);
  const std::vector<double> edges = {0.01, 0.05, o.radius};
  std::vector<lg::data::PlotSeries> series = {{"error < 0.01", {}, {}},
                                              {"0.01 to 0.05", {}, {}},
                                              {"0.05 to r", {}, {}},
                                              {">= r", {}, {}}};
  double x_low = 1e9, x_high = -1e9, y_low = 1e9, y_high = -1e9;
  for (std::size_t i = 0; i < rows; ++i) {
    if (i % stride != 0 && run.errors[i] < 0.05) continue;  // every exceptional point is drawn, however narrow
    const auto p = project(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]);
    x_low = std::min(x_low, p[0]), x_high = std::max(x_high, p[0]);
    y_low = std::min(y_low, p[1]), y_high = std::max(y_high, p[1]);
    auto& s = series[static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), run.errors[i]) -
                                              edges.begin())];
    s.x.insert(s.x.end(), {p[0], nan});
    s.y.insert(s.y.end(), {p[1], nan});
  }
  if (run.code == 1) {
    lg::data::PlotSeries diameters{"Borsuk-Ulam pairs", {}, {}};
    for (std::int64_t circle = 0; circle < 2; ++circle) {
      const double t = run.measures.pair[static_cast<std::size_t>(circle)].t;
      if (std::isnan(t)) continue;
      const auto ends = lg::data::linked_circles_at(lg::from_vector(std::vector<double>{t, t + pi}, {2}, lg::float64),
                                                    lg::full({2}, static_cast<double>(circle), lg::int64), o.radius)
                            .to_vector<double>();
      for (std::size_t e = 0; e < 2; ++e) {
        const auto p = project(ends[3 * e], ends[3 * e + 1], ends[3 * e + 2]);
        diameters.x.push_back(p[0]);
        diameters.y.push_back(p[1]);
      }
      diameters.x.push_back(nan);
      diameters.y.push_back(nan);
    }
    series.push_back(diameters);
  }
  for (auto& s : series)
    if (s.x.empty()) s.x = {nan}, s.y = {nan};  // keeps the colours fixed: blue, orange, green, red
  const std::int64_t width = 900;
  const auto height = static_cast<std::int64_t>(160 + 760.0 * (y_high - y_low) / (x_high - x_low));
  char title[160];
  std::snprintf(title, sizeof title, "error on the linked circles (oblique view), k = %lld, width %lld",
                static_cast<long long>(run.code), static_cast<long long>(run.width));
  lg::data::save_line_plot(path, series,
                           {.title = title, .x_label = "view x", .y_label = "view y", .width = width,
                            .height = std::clamp<std::int64_t>(height, 300, 1400)});
}

// Every `stride`-th grid value of circle `circle` as a series against arclength r t.
lg::data::PlotSeries along_circle(const std::string& name, const std::vector<double>& values, std::size_t column,
                                  std::size_t columns, std::size_t circle, const Options& o) {
  lg::data::PlotSeries series{name, {}, {}};
  const auto n = static_cast<std::size_t>(o.grid), stride = std::max<std::size_t>(1, n / 4000);
  for (std::size_t i = 0; i < n; i += stride) {
    series.x.push_back(o.radius * 2.0 * pi * static_cast<double>(i) / static_cast<double>(n));
    series.y.push_back(values[(circle * n + i) * columns + column]);
  }
  return series;
}

std::string run_name(const Run& run) {
  return "k=" + std::to_string(run.code) + " w=" + std::to_string(run.width);
}

void write_outputs(const Options& o, const std::vector<Run>& runs, const lg::data::LinkedCircles& grid) {
  // --- the table ----------------------------------------------------------------------------------------------
  std::printf("\nerrors |D(F(x)) - x| on %lld evenly spaced points of each circle (r = %g)\n",
              static_cast<long long>(o.grid), o.radius);
  std::printf(" k  width  final loss  drop(last10%%)   median      mean       max   exc>0.05  exc>0.01  "
              "topology of the code                                 seconds\n");
  for (const Run& run : runs) {
    const Measures& m = run.measures;
    std::string topology;
    if (run.code == 1)
      topology = "one jump C1 " + yes_no(m.one_jump[0]) + " (" + number(100 * m.jump_fraction[0], "%.1f") +
                 "%), C2 " + yes_no(m.one_jump[1]) + " (" + number(100 * m.jump_fraction[1], "%.1f") +
                 "%), disjoint " + yes_no(m.disjoint);
    else
      topology = "winding C1 " + number(m.winding[0], "%+.2f") + ", C2 " + number(m.winding[1], "%+.2f") +
                 ", loops " + number(m.loop_distance, "%.3g") + " apart";
    std::printf("%2lld  %5lld  %10.3e  %12.2e  %9.2e  %9.2e  %8.3f  %7.2f%%  %7.2f%%  %-52s %7.1f\n",
                static_cast<long long>(run.code), static_cast<long long>(run.width), run.losses.back(), run.loss_drop,
                m.median, m.mean, m.max, 100 * m.exceptional_05, 100 * m.exceptional_01, topology.c_str(),
                run.seconds);
  }
  bool bound_holds = true;
  std::printf("\nBorsuk-Ulam pairs (k = 1): x = C(t*), x' = C(t* + pi) with F(x) = F(x'); the bound says "
              "max error >= r = %g\n",
              o.radius);
  std::printf(" width  circle  zeros of h         t*          F(x)         F(x')   |D - x|  |D - x'|   larger >= r\n");
  for (const Run& run : runs) {
    if (run.code != 1) continue;
    for (std::size_t circle = 0; circle < 2; ++circle) {
      const AntipodalPair& p = run.measures.pair[circle];
      const bool holds = p.larger() >= o.radius * (1.0 - 1e-6);
      bound_holds = bound_holds && holds;
      std::printf(" %5lld      C%zu  %10lld  %.12f  %+.9f  %+.9f  %8.5f  %8.5f   %s\n",
                  static_cast<long long>(run.width), circle + 1, static_cast<long long>(p.sign_changes), p.t, p.code,
                  p.code_opposite, p.error, p.error_opposite, holds ? "yes" : "NO");
    }
  }

  // --- CSV and JSON --------------------------------------------------------------------------------------------
  std::ofstream csv(o.out + "/results.csv");
  csv << "code_size,width,steps,seconds,final_loss,loss_drop_last_10pct,median_error,mean_error,max_error,"
         "max_error_c1,max_error_c2,exceptional_fraction_0.05,exceptional_fraction_0.01,one_jump_c1,one_jump_c2,"
         "jump_fraction_c1,jump_fraction_c2,intervals_disjoint,winding_c1,winding_c2,loop_distance,"
         "bu_t_c1,bu_error_c1,bu_error_opposite_c1,bu_t_c2,bu_error_c2,bu_error_opposite_c2\n";
  for (const Run& run : runs) {
    const Measures& m = run.measures;
    const bool k1 = run.code == 1;
    csv << run.code << ',' << run.width << ',' << o.steps << ',' << number(run.seconds, "%.2f") << ','
        << number(run.losses.back(), "%.6e") << ',' << number(run.loss_drop, "%.4e") << ','
        << number(m.median, "%.6e") << ',' << number(m.mean, "%.6e") << ',' << number(m.max, "%.6e") << ','
        << number(m.circle_max[0], "%.6e") << ',' << number(m.circle_max[1], "%.6e") << ','
        << number(m.exceptional_05, "%.6f") << ',' << number(m.exceptional_01, "%.6f") << ','
        << (k1 ? yes_no(m.one_jump[0]) : "") << ',' << (k1 ? yes_no(m.one_jump[1]) : "") << ','
        << number(m.jump_fraction[0], "%.6f") << ',' << number(m.jump_fraction[1], "%.6f") << ','
        << (k1 ? yes_no(m.disjoint) : "") << ',' << number(m.winding[0], "%.4f") << ','
        << number(m.winding[1], "%.4f") << ',' << number(m.loop_distance, "%.6e");
    for (std::size_t circle = 0; circle < 2; ++circle)
      csv << ',' << number(m.pair[circle].t, "%.15f") << ',' << number(m.pair[circle].error, "%.9f") << ','
          << number(m.pair[circle].error_opposite, "%.9f");
    csv << '\n';
  }
  std::ofstream json(o.out + "/results.json");
  json << "{\n  \"paper\": \"Kvalheim and Sontag, Why should autoencoders work?, TMLR 2024, arXiv 2310.02250\",\n"
       << "  \"radius\": " << o.radius << ", \"points\": " << o.points << ", \"grid_per_circle\": " << o.grid
       << ", \"steps\": " << o.steps << ", \"lr\": " << o.lr << ", \"seed\": " << o.seed
       << ", \"threads\": " << o.threads << ", \"quick\": " << (o.quick ? "true" : "false")
       << ",\n  \"bound_holds\": " << (bound_holds ? "true" : "false") << ",\n  \"runs\": [\n";
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    const Measures& m = run.measures;
    json << "    {\"code_size\": " << run.code << ", \"width\": " << run.width << ", \"seconds\": "
         << json_number(run.seconds) << ", \"final_loss\": " << json_number(run.losses.back())
         << ", \"loss_drop_last_10pct\": " << json_number(run.loss_drop) << ",\n     \"median_error\": "
         << json_number(m.median) << ", \"mean_error\": " << json_number(m.mean) << ", \"max_error\": "
         << json_number(m.max) << ", \"max_error_per_circle\": [" << json_number(m.circle_max[0]) << ", "
         << json_number(m.circle_max[1]) << "], \"median_error_per_circle\": [" << json_number(m.circle_median[0])
         << ", " << json_number(m.circle_median[1]) << "],\n     \"exceptional_fraction_0.05\": "
         << json_number(m.exceptional_05) << ", \"exceptional_fraction_0.01\": " << json_number(m.exceptional_01);
    if (run.code == 1) {
      json << ",\n     \"one_jump\": [" << (m.one_jump[0] ? "true" : "false") << ", "
           << (m.one_jump[1] ? "true" : "false") << "], \"jump_fraction\": [" << json_number(m.jump_fraction[0])
           << ", " << json_number(m.jump_fraction[1]) << "], \"code_intervals\": [[" << json_number(m.interval[0][0])
           << ", " << json_number(m.interval[0][1]) << "], [" << json_number(m.interval[1][0]) << ", "
           << json_number(m.interval[1][1]) << "]], \"intervals_disjoint\": " << (m.disjoint ? "true" : "false")
           << ",\n     \"borsuk_ulam\": [";
      for (std::size_t circle = 0; circle < 2; ++circle) {
        const AntipodalPair& p = m.pair[circle];
        json << (circle ? ", " : "") << "{\"circle\": " << circle + 1 << ", \"t\": " << json_number(p.t)
             << ", \"code\": " << json_number(p.code) << ", \"code_opposite\": " << json_number(p.code_opposite)
             << ", \"error\": " << json_number(p.error) << ", \"error_opposite\": " << json_number(p.error_opposite)
             << ", \"sign_changes\": " << p.sign_changes << "}";
      }
      json << "]";
    } else {
      json << ",\n     \"winding\": [" << json_number(m.winding[0]) << ", " << json_number(m.winding[1])
           << "], \"loop_distance\": " << json_number(m.loop_distance);
    }
    json << "}" << (r + 1 < runs.size() ? ",\n" : "\n");
  }
  json << "  ]\n}\n";

  // --- pictures -------------------------------------------------------------------------------------------------
  std::vector<std::string> written;
  for (const Run& run : runs) {
    const std::string file = "circles_k" + std::to_string(run.code) + "_w" + std::to_string(run.width) + ".png";
    save_circles_plot(o.out + "/" + file, run, grid, o);
    written.push_back(file);
  }
  const std::int64_t widest = *std::max_element(o.widths.begin(), o.widths.end());
  std::vector<lg::data::PlotSeries> error_series, k1_series, code_series, loop_series, loss_series;
  for (const Run& run : runs) {
    for (std::size_t circle = 0; circle < 2; ++circle) {
      const std::string label = run_name(run) + " C" + std::to_string(circle + 1);
      if (run.width == widest) error_series.push_back(along_circle(label, run.errors, 0, 1, circle, o));
      if (run.code == 1) {
        k1_series.push_back(along_circle(label, run.errors, 0, 1, circle, o));
        code_series.push_back(along_circle(label, run.codes, 0, 1, circle, o));
      }
      if (run.code == 2) {
        lg::data::PlotSeries loop{label, {}, {}};
        const auto n = static_cast<std::size_t>(o.grid), stride = std::max<std::size_t>(1, n / 2000);
        for (std::size_t i = 0; i <= n; i += stride) {  // closed: back to the first point
          const std::size_t row = circle * n + (i % n);
          loop.x.push_back(run.codes[2 * row]);
          loop.y.push_back(run.codes[2 * row + 1]);
        }
        loop_series.push_back(loop);
      }
    }
    lg::data::PlotSeries loss{run_name(run), {}, {}};
    for (std::size_t s = 0; s < run.losses.size(); ++s) {
      loss.x.push_back(static_cast<double>(s + 1));
      loss.y.push_back(run.losses[s]);
    }
    loss_series.push_back(loss);
  }
  const auto plot = [&](const std::string& file, const std::vector<lg::data::PlotSeries>& series,
                        const lg::data::LinePlotOptions& options) {
    if (series.empty()) return;
    lg::data::save_line_plot(o.out + "/" + file, series, options);
    written.push_back(file);
  };
  plot("error_vs_arclength.png", error_series,
       {.title = "reconstruction error along each circle, width " + std::to_string(widest) + ": k = 1 vs k = 2",
        .x_label = "arclength r t", .y_label = "|D(F(x)) - x|", .log_y = true, .width = 900});
  plot("error_k1_widths.png", k1_series,
       {.title = "k = 1: the error spike (the exceptional set) at each width", .x_label = "arclength r t",
        .y_label = "|D(F(x)) - x|", .log_y = true, .width = 900});
  plot("code_k1.png", code_series,
       {.title = "k = 1: the code F(x) along each circle (rises, then jumps back)", .x_label = "arclength r t",
        .y_label = "code", .width = 900});
  plot("code_k2.png", loop_series,
       {.title = "k = 2: each circle's code loop in the code plane", .x_label = "z1", .y_label = "z2", .width = 800,
        .height = 700});
  plot("loss.png", loss_series,
       {.title = "training loss: mean |D(F(x)) - x|^2 over the points", .x_label = "Adam step", .y_label = "loss",
        .log_y = true, .width = 900});
  std::printf("\nwrote results.csv, results.json and");
  for (const auto& file : written) std::printf(" %s", file.c_str());
  std::printf(" into %s\n", o.out.c_str());
  if (!bound_holds) throw lg::ValueError("why_autoencoders_work: a Borsuk-Ulam pair has both errors below r");
}

void run(const Options& o) {
  lg::set_num_threads(o.threads);
  std::filesystem::create_directories(o.out);
  const auto data = lg::data::sample_linked_circles({.count = o.points, .radius = o.radius},
                                                    static_cast<std::uint64_t>(o.seed));
  const auto grid = lg::data::linked_circles_grid(o.grid, o.radius);
  std::printf("two linked circles of radius %g: %lld training points, seed %lld; %lld Adam steps (lr %g, cosine to "
              "%g), %d threads\n",
              o.radius, static_cast<long long>(o.points), static_cast<long long>(o.seed),
              static_cast<long long>(o.steps), o.lr, 1e-2 * o.lr, o.threads);
  std::vector<Run> runs;
  const auto started = std::chrono::steady_clock::now();
  for (const std::int64_t code : o.codes)
    for (const std::int64_t width : o.widths) runs.push_back(train_and_measure(o, data, grid, code, width));
  write_outputs(o, runs, grid);
  std::printf("total %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Why should autoencoders work? (Kvalheim and Sontag 2024): an MLP autoencoder on two linked circles "
               "with a 1-d code (topologically obstructed: the error stays >= r at a Borsuk-Ulam pair) and a 2-d "
               "code (exact in the limit)."};
  app.add_flag("--quick", o.quick,
               "a small version that runs in seconds (width 16, 400 points, 400 steps, 2000 grid points)");
  app.add_option("--widths", o.widths, "hidden widths w of the MLP 3-w-w-k-w-w-3 (default 16 64 256)")
      ->check(CLI::Range(1, 4096));
  app.add_option("--codes", o.codes, "code sizes k, 1 or 2 (default both)")->check(CLI::Range(1, 2));
  app.add_option("--points", o.points, "training points, half on each circle (default 2000)")
      ->check(CLI::Range(2, 1000000));
  app.add_option("--steps", o.steps, "full-batch Adam steps per run (default 2500)")->check(CLI::Range(1, 10000000));
  app.add_option("--lr", o.lr, "Adam's learning rate at the start, cosine decay to 1% of it (default 0.01)")
      ->check(CLI::Range(1e-8, 1.0));
  app.add_option("--grid", o.grid, "evaluation points per circle, even (default 20000)")
      ->check(CLI::Range(8, 10000000));
  app.add_option("--seed", o.seed, "seed for the data and the initial weights (default 0)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_option("--out", o.out, "output folder (default out/why_autoencoders_work)");
  CLI11_PARSE(app, argc, argv);
  if (o.quick) {
    if (app.count("--widths") == 0) o.widths = {16};
    if (app.count("--points") == 0) o.points = 400;
    if (app.count("--steps") == 0) o.steps = 400;
    if (app.count("--grid") == 0) o.grid = 2000;
  }
  if (o.grid % 2 != 0) {
    std::fprintf(stderr, "why_autoencoders_work: --grid must be even (t and t + pi both on it), got %lld\n",
                 static_cast<long long>(o.grid));
    return 1;
  }
  try {
    run(o);
  } catch (const lg::Error& error) {
    std::fprintf(stderr, "why_autoencoders_work: %s\n", error.what());
    return 1;
  }
  return 0;
}
