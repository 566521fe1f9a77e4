// Quickstart: train an MLP autoencoder (784-512-256-32-256-512-784) on
// Fashion-MNIST or MNIST, then look at what it learned:
//   reconstructions.png  test inputs (top row) and their reconstructions (bottom)
//   interpolations.png   decoded straight lines between the codes of two test images
//   latent.png           the test codes projected on their two principal axes, by class
//   metrics.json         per-epoch train/test loss and seconds
//   checkpoint.lgc       model + optimiser + data order + RNG, for --resume
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <latentgeo.hpp>

#include "../common/terminal_progress.hpp"
#include "latent_pictures.hpp"
#include "training_state.hpp"

namespace {

struct Options {
  std::string dataset = "fashion-mnist";
  std::string data_dir;
  std::string out = "out/quickstart";
  std::int64_t epochs = 5;
  std::int64_t latent = 32;
  std::int64_t batch_size = 128;
  double lr = 1e-3;
  std::int64_t seed = 0;  // read signed, so that -1 is refused instead of wrapping to 2^64 - 1
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool resume = false;
};

lg::data::Dataset load(const Options& o, lg::data::Split split) {
  if (o.dataset == "mnist") return lg::data::load_mnist(split, o.data_dir);
  if (o.dataset == "fashion-mnist") return lg::data::load_fashion_mnist(split, o.data_dir);
  throw lg::ValueError("quickstart: --dataset must be mnist or fashion-mnist, got " + o.dataset);
}

// Mean squared error per pixel over a whole dataset, in batches, without a graph.
double test_loss(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test) {
  lg::NoGradGuard no_grad;
  double total = 0.0;
  const std::int64_t n = test.images.size(0), batch = 1000;
  for (std::int64_t start = 0; start < n; start += batch) {
    const auto x = test.images.narrow(0, start, std::min(batch, n - start));
    const auto out = model.forward(x);
    total += lg::sum((out.reconstruction - x) * (out.reconstruction - x)).item();
  }
  return total / static_cast<double>(test.images.numel());
}

// The first numeric option outside its range, as "--epochs must be at least 1, got -1", or "" when
// all are in range. Checked after parsing rather than with CLI11's PositiveNumber, whose message
// spells out its upper bound, the largest double, in 309 digits.
std::string out_of_range(const Options& o) {
  const auto at_least = [](const char* option, std::int64_t value, std::int64_t minimum) {
    return value >= minimum ? std::string{}
                            : std::string(option) + " must be at least " + std::to_string(minimum) + ", got " +
                                  std::to_string(value);
  };
  for (const std::string& problem :
       {at_least("--epochs", o.epochs, 1), at_least("--latent", o.latent, 1),
        at_least("--batch-size", o.batch_size, 1), at_least("--seed", o.seed, 0), at_least("--threads", o.threads, 1)})
    if (!problem.empty()) return problem;
  if (!(o.lr > 0.0) || !std::isfinite(o.lr)) {
    std::ostringstream message;
    message << "--lr must be a positive finite number, got " << o.lr;
    return message.str();
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Train an MLP autoencoder on real digits or clothes, and draw its latent space."};
  app.add_option("--dataset", o.dataset, "fashion-mnist or mnist")->check(CLI::IsMember({"fashion-mnist", "mnist"}));
  app.add_option("--data-dir", o.data_dir, "folder with the IDX files (default: the installed places)");
  app.add_option("--epochs", o.epochs, "passes over the training set (at least 1)");
  app.add_option("--latent", o.latent, "size of the code (at least 1)");
  app.add_option("--batch-size", o.batch_size, "examples per step (at least 1)");
  app.add_option("--lr", o.lr, "Adam learning rate (positive)");
  app.add_option("--seed", o.seed, "seed for the weights and the data order (at least 0)");
  app.add_option("--threads", o.threads, "CPU threads (OpenMP and OpenBLAS; at least 1)");
  app.add_option("--out", o.out, "output folder");
  app.add_flag("--resume", o.resume, "continue from <out>/checkpoint.lgc");
  try {
    app.parse(argc, argv);
    if (const std::string problem = out_of_range(o); !problem.empty()) throw CLI::ValidationError(problem);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);  // the message on stderr, a nonzero exit code (0 for --help)
  }
  const auto seed = static_cast<std::uint64_t>(o.seed);

  try {
    lg::set_num_threads(o.threads);
    std::filesystem::create_directories(o.out);
    std::printf("loading %s ...\n", o.dataset.c_str());
    const auto train = load(o, lg::data::Split::train);
    const auto test = load(o, lg::data::Split::test);
    std::printf("%lld training and %lld test images, %d threads\n", static_cast<long long>(train.images.size(0)),
                static_cast<long long>(test.images.size(0)), o.threads);

    lg::Generator init(seed);
    lg::nn::MlpAutoencoder model({.code_size = o.latent, .generator = &init});
    lg::optim::Adam optimizer(model.named_parameters(), {.lr = o.lr});
    lg::data::DataLoader loader(train, {.batch_size = o.batch_size, .shuffle = true, .seed = seed + 1});
    quickstart::Metrics metrics;
    const std::string checkpoint = o.out + "/checkpoint.lgc";
    std::int64_t first_epoch = 0;
    if (o.resume) {
      first_epoch = quickstart::restore(checkpoint, {o.dataset, o.latent, seed, o.threads}, model, optimizer,
                                        loader, metrics);
      std::printf("resumed from %s after epoch %lld\n", checkpoint.c_str(), static_cast<long long>(first_epoch));
    }

    lg::nn::ProgressMeter meter(o.epochs, loader.batches_per_epoch(), examples::terminal_progress());
    for (std::int64_t epoch = first_epoch; epoch < o.epochs; ++epoch) {
      meter.start_epoch(epoch);
      while (auto batch = loader.next()) {
        const auto output = model.forward(batch->images);
        const auto loss = model.loss(batch->images, output);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        meter.step(loss.item(), batch->images.size(0));
      }
      const double test_mse = test_loss(model, test);
      metrics.epochs.push_back({epoch + 1, meter.mean_loss(), test_mse, meter.epoch_seconds()});
      std::printf("epoch %lld: train loss %.5f, test MSE per pixel %.5f, %.1f s\n", static_cast<long long>(epoch + 1),
                  meter.mean_loss(), test_mse, meter.epoch_seconds());
      quickstart::save(checkpoint, {o.dataset, o.latent, seed, o.threads}, model, optimizer, loader, metrics,
                       epoch + 1);
    }

    metrics.write_json(o.out + "/metrics.json", o.dataset, o.latent, o.threads);
    quickstart::draw_reconstructions(model, test, o.out + "/reconstructions.png");
    quickstart::draw_interpolations(model, test, o.out + "/interpolations.png");
    quickstart::draw_latent_space(model, test, o.dataset, o.out + "/latent.png");
    std::printf("wrote %s/{reconstructions,interpolations,latent}.png, metrics.json, checkpoint.lgc\n", o.out.c_str());
    if (!metrics.epochs.empty())
      std::printf("final test reconstruction MSE per pixel: %.5f\n", metrics.epochs.back().test_loss);
  } catch (const lg::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
