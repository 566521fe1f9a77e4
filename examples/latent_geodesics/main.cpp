// latent_geodesics: the geometry a VAE's decoder gives its 2-d latent plane
// ("Latent space oddity", Arvanitidis, Hansen and Hauberg, ICLR 2018).
// The decoder g maps the plane onto a surface in image space; measuring latent
// steps by the image change they cause gives the pullback metric
// G(z) = J_g(z)^T J_g(z) (manifold/pullback_metric.hpp). Where sqrt(det G), the
// magnification factor, is large, a small latent step changes the image a lot:
// typically between the classes' clusters. The shortest latent curves under G
// (geodesics, manifold/geodesic.hpp) bend around those regions, where the
// straight lines cut across them.
//
// It trains a VAE with a 2-d latent (or loads one with --checkpoint), then writes
//   geodesics.png  the latent plane over a heat map of log10 sqrt(det G), the
//                  encoded test points, and for each chosen pair the straight
//                  line and the geodesic between the codes of two test images;
//   strips.png     images decoded along each curve, the straight line above
//                  the geodesic;
//   metrics.json   each curve's length under G, straight and geodesic;
// and prints the lengths. With --metric bernoulli (the default) G is the metric
// of the decoder's mean (the Bernoulli means, pixel intensities), the one the
// curves' lengths use. With --metric gaussian the decoder is read as a Gaussian
// one, x ~ N(mu(z), sigma(z)^2): mu is the same mean, and sigma is an RBF
// variance head (manifold/rbf_variance.hpp) fitted to the squared residuals of
// the training images about their decoded means, at their codes; its variance
// grows away from the codes. G is then the expected metric
// J_mu^T J_mu + J_sigma^T J_sigma (the paper's eq. 7), large where sigma rises
// at the edges of the data, and the geodesics minimise the energy of the curve
// decoded to [mu(z), sigma(z)], whose length is the curve's length under G.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <latentgeo.hpp>

#include "../common/terminal_progress.hpp"

namespace {

namespace mf = lg::manifold;

struct Options {
  std::string checkpoint;  // empty: train one
  std::string dataset = "mnist";
  std::string data_dir;
  std::int64_t epochs = 5;
  std::int64_t pairs = 4;
  std::int64_t points = 24;
  std::int64_t iterations = 400;
  std::int64_t grid = 48;
  std::int64_t images = 2000;
  std::int64_t seed = 0;
  std::string metric = "bernoulli";
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string out = "out/latent_geodesics";
};

// Trains the VAE: MLP body 784-512-256-2, Bernoulli likelihood, Adam 1e-3, batch 128.
std::shared_ptr<lg::nn::VariationalAutoencoder> train(const Options& o, const lg::data::Dataset& data) {
  const auto seed = static_cast<std::uint64_t>(o.seed);
  lg::Generator init(seed), noise(seed + 2);
  auto model = std::make_shared<lg::nn::VariationalAutoencoder>(
      lg::nn::VariationalAutoencoderOptions{.latent_size = 2, .generator = &init});
  lg::optim::Adam optimizer(model->named_parameters(), {.lr = 1e-3});
  lg::data::DataLoader loader(data, {.batch_size = 128, .shuffle = true, .seed = seed + 1});
  lg::nn::ProgressMeter meter(o.epochs, loader.batches_per_epoch(), examples::terminal_progress());
  for (std::int64_t epoch = 0; epoch < o.epochs; ++epoch) {
    meter.start_epoch(epoch);
    while (auto batch = loader.next()) {
      const auto loss = model->loss(batch->images, model->forward(batch->images, noise)).loss;
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      meter.step(loss.item(), batch->images.size(0));
    }
  }
  return model;
}

std::shared_ptr<lg::nn::VariationalAutoencoder> load_vae(const std::string& path) {
  const auto saved = lg::nn::load_autoencoder(path);
  const auto* vae = std::get_if<std::shared_ptr<lg::nn::VariationalAutoencoder>>(&saved.model);
  if (vae == nullptr || (*vae)->latent_shape() != lg::Shape{2})
    throw lg::ValueError("latent_geodesics: " + path + " holds a " + lg::nn::autoencoder_kind(saved.model) +
                         "; it needs a variational_autoencoder with a 2-d latent (train_autoencoder --model vae "
                         "--latent 2)");
  return *vae;
}

// Resamples N curves [N, T + 1, 2] to `count` points each by index (the solver's points are near equally
// spaced in image distance, so this follows the curve's own pace).
lg::Tensor every_nth(const lg::Tensor& curves, std::int64_t count) {
  const std::int64_t last = curves.size(1) - 1;
  std::vector<std::int64_t> index;
  for (std::int64_t i = 0; i < count; ++i) index.push_back((i * last + (count - 1) / 2) / (count - 1));
  return lg::index_select(curves, 1, lg::from_vector(index, {count}));
}

std::vector<double> column(const lg::Tensor& points, std::int64_t c) {
  return points.narrow(1, c, 1).contiguous().to_vector<double>();
}

void run(const Options& o) {
  lg::set_num_threads(o.threads);
  std::filesystem::create_directories(o.out);
  const auto load = [&](lg::data::Split split) {
    return o.dataset == "fashion-mnist" ? lg::data::load_fashion_mnist(split, o.data_dir)
                                        : lg::data::load_mnist(split, o.data_dir);
  };
  const bool gaussian = o.metric == "gaussian";
  const auto test = load(lg::data::Split::test);
  std::optional<lg::data::Dataset> training;
  if (o.checkpoint.empty() || gaussian) training = load(lg::data::Split::train);
  const auto vae = o.checkpoint.empty() ? train(o, *training) : load_vae(o.checkpoint);
  vae->eval();

  // The decoder's mean as a map of float64 latent points to flat images [P, 784], for the metric and the curves.
  const mf::Decoder decoder = [&](const lg::Tensor& z) {
    const lg::Tensor images = vae->decode(z.to(lg::float32));
    return lg::reshape(images, {images.size(0), images.numel() / images.size(0)}).to(lg::float64);
  };

  // --metric gaussian: the RBF variance head, fitted on the codes of `images` training images and the squared
  // residuals of those images about their decoded means; the geodesics' decoder is then z -> [mu(z), sigma(z)].
  mf::RBFVariance head;
  mf::Decoder curve_decoder = decoder;
  if (gaussian) {
    const std::int64_t m = std::min(o.images, training->images.size(0));
    lg::Tensor train_codes, targets, means;
    {
      lg::NoGradGuard no_grad;
      const lg::Tensor images = training->images.narrow(0, 0, m);
      train_codes = vae->encode(images).mean.to(lg::float64);
      targets = lg::reshape(images, {m, images.numel() / m}).to(lg::float64);
      means = decoder(train_codes);
    }
    const std::int64_t centres = std::min<std::int64_t>(64, std::max<std::int64_t>(1, m / 5));
    std::printf("fitting the RBF variance head (%lld centres) on %lld training codes ...\n",
                static_cast<long long>(centres), static_cast<long long>(m));
    head = mf::RBFVariance::fit(train_codes, targets, means,
                                {.centres = centres, .seed = static_cast<std::uint64_t>(o.seed)});
    const lg::Function sigma = head.standard_deviation_map();
    curve_decoder = [decoder, sigma](const lg::Tensor& z) { return lg::cat({decoder(z), sigma(z)}, -1); };
    lg::NoGradGuard no_grad;
    const lg::Tensor at_codes = lg::mean(sigma(train_codes), {1});
    std::printf("  mean sigma over the pixels: %.4f to %.4f at the training codes, %.4f far away (1/sqrt(zeta))\n",
                lg::min(at_codes).item(), lg::max(at_codes).item(), 1.0 / std::sqrt(head.zeta()));
  }
  const auto metric_at = [&](const lg::Tensor& z) {
    return gaussian ? mf::gaussian_pullback_metric(decoder, head.standard_deviation_map(), z)
                    : mf::pullback_metric(decoder, z);
  };

  const std::int64_t n = std::min(o.images, test.images.size(0));
  lg::Tensor codes;
  {
    lg::NoGradGuard no_grad;
    codes = vae->encode(test.images.narrow(0, 0, n)).mean.to(lg::float64);
  }
  const auto xs = column(codes, 0), ys = column(codes, 1);
  const auto [x_min, x_max] = std::minmax_element(xs.begin(), xs.end());
  const auto [y_min, y_max] = std::minmax_element(ys.begin(), ys.end());
  const double x_pad = 0.1 * (*x_max - *x_min), y_pad = 0.1 * (*y_max - *y_min);
  const double x_low = *x_min - x_pad, x_high = *x_max + x_pad, y_low = *y_min - y_pad, y_high = *y_max + y_pad;

  // The magnification factor over a grid of the plane, cell centres, in batches of rows.
  std::printf("magnification factor on a %lld x %lld grid ...\n", static_cast<long long>(o.grid),
              static_cast<long long>(o.grid));
  const double cell_x = (x_high - x_low) / double(o.grid), cell_y = (y_high - y_low) / double(o.grid);
  const lg::Tensor grid = mf::latent_grid(x_low + cell_x / 2, x_high - cell_x / 2, y_low + cell_y / 2,
                                          y_high - cell_y / 2, o.grid, o.grid);
  std::vector<double> magnification;
  for (std::int64_t start = 0; start < grid.size(0); start += 256) {
    const auto block = grid.narrow(0, start, std::min<std::int64_t>(256, grid.size(0) - start));
    const auto values = mf::magnification_factor(metric_at(block)).to_vector<double>();
    magnification.insert(magnification.end(), values.begin(), values.end());
  }

  // Pairs: the first test image of class p and of class (p + 5) mod 10.
  const auto labels = test.labels.narrow(0, 0, n).to_vector<std::int64_t>();
  std::vector<std::int64_t> first(10, -1);
  for (std::int64_t i = 0; i < n; ++i)
    if (first[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])] < 0)
      first[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])] = i;
  std::vector<std::int64_t> from, to;
  for (std::int64_t p = 0; p < std::min<std::int64_t>(o.pairs, 5); ++p)
    if (first[static_cast<std::size_t>(p)] >= 0 && first[static_cast<std::size_t>(p + 5)] >= 0) {
      from.push_back(first[static_cast<std::size_t>(p)]);
      to.push_back(first[static_cast<std::size_t>(p + 5)]);
    }
  const auto pick = [&](const std::vector<std::int64_t>& rows) {
    return lg::index_select(codes, 0, lg::from_vector(rows, {static_cast<std::int64_t>(rows.size())}));
  };
  const lg::Tensor start = pick(from), end = pick(to);
  std::printf("geodesics between %zu pairs (%lld segments, up to %lld Adam steps, all pairs at once) ...\n",
              from.size(), static_cast<long long>(o.points), static_cast<long long>(o.iterations));
  const auto result = mf::geodesics(curve_decoder, start, end, {.points = o.points, .iterations = o.iterations});
  const auto straight = mf::straight_curves(start, end, o.points);
  const auto straight_lengths = result.straight_lengths.to_vector<double>();
  const auto geodesic_lengths = result.lengths.to_vector<double>();

  std::printf("\n pair  classes   straight length   geodesic length   geodesic / straight\n");
  for (std::size_t p = 0; p < from.size(); ++p)
    std::printf("  %3zu   %lld -> %lld   %15.3f   %15.3f   %19.3f\n", p,
                static_cast<long long>(labels[static_cast<std::size_t>(from[p])]),
                static_cast<long long>(labels[static_cast<std::size_t>(to[p])]), straight_lengths[p],
                geodesic_lengths[p], geodesic_lengths[p] / straight_lengths[p]);
  if (gaussian)
    std::printf("(lengths under the expected metric G = J_mu^T J_mu + J_sigma^T J_sigma: the lengths of the curves "
                "decoded to [mu, sigma])\n");
  else
    std::printf("(lengths under G: the decoded curves' lengths in image space, pixel intensities in [0, 1])\n");

  // The plane: heat map, points, and each pair's two curves.
  std::vector<lg::data::PlotSeries> series;
  lg::data::PlotSeries dots{"test codes", {}, {}};
  for (std::size_t i = 0; i < xs.size() && i < 600; ++i) {
    dots.x.insert(dots.x.end(), {xs[i], std::numeric_limits<double>::quiet_NaN()});
    dots.y.insert(dots.y.end(), {ys[i], std::numeric_limits<double>::quiet_NaN()});
  }
  series.push_back(dots);
  for (std::size_t p = 0; p < from.size(); ++p) {
    const auto index = static_cast<std::int64_t>(p);
    const auto line = straight.select(0, index), curve = result.curves.select(0, index);
    series.push_back({"pair " + std::to_string(p) + " straight", column(line, 0), column(line, 1)});
    series.push_back({"pair " + std::to_string(p) + " geodesic", column(curve, 0), column(curve, 1)});
  }
  lg::data::save_line_plot(
      o.out + "/geodesics.png", series,
      {.title = gaussian ? "log10 sqrt(det G), G of mu and RBF sigma (darker: larger): lines, geodesics"
                         : "latent plane on log10 sqrt(det G) (darker: larger): lines, geodesics",
       .x_label = "z1", .y_label = "z2", .width = 900, .height = 760,
       .background = {.values = magnification, .rows = o.grid, .columns = o.grid, .x_low = x_low,
                      .x_high = x_high, .y_low = y_low, .y_high = y_high, .log_scale = true}});

  // Strips: 10 images along each curve, straight above geodesic.
  const std::int64_t steps = 10;
  const lg::Tensor straight_points = every_nth(straight, steps), geodesic_points = every_nth(result.curves, steps);
  std::vector<lg::Tensor> rows;
  std::vector<std::string> row_labels;
  for (std::size_t p = 0; p < from.size(); ++p) {
    lg::NoGradGuard no_grad;
    for (const auto& [points, name] :
         {std::pair{straight_points, "straight"}, std::pair{geodesic_points, "geodesic"}}) {
      rows.push_back(vae->decode(points.select(0, static_cast<std::int64_t>(p)).to(lg::float32)));
      row_labels.push_back(std::to_string(p) + " " + name);
    }
  }
  lg::data::save_image_grid(o.out + "/strips.png", lg::cat(rows, 0),
                            {.columns = steps, .title = "decoded along each pair's straight line and geodesic",
                             .row_labels = row_labels});

  std::ofstream json(o.out + "/metrics.json");
  json << "{\n  \"metric\": \"" << o.metric << "\",\n  \"pairs\": [\n";
  for (std::size_t p = 0; p < from.size(); ++p)
    json << "    {\"from_class\": " << labels[static_cast<std::size_t>(from[p])]
         << ", \"to_class\": " << labels[static_cast<std::size_t>(to[p])] << ", \"straight_length\": "
         << straight_lengths[p] << ", \"geodesic_length\": " << geodesic_lengths[p] << "}"
         << (p + 1 < from.size() ? ",\n" : "\n");
  json << "  ],\n  \"solver_iterations\": " << result.iterations << "\n}\n";
  std::printf("\nwrote %s/{geodesics,strips}.png and metrics.json\n", o.out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Geodesics in a VAE's 2-d latent plane under the decoder's pullback metric."};
  app.add_option("--checkpoint", o.checkpoint, "a VAE with a 2-d latent from train_autoencoder (default: train one)");
  app.add_option("--dataset", o.dataset, "mnist or fashion-mnist")->check(CLI::IsMember({"mnist", "fashion-mnist"}));
  app.add_option("--data-dir", o.data_dir, "folder with the IDX files (default: the installed places)");
  app.add_option("--epochs", o.epochs, "training epochs when no checkpoint is given")->check(CLI::Range(1, 1000));
  app.add_option("--pairs", o.pairs, "pairs of test images joined (1 to 5)")->check(CLI::Range(1, 5));
  app.add_option("--points", o.points, "segments per curve")->check(CLI::Range(2, 1000));
  app.add_option("--iterations", o.iterations, "Adam steps of the geodesic solver")->check(CLI::Range(0, 100000));
  app.add_option("--grid", o.grid, "cells per side of the magnification map")->check(CLI::Range(4, 400));
  app.add_option("--images", o.images, "test images encoded")->check(CLI::Range(20, 10000));
  app.add_option("--metric", o.metric,
                 "bernoulli: G of the decoder's mean; gaussian: the expected metric of the mean and an RBF variance "
                 "head fitted to the training residuals")
      ->check(CLI::IsMember({"bernoulli", "gaussian"}));
  app.add_option("--seed", o.seed, "seed for the weights and the data order")->check(CLI::NonNegativeNumber);
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_option("--out", o.out, "output folder");
  CLI11_PARSE(app, argc, argv);
  try {
    run(o);
  } catch (const lg::Error& error) {
    std::fprintf(stderr, "latent_geodesics: %s\n", error.what());
    return 1;
  }
  return 0;
}
