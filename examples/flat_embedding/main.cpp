// flat_embedding: encoders trained to be flat isometries of images of known
// manifolds, after Braunsmann, Rajkovic, Rumpf and Wirth, "Convergent
// autoencoder approximation of low bending and low distortion manifold
// embeddings", ESAIM M2AN 2024 (arXiv 2208.10193). docs/papers/flat_embedding.md
// reports a full run.
//
// The data are images I(p) of a manifold M whose geometry is known exactly
// (data/known_manifolds.hpp): an asymmetric arrow turned by theta (M = S^1,
// code size l = 2), a disk translated over a square (M = [0, 1]^2, flat, l = 2)
// and a marker dot on a globe (M = S^2, l = 3). An encoder phi: images -> R^l
// (an MLP with smooth ELU activations) is trained on pairs (x, y) = (I(p), I(q))
// of nearby points of M, with their exact geodesic distance d = d_M(p, q) and the
// image m = I(mid(p, q)) of their geodesic midpoint, to minimise the Monte Carlo
// average over pairs at scale d <= epsilon of
//
//   W(|phi(x) - phi(y)| / d)  +  lambda |phi(x) + phi(y) - 2 phi(m)|^2 / d^4
//   `---- distortion ------'     `------------- bending -------------'
//
// with W(s) = (s - 1)^2 ("quadratic", the default) or W(s) = (s - 1)^2 + (1/s - 1)^2
// ("symmetric": the same near s = 1, but it blows up as s -> 0, so shrinking a
// pair is punished as much as stretching it by the reciprocal factor). The ratio
// s = |phi(x) - phi(y)| / d is 1 for an isometry. By Taylor expansion at m, with
// v the unit tangent from p to q, phi(x) + phi(y) - 2 phi(m) ~ (1/4) D^2 phi(m)(v, v) d^2,
// so the bending term is (1/16) |D^2 phi(v, v)|^2: the second fundamental form of
// the embedded manifold (its extrinsic curvature) plus the curvature of phi along
// the geodesics. The paper's Gamma-limit as epsilon -> 0 is the integral over unit
// tangent directions of W(|D phi v|) + (lambda / 16) |D^2 phi(v, v)|^2.
//
// Two ways to draw the pairs, both rendered once per manifold and shared by its runs
// (rendering an arrow costs more than a training step), batches drawn from them
// uniformly with replacement: "tangent" draws 8192 independent pairs, each a fresh
// uniform point p and q at an exact distance d along a uniform tangent direction,
// d stratified over [epsilon / 5, epsilon]; "neighbours" fixes a finite uniform
// sample of points (256 on the circle, 1024 on the square, 1536 on the sphere) and
// uses its pairs with epsilon / 5 <= d <= epsilon (at most 8192 of them). Pairs
// closer than epsilon / 5 are left out: the bending quotient divides by d^4, which
// would magnify the float32 rounding of the codes.
//
// Measured on held-out pairs (the same for every run of a manifold):
//   - mean and maximum |ratio - 1| at scales epsilon / 8 .. 4 epsilon (and at the initialisation);
//   - the mean bending |phi(x) + phi(y) - 2 phi(m)|^2 / d^4 at scale epsilon;
//   - the singular values of J_phi(x) T(x), T(x) an orthonormal basis of the tangent space of M mapped
//     into image space by central differences of the rendered images (rendering is not differentiable
//     by autograd); all 1 for an isometry. lg::jacobian_svd of c -> phi(x + T c) at c = 0;
//   - circle and sphere: the radius of the circle (sphere) fitted to the codes of an even grid, against
//     the isometric target: a loop of length L = 2 pi embeds isometrically in the plane only as a
//     round circle of radius L / 2 pi = 1, and S^2 in R^3 only as the unit sphere; square: the affine
//     least-squares fit of the codes from the parameters, its singular values (1 and 1 for an
//     isometry) and its residual;
//   - interpolation: phi frozen, a decoder psi trained on the codes of 2048 uniform images; for pairs
//     at distance 4 epsilon, the PSNR of psi((phi(x) + phi(y)) / 2) against the true midpoint image I(m)
//     (and, as references, of psi(phi(I(m))) and of the pixel blend (x + y) / 2).
// It writes results.csv, results.json and PNGs into --out.
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
#include <map>
#include <memory>
#include <numbers>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <latentgeo.hpp>

#include "../common/principal_axes.hpp"
#include "../common/terminal_progress.hpp"
#include "code_fits.hpp"
#include "pair_samplers.hpp"

namespace {

using namespace flat_embedding;

constexpr double pi = std::numbers::pi;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Options {
  std::vector<std::string> manifolds = {"circle", "square", "sphere"};
  std::vector<double> lambdas = {0.0, 0.1, 1.0};
  std::vector<std::string> samplers = {"tangent", "neighbours"};
  std::string distortion = "quadratic";
  std::int64_t image_size = 24;
  std::int64_t steps = 1200;
  std::int64_t batch = 256;
  double lr = 1e-3;
  double epsilon_fraction = 0.08;
  std::int64_t sample_points = 0;  // neighbours: the finite sample's size; 0: the manifold's default
  std::int64_t max_pairs = 8192;
  std::int64_t tangent_pairs = 8192;
  std::int64_t decoder_steps = 1000;
  std::int64_t eval_pairs = 512;
  std::int64_t seed = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool quick = false;
  std::string out = "out/flat_embedding";
};

Setup make_setup(const std::string& label, const Options& o) {
  const lg::data::ImageManifoldOptions drawing{.image_size = o.image_size};
  Setup s{.label = label};
  if (label == "circle") {
    s.images = std::make_shared<lg::data::RotatedArrowImages>(drawing);
    s.code_size = 2, s.diameter = pi, s.sample_points = 256;
  } else if (label == "square") {
    s.images = std::make_shared<lg::data::TranslatedDiskImages>(drawing);
    s.code_size = 2, s.diameter = std::sqrt(2.0), s.sample_points = 1024;
  } else {
    s.images = std::make_shared<lg::data::SphereDirectionImages>(drawing);
    s.code_size = 3, s.diameter = pi, s.sample_points = 1536;
  }
  if (o.sample_points > 0) s.sample_points = o.sample_points;
  s.epsilon = o.epsilon_fraction * s.diameter;
  s.pixels = o.image_size * o.image_size;
  return s;
}

// --- the networks -----------------------------------------------------------------------------------------------

std::shared_ptr<lg::nn::Sequential> make_encoder(std::int64_t pixels, std::int64_t code, lg::Generator& generator) {
  const lg::nn::LinearOptions options{.generator = &generator};
  return std::make_shared<lg::nn::Sequential>(
      std::make_shared<lg::nn::Linear>(pixels, 256, options), std::make_shared<lg::nn::ELU>(),
      std::make_shared<lg::nn::Linear>(256, 128, options), std::make_shared<lg::nn::ELU>(),
      std::make_shared<lg::nn::Linear>(128, code, options));
}

std::shared_ptr<lg::nn::Sequential> make_decoder(std::int64_t code, std::int64_t pixels, lg::Generator& generator) {
  const lg::nn::LinearOptions options{.generator = &generator};
  return std::make_shared<lg::nn::Sequential>(
      std::make_shared<lg::nn::Linear>(code, 128, options), std::make_shared<lg::nn::ELU>(),
      std::make_shared<lg::nn::Linear>(128, 256, options), std::make_shared<lg::nn::ELU>(),
      std::make_shared<lg::nn::Linear>(256, pixels, options), std::make_shared<lg::nn::Sigmoid>());
}

// The ratios |phi(x) - phi(y)| / d of a batch of codes.
lg::Tensor ratios(const lg::Tensor& zx, const lg::Tensor& zy, const lg::Tensor& d) {
  const auto difference = zx - zy;
  return lg::sqrt(lg::sum(difference * difference, {1}) + 1e-12) / d;
}

// |phi(x) + phi(y) - 2 phi(m)|^2 / d^4 of a batch of codes.
lg::Tensor bending(const lg::Tensor& zx, const lg::Tensor& zy, const lg::Tensor& zm, const lg::Tensor& d) {
  const auto second = zx + zy - zm * 2.0;
  return lg::sum(second * second, {1}) / lg::pow(d, 4.0);
}

lg::Tensor distortion_weight(const lg::Tensor& s, const std::string& w) {
  const auto stretch = (s - 1.0) * (s - 1.0);
  if (w == "quadratic") return stretch;
  const auto shrink = 1.0 / s - 1.0;
  return stretch + shrink * shrink;
}

// --- the held-out measurements ------------------------------------------------------------------------------------

// Everything a manifold's runs are measured on, rendered once.
struct EvalSet {
  std::vector<double> scales;
  std::vector<Pairs> at_scale;  // held-out pairs at each scale; with midpoints at scale epsilon
  std::size_t epsilon_index = 0;
  lg::Tensor tangent_points;   // [B, P]
  lg::Tensor tangents;         // [B, dim, P], unit tangent directions mapped into image space
  lg::Tensor grid_parameters;  // [G, d]
  lg::Tensor grid_images;      // [G, P]
  lg::Tensor grid_labels;      // int64 [G]
  lg::Tensor decoder_images;   // [2048, P]
  Pairs interpolation;         // pairs at 4 epsilon (capped), with midpoints
  double interpolation_distance = 0.0;
  double blend_psnr = 0.0;  // PSNR of (x + y) / 2 against I(m)
};

// Unit tangent vectors mapped into image space at uniform points: (I(c(h)) - I(c(-h))) / 2h along unit-speed
// geodesics c through each point (an orthonormal basis of the tangent space).
void make_tangents(const Setup& s, lg::Generator& generator, std::int64_t count, EvalSet& e) {
  constexpr double h = 2e-3;
  auto points = s.images->sample(count, generator);
  const std::int64_t dim = s.images->dimension();
  std::vector<double> p = points.to_vector<double>();
  const auto width = static_cast<std::size_t>(s.images->parameter_size());
  if (s.label == "square")  // keep p +- h e inside the square
    for (double& v : p) v = std::clamp(v, 0.01, 0.99);
  points = lg::from_vector(p, points.shape(), lg::float64);
  // Rows: for each point and tangent k, c(+h) then c(-h).
  std::vector<double> moved;
  for (std::int64_t i = 0; i < count; ++i) {
    const double* row = p.data() + static_cast<std::size_t>(i) * width;
    for (std::int64_t k = 0; k < dim; ++k)
      for (const double sign : {1.0, -1.0}) {
        if (s.label == "circle") {
          moved.push_back(row[0] + sign * h);
        } else if (s.label == "square") {
          moved.push_back(row[0] + (k == 0 ? sign * h : 0.0));
          moved.push_back(row[1] + (k == 1 ? sign * h : 0.0));
        } else {
          // e1 orthogonal to u (from e_z, or e_x near the poles), e2 = u x e1; c(t) = cos t u + sin t e.
          const std::array<double, 3> u{row[0], row[1], row[2]};
          std::array<double, 3> a =
              std::abs(u[2]) < 0.9 ? std::array<double, 3>{0, 0, 1} : std::array<double, 3>{1, 0, 0};
          const double along = a[0] * u[0] + a[1] * u[1] + a[2] * u[2];
          for (std::size_t j = 0; j < 3; ++j) a[j] -= along * u[j];
          const double norm = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
          for (double& v : a) v /= norm;
          const std::array<double, 3> b{u[1] * a[2] - u[2] * a[1], u[2] * a[0] - u[0] * a[2],
                                        u[0] * a[1] - u[1] * a[0]};
          const auto& t = k == 0 ? a : b;
          for (std::size_t j = 0; j < 3; ++j) moved.push_back(std::cos(h) * u[j] + sign * std::sin(h) * t[j]);
        }
      }
  }
  const std::int64_t rows = count * dim * 2;
  const auto images = render_rows(s, lg::from_vector(moved, {rows, static_cast<std::int64_t>(width)}, lg::float64))
                          .reshape({count, dim, 2, s.pixels});
  e.tangents = ((images.narrow(2, 0, 1) - images.narrow(2, 1, 1)) / (2.0 * h)).reshape({count, dim, s.pixels});
  e.tangent_points = render_rows(s, points);
}

EvalSet make_eval_set(const Setup& s, const Options& o) {
  lg::Generator generator(static_cast<std::uint64_t>(o.seed) * 7919 + 1000);
  EvalSet e;
  const double top = 0.9 * s.images->max_pair_distance();
  for (const double f : {0.125, 0.25, 0.5, 1.0, 2.0, 4.0}) e.scales.push_back(std::min(f * s.epsilon, top));
  e.epsilon_index = 3;
  for (std::size_t k = 0; k < e.scales.size(); ++k)
    e.at_scale.push_back(pairs_at(s, o.eval_pairs, e.scales[k], generator, k == e.epsilon_index));
  make_tangents(s, generator, std::min<std::int64_t>(256, o.eval_pairs), e);
  e.grid_parameters = s.images->grid(s.label == "circle" ? 720 : s.label == "square" ? 33 : 40);
  e.grid_images = render_rows(s, e.grid_parameters);
  e.grid_labels = s.images->labels(e.grid_parameters);
  e.decoder_images = render_rows(s, s.images->sample(o.quick ? 512 : 2048, generator));
  e.interpolation_distance = std::min(4.0 * s.epsilon, top);
  e.interpolation = pairs_at(s, std::min<std::int64_t>(256, o.eval_pairs), e.interpolation_distance, generator, true);
  e.blend_psnr = lg::mean(lg::data::psnr((e.interpolation.x + e.interpolation.y) * 0.5, e.interpolation.m)).item();
  return e;
}

// Mean and maximum |ratio - 1| at one scale.
struct ScaleStats {
  double mean = nan, max = nan, mean_ratio = nan;
};

ScaleStats scale_stats(const lg::nn::Sequential& encoder, const Pairs& p) {
  const lg::NoGradGuard no_grad;
  const auto r = ratios(encoder.forward(p.x), encoder.forward(p.y), p.d).to_vector<double>();
  ScaleStats out{.mean = 0.0, .max = 0.0, .mean_ratio = 0.0};
  for (const double v : r) {
    out.mean += std::abs(v - 1.0);
    out.max = std::max(out.max, std::abs(v - 1.0));
    out.mean_ratio += v;
  }
  out.mean /= static_cast<double>(r.size());
  out.mean_ratio /= static_cast<double>(r.size());
  return out;
}

struct Run {
  std::string manifold = {}, sampler = {};
  double lambda = 0.0;
  double seconds = 0.0;
  std::vector<double> losses = {};
  std::vector<ScaleStats> initial = {}, trained = {};
  double bending_initial = nan, bending = nan;
  double sv_mean = nan, sv_min = nan, sv_max = nan;
  double radius = nan, roundness = nan;                            // circle, sphere
  double winding = nan;                                            // circle: turns of the code loop
  double affine_s1 = nan, affine_s2 = nan, affine_residual = nan;  // square
  double psnr_lerp = nan, psnr_code = nan, decoder_loss = nan;
  std::vector<double> grid_codes = {};  // [G, l]
  lg::Tensor strip = {};                // decoded latent midpoints of the first 8 interpolation pairs [8, P]
};

double mean_bending(const lg::nn::Sequential& encoder, const Pairs& p) {
  const lg::NoGradGuard no_grad;
  return lg::mean(bending(encoder.forward(p.x), encoder.forward(p.y), encoder.forward(p.m), p.d)).item();
}

// The singular values of J_phi(x) T(x) at each tangent point, by lg::jacobian_svd of c -> phi(x + T c) at c = 0.
void tangent_singular_values(const lg::nn::Sequential& encoder, const EvalSet& e, Run& run) {
  const auto x = e.tangent_points;
  const auto t = e.tangents;
  const lg::Function along = [&](const lg::Tensor& c) { return encoder.forward(x + lg::sum(c.unsqueeze(2) * t, {1})); };
  const std::int64_t dim = t.size(1);
  const auto svd = lg::jacobian_svd(along, lg::zeros({x.size(0), dim}), dim);
  const auto values = svd.singular_values.to_vector<double>();
  run.sv_min = *std::min_element(values.begin(), values.end());
  run.sv_max = *std::max_element(values.begin(), values.end());
  double sum = 0.0;
  for (const double v : values) sum += v;
  run.sv_mean = sum / static_cast<double>(values.size());
}

std::string lambda_text(double lambda) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", lambda);
  return text;
}

std::string run_name(const Run& run) { return run.manifold + " " + run.sampler + " lambda=" + lambda_text(run.lambda); }

Run train_and_measure(const Options& o, const Setup& s, const EvalSet& e, const PairPool& pool,
                      const std::string& sampler, double lambda) {
  Run run{.manifold = s.label, .sampler = sampler, .lambda = lambda};
  // The same initial weights for every run of a manifold (one seed), so runs differ only in lambda and sampler.
  lg::Generator init(static_cast<std::uint64_t>(o.seed) + 1);
  const auto encoder = make_encoder(s.pixels, s.code_size, init);
  for (const Pairs& p : e.at_scale) run.initial.push_back(scale_stats(*encoder, p));
  run.bending_initial = mean_bending(*encoder, e.at_scale[e.epsilon_index]);
  lg::Generator draw(static_cast<std::uint64_t>(o.seed) * 31 + 5);
  lg::optim::Adam optimizer(encoder->named_parameters(), {.lr = o.lr});
  const std::int64_t blocks = std::min<std::int64_t>(10, o.steps);
  const std::int64_t per_block = (o.steps + blocks - 1) / blocks;
  char name[64];
  std::snprintf(name, sizeof name, "%-6s %-10s lambda=%-4s", s.label.c_str(), sampler.c_str(),
                lambda_text(lambda).c_str());
  lg::nn::ProgressMeter meter(blocks, per_block, examples::step_progress(name, o.steps), 0.5);
  const auto started = std::chrono::steady_clock::now();
  const bool midpoints = lambda > 0.0;
  for (std::int64_t step = 0; step < o.steps; ++step) {
    if (step % per_block == 0) meter.start_epoch(step / per_block);
    const Pairs p = pool_batch(pool, o.batch, draw, midpoints);
    const std::int64_t b = p.x.size(0);
    const auto z = encoder->forward(midpoints ? lg::cat({p.x, p.y, p.m}) : lg::cat({p.x, p.y}));
    const auto zx = z.narrow(0, 0, b), zy = z.narrow(0, b, b);
    auto loss = lg::mean(distortion_weight(ratios(zx, zy, p.d), o.distortion));
    if (midpoints) loss = loss + lg::mean(bending(zx, zy, z.narrow(0, 2 * b, b), p.d)) * lambda;
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    run.losses.push_back(loss.item());
    meter.step(run.losses.back(), b);
  }
  if (isatty(fileno(stdout))) std::printf("\n");
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  for (const Pairs& p : e.at_scale) run.trained.push_back(scale_stats(*encoder, p));
  run.bending = mean_bending(*encoder, e.at_scale[e.epsilon_index]);
  tangent_singular_values(*encoder, e, run);
  {
    const lg::NoGradGuard no_grad;
    run.grid_codes = encoder->forward(e.grid_images).to(lg::float64).to_vector<double>();
  }
  const auto l = static_cast<std::size_t>(s.code_size);
  if (s.label == "square") {
    const auto fit = affine_fit(run.grid_codes, l, e.grid_parameters.to_vector<double>());
    run.affine_s1 = fit[0], run.affine_s2 = fit[1], run.affine_residual = fit[2];
  } else {
    std::tie(run.radius, run.roundness) = sphere_fit(run.grid_codes, l);
    if (s.label == "circle") run.winding = winding_number(run.grid_codes);
  }

  // Interpolation: phi frozen, a decoder trained on the codes of the decoder images.
  lg::Tensor codes, zx, zy, zm;
  {
    const lg::NoGradGuard no_grad;
    codes = encoder->forward(e.decoder_images);
    zx = encoder->forward(e.interpolation.x);
    zy = encoder->forward(e.interpolation.y);
    zm = encoder->forward(e.interpolation.m);
  }
  lg::Generator decoder_init(static_cast<std::uint64_t>(o.seed) + 2);
  const auto decoder = make_decoder(s.code_size, s.pixels, decoder_init);
  lg::optim::Adam decoder_optimizer(decoder->named_parameters(), {.lr = o.lr});
  const std::int64_t n = codes.size(0), batch = std::min<std::int64_t>(o.batch, n);
  lg::Generator shuffle(static_cast<std::uint64_t>(o.seed) + 3);
  double tail = 0.0;
  for (std::int64_t step = 0; step < o.decoder_steps; ++step) {
    std::vector<std::int64_t> rows(static_cast<std::size_t>(batch));
    for (auto& r : rows) r = static_cast<std::int64_t>(shuffle.next_below(static_cast<std::uint64_t>(n)));
    const auto index = lg::from_vector(rows, {batch});
    const auto difference =
        decoder->forward(lg::index_select(codes, 0, index)) - lg::index_select(e.decoder_images, 0, index);
    const auto loss = lg::mean(difference * difference);
    decoder_optimizer.zero_grad();
    loss.backward();
    decoder_optimizer.step();
    if (step >= o.decoder_steps - std::max<std::int64_t>(1, o.decoder_steps / 10)) tail += loss.item();
  }
  run.decoder_loss = tail / static_cast<double>(std::max<std::int64_t>(1, o.decoder_steps / 10));
  {
    const lg::NoGradGuard no_grad;
    const auto lerp = decoder->forward((zx + zy) * 0.5);
    run.psnr_lerp = lg::mean(lg::data::psnr(lerp, e.interpolation.m)).item();
    run.psnr_code = lg::mean(lg::data::psnr(decoder->forward(zm), e.interpolation.m)).item();
    run.strip = lerp.narrow(0, 0, std::min<std::int64_t>(8, lerp.size(0)));
  }
  std::printf("%s  done in %.1f s: mean|ratio-1| %.3f -> %.3f at epsilon, tangent singular values %.3f..%.3f\n", name,
              run.seconds, run.initial[e.epsilon_index].mean, run.trained[e.epsilon_index].mean, run.sv_min,
              run.sv_max);
  std::fflush(stdout);
  return run;
}

// --- output -------------------------------------------------------------------------------------------------------

std::string number(double value, const char* format) {
  if (!std::isfinite(value)) return std::isnan(value) ? "" : (value > 0 ? "inf" : "-inf");
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char text[64];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

std::string cell(double value, const char* format, int width) {
  std::string text = std::isnan(value) ? "-" : number(value, format);
  if (static_cast<int>(text.size()) < width) text.insert(0, static_cast<std::size_t>(width) - text.size(), ' ');
  return text;
}

struct ManifoldResult {
  Setup setup = {};
  EvalSet eval = {};
  std::int64_t pool_pairs = 0, pool_candidates = 0;
  std::vector<Run> runs = {};
};

void print_table(const std::vector<ManifoldResult>& results) {
  std::printf(
      "\nheld-out pairs; r = |phi(x) - phi(y)| / d, eps = the training scale; bending at eps; s = singular "
      "values of J_phi on the unit tangents; PSNR of decoded midpoints at 4 eps (dB)\n");
  std::printf(
      "manifold sampler     lambda  init|r-1|  |r-1|@eps  max@eps  |r-1|@eps/4  |r-1|@4eps   bending  "
      "s mean   s min   s max  radius/fit   PSNR lerp  PSNR m  blend  seconds\n");
  for (const ManifoldResult& result : results) {
    const std::size_t k = result.eval.epsilon_index;
    for (const Run& run : result.runs) {
      std::string fit = result.setup.label == "square"
                            ? number(run.affine_s1, "%.3f") + "," + number(run.affine_s2, "%.3f")
                            : number(run.radius, "%.4f");
      if (run.manifold == "circle") fit.append(" w").append(number(std::abs(run.winding), "%.0f"));
      std::printf("%-8s %-10s %7s %10s %10s %8s %12s %11s %9s %7s %7s %7s %11s %11s %7s %6s %8.1f\n",
                  run.manifold.c_str(), run.sampler.c_str(), lambda_text(run.lambda).c_str(),
                  cell(run.initial[k].mean, "%.3f", 10).c_str(), cell(run.trained[k].mean, "%.4f", 10).c_str(),
                  cell(run.trained[k].max, "%.3f", 8).c_str(), cell(run.trained[k - 2].mean, "%.4f", 12).c_str(),
                  cell(run.trained[k + 2].mean, "%.4f", 11).c_str(), cell(run.bending, "%.3g", 9).c_str(),
                  cell(run.sv_mean, "%.3f", 7).c_str(), cell(run.sv_min, "%.3f", 7).c_str(),
                  cell(run.sv_max, "%.3f", 7).c_str(), fit.c_str(), cell(run.psnr_lerp, "%.2f", 11).c_str(),
                  cell(run.psnr_code, "%.2f", 7).c_str(), cell(result.eval.blend_psnr, "%.2f", 6).c_str(), run.seconds);
    }
  }
}

void write_results(const Options& o, const std::vector<ManifoldResult>& results) {
  std::ofstream csv(o.out + "/results.csv");
  csv << "manifold,sampler,lambda,distortion_w,image_size,steps,batch,epsilon,seconds,final_loss";
  for (const double f : {0.125, 0.25, 0.5, 1.0, 2.0, 4.0}) {
    const std::string tag = "@" + number(f, "%g") + "eps";
    csv << ",init_mean_dev" << tag << ",mean_dev" << tag << ",max_dev" << tag << ",mean_ratio" << tag;
  }
  csv << ",bending_init,bending,sv_mean,sv_min,sv_max,fit_radius,fit_roundness,winding,affine_s1,affine_s2,"
         "affine_residual,decoder_loss,psnr_lerp,psnr_true_code,psnr_pixel_blend,interpolation_distance\n";
  for (const ManifoldResult& result : results)
    for (const Run& run : result.runs) {
      csv << run.manifold << ',' << run.sampler << ',' << lambda_text(run.lambda) << ',' << o.distortion << ','
          << o.image_size << ',' << o.steps << ',' << o.batch << ',' << number(result.setup.epsilon, "%.6f") << ','
          << number(run.seconds, "%.2f") << ',' << number(run.losses.back(), "%.6e");
      for (std::size_t k = 0; k < run.trained.size(); ++k)
        csv << ',' << number(run.initial[k].mean, "%.6e") << ',' << number(run.trained[k].mean, "%.6e") << ','
            << number(run.trained[k].max, "%.6e") << ',' << number(run.trained[k].mean_ratio, "%.6f");
      csv << ',' << number(run.bending_initial, "%.6e") << ',' << number(run.bending, "%.6e") << ','
          << number(run.sv_mean, "%.6f") << ',' << number(run.sv_min, "%.6f") << ',' << number(run.sv_max, "%.6f")
          << ',' << number(run.radius, "%.6f") << ',' << number(run.roundness, "%.6f") << ','
          << number(run.winding, "%.4f") << ','
          << number(run.affine_s1, "%.6f") << ',' << number(run.affine_s2, "%.6f") << ','
          << number(run.affine_residual, "%.6f") << ',' << number(run.decoder_loss, "%.6e") << ','
          << number(run.psnr_lerp, "%.4f") << ',' << number(run.psnr_code, "%.4f") << ','
          << number(result.eval.blend_psnr, "%.4f") << ',' << number(result.eval.interpolation_distance, "%.6f")
          << '\n';
    }
  std::ofstream json(o.out + "/results.json");
  json << "{\n  \"paper\": \"Braunsmann, Rajkovic, Rumpf and Wirth, Convergent autoencoder approximation of low "
          "bending and low distortion manifold embeddings, ESAIM M2AN 2024, arXiv 2208.10193\",\n"
       << "  \"distortion_w\": \"" << o.distortion << "\", \"image_size\": " << o.image_size
       << ", \"steps\": " << o.steps << ", \"batch\": " << o.batch << ", \"lr\": " << o.lr
       << ", \"epsilon_fraction\": " << o.epsilon_fraction << ", \"decoder_steps\": " << o.decoder_steps
       << ", \"eval_pairs\": " << o.eval_pairs << ", \"seed\": " << o.seed << ", \"threads\": " << o.threads
       << ", \"quick\": " << (o.quick ? "true" : "false") << ",\n  \"manifolds\": [\n";
  for (std::size_t r = 0; r < results.size(); ++r) {
    const ManifoldResult& result = results[r];
    json << "    {\"manifold\": \"" << result.setup.label << "\", \"code_size\": " << result.setup.code_size
         << ", \"epsilon\": " << json_number(result.setup.epsilon) << ", \"scales\": [";
    for (std::size_t k = 0; k < result.eval.scales.size(); ++k)
      json << (k ? ", " : "") << json_number(result.eval.scales[k]);
    json << "], \"neighbour_sample\": " << result.setup.sample_points << ", \"neighbour_pairs\": " << result.pool_pairs
         << ", \"neighbour_pairs_within_epsilon\": " << result.pool_candidates
         << ", \"interpolation_distance\": " << json_number(result.eval.interpolation_distance)
         << ", \"psnr_pixel_blend\": " << json_number(result.eval.blend_psnr) << ",\n     \"runs\": [\n";
    for (std::size_t i = 0; i < result.runs.size(); ++i) {
      const Run& run = result.runs[i];
      const auto series = [&](const std::vector<ScaleStats>& stats, auto field) {
        std::string text = "[";
        for (std::size_t k = 0; k < stats.size(); ++k) text.append(k ? ", " : "").append(json_number(stats[k].*field));
        return text.append("]");
      };
      json << "      {\"sampler\": \"" << run.sampler << "\", \"lambda\": " << json_number(run.lambda)
           << ", \"seconds\": " << json_number(run.seconds) << ", \"final_loss\": " << json_number(run.losses.back())
           << ",\n       \"init_mean_dev\": " << series(run.initial, &ScaleStats::mean)
           << ", \"mean_dev\": " << series(run.trained, &ScaleStats::mean)
           << ", \"max_dev\": " << series(run.trained, &ScaleStats::max)
           << ", \"mean_ratio\": " << series(run.trained, &ScaleStats::mean_ratio)
           << ",\n       \"bending_init\": " << json_number(run.bending_initial)
           << ", \"bending\": " << json_number(run.bending)
           << ", \"tangent_singular_values\": {\"mean\": " << json_number(run.sv_mean)
           << ", \"min\": " << json_number(run.sv_min) << ", \"max\": " << json_number(run.sv_max)
           << "}, \"fit_radius\": " << json_number(run.radius) << ", \"fit_roundness\": " << json_number(run.roundness)
           << ", \"winding\": " << json_number(run.winding)
           << ", \"affine_singular_values\": [" << json_number(run.affine_s1) << ", " << json_number(run.affine_s2)
           << "], \"affine_residual\": " << json_number(run.affine_residual)
           << ",\n       \"decoder_loss\": " << json_number(run.decoder_loss)
           << ", \"psnr_lerp\": " << json_number(run.psnr_lerp)
           << ", \"psnr_true_code\": " << json_number(run.psnr_code) << "}"
           << (i + 1 < result.runs.size() ? ",\n" : "\n");
    }
    json << "     ]}" << (r + 1 < results.size() ? ",\n" : "\n");
  }
  json << "  ]\n}\n";
}

void write_pictures(const Options& o, const std::vector<ManifoldResult>& results) {
  std::vector<std::string> written;
  for (const ManifoldResult& result : results) {
    const Setup& s = result.setup;
    const EvalSet& e = result.eval;
    // Codes of the grid, coloured by the label bins of the parameter (sphere: the top two principal axes).
    for (const Run& run : result.runs) {
      const auto g = e.grid_labels.size(0);
      auto codes = lg::from_vector(run.grid_codes, {g, s.code_size}, lg::float64);
      std::string how = "z1, z2";
      if (s.code_size > 2) {
        codes = lg::matmul(codes - lg::mean(codes, {0}, true), examples::principal_axes(codes, 2));
        how = "top two principal axes";
      }
      const std::string file = "codes_" + s.label + "_" + run.sampler + "_lambda" + lambda_text(run.lambda) + ".png";
      const std::string colour = s.label == "circle" ? "theta" : s.label == "square" ? "x" : "height u_z";
      lg::data::save_scatter_plot(o.out + "/" + file, codes, e.grid_labels,
                                  run_name(run) + ": codes (" + how + "), colour = " + colour + " bin", 640, 560);
      written.push_back(file);
    }
    // Mean |ratio - 1| against scale, every run, and the round circle (sphere) of radius 1 for reference.
    std::vector<lg::data::PlotSeries> series;
    for (const Run& run : result.runs) {
      lg::data::PlotSeries line{run.sampler + " lambda=" + lambda_text(run.lambda), e.scales, {}};
      for (const ScaleStats& stats : run.trained) line.y.push_back(stats.mean);
      series.push_back(line);
    }
    if (!result.runs.empty()) {
      lg::data::PlotSeries initial{"initialisation", e.scales, {}};
      for (const ScaleStats& stats : result.runs.front().initial) initial.y.push_back(stats.mean);
      series.push_back(initial);
    }
    if (s.label != "square") {
      lg::data::PlotSeries round{"unit circle: 1 - 2 sin(d/2)/d", e.scales, {}};
      for (const double d : e.scales) round.y.push_back(1.0 - 2.0 * std::sin(d / 2.0) / d);
      series.push_back(round);
    }
    const std::string scale_file = "distortion_vs_scale_" + s.label + ".png";
    lg::data::save_line_plot(o.out + "/" + scale_file, series,
                             {.title = s.label +
                                       ": mean |ratio - 1| on held-out pairs against their distance d "
                                       "(training scale eps = " +
                                       number(s.epsilon, "%.3f") + ")",
                              .x_label = "geodesic distance d",
                              .y_label = "mean |r - 1|",
                              .log_y = true,
                              .width = 900,
                              .height = 560});
    written.push_back(scale_file);
    // Interpolation strips, one per sampler: x, y, the pixel blend, the true midpoint, then each lambda's decoded
    // latent midpoint.
    std::vector<std::string> samplers;
    for (const Run& run : result.runs)
      if (std::find(samplers.begin(), samplers.end(), run.sampler) == samplers.end()) samplers.push_back(run.sampler);
    const std::int64_t columns = std::min<std::int64_t>(8, e.interpolation.x.size(0));
    for (const std::string& sampler : samplers) {
      std::vector<lg::Tensor> rows = {e.interpolation.x.narrow(0, 0, columns), e.interpolation.y.narrow(0, 0, columns),
                                      ((e.interpolation.x + e.interpolation.y) * 0.5).narrow(0, 0, columns),
                                      e.interpolation.m.narrow(0, 0, columns)};
      std::vector<std::string> labels = {"x", "y", "(x+y)/2", "true mid"};
      for (const Run& run : result.runs)
        if (run.sampler == sampler) {
          rows.push_back(run.strip);
          labels.push_back("lambda " + lambda_text(run.lambda));
        }
      const auto images = lg::cat(rows).reshape({-1, 1, o.image_size, o.image_size});
      const std::string file = "interpolation_" + s.label + "_" + sampler + ".png";
      lg::data::save_image_grid(o.out + "/" + file, images,
                                {.columns = columns,
                                 .padding = 1,
                                 .scale = 3,
                                 .title = s.label + ", " + sampler + ": decoded latent midpoints at d = " +
                                          number(e.interpolation_distance, "%.2f"),
                                 .row_labels = labels});
      written.push_back(file);
    }
    // Training losses.
    std::vector<lg::data::PlotSeries> losses;
    for (const Run& run : result.runs) {
      lg::data::PlotSeries line{run.sampler + " lambda=" + lambda_text(run.lambda), {}, {}};
      for (std::size_t k = 0; k < run.losses.size(); ++k) {
        line.x.push_back(static_cast<double>(k + 1));
        line.y.push_back(run.losses[k]);
      }
      losses.push_back(line);
    }
    if (!losses.empty()) {
      const std::string file = "loss_" + s.label + ".png";
      lg::data::save_line_plot(o.out + "/" + file, losses,
                               {.title = s.label + ": training loss W + lambda bending (" + o.distortion + " W)",
                                .x_label = "Adam step",
                                .y_label = "loss",
                                .log_y = true,
                                .width = 900});
      written.push_back(file);
    }
  }
  std::printf("\nwrote results.csv, results.json and");
  for (const auto& file : written) std::printf(" %s", file.c_str());
  std::printf(" into %s\n", o.out.c_str());
}

// The facts --quick (and every run) asserts, which hold whatever the seed even after a short training; returns the
// failures. (1) Training lowers the held-out distortion: mean |ratio - 1| at epsilon below 3/4 of the
// initialisation's, every run. (2) On the flat square with lambda > 0 by a wide margin: below half of it. (3) The
// bending term works: with lambda >= 1 the held-out bending is below a third of the lambda = 0 run's (same
// manifold and sampler). A fully trained run does far better (docs/papers/flat_embedding.md).
std::vector<std::string> check_results(const std::vector<ManifoldResult>& results) {
  std::vector<std::string> failures;
  for (const ManifoldResult& result : results) {
    const std::size_t k = result.eval.epsilon_index;
    for (const Run& run : result.runs) {
      const double before = run.initial[k].mean, after = run.trained[k].mean;
      if (!std::isfinite(run.losses.back())) failures.push_back(run_name(run) + ": the loss is not finite");
      if (!(after < 0.75 * before))
        failures.push_back(run_name(run) + ": mean |ratio - 1| at eps " + number(after, "%.4f") +
                           " is not below 3/4 of the initialisation's " + number(before, "%.4f"));
      if (run.manifold == "square" && run.lambda > 0.0 && !(after < 0.5 * before))
        failures.push_back(run_name(run) + ": mean |ratio - 1| at eps " + number(after, "%.4f") +
                           " is not below half of the initialisation's " + number(before, "%.4f"));
      if (run.lambda < 1.0) continue;
      for (const Run& flat : result.runs)
        if (flat.sampler == run.sampler && flat.lambda == 0.0 && !(run.bending < flat.bending / 3.0))
          failures.push_back(run_name(run) + ": bending " + number(run.bending, "%.4g") +
                             " is not below a third of lambda = 0's " + number(flat.bending, "%.4g"));
    }
  }
  return failures;
}

void run_all(const Options& o) {
  lg::set_num_threads(o.threads);
  std::filesystem::create_directories(o.out);
  std::printf(
      "flat_embedding: %lld x %lld images, encoder %lld-256-128-l (ELU), %lld Adam steps of %lld pairs "
      "(lr %g), W %s, eps = %g of the diameter, decoder %lld steps, seed %lld, %d threads\n",
      static_cast<long long>(o.image_size), static_cast<long long>(o.image_size),
      static_cast<long long>(o.image_size * o.image_size), static_cast<long long>(o.steps),
      static_cast<long long>(o.batch), o.lr, o.distortion.c_str(), o.epsilon_fraction,
      static_cast<long long>(o.decoder_steps), static_cast<long long>(o.seed), o.threads);
  const auto started = std::chrono::steady_clock::now();
  std::vector<ManifoldResult> results;
  for (const std::string& label : o.manifolds) {
    ManifoldResult result{.setup = make_setup(label, o)};
    const Setup& s = result.setup;
    std::printf("\n%s (%s): l = %lld, epsilon = %.4f; rendering the held-out pairs", label.c_str(),
                s.images->name().c_str(), static_cast<long long>(s.code_size), s.epsilon);
    std::fflush(stdout);
    result.eval = make_eval_set(s, o);
    std::map<std::string, PairPool> pools;
    for (const std::string& sampler : o.samplers) {
      lg::Generator generator(static_cast<std::uint64_t>(o.seed) * 104729 + (sampler == "tangent" ? 17 : 29));
      if (sampler == "tangent") {
        pools[sampler] = make_tangent_pool(s, o.tangent_pairs, generator);
        std::printf(", %lld tangent pairs", static_cast<long long>(o.tangent_pairs));
      } else {
        const PairPool& pool = pools[sampler] = make_neighbour_pool(s, o.max_pairs, generator);
        result.pool_pairs = pool.d.size(0), result.pool_candidates = pool.candidates;
        std::printf(", the neighbour pool (%lld points, %lld pairs in range, %lld kept)",
                    static_cast<long long>(s.sample_points), static_cast<long long>(pool.candidates),
                    static_cast<long long>(result.pool_pairs));
      }
      std::fflush(stdout);
    }
    std::printf(" (%.1f s)\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    for (const std::string& sampler : o.samplers)
      for (const double lambda : o.lambdas)
        result.runs.push_back(train_and_measure(o, s, result.eval, pools.at(sampler), sampler, lambda));
    results.push_back(std::move(result));
  }
  print_table(results);
  write_results(o, results);
  write_pictures(o, results);
  const auto failures = check_results(results);
  for (const auto& failure : failures) std::printf("CHECK FAILED: %s\n", failure.c_str());
  std::printf("total %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (!failures.empty())
    throw lg::ValueError("flat_embedding: " + std::to_string(failures.size()) + " check(s) failed");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "Low bending, low distortion (Braunsmann, Rajkovic, Rumpf and Wirth 2024): encoders trained to be flat "
      "isometries of images of a circle, a square and a sphere, and what bending does to interpolation."};
  app.add_flag("--quick", o.quick,
               "a small version for CI (16 x 16 images, lambda 0 and 1, 400 steps of 128 pairs, 2048 pairs a "
               "sampler, 200 decoder steps)");
  app.add_option("--manifold", o.manifolds, "circle, square and/or sphere (default all three)")
      ->check(CLI::IsMember({"circle", "square", "sphere"}));
  app.add_option("--lambda", o.lambdas, "bending weights lambda (default 0 0.1 1)")->check(CLI::Range(0.0, 1e6));
  app.add_option("--sampler", o.samplers, "pair samplers: tangent and/or neighbours (default both)")
      ->check(CLI::IsMember({"tangent", "neighbours"}));
  app.add_option("--distortion", o.distortion,
                 "W: quadratic (s - 1)^2 or symmetric (s - 1)^2 + (1/s - 1)^2 (default quadratic)")
      ->check(CLI::IsMember({"quadratic", "symmetric"}));
  app.add_option("--image-size", o.image_size, "image side in pixels (default 24)")->check(CLI::Range(16, 64));
  app.add_option("--steps", o.steps, "Adam steps per encoder (default 1200)")->check(CLI::Range(1, 10000000));
  app.add_option("--batch", o.batch, "pairs per step (default 256)")->check(CLI::Range(4, 65536));
  app.add_option("--lr", o.lr, "Adam's learning rate for encoder and decoder (default 0.001)")
      ->check(CLI::Range(1e-8, 1.0));
  app.add_option("--epsilon", o.epsilon_fraction, "training scale as a fraction of the diameter (default 0.08)")
      ->check(CLI::Range(0.01, 0.25));
  app.add_option("--sample-points", o.sample_points,
                 "neighbours sampler: points in the finite sample (default 256 circle, 1024 square, 1536 sphere)")
      ->check(CLI::Range(2, 20000));
  app.add_option("--max-pairs", o.max_pairs, "neighbours sampler: at most this many pairs kept (default 8192)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--tangent-pairs", o.tangent_pairs, "tangent sampler: independent pairs drawn (default 8192)")
      ->check(CLI::Range(64, 1000000));
  app.add_option("--decoder-steps", o.decoder_steps, "Adam steps of each interpolation decoder (default 1200)")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--eval-pairs", o.eval_pairs, "held-out pairs at each scale (default 512)")
      ->check(CLI::Range(8, 100000));
  app.add_option("--seed", o.seed, "seed for the data and the initial weights (default 0)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_option("--out", o.out, "output folder (default out/flat_embedding)");
  CLI11_PARSE(app, argc, argv);
  if (o.quick) {
    if (app.count("--lambda") == 0) o.lambdas = {0.0, 1.0};
    if (app.count("--image-size") == 0) o.image_size = 16;
    if (app.count("--steps") == 0) o.steps = 400;
    if (app.count("--batch") == 0) o.batch = 128;
    if (app.count("--decoder-steps") == 0) o.decoder_steps = 200;
    if (app.count("--eval-pairs") == 0) o.eval_pairs = 128;
    if (app.count("--max-pairs") == 0) o.max_pairs = 2048;
    if (app.count("--tangent-pairs") == 0) o.tangent_pairs = 2048;
  }
  try {
    run_all(o);
  } catch (const lg::Error& error) {
    std::fprintf(stderr, "flat_embedding: %s\n", error.what());
    return 1;
  }
  return 0;
}
