// train_strkm: Pandey, Fanuel, Schreurs and Suykens, "Disentangled
// Representation Learning and Generation with Manifold Optimization" (Neural
// Computation 2022, arXiv 2006.07046): the Stiefel restricted kernel machine
// (nn/autoencoders/stiefel_rkm.hpp) against a VAE and a beta-VAE built on the
// same networks (nn/autoencoders/strkm_networks.hpp), on MNIST, Fashion-MNIST
// or procedural sprites with known factors. docs/papers/strkm.md reports runs.
//
// The three models train for the same epochs on the same batches. The St-RKM's
// networks step by Adam and its U by Cayley ADAM, in one optimiser
// (optim/cayley_adam.hpp); ||U^T U - I||_F is measured after every step. After
// training U is recomputed from all training features and the latent Gaussian
// fitted (Cov(H) must come out diagonal). Then, for each model: SWD of as many
// generated images as there are evaluation images (8,000 by default), the
// reconstruction error, and on sprites DCI (Lasso) and MIG. It prints the table,
// writes results.csv and PNGs (traversals, samples, reconstructions, losses).
// --quick runs a small version on sprites and exits 1 unless its seed-independent
// checks hold (orthogonality at every step, Cov(H) diagonal, samples in [0, 1]).
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <latentgeo.hpp>

#include "evaluation.hpp"
#include "figures.hpp"
#include "training.hpp"

namespace {

namespace nn = lg::nn;
using namespace train_strkm;

struct Options {
  std::string dataset = "mnist";
  std::string loss = "split";
  std::string ae_error = "squared";
  std::string data_dir;
  std::string out = "out/train_strkm";
  std::int64_t capacity = 16;
  std::int64_t hidden = 256;
  std::int64_t features = 50;
  std::int64_t latent = 0;  // 0: 10 for MNIST / Fashion-MNIST, 5 for sprites
  std::int64_t epochs = 5;
  std::int64_t batch = 256;
  std::int64_t train_size = 0;  // 0: all of MNIST's 60,000, or 20,000 sprites
  std::int64_t eval_size = 8000;
  double lr = 1e-3;
  double u_lr = 1e-4;
  double lambda = 1.0;
  double sigma = 1e-3;
  double beta = 4.0;
  std::int64_t seed = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool resume = false;
  bool quick = false;
};

// Training images, evaluation images and (sprites only) the evaluation images' factors.
struct Data {
  lg::Tensor train, eval, factors;
};

Data load_data(const Options& o) {
  if (o.dataset == "sprites") {
    const lg::data::SpriteOptions sprites{.image_size = 28};
    const std::int64_t n = o.train_size > 0 ? o.train_size : 20000;
    const auto train = lg::data::sample_sprites(n, static_cast<std::uint64_t>(o.seed) * 2 + 1, sprites);
    const auto eval = lg::data::sample_sprites(o.eval_size, static_cast<std::uint64_t>(o.seed) * 2 + 2, sprites);
    return {train.dataset.images, eval.dataset.images, eval.factor_indices};
  }
  const bool mnist = o.dataset == "mnist";
  const auto train = mnist ? lg::data::load_mnist(lg::data::Split::train, o.data_dir)
                           : lg::data::load_fashion_mnist(lg::data::Split::train, o.data_dir);
  const auto test = mnist ? lg::data::load_mnist(lg::data::Split::test, o.data_dir)
                          : lg::data::load_fashion_mnist(lg::data::Split::test, o.data_dir);
  const std::int64_t n = o.train_size > 0 ? std::min(o.train_size, train.images.size(0)) : train.images.size(0);
  const std::int64_t eval = std::min(o.eval_size, test.images.size(0));
  return {train.images.narrow(0, 0, n).contiguous(), test.images.narrow(0, 0, eval).contiguous(), {}};
}

nn::StrkmLoss parse_loss(const std::string& name) {
  if (name == "deterministic") return nn::StrkmLoss::deterministic;
  return name == "noisy-u" ? nn::StrkmLoss::noisy_u : nn::StrkmLoss::split;
}

// The largest |Cov(H)_ij| / sqrt(Cov_ii Cov_jj) over i != j.
double off_diagonal_ratio(const lg::Tensor& h) {
  const auto c = lg::manifold::covariance(h.to(lg::float64)).to_vector<double>();
  const auto m = static_cast<std::size_t>(h.size(1));
  double worst = 0.0;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j)
      if (i != j) worst = std::max(worst, std::abs(c[i * m + j]) / std::sqrt(c[i * m + i] * c[j * m + j]));
  return worst;
}

int run(Options o) {
  lg::set_num_threads(o.threads);
  std::filesystem::create_directories(o.out);
  if (o.latent == 0) o.latent = o.dataset == "sprites" ? 5 : 10;
  const Data data = load_data(o);
  const std::int64_t channels = data.train.size(1), size = data.train.size(2);
  std::printf("%s: %lld training images, %lld evaluation images, %lldx%lld; capacity %lld, l = %lld, m = %lld, "
              "%lld epochs of batch %lld, %d threads\n",
              o.dataset.c_str(), static_cast<long long>(data.train.size(0)), static_cast<long long>(data.eval.size(0)),
              static_cast<long long>(size), static_cast<long long>(size), static_cast<long long>(o.capacity),
              static_cast<long long>(o.features), static_cast<long long>(o.latent), static_cast<long long>(o.epochs),
              static_cast<long long>(o.batch), o.threads);

  std::printf("St-RKM AE term: %s loss, %s error\n", o.loss.c_str(), o.ae_error.c_str());
  const nn::StrkmReconstructionError ae_error = o.ae_error == "cross-entropy"
                                                    ? nn::StrkmReconstructionError::cross_entropy
                                                    : nn::StrkmReconstructionError::squared;
  // Every model starts from weights drawn from the same seed.
  lg::Generator init(static_cast<std::uint64_t>(o.seed));
  nn::StiefelRkm strkm({.in_channels = channels, .image_size = size, .capacity = o.capacity, .hidden_size = o.hidden,
                        .feature_size = o.features, .latent_size = o.latent, .loss = parse_loss(o.loss),
                        .reconstruction_error = ae_error,
                        .lambda = o.lambda, .sigma = o.sigma, .generator = &init});
  const auto vae_options = [&](double beta) {
    return nn::VariationalAutoencoderOptions{.body = nn::VariationalBody::strkm, .in_channels = channels,
                                             .image_size = size, .latent_size = o.latent, .capacity = o.capacity,
                                             .feature_size = o.features, .strkm_hidden_size = o.hidden,
                                             .beta = beta, .generator = &init};
  };
  nn::VariationalAutoencoder vae(vae_options(1.0)), beta_vae(vae_options(o.beta));

  // The networks by Adam, U by Cayley ADAM with the re-orthonormalisation bound below the 1e-5 asked of U.
  nn::NamedParameters networks, basis;
  for (auto& entry : strkm.named_parameters()) (entry.first == "U" ? basis : networks).push_back(entry);
  lg::optim::CayleyAdam strkm_optimizer(networks, {.lr = o.lr, .beta2 = 0.999});
  strkm_optimizer.add_param_group(basis, {.lr = o.u_lr, .reorthonormalise_above = 1e-6});
  lg::optim::CayleyAdam vae_optimizer(vae.named_parameters(), {.lr = o.lr, .beta2 = 0.999});
  lg::optim::CayleyAdam beta_vae_optimizer(beta_vae.named_parameters(), {.lr = o.lr, .beta2 = 0.999});

  const auto schedule = [&](const std::string& file) {
    return Schedule{.epochs = o.epochs, .batch_size = o.batch, .seed = static_cast<std::uint64_t>(o.seed),
                    .checkpoint = o.out + "/" + file, .resume = o.resume};
  };
  TrainSpec strkm_spec{"St-RKM", "pca", "ae", &strkm, &strkm_optimizer,
                       [&](const lg::Tensor& x, lg::Generator& noise) {
                         const nn::StiefelRkmLoss l = strkm.loss(x, noise);
                         return LossTerms{l.total, l.pca.item(), l.reconstruction.item()};
                       },
                       [&] { return strkm.orthogonality_error(); }};
  const auto vae_spec = [](const std::string& name, nn::VariationalAutoencoder& model, lg::optim::Optimizer& opt) {
    return TrainSpec{name, "rec", "kl", &model, &opt,
                     [&model](const lg::Tensor& x, lg::Generator& noise) {
                       const nn::VariationalLoss l = model.loss(x, model.forward(x, noise));
                       return LossTerms{l.loss, l.reconstruction.item(), l.kl.item()};
                     },
                     {}};
  };
  std::vector<TrainHistory> histories;
  histories.push_back(train(strkm_spec, data.train, schedule("strkm.ckpt")));
  histories.push_back(train(vae_spec("VAE", vae, vae_optimizer), data.train, schedule("vae.ckpt")));
  histories.push_back(train(vae_spec("beta-VAE", beta_vae, beta_vae_optimizer), data.train,
                            schedule("beta_vae.ckpt")));

  // The recomputation of U from every training feature, and the latent Gaussian.
  const lg::Tensor features = in_batches([&](const lg::Tensor& x) { return strkm.features(x); }, data.train);
  const lg::Tensor feature_mean = lg::mean(features, {0}, true);
  const lg::Tensor h = strkm.recompute_basis(features);
  const double ratio = off_diagonal_ratio(h);
  const double drift_after = strkm.orthogonality_error();
  std::printf("after recompute_basis: Cov(H) largest off-diagonal / diagonal %.2e, ||U^T U - I||_F %.2e\n", ratio,
              drift_after);

  const auto strkm_codes = [&](const lg::Tensor& x) {
    return (strkm.features(x) - feature_mean).matmul(strkm.basis());
  };
  std::vector<ModelView> views{
      {"St-RKM", strkm_codes, [&](const lg::Tensor& x) { return strkm.decode(strkm_codes(x)); },
       [&](std::int64_t n, lg::Generator& g) { return strkm.sample(n, g); }}};
  for (nn::VariationalAutoencoder* model : {&vae, &beta_vae})
    views.push_back({model == &vae ? "VAE" : "beta-VAE",
                     [model](const lg::Tensor& x) { return model->encode(x).mean; },
                     [model](const lg::Tensor& x) { return model->decode(model->encode(x).mean); },
                     [model](std::int64_t n, lg::Generator& g) { return model->sample_prior(n, g); }});
  std::vector<Scores> scores;
  for (const ModelView& view : views)
    scores.push_back(score(view, data.eval, data.factors, static_cast<std::uint64_t>(o.seed) + 100));
  const std::int64_t shared = std::min(data.train.size(0), data.eval.size(0));
  const double reference_swd = image_swd(data.train.narrow(0, 0, shared), data.eval.narrow(0, 0, shared),
                                         static_cast<std::uint64_t>(o.seed) + 101);

  const Summary summary{o.dataset, histories, scores, reference_swd, ratio};
  print_table(summary, views);
  write_results(o.out, summary, views);
  write_figures(o.out, strkm, views, data.eval, summary);

  if (!o.quick) return 0;
  // Every parameter summed in float64, to all 17 digits: a resumed run must repeat these (check_run.sh).
  const std::vector<std::pair<const char*, const nn::Module*>> models{
      {"St-RKM", &strkm}, {"VAE", &vae}, {"beta-VAE", &beta_vae}};
  for (const auto& [name, model] : models) {
    double total = 0.0;
    for (const lg::Tensor& parameter : model->parameters()) total += lg::sum(parameter.to(lg::float64)).item();
    std::printf("  parameter sum of %s: %.17g\n", name, total);
  }
  bool passed = true;
  const auto check = [&](const char* what, bool ok) {
    std::printf("  check: %s %s\n", what, ok ? "ok" : "FAILED");
    passed = passed && ok;
  };
  check("||U^T U - I||_F <= 1e-5 after every Cayley ADAM step", histories[0].max_orthogonality <= 1e-5);
  check("Cov(H) diagonal after the recomputation (off-diagonal ratio < 1e-6)", ratio < 1e-6);
  check("U^T U = I after the recomputation (<= 1e-5)", drift_after <= 1e-5);
  bool in_range = true;
  for (const Scores& s : scores) in_range = in_range && s.sample_min >= 0.0 && s.sample_max <= 1.0;
  check("every generated pixel in [0, 1]", in_range);
  return passed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"St-RKM (Pandey et al. 2022) against a VAE and a beta-VAE with the same networks."};
  app.add_option("--dataset", o.dataset, "mnist, fashion-mnist or sprites")
      ->check(CLI::IsMember({"mnist", "fashion-mnist", "sprites"}));
  app.add_option("--loss", o.loss, "the St-RKM's AE term")->check(CLI::IsMember({"deterministic", "noisy-u", "split"}));
  app.add_option("--ae-error", o.ae_error,
                 "the St-RKM's reconstruction error: squared (the paper's) or cross-entropy (the VAEs' likelihood)")
      ->check(CLI::IsMember({"squared", "cross-entropy"}));
  app.add_option("--capacity", o.capacity, "c, channels of the first convolution (the paper: 64)")
      ->check(CLI::Range(1, 256));
  app.add_option("--epochs", o.epochs, "training epochs of each model")->check(CLI::Range(1, 100000));
  app.add_option("--seed", o.seed, "seed of the weights, the data order, the noise and the metrics")
      ->check(CLI::Range(0, 1 << 30));
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_option("--out", o.out, "output folder (checkpoints, results.csv, PNGs)");
  app.add_flag("--resume", o.resume, "continue from the checkpoints in --out");
  app.add_flag("--quick", o.quick, "a small run on sprites that checks what holds for every seed");
  app.add_option("--data-dir", o.data_dir, "folder with the IDX files (default: the installed places)");
  app.add_option("--train-size", o.train_size, "training images (0: all of MNIST, or 20,000 sprites)")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--eval-size", o.eval_size, "real images to compare the same number of samples with")
      ->check(CLI::Range(16, 10000));
  app.add_option("--batch-size", o.batch, "images per step")->check(CLI::Range(2, 10000));
  app.add_option("--lr", o.lr, "Adam's learning rate for the networks")->check(CLI::PositiveNumber);
  app.add_option("--u-lr", o.u_lr, "Cayley ADAM's learning rate for U")->check(CLI::PositiveNumber);
  app.add_option("--beta", o.beta, "the beta-VAE's weight of the KL term")->check(CLI::PositiveNumber);
  app.add_option("--sigma", o.sigma, "the noise of the noisy-u and split losses")->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);
  if (o.quick) {
    // Small enough for CI: tiny networks on a few hundred sprites.
    o.dataset = "sprites";
    o.capacity = std::min<std::int64_t>(o.capacity, 4);
    o.hidden = 32;
    o.epochs = std::min<std::int64_t>(o.epochs, 2);
    o.batch = 64;
    o.train_size = 512;
    o.eval_size = 256;
  }
  try {
    return run(o);
  } catch (const lg::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
