// train_autoencoder: trains one of the library's autoencoders on MNIST or
// Fashion-MNIST and draws what it learned.
//   --model ae           MLP (784-512-256-latent, MSE) or conv (BCE) autoencoder
//   --model dae          the same bodies, trained to undo --noise-kind noise of level --noise
//   --model vae          VAE / beta-VAE (--beta), Bernoulli likelihood, MLP or conv body (conv: a flat
//                        latent, or with --spatial-latent one of --latent channels x 7 x 7)
//   --model contractive  the Jacobian penalty weighted by --lambda: --body mlp is one sigmoid layer,
//                        tied weights, closed-form penalty (a 512-d code by default); --body conv is
//                        the conv autoencoder's body, penalty by Hutchinson's one-probe estimate (a
//                        16-d code); --penalty picks closed-form, double-backward or hutchinson
// It writes into --out:
//   reconstructions.png  12 test inputs (top row) above their reconstructions
//   samples.png          VAE: 64 draws from the prior; others: decoded lines between two test codes
//   latent.png           the test codes on their two principal axes, by class
//   loss.png             each term of the objective per epoch, train and test
//   metrics.json         the settings; per epoch the terms, the test reconstruction MSE and (VAE) the
//                        test ELBO; at the end (VAE) the IWAE bound, k = 50 on 1000 test images, in nats
//   checkpoint.lgc       model, optimiser, data order and noise generator, for a bit-exact --resume;
//                        it records the model's kind and options, so lg::nn::load_autoencoder reads it
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>

#include <latentgeo.hpp>

#include "../common/principal_axes.hpp"
#include "../common/terminal_progress.hpp"
#include "models.hpp"
#include "pictures.hpp"
#include "run_state.hpp"

namespace {

struct Options {
  train::ModelSettings model;
  std::string dataset = "mnist";
  std::string data_dir;
  bool binarize = false;
  std::string out = "out/train_autoencoder";
  std::int64_t epochs = 10;
  std::int64_t batch_size = 128;
  double lr = 1e-3;
  std::int64_t seed = 0;  // read signed, so that -1 is refused instead of wrapping to 2^64 - 1
  std::int64_t limit = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool resume = false;
};

constexpr std::int64_t iwae_k = 50, iwae_images = 1000;

std::string exact(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

// The first option outside its range, as "--epochs must be at least 1, got -1", or "" when all are fine.
std::string out_of_range(const Options& o) {
  const auto at_least = [](const char* option, std::int64_t value, std::int64_t minimum) {
    return value >= minimum ? std::string{}
                            : std::string(option) + " must be at least " + std::to_string(minimum) + ", got " +
                                  std::to_string(value);
  };
  for (const std::string& problem :
       {at_least("--epochs", o.epochs, 1), at_least("--latent", o.model.latent, 1),
        at_least("--batch-size", o.batch_size, 1), at_least("--seed", o.seed, 0),
        at_least("--threads", o.threads, 1), at_least("--limit", o.limit, 0)})
    if (!problem.empty()) return problem;
  const auto check = [](const char* option, double value, bool fine, const char* wanted) {
    if (fine && std::isfinite(value)) return std::string{};
    std::ostringstream message;
    message << option << " must be " << wanted << ", got " << value;
    return message.str();
  };
  const bool fraction = o.model.noise_kind != "gaussian";
  for (const std::string& problem :
       {check("--lr", o.lr, o.lr > 0.0, "a positive finite number"),
        check("--beta", o.model.beta, o.model.beta >= 0.0, "a finite number >= 0"),
        check("--lambda", o.model.lambda, o.model.lambda >= 0.0, "a finite number >= 0"),
        fraction ? check("--noise", o.model.noise, o.model.noise >= 0.0 && o.model.noise <= 1.0,
                         "a fraction in [0, 1] for masking and salt-and-pepper")
                 : check("--noise", o.model.noise, o.model.noise >= 0.0, "a finite sigma >= 0 for gaussian")})
    if (!problem.empty()) return problem;
  return {};
}

// The settings a checkpoint must agree with, keyed by option name.
std::map<std::string, std::string> run_settings(const Options& o) {
  return {{"model", o.model.model},         {"body", o.model.body},
          {"dataset", o.dataset},           {"binarize", o.binarize ? "true" : "false"},
          {"latent", std::to_string(o.model.latent)}, {"beta", exact(o.model.beta)},
          {"noise", exact(o.model.noise)},  {"noise-kind", o.model.noise_kind},
          {"lambda", exact(o.model.lambda)}, {"penalty", o.model.penalty},
          {"spatial-latent", o.model.spatial ? "true" : "false"},
          {"batch-size", std::to_string(o.batch_size)},
          {"lr", exact(o.lr)},              {"seed", std::to_string(o.seed)},
          {"limit", std::to_string(o.limit)}, {"threads", std::to_string(o.threads)}};
}

// The split, its first --limit images when set, thresholded at 0.5 with --binarize.
lg::data::Dataset load(const Options& o, lg::data::Split split) {
  auto data = o.dataset == "mnist" ? lg::data::load_mnist(split, o.data_dir)
                                   : lg::data::load_fashion_mnist(split, o.data_dir);
  if (o.limit > 0 && o.limit < data.images.size(0)) {
    data.images = data.images.narrow(0, 0, o.limit).contiguous();
    data.labels = data.labels.narrow(0, 0, o.limit).contiguous();
  }
  if (o.binarize) data.images = data.images > 0.5;  // 1 above 0.5, else 0
  return data;
}

struct Evaluation {
  std::map<std::string, double> terms;
  double reconstruction_mse = 0.0;
  std::optional<double> elbo;
};

// The loss terms (noise from a generator seeded the same each time), the noiseless reconstruction's
// MSE per pixel and, for the VAE, the ELBO (-(reconstruction + kl), whatever beta), over a whole set.
Evaluation evaluate(const train::TrainableModel& model, const lg::Tensor& images, std::uint64_t seed) {
  lg::NoGradGuard no_grad;
  lg::Generator noise(seed);
  Evaluation result;
  const std::int64_t n = images.size(0), batch = 500;
  double squared_error = 0.0;
  for (std::int64_t start = 0; start < n; start += batch) {
    const auto x = images.narrow(0, start, std::min(batch, n - start));
    const double weight = static_cast<double>(x.size(0)) / static_cast<double>(n);
    for (const auto& [name, value] : model.terms(x, noise)) result.terms[name] += value.item() * weight;
    const auto error = model.reconstruct(x) - x;
    squared_error += lg::sum(error * error).item();
  }
  result.reconstruction_mse = squared_error / static_cast<double>(images.numel());
  if (model.variational()) result.elbo = -(result.terms["reconstruction"] + result.terms["kl"]);
  return result;
}

// The IWAE bound with k samples, averaged over the first `count` test images, in nats.
double iwae_bound(const lg::nn::VariationalAutoencoder& vae, const lg::Tensor& images, std::int64_t count,
                  std::uint64_t seed) {
  lg::NoGradGuard no_grad;
  lg::Generator noise(seed);
  double total = 0.0;
  for (std::int64_t start = 0; start < count; start += 100) {
    const auto x = images.narrow(0, start, std::min<std::int64_t>(100, count - start));
    total += lg::sum(vae.importance_weighted_bound(x, iwae_k, noise)).item();
  }
  return total / static_cast<double>(count);
}

std::string format_terms(const std::map<std::string, double>& terms) {
  std::string text;
  char item[96];
  for (const auto& [name, value] : terms) {
    std::snprintf(item, sizeof item, "%s%s %.5f", text.empty() ? "" : ", ", name.c_str(), value);
    text += item;
  }
  return text;
}

// Trains from the checkpoint's epoch (or 0) to --epochs, saving a checkpoint after each epoch.
void run(const Options& o) {
  const auto seed = static_cast<std::uint64_t>(o.seed);
  lg::set_num_threads(o.threads);
  std::filesystem::create_directories(o.out);
  std::printf("loading %s ...\n", o.dataset.c_str());
  const auto train_set = load(o, lg::data::Split::train);
  const auto test_set = load(o, lg::data::Split::test);
  std::printf("%lld training and %lld test images%s, %d threads\n", static_cast<long long>(train_set.images.size(0)),
              static_cast<long long>(test_set.images.size(0)), o.binarize ? " (binarised)" : "", o.threads);

  lg::Generator init(seed);
  auto model = train::make_model(o.model, init);
  lg::optim::Adam optimizer(model->module().named_parameters(), {.lr = o.lr});
  lg::data::DataLoader loader(train_set, {.batch_size = o.batch_size, .shuffle = true, .seed = seed + 1});
  lg::Generator noise(seed + 2);  // corruption and reparameterisation during training
  const std::string checkpoint = o.out + "/checkpoint.lgc";
  train::RunState state{.settings = run_settings(o)};
  if (o.resume) {
    state = train::load_checkpoint(checkpoint, state.settings, model->module(), optimizer, loader);
    noise.set_state(state.generator_state);
    std::printf("resumed from %s after epoch %lld\n", checkpoint.c_str(), static_cast<long long>(state.epochs_done));
  }

  lg::nn::ProgressMeter meter(o.epochs, loader.batches_per_epoch(), examples::terminal_progress());
  for (std::int64_t epoch = state.epochs_done; epoch < o.epochs; ++epoch) {
    meter.start_epoch(epoch);
    std::map<std::string, double> sums;
    std::int64_t seen = 0;
    while (auto batch = loader.next()) {
      const auto terms = model->terms(batch->images, noise);
      optimizer.zero_grad();
      terms.at("loss").backward();
      optimizer.step();
      const auto b = batch->images.size(0);
      for (const auto& [name, value] : terms) sums[name] += value.item() * static_cast<double>(b);
      seen += b;
      meter.step(terms.at("loss").item(), b);
    }
    train::EpochRecord record{.epoch = epoch + 1, .seconds = meter.epoch_seconds()};
    for (const auto& [name, sum] : sums) record.train_terms[name] = sum / static_cast<double>(seen);
    const auto test = evaluate(*model, test_set.images, seed + 3);
    record.test_terms = test.terms;
    record.test_reconstruction_mse = test.reconstruction_mse;
    record.test_elbo = test.elbo;
    std::printf("epoch %lld: train %s | test %s | test MSE per pixel %.5f", static_cast<long long>(epoch + 1),
                format_terms(record.train_terms).c_str(), format_terms(record.test_terms).c_str(),
                test.reconstruction_mse);
    if (test.elbo) std::printf(" | test ELBO %.2f nats", *test.elbo);
    std::printf("\n");
    state.metrics.epochs.push_back(record);
    state.epochs_done = epoch + 1;
    state.generator_state = noise.state();
    train::save_checkpoint(checkpoint, state, model->handle(), optimizer, loader);
  }

  if (const auto* vae = model->variational()) {
    const auto count = std::min(iwae_images, test_set.images.size(0));
    state.metrics.test_iwae = iwae_bound(*vae, test_set.images, count, seed + 4);
    state.metrics.iwae_k = iwae_k;
    state.metrics.iwae_images = count;
    std::printf("test IWAE bound (k = %lld, %lld images): %.2f nats\n", static_cast<long long>(iwae_k),
                static_cast<long long>(count), *state.metrics.test_iwae);
  }
  const std::string name = o.model.model + " (" + o.model.body + ") on " + o.dataset;
  state.metrics.write_json(o.out + "/metrics.json", state.settings);
  train::draw_reconstructions(*model, test_set.images, name + ": test images and their reconstructions",
                              o.out + "/reconstructions.png");
  train::draw_samples(*model, test_set.images, seed + 5, name, o.out + "/samples.png");
  train::draw_latent_space(*model, test_set, name + ": test codes, 2 principal axes", examples::legend_names(o.dataset),
                           o.out + "/latent.png");
  train::draw_losses(state.metrics, name + ": loss terms per epoch", o.out + "/loss.png");
  std::printf("wrote %s/{reconstructions,samples,latent,loss}.png, metrics.json, checkpoint.lgc\n", o.out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Train an autoencoder (ae, dae, vae, contractive) on MNIST or Fashion-MNIST and draw what it learned."};
  app.add_option("--model", o.model.model, "ae, dae, vae or contractive")
      ->check(CLI::IsMember({"ae", "dae", "vae", "contractive"}));
  app.add_option("--body", o.model.body, "mlp or conv")->check(CLI::IsMember({"mlp", "conv"}));
  app.add_option("--dataset", o.dataset, "mnist or fashion-mnist")->check(CLI::IsMember({"mnist", "fashion-mnist"}));
  app.add_option("--data-dir", o.data_dir, "folder with the IDX files (default: the installed places)");
  app.add_flag("--binarize", o.binarize, "threshold the pixels at 0.5 (likelihoods comparable with published ones)");
  app.add_option("--beta", o.model.beta, "vae: weight of the KL term (>= 0; 1 is the VAE)");
  app.add_flag("--spatial-latent", o.model.spatial,
               "vae conv: a spatial latent of --latent channels x 7 x 7 with 1x1-conv heads (flat otherwise)");
  app.add_option("--noise", o.model.noise, "dae: gaussian sigma (>= 0) or corrupted fraction (in [0, 1])");
  app.add_option("--noise-kind", o.model.noise_kind, "dae: gaussian, masking or salt-and-pepper")
      ->check(CLI::IsMember({"gaussian", "masking", "salt-and-pepper"}));
  app.add_option("--lambda", o.model.lambda, "contractive: weight of the Jacobian penalty (>= 0)");
  app.add_option("--penalty", o.model.penalty,
                 "contractive: closed-form (mlp only), double-backward or hutchinson (default: closed-form for "
                 "mlp, hutchinson for conv)")
      ->check(CLI::IsMember({"closed-form", "double-backward", "hutchinson"}));
  auto* latent =
      app.add_option("--latent", o.model.latent, "size of the code (at least 1; default 16, contractive mlp 512)");
  app.add_option("--epochs", o.epochs, "passes over the training set (at least 1)");
  app.add_option("--batch-size", o.batch_size, "examples per step (at least 1)");
  app.add_option("--lr", o.lr, "Adam learning rate (positive)");
  app.add_option("--seed", o.seed, "seed for the weights, the data order and the noise (at least 0)");
  app.add_option("--limit", o.limit, "use only the first N training and test images, for quick runs (0: all)");
  app.add_option("--threads", o.threads, "CPU threads (OpenMP and OpenBLAS; at least 1)");
  app.add_option("--out", o.out, "output folder");
  app.add_flag("--resume", o.resume, "continue from <out>/checkpoint.lgc (the same settings, more --epochs)");
  try {
    app.parse(argc, argv);
    if (o.model.model == "contractive" && o.model.body == "mlp" && latent->count() == 0)
      o.model.latent = 512;  // Rifai et al.'s width
    if (const std::string problem = out_of_range(o); !problem.empty()) throw CLI::ValidationError(problem);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);  // the message on stderr, a nonzero exit code (0 for --help)
  }
  try {
    run(o);
  } catch (const lg::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
