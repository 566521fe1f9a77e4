// latent_strata: Shrivastava, Rameshan and Agnihotri, "Latent Space
// Characterization of Autoencoder Variants" (arXiv 2412.04755, 2024), on MNIST
// or Fashion-MNIST. docs/papers/latent_strata.md reports full runs.
//
// Three autoencoders share one convolutional encoder with a 64 x 7 x 7 latent (models.hpp): a conv AE,
// a denoising AE and a VAE with 1 x 1-conv heads. Each latent Z becomes three mode covariances
// (S_1 64 x 64, S_2 7 x 7, S_3 7 x 7), a point of a product of PSD manifolds. For each model and each
// test noise level sigma (Gaussian noise added to the test images, clipped to [0, 1]) the program
// measures:
//   - the rank view (strata.hpp): the histogram of rank triples at three tolerances, the number of
//     strata, the share of inputs where each factor is positive definite, the smallest eigenvalue;
//     for the VAE both for its sample mu + sigma eps and for its mean mu;
//   - the Hilbert view (hilbert.hpp): the log-Euclidean Gaussian kernel, kernel PCA (components for 95%
//     and 99% of the energy) and the principal angles between each noisy subspace and the clean one;
//     the VAE's sample uses the same eps for an image at every noise level, so only the input changes;
//   - the reconstruction PSNR against the clean image.
// It checks what holds whatever the seed or training (every rank within its bound, the ranks growing as
// the tolerance shrinks, its rank counts equal to lg::manifold::latent_stratum's, the library's kernel
// equal to its own, the clean subspace at angle 0 to itself, finite PSNR) and exits 1 if one fails.
// It writes strata.csv, summary.csv, subspaces.csv, psnr.csv, results.json and PNGs into --out.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <latentgeo.hpp>

#include "hilbert.hpp"
#include "models.hpp"
#include "report.hpp"
#include "strata.hpp"

namespace {

using namespace latent_strata;

struct Options {
  std::string dataset = "mnist";
  std::string data_dir = "";
  std::int64_t epochs = 3;
  std::int64_t train_images = 60000;
  std::int64_t test_images = 1000;
  std::int64_t batch = 128;
  std::vector<double> noise = {0.0, 0.05, 0.1, 0.2, 0.3, 0.5};
  std::vector<double> taus = {1e-4, 1e-6, 1e-8};
  std::int64_t seed = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string out = "out/latent_strata";
  bool quick = false;
};

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The checks that hold whatever the seed and however well the models trained.
std::vector<std::string> check_results(const Results& r, const std::vector<std::vector<lg::Tensor>>& latents,
                                       const std::vector<lg::Tensor>& reconstructions_in_range) {
  std::vector<std::string> failures;
  const auto require = [&](bool condition, const std::string& what) {
    std::printf("  check: %-100s %s\n", what.c_str(), condition ? "ok" : "FAILED");
    if (!condition) failures.push_back(what);
  };
  bool within = true, monotone = true, agree = true;
  for (std::size_t l = 0; l < r.strata.size(); ++l)
    for (std::size_t i = 0; i < r.noise.size(); ++i) {
      const StrataSummary& s = r.strata[l][i];
      for (std::size_t k = 0; k < 3; ++k) within = within && s.largest_rank[k] <= s.bound[k];
      for (std::size_t t = 0; t + 1 < r.taus.size(); ++t)
        for (std::size_t n = 0; n < s.triples[t].size(); ++n)
          for (std::size_t k = 0; k < 3; ++k)
            monotone = monotone && (r.taus[t] > r.taus[t + 1] ? s.triples[t][n][k] <= s.triples[t + 1][n][k]
                                                              : s.triples[t][n][k] >= s.triples[t + 1][n][k]);
      // lg::manifold::latent_stratum at the main tolerance on the first 50 latents of the set.
      const std::size_t t = main_tau(r);
      const std::int64_t few = std::min<std::int64_t>(50, latents[l][i].size(0));
      const auto library = lg::manifold::latent_stratum(latents[l][i].narrow(0, 0, few), {.relative = r.taus[t]})
                               .to_vector<std::int64_t>();
      for (std::int64_t n = 0; n < few; ++n)
        for (std::size_t k = 0; k < 3; ++k)
          agree = agree && library[static_cast<std::size_t>(3 * n) + k] ==
                               s.triples[t][static_cast<std::size_t>(n)][k];
    }
  const StrataSummary& first = r.strata[0][0];
  require(within && first.bound[0] == 48 && first.bound[1] == 7 && first.bound[2] == 7,
          "every rank is at most its bound: min(C, HW - 1) = 48 for S_1, 7 for S_2 and S_3");
  require(monotone, "every rank grows (or stays) as the tolerance shrinks");
  require(agree, "the rank triples equal lg::manifold::latent_stratum's (first 50 latents of every set)");
  double self_angle = 0.0, mismatch = 0.0;
  bool energies = true;
  for (const HilbertSummary& h : r.hilbert) {
    self_angle = std::max(self_angle, h.self_angle);
    mismatch = std::max(mismatch, h.kernel_mismatch);
    for (const SubspaceRow& row : h.rows) energies = energies && row.components_for[0] <= row.components_for[1];
  }
  char text[160];
  std::snprintf(text, sizeof text, "the clean subspace's principal angles to itself are 0 (largest %.1e rad < 1e-4)",
                self_angle);
  require(self_angle < 1e-4, text);
  std::snprintf(text, sizeof text, "lg::manifold::log_euclidean_gaussian_gram equals the kernel used (%.1e < 1e-12)",
                mismatch);
  require(mismatch < 1e-12, text);
  require(energies, "99% of the energy never needs fewer components than 95%");
  bool finite = true;
  for (const auto& row : r.psnr)
    for (double value : row) finite = finite && std::isfinite(value);
  bool in_range = true;
  for (const lg::Tensor& x : reconstructions_in_range)
    in_range = in_range && lg::min(x).item() >= 0.0 && lg::max(x).item() <= 1.0;
  require(finite && in_range, "every PSNR is finite and every reconstruction lies in [0, 1]");
  return failures;
}

int run(const Options& o) {
  lg::set_num_threads(o.threads);
  std::filesystem::create_directories(o.out);
  const auto started = std::chrono::steady_clock::now();
  const auto load = [&](lg::data::Split split) {
    return o.dataset == "fashion-mnist" ? lg::data::load_fashion_mnist(split, o.data_dir)
                                        : lg::data::load_mnist(split, o.data_dir);
  };
  const lg::data::Dataset train = load(lg::data::Split::train), test = load(lg::data::Split::test);
  Results r{.dataset = o.dataset, .train_images = std::min(o.train_images, train.images.size(0)),
            .test_images = std::min(o.test_images, test.images.size(0)), .epochs = o.epochs, .seed = o.seed,
            .threads = o.threads, .noise = o.noise, .taus = o.taus};
  const lg::Tensor train_x = train.images.narrow(0, 0, r.train_images).contiguous();
  const lg::Tensor test_x = test.images.narrow(0, 0, r.test_images).contiguous();
  std::printf("%s: %lld training images, %lld test images; %lld epochs, batch %lld; %d threads, seed %lld%s\n",
              o.dataset.c_str(), static_cast<long long>(r.train_images), static_cast<long long>(r.test_images),
              static_cast<long long>(o.epochs), static_cast<long long>(o.batch), o.threads,
              static_cast<long long>(o.seed), o.quick ? " (quick)" : "");

  std::printf("\n[1/4] training the three models on one encoder trunk (Adam, lr 1e-3, the same minibatches)\n");
  const Models models = make_models(static_cast<std::uint64_t>(o.seed), 0.3);
  r.training = train_models(models, train_x,
                            {.epochs = o.epochs, .batch = o.batch, .seed = static_cast<std::uint64_t>(o.seed)});
  r.train_seconds = seconds(started);
  for (const TrainLog& log : r.training)
    std::printf("  %-40.40s final epoch loss %.4f (%.1f s)\n", log.name.c_str(), log.epoch_loss.back(), log.seconds);

  std::printf("\n[2/4] encoding %lld test images at %zu noise levels\n", static_cast<long long>(r.test_images),
              o.noise.size());
  const auto analysis_started = std::chrono::steady_clock::now();
  lg::Generator noise_generator(static_cast<std::uint64_t>(o.seed) + 100);
  std::vector<std::vector<lg::Tensor>> latents(latent_names.size());
  r.psnr.assign(model_names.size(), {});
  const std::int64_t shown = std::min<std::int64_t>(8, r.test_images);
  std::vector<lg::Tensor> picture = {test_x.narrow(0, 0, shown)}, reconstructions;
  std::vector<std::string> picture_rows = {"clean"};
  for (std::size_t i = 0; i < o.noise.size(); ++i) {
    const lg::Tensor noisy = add_noise(test_x, o.noise[i], noise_generator);
    lg::Generator eps_generator(static_cast<std::uint64_t>(o.seed) + 200);  // the same VAE eps at every level
    const Encoded encoded = encode(models, noisy, eps_generator);
    for (std::size_t l = 0; l < latent_names.size(); ++l) latents[l].push_back(encoded.latents[l]);
    for (std::size_t m = 0; m < model_names.size(); ++m) {
      r.psnr[m].push_back(lg::mean(lg::data::psnr(encoded.reconstructions[m], test_x)).item());
      reconstructions.push_back(encoded.reconstructions[m]);
    }
    if (i + 1 == o.noise.size() || (i > 0 && std::abs(o.noise[i] - 0.3) < 1e-12)) {
      char label[32];
      std::snprintf(label, sizeof label, "noisy %.2f", o.noise[i]);
      picture.push_back(noisy.narrow(0, 0, shown));
      picture_rows.push_back(label);
      for (std::size_t m = 0; m < model_names.size(); ++m) {
        picture.push_back(encoded.reconstructions[m].narrow(0, 0, shown));
        picture_rows.push_back(model_names[m]);
      }
    }
  }
  lg::data::save_image_grid(o.out + "/reconstructions.png", lg::cat(picture, 0),
                            {.columns = shown, .scale = 2, .title = "noisy inputs and what each model makes of them",
                             .row_labels = picture_rows});

  std::printf("[3/4] rank triples of the mode covariances (float64 eigh) at tau =");
  for (double tau : o.taus) std::printf(" %.0e", tau);
  std::printf("\n");
  r.strata.assign(latent_names.size(), {});
  for (std::size_t l = 0; l < latent_names.size(); ++l)
    for (const lg::Tensor& z : latents[l]) r.strata[l].push_back(strata_of(z, o.taus));

  std::printf("[4/4] log-Euclidean Gaussian kernels, kernel PCA and principal angles\n");
  for (std::size_t l = 0; l < latent_names.size(); ++l) r.hilbert.push_back(hilbert_view(latents[l]));
  r.analysis_seconds = seconds(analysis_started);
  std::printf("  analysis %.1f s\n", r.analysis_seconds);

  print_tables(r);
  write_tables(r, o.out);
  const std::vector<std::string> written = write_plots(r, o.out);
  std::printf("\nchecks that hold whatever the seed:\n");
  const std::vector<std::string> failures = check_results(r, latents, reconstructions);
  std::printf("\nwrote strata.csv, summary.csv, subspaces.csv, psnr.csv, results.json, reconstructions.png");
  for (const std::string& file : written) std::printf(", %s", file.c_str());
  std::printf(" into %s\ntotal %.1f s (training %.1f s, analysis %.1f s)\n", o.out.c_str(), seconds(started),
              r.train_seconds, r.analysis_seconds);
  if (!failures.empty()) {
    std::fprintf(stderr, "latent_strata: %zu check(s) failed\n", failures.size());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Latent space characterization (Shrivastava, Rameshan and Agnihotri 2024): the strata and "
               "Hilbert-space subspaces of conv, denoising and variational autoencoders' 64x7x7 latents."};
  app.add_flag("--quick", o.quick, "a small run for CI: 500 training images, 1 epoch, 150 test images");
  app.add_option("--dataset", o.dataset, "mnist or fashion-mnist (default mnist)")
      ->check(CLI::IsMember({"mnist", "fashion-mnist"}));
  app.add_option("--data-dir", o.data_dir, "folder holding the IDX files (default: the usual places)");
  app.add_option("--epochs", o.epochs, "epochs for each model (default 3)")->check(CLI::Range(1, 1000));
  app.add_option("--train-images", o.train_images, "training images, the first of the set (default 60000)")
      ->check(CLI::Range(100, 60000));
  app.add_option("--test-images", o.test_images, "test images analysed at each noise level (default 1000)")
      ->check(CLI::Range(20, 10000));
  app.add_option("--noise-levels", o.noise, "test noise sigmas; 0 is added first if missing "
                                            "(default 0 0.05 0.1 0.2 0.3 0.5)")
      ->check(CLI::Range(0.0, 10.0));
  app.add_option("--seed", o.seed, "seed of the weights, batches and noise (default 0)")->check(CLI::NonNegativeNumber);
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_option("--out", o.out, "output folder (default out/latent_strata)");
  CLI11_PARSE(app, argc, argv);
  if (o.quick) {
    if (app.count("--train-images") == 0) o.train_images = 500;
    if (app.count("--epochs") == 0) o.epochs = 1;
    if (app.count("--test-images") == 0) o.test_images = 150;
  }
  o.noise.erase(std::remove(o.noise.begin(), o.noise.end(), 0.0), o.noise.end());
  std::sort(o.noise.begin(), o.noise.end());
  o.noise.erase(std::unique(o.noise.begin(), o.noise.end()), o.noise.end());
  o.noise.insert(o.noise.begin(), 0.0);
  try {
    return run(o);
  } catch (const lg::Error& error) {
    std::fprintf(stderr, "latent_strata: %s\n", error.what());
    return 1;
  }
}
