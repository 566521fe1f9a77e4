// cae_sampling: Rifai, Bengio, Dauphin and Vincent, "A Generative Process for
// Sampling Contractive Auto-Encoders" (ICML 2012, arXiv 1206.6434), on MNIST.
// docs/papers/cae_sampling.md reports a full run.
//
// The model is a contractive autoencoder (CAE, Rifai et al. 2011) with one
// sigmoid layer and tied weights (nn/autoencoders/contractive_autoencoder.hpp):
//   h = f(x) = sigmoid(x W^T + b)        code, K units
//   r = g(h) = sigmoid(h W + c)          reconstruction in [0, 1]^784
//   L(x) = -sum_i [x_i log r_i + (1 - x_i) log(1 - r_i)] + lambda ||J(x)||_F^2,
//   J(x) = dh/dx = diag(h (1 - h)) W     [K, 784],
// trained on the first 50,000 MNIST training images.
//
// The sampler: the CAE's Jacobian is large only
// along the directions the data vary in near x (the tangent plane of the
// digit manifold), so a move in code space along J J^T eps stays near the
// manifold:
//   h = f(x_t),  eps ~ N(0, sigma^2 I_K),  h' = h + J J^T eps,  x_{t+1} = g(h').
// J J^T eps is computed as a vjp then a jvp of the encoder, J^T eps =
// lg::vjp(f, x, eps) and J (J^T eps) = lg::jvp(f, x, J^T eps), and checked against
// the closed form s * ((s * eps) W W^T) with s = h (1 - h). Every x_t is a
// sigmoid output, so it stays in [0, 1].
//
// What the program measures:
//   - the tangent directions: the leading right singular vectors of J at a few
//     test digits (lg::jacobian_svd), drawn as 28 x 28 images, the singular
//     spectrum, and a local dimension (singular values above 10% and 1% of the
//     largest); sum s_i^2 = ||J||_F^2 is checked against the closed form;
//   - the Parzen log-likelihood protocol (Breuleux et al. 2011, Goodfellow et
//     al. 2014, manifold/parzen.hpp) on 10,000 chain samples: bandwidth from
//     logspace(-1, 0, 10) on the last 1,000 training images, mean log p over the
//     10,000 test images +- std/sqrt(N); beside it the same score for 10,000
//     training images used as samples (an upper reference), for uniform noise
//     (a lower one), and the published figures; the chains are run and scored at --sigma and at each
//     value of --sweep (the score trades off against mixing as sigma changes);
//   - mixing: the digit classes a chain visits, judged by a small MLP trained here;
//   - the second layer (the paper's other claim): a CAE on the first layer's codes,
//     trained with and without a penalty making its code invariant to moves of h
//     along the first layer's directions, gamma E |f2(h) - f2(h + J1 J1^T eps)|^2,
//     and the test error of a linear (softmax) classifier on each representation.
// It writes results.csv, results.json and PNGs into --out.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <latentgeo.hpp>

#include "../common/terminal_progress.hpp"
#include "chains.hpp"

namespace {

namespace nn = lg::nn;
namespace mf = lg::manifold;
using namespace cae_sampling;

struct Options {
  double sigma = 1.0;
  std::vector<double> sweep = {0.1, 0.3};  // further chain noise levels, scored by Parzen and mixing only
  std::int64_t steps = 100;
  std::int64_t chains = 1000;
  std::int64_t seed = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string out = "out/cae_sampling";
  bool quick = false;
  std::string data_dir = "";
  // Training of the first layer.
  std::int64_t train_images = 50000;
  std::int64_t hidden = 1000;
  double lambda = 0.1;
  std::int64_t epochs = 12;
  double lr = 1e-3;
  std::int64_t batch = 100;
  // The second layer.
  std::int64_t hidden2 = 1000;
  std::int64_t epochs2 = 4;
  double invariance = 1.0;
  // Evaluation sizes.
  std::int64_t parzen_samples = 10000;
  std::int64_t parzen_validation = 1000;
  std::int64_t test_images = 10000;
  std::int64_t classifier_epochs = 3;
  std::int64_t probe_epochs = 10;
  std::int64_t tangent_digits = 4;
  std::int64_t tangents = 10;
  std::int64_t shown_chains = 10;
};

// The published Parzen log-likelihoods on MNIST (Table 1 of Goodfellow et al. 2014).
struct Published {
  const char* model;
  double mean, standard_error;
};
const Published published[] = {{"stacked CAE (Rifai et al. 2012)", 121, 1.6},
                               {"DBN (Bengio et al. 2013)", 138, 2},
                               {"deep GSN (Bengio et al. 2014)", 214, 1.1},
                               {"GAN (Goodfellow et al. 2014)", 225, 2}};

lg::Tensor flat(const lg::Tensor& images) {
  return lg::reshape(images, {images.size(0), images.numel() / images.size(0)});
}

// Per-epoch means of a CAE's objective and its two terms (and the invariance term, second layer only).
struct Curve {
  std::vector<double> total, reconstruction, penalty, invariance;
  double seconds = 0.0;
};

// Trains a tied sigmoid CAE on `inputs` [N, D] in [0, 1] with Adam on shuffled minibatches. When `gamma` > 0 the
// second-layer invariance term gamma * mean_b |f2(h) - f2(h + J1 J1^T eps)|^2 is added, with h = inputs rows, and
// J1 J1^T eps from the first layer's weight `first_weight` (eps ~ N(0, sigma^2)).
Curve train_cae(nn::ContractiveAutoencoder& cae, const lg::Tensor& inputs, const Options& o, std::int64_t epochs,
                std::uint64_t seed, double gamma = 0.0, const lg::Tensor& first_weight = {}) {
  Curve curve;
  lg::Generator generator(seed);
  lg::optim::Adam optimizer(cae.named_parameters(), {.lr = o.lr});
  const std::int64_t n = inputs.size(0), steps = (n + o.batch - 1) / o.batch;
  nn::ProgressMeter meter(epochs, steps, examples::terminal_progress(), 1.0);
  const auto started = std::chrono::steady_clock::now();
  for (std::int64_t epoch = 0; epoch < epochs; ++epoch) {
    meter.start_epoch(epoch);
    const lg::Tensor order = lg::randperm(n, &generator);
    double total = 0, reconstruction = 0, penalty = 0, invariance = 0;
    for (std::int64_t step = 0; step < steps; ++step) {
      const std::int64_t start = step * o.batch, count = std::min(o.batch, n - start);
      const lg::Tensor x = lg::index_select(inputs, 0, order.narrow(0, start, count));
      const auto output = cae.forward(x);
      const auto loss = cae.loss(x, output);
      lg::Tensor objective = loss.total;
      if (gamma > 0.0) {
        lg::Tensor moved;
        {
          lg::NoGradGuard no_grad;
          const lg::Tensor eps = lg::randn({count, first_weight.size(0)}, lg::float32, &generator) * o.sigma;
          moved = x + jjt_closed_form(x, first_weight, eps);
        }
        const lg::Tensor difference = output.code - cae.encode(moved);
        const lg::Tensor term = lg::mean(lg::sum(difference * difference, {1}));
        objective = objective + term * gamma;
        invariance += term.item();
      }
      optimizer.zero_grad();
      objective.backward();
      optimizer.step();
      total += objective.item();
      reconstruction += loss.reconstruction.item();
      penalty += loss.penalty.item();
      meter.step(objective.item(), count);
    }
    const auto per_step = static_cast<double>(steps);
    curve.total.push_back(total / per_step);
    curve.reconstruction.push_back(reconstruction / per_step);
    curve.penalty.push_back(penalty / per_step);
    if (gamma > 0.0) curve.invariance.push_back(invariance / per_step);
  }
  curve.seconds = seconds_since(started);
  return curve;
}

// The mean of |f2(h) - f2(h + J1 J1^T eps)|^2 over the rows of h (one draw each), no gradient.
double invariance_measure(const nn::ContractiveAutoencoder& second, const lg::Tensor& h, const lg::Tensor& weight,
                          double sigma, std::uint64_t seed) {
  lg::NoGradGuard no_grad;
  lg::Generator generator(seed);
  const lg::Tensor eps = lg::randn({h.size(0), weight.size(0)}, lg::float32, &generator) * sigma;
  const lg::Tensor difference = second.encode(h) - second.encode(h + jjt_closed_form(h, weight, eps));
  return lg::mean(lg::sum(difference * difference, {1})).item();
}

// f(x) for the rows of x, in blocks, no gradient.
lg::Tensor encode_all(const nn::ContractiveAutoencoder& cae, const lg::Tensor& x) {
  lg::NoGradGuard no_grad;
  std::vector<lg::Tensor> parts;
  for (std::int64_t start = 0; start < x.size(0); start += 5000)
    parts.push_back(cae.encode(rows(x, start, std::min<std::int64_t>(5000, x.size(0) - start))));
  return lg::cat(parts, 0);
}

// A small MLP 784-256-10 (ReLU) that judges which digit a chain sample shows.
struct Classifier {
  std::shared_ptr<nn::Sequential> model;
  double test_error = 0.0;
  double seconds = 0.0;
  lg::Tensor predict(const lg::Tensor& x) const {
    lg::NoGradGuard no_grad;
    return lg::argmax(model->forward(x), 1);
  }
};

Classifier train_classifier(const lg::Tensor& x, const lg::Tensor& labels, const lg::Tensor& test_x,
                            const lg::Tensor& test_labels, const Options& o) {
  lg::Generator generator(static_cast<std::uint64_t>(o.seed) + 300);
  const nn::LinearOptions linear{.generator = &generator};
  Classifier c;
  c.model = std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(784, 256, linear),
                                             std::make_shared<nn::ReLU>(),
                                             std::make_shared<nn::Linear>(256, 10, linear));
  lg::optim::Adam optimizer(c.model->named_parameters(), {.lr = 1e-3});
  const std::int64_t n = x.size(0), steps = (n + o.batch - 1) / o.batch;
  nn::ProgressMeter meter(o.classifier_epochs, steps, examples::terminal_progress(), 1.0);
  const auto started = std::chrono::steady_clock::now();
  for (std::int64_t epoch = 0; epoch < o.classifier_epochs; ++epoch) {
    meter.start_epoch(epoch);
    const lg::Tensor order = lg::randperm(n, &generator);
    for (std::int64_t step = 0; step < steps; ++step) {
      const std::int64_t start = step * o.batch, count = std::min(o.batch, n - start);
      const lg::Tensor index = order.narrow(0, start, count);
      const lg::Tensor loss =
          nn::cross_entropy(c.model->forward(lg::index_select(x, 0, index)), lg::index_select(labels, 0, index));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      meter.step(loss.item(), count);
    }
  }
  c.seconds = seconds_since(started);
  lg::NoGradGuard no_grad;
  c.test_error = nn::classification_error(c.model->forward(test_x), test_labels);
  return c;
}

// One Parzen score: the chosen bandwidth, the validation curve and the test mean +- standard error.
struct ParzenScore {
  std::string name;
  double sigma = 0.0;
  std::vector<double> validation = {};
  mf::ParzenLogLikelihood test = {};
  double seconds = 0.0;
};

ParzenScore parzen_score(const std::string& name, const lg::Tensor& samples, const lg::Tensor& validation,
                         const lg::Tensor& test) {
  const auto started = std::chrono::steady_clock::now();
  ParzenScore score{.name = name};
  const auto bandwidth = mf::choose_parzen_bandwidth(validation, samples);
  score.sigma = bandwidth.sigma;
  score.validation = bandwidth.mean_log_likelihoods;
  score.test = mf::parzen_log_likelihood(test, samples, score.sigma);
  score.seconds = seconds_since(started);
  std::printf("  %-44s sigma %.4f  test log-likelihood %8.2f +- %.2f  (%.1f s)\n", name.c_str(), score.sigma,
              score.test.mean, score.test.standard_error, score.seconds);
  std::fflush(stdout);
  return score;
}

// A digit image in [0, 1] from a direction v: 0.5 + 0.5 v / max|v| (grey is 0, white positive, black negative).
lg::Tensor direction_image(const lg::Tensor& v) {
  return 0.5 + v * (0.5 / lg::max(lg::abs(v)).item());
}

lg::Tensor as_images(const lg::Tensor& x) { return lg::reshape(x, {x.size(0), 1, 28, 28}); }

std::string number(double value, const char* format = "%.4g") {
  char text[48];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// A CSV field in double quotes (the names hold commas).
std::string quoted(const std::string& text) { return "\"" + text + "\""; }

struct Probe {
  std::string name;
  std::int64_t features = 0;
  double test_error = 0.0;
};

Probe probe(const std::string& name, const lg::Tensor& train, const lg::Tensor& train_labels, const lg::Tensor& test,
            const lg::Tensor& test_labels, const Options& o) {
  const auto fit = nn::train_softmax_regression(
      train, train_labels, 10,
      {.epochs = o.probe_epochs, .batch_size = o.batch, .lr = 1e-3, .seed = static_cast<std::uint64_t>(o.seed) + 7});
  lg::NoGradGuard no_grad;
  Probe p{.name = name, .features = train.size(1),
          .test_error = nn::classification_error(fit.linear->forward(test), test_labels)};
  std::printf("  linear classifier on %-40s test error %6.2f%%\n", name.c_str(), 100 * p.test_error);
  std::fflush(stdout);
  return p;
}

void run(const Options& o) {
  lg::set_num_threads(o.threads);
  std::filesystem::create_directories(o.out);
  const auto program_started = std::chrono::steady_clock::now();
  std::vector<std::string> failures;
  const auto require = [&](bool condition, const std::string& what) {
    std::printf("  check: %-90s %s\n", what.c_str(), condition ? "ok" : "FAILED");
    if (!condition) failures.push_back(what);
  };

  // --- data -----------------------------------------------------------------------------------------------------
  const auto train_set = lg::data::load_mnist(lg::data::Split::train, o.data_dir);
  const auto test_set = lg::data::load_mnist(lg::data::Split::test, o.data_dir);
  const lg::Tensor all_train = flat(train_set.images);
  const std::int64_t total = all_train.size(0);
  lg::check<lg::ValueError>(o.train_images + o.parzen_validation <= total, "cae_sampling", "--train-images ",
                            o.train_images, " plus the validation images exceed the ", total, " training images");
  const lg::Tensor train_x = rows(all_train, 0, o.train_images);
  const lg::Tensor train_y = rows(train_set.labels, 0, o.train_images);
  const lg::Tensor validation_x = rows(all_train, total - o.parzen_validation, o.parzen_validation);
  const lg::Tensor test_x = rows(flat(test_set.images), 0, o.test_images);
  const lg::Tensor test_y = rows(test_set.labels, 0, o.test_images);
  std::printf("MNIST: %lld training images (the first), %lld validation images (the last of the training set), "
              "%lld test images; %d threads, seed %lld%s\n",
              static_cast<long long>(o.train_images), static_cast<long long>(o.parzen_validation),
              static_cast<long long>(o.test_images), o.threads, static_cast<long long>(o.seed),
              o.quick ? " (quick)" : "");

  // --- the first layer ------------------------------------------------------------------------------------------
  lg::Generator init(static_cast<std::uint64_t>(o.seed) + 1);
  nn::ContractiveAutoencoder cae({.input_size = 784, .code_size = o.hidden, .tied_weights = true,
                                  .penalty_weight = o.lambda, .generator = &init});
  std::printf("\n[1/6] contractive autoencoder 784-%lld-784, sigmoid, tied weights, lambda %g, Adam lr %g, batch "
              "%lld, %lld epochs\n",
              static_cast<long long>(o.hidden), o.lambda, o.lr, static_cast<long long>(o.batch),
              static_cast<long long>(o.epochs));
  const Curve first = train_cae(cae, train_x, o, o.epochs, static_cast<std::uint64_t>(o.seed) + 2);
  std::printf("  final epoch: cross-entropy %.2f, ||J||_F^2 %.3f (%.1f s)\n", first.reconstruction.back(),
              first.penalty.back(), first.seconds);
  const auto [penalty_difference, move_difference] = cross_checks(cae, rows(test_x, 0, 8), o.sigma);
  require(penalty_difference < 1e-3, "closed-form and double-backward ||J||_F^2 agree (rel. diff. " +
                                         number(penalty_difference, "%.2e") + " < 1e-3)");
  require(move_difference < 1e-3, "J J^T eps by vjp + jvp equals the closed form (rel. diff. " +
                                      number(move_difference, "%.2e") + " < 1e-3)");

  // --- tangent directions ---------------------------------------------------------------------------------------
  std::printf("\n[2/6] the encoder's Jacobian at %lld test digits: SVD (lg::jacobian_svd)\n",
              static_cast<long long>(o.tangent_digits));
  const Tangents tangents = tangent_directions(cae, rows(test_x, 0, o.tangent_digits), o.tangents);
  {
    const auto s = tangents.singular_values.to_vector<float>();
    const std::int64_t r = tangents.singular_values.size(1);
    for (std::int64_t p = 0; p < o.tangent_digits; ++p) {
      std::printf("  digit %lld: s_1..s_5 =", static_cast<long long>(p));
      for (std::int64_t i = 0; i < 5; ++i) std::printf(" %.3f", s[static_cast<std::size_t>(p * r + i)]);
      std::printf("; local dimension %lld (s > 10%% s_1), %lld (s > 1%% s_1)\n",
                  static_cast<long long>(tangents.dimension_10[static_cast<std::size_t>(p)]),
                  static_cast<long long>(tangents.dimension_01[static_cast<std::size_t>(p)]));
    }
  }
  require(tangents.frobenius_mismatch < 1e-3, "sum of s_i^2 equals the closed-form ||J||_F^2 (rel. diff. " +
                                                  number(tangents.frobenius_mismatch, "%.2e") + " < 1e-3)");

  // --- the classifier that judges the chains --------------------------------------------------------------------
  std::printf("\n[3/6] MLP 784-256-10 classifier for the chains' digits, %lld epochs\n",
              static_cast<long long>(o.classifier_epochs));
  const Classifier classifier = train_classifier(train_x, train_y, test_x, test_y, o);
  const auto judge = [&](const lg::Tensor& x) { return classifier.predict(x); };
  const ChainOptions chain_options{.steps = o.steps, .chains = o.chains, .parzen_samples = o.parzen_samples,
                                   .shown_chains = o.shown_chains, .seed = static_cast<std::uint64_t>(o.seed) + 100};
  std::printf("  test accuracy %.2f%% (%.1f s)\n", 100 * (1 - classifier.test_error), classifier.seconds);

  // --- the chains -----------------------------------------------------------------------------------------------
  std::printf("\n[4/6] %lld chains of %lld steps, sigma %g, started from training digits; h' = h + J J^T eps\n",
              static_cast<long long>(o.chains), static_cast<long long>(o.steps), o.sigma);
  const Chains chains = run_chains(cae, train_x, judge, chain_options, o.sigma);
  std::printf("  %.1f s; chain values in [%.4g, %.4g]; classes visited per chain: mean %.2f, %.0f%% of the chains "
              "left their start class\n",
              chains.seconds, chains.min_value, chains.max_value, chains.mean_classes, 100 * chains.left_start_class);
  require(chains.min_value >= 0.0 && chains.max_value <= 1.0, "every chain sample stays in [0, 1]");
  require(chains.samples.size(0) == o.parzen_samples,
          "the chains gave " + std::to_string(o.parzen_samples) + " Parzen samples");

  // --- Parzen ---------------------------------------------------------------------------------------------------
  std::printf("\n[5/6] Parzen window log-likelihood of %lld test images, bandwidth from logspace(-1, 0, 10) on %lld "
              "validation images\n",
              static_cast<long long>(o.test_images), static_cast<long long>(o.parzen_validation));
  lg::Generator reference_generator(static_cast<std::uint64_t>(o.seed) + 200);
  const lg::Tensor reference_rows = lg::randperm(o.train_images, &reference_generator).narrow(0, 0, o.parzen_samples);
  std::vector<ParzenScore> scores;
  scores.push_back(parzen_score("CAE chain samples (ours, single layer)", chains.samples, validation_x, test_x));
  scores.push_back(parzen_score("training images as samples (upper ref.)",
                                lg::index_select(train_x, 0, reference_rows), validation_x, test_x));
  scores.push_back(parzen_score("uniform noise as samples (lower ref.)",
                                lg::uniform({o.parzen_samples, 784}, 0.0, 1.0, lg::float32, &reference_generator),
                                validation_x, test_x));
  require(scores[1].test.mean > scores[2].test.mean, "training images beat uniform noise in the Parzen score");
  // The other noise levels: chains from the same starts, scored the same way.
  struct SweepRow {
    double sigma, classes, left;
    ParzenScore score;
  };
  std::vector<SweepRow> sweep = {{o.sigma, chains.mean_classes, chains.left_start_class, scores[0]}};
  for (const double sigma : o.sweep) {
    if (sigma == o.sigma) continue;
    std::printf("  chains with sigma %g:\n", sigma);
    const Chains other = run_chains(cae, train_x, judge, chain_options, sigma);
    const bool inside = other.min_value >= 0.0 && other.max_value <= 1.0;
    require(inside, "every chain sample stays in [0, 1] (sigma " + number(sigma, "%g") + ")");
    sweep.push_back({sigma, other.mean_classes, other.left_start_class,
                     parzen_score("CAE chain samples, sigma " + number(sigma, "%g"), other.samples, validation_x,
                                  test_x)});
  }
  std::sort(sweep.begin(), sweep.end(), [](const SweepRow& a, const SweepRow& b) { return a.sigma < b.sigma; });

  // --- the second layer -----------------------------------------------------------------------------------------
  std::printf("\n[6/6] second layer %lld-%lld-%lld on the first layer's codes, with and without the invariance "
              "penalty (gamma %g, eps ~ N(0, %g^2)), %lld epochs each\n",
              static_cast<long long>(o.hidden), static_cast<long long>(o.hidden2), static_cast<long long>(o.hidden),
              o.invariance, o.sigma, static_cast<long long>(o.epochs2));
  const lg::Tensor codes_train = encode_all(cae, train_x), codes_test = encode_all(cae, test_x);
  const lg::Tensor weight1 = cae.encoder_weight().detach();
  std::vector<std::shared_ptr<nn::ContractiveAutoencoder>> second_layers;
  std::vector<Curve> second_curves;
  std::vector<double> invariance_test;
  for (const double gamma : {0.0, o.invariance}) {
    lg::Generator init2(static_cast<std::uint64_t>(o.seed) + 3);
    second_layers.push_back(std::make_shared<nn::ContractiveAutoencoder>(nn::ContractiveAutoencoderOptions{
        .input_size = o.hidden, .code_size = o.hidden2, .tied_weights = true, .penalty_weight = o.lambda,
        .generator = &init2}));
    std::printf("  %s the invariance penalty:\n", gamma > 0 ? "with" : "without");
    second_curves.push_back(train_cae(*second_layers.back(), codes_train, o, o.epochs2,
                                      static_cast<std::uint64_t>(o.seed) + 4, gamma, weight1));
    invariance_test.push_back(invariance_measure(*second_layers.back(), codes_test, weight1, o.sigma,
                                                 static_cast<std::uint64_t>(o.seed) + 5));
    std::printf("  test E|f2(h) - f2(h + J1 J1^T eps)|^2 = %.4g (%.1f s)\n", invariance_test.back(),
                second_curves.back().seconds);
  }
  std::vector<Probe> probes;
  probes.push_back(probe("pixels (784)", train_x, train_y, test_x, test_y, o));
  probes.push_back(probe("layer-1 codes (" + std::to_string(o.hidden) + ")", codes_train, train_y, codes_test,
                         test_y, o));
  probes.push_back(probe("layer-2 codes, no invariance (" + std::to_string(o.hidden2) + ")",
                         encode_all(*second_layers[0], codes_train), train_y, encode_all(*second_layers[0], codes_test),
                         test_y, o));
  probes.push_back(probe("layer-2 codes, invariance (" + std::to_string(o.hidden2) + ")",
                         encode_all(*second_layers[1], codes_train), train_y, encode_all(*second_layers[1], codes_test),
                         test_y, o));

  // --- the tables -----------------------------------------------------------------------------------------------
  std::printf("\nParzen log-likelihood on MNIST (nats, %lld test images, %lld samples; higher is better)\n",
              static_cast<long long>(o.test_images), static_cast<long long>(o.parzen_samples));
  std::printf("  %-44s %10s %8s %8s\n", "model", "mean", "s.e.", "sigma");
  for (const auto& s : scores)
    std::printf("  %-44s %10.2f %8.2f %8.4f\n", s.name.c_str(), s.test.mean, s.test.standard_error, s.sigma);
  for (const auto& p : published)
    std::printf("  %-44s %10.0f %8.1f %8s  published\n", p.model, p.mean, p.standard_error, "");
  std::printf("\nchain noise sigma against the Parzen score and mixing (%lld chains of %lld steps)\n",
              static_cast<long long>(o.chains), static_cast<long long>(o.steps));
  std::printf("  %8s %10s %8s %8s %16s %14s\n", "sigma", "Parzen", "s.e.", "window", "classes visited",
              "left start");
  for (const auto& row : sweep)
    std::printf("  %8g %10.2f %8.2f %8.4f %16.2f %13.1f%%\n", row.sigma, row.score.test.mean,
                row.score.test.standard_error, row.score.sigma, row.classes, 100 * row.left);
  std::printf("\nmixing: %lld chains of %lld steps, classes visited (MLP judge, test accuracy %.2f%%)\n",
              static_cast<long long>(o.chains), static_cast<long long>(o.steps), 100 * (1 - classifier.test_error));
  std::printf("  mean %.2f classes; %.1f%% left their start class; chains visiting 1..10 classes:",
              chains.mean_classes, 100 * chains.left_start_class);
  for (const auto count : chains.classes_histogram) std::printf(" %lld", static_cast<long long>(count));
  std::printf("\n\nlinear (softmax) classifier, test error on %lld images\n", static_cast<long long>(o.test_images));
  for (const auto& p : probes) std::printf("  %-44s %7.2f%%\n", p.name.c_str(), 100 * p.test_error);
  std::printf("  second layer's test invariance term E|f2(h) - f2(h + J1 J1^T eps)|^2: without %.4g, with %.4g\n",
              invariance_test[0], invariance_test[1]);

  // --- CSV and JSON ---------------------------------------------------------------------------------------------
  {
    std::ofstream csv(o.out + "/results.csv");
    csv << "section,name,value,standard_error,detail\n";
    for (const auto& s : scores)
      csv << "parzen," << quoted(s.name) << ',' << number(s.test.mean, "%.4f") << ','
          << number(s.test.standard_error, "%.4f") << ",sigma=" << number(s.sigma, "%.6f") << '\n';
    for (const auto& p : published)
      csv << "parzen_published," << quoted(p.model) << ',' << p.mean << ',' << p.standard_error
          << ",Goodfellow et al. 2014 Table 1\n";
    for (const auto& row : sweep)
      csv << "sigma_sweep,sigma " << number(row.sigma, "%g") << ',' << number(row.score.test.mean, "%.4f") << ','
          << number(row.score.test.standard_error, "%.4f") << ",\"window=" << number(row.score.sigma, "%.6f")
          << " classes=" << number(row.classes, "%.4f") << " left=" << number(row.left, "%.4f") << "\"\n";
    csv << "mixing,mean classes visited," << number(chains.mean_classes, "%.4f") << ",,steps=" << o.steps << '\n';
    csv << "mixing,fraction leaving start class," << number(chains.left_start_class, "%.4f") << ",,\n";
    csv << "classifier,MLP test error," << number(classifier.test_error, "%.4f") << ",,\n";
    for (const auto& p : probes)
      csv << "linear_probe," << quoted(p.name) << ',' << number(p.test_error, "%.4f") << ",,features=" << p.features
          << '\n';
    csv << "second_layer,invariance term without," << number(invariance_test[0], "%.6g") << ",,\n";
    csv << "second_layer,invariance term with," << number(invariance_test[1], "%.6g") << ",,\n";
    for (std::int64_t p = 0; p < o.tangent_digits; ++p)
      csv << "tangents,local dimension digit " << p << ','
          << tangents.dimension_10[static_cast<std::size_t>(p)] << ",,\"s > 0.1 s1; s > 0.01 s1: "
          << tangents.dimension_01[static_cast<std::size_t>(p)] << "\"\n";
  }
  {
    std::ofstream json(o.out + "/results.json");
    json << "{\n  \"paper\": \"Rifai, Bengio, Dauphin and Vincent, A Generative Process for Sampling Contractive "
            "Auto-Encoders, ICML 2012, arXiv 1206.6434\",\n"
         << "  \"quick\": " << (o.quick ? "true" : "false") << ", \"seed\": " << o.seed << ", \"threads\": "
         << o.threads << ", \"sigma\": " << o.sigma << ", \"steps\": " << o.steps << ", \"chains\": " << o.chains
         << ",\n  \"train_images\": " << o.train_images << ", \"hidden\": " << o.hidden << ", \"lambda\": " << o.lambda
         << ", \"epochs\": " << o.epochs << ", \"lr\": " << o.lr << ", \"batch\": " << o.batch
         << ", \"hidden2\": " << o.hidden2 << ", \"epochs2\": " << o.epochs2 << ", \"invariance\": " << o.invariance
         << ",\n  \"first_layer\": {\"cross_entropy\": " << number(first.reconstruction.back(), "%.6g")
         << ", \"jacobian_frobenius_squared\": " << number(first.penalty.back(), "%.6g") << ", \"seconds\": "
         << number(first.seconds, "%.2f") << "},\n  \"checks\": {\"penalty_relative_difference\": "
         << number(penalty_difference, "%.3e") << ", \"jjt_relative_difference\": " << number(move_difference, "%.3e")
         << ", \"svd_frobenius_relative_difference\": " << number(tangents.frobenius_mismatch, "%.3e")
         << ", \"chain_min\": " << number(chains.min_value, "%.6g") << ", \"chain_max\": "
         << number(chains.max_value, "%.6g") << ", \"passed\": " << (failures.empty() ? "true" : "false")
         << "},\n  \"parzen\": [";
    for (std::size_t i = 0; i < scores.size(); ++i)
      json << (i ? ", " : "") << "{\"name\": \"" << scores[i].name << "\", \"mean\": "
           << number(scores[i].test.mean, "%.6g") << ", \"standard_error\": "
           << number(scores[i].test.standard_error, "%.6g") << ", \"sigma\": " << number(scores[i].sigma, "%.6g")
           << "}";
    json << "],\n  \"parzen_published\": [";
    for (std::size_t i = 0; i < std::size(published); ++i)
      json << (i ? ", " : "") << "{\"name\": \"" << published[i].model << "\", \"mean\": " << published[i].mean
           << ", \"standard_error\": " << published[i].standard_error << "}";
    json << "],\n  \"sigma_sweep\": [";
    for (std::size_t i = 0; i < sweep.size(); ++i)
      json << (i ? ", " : "") << "{\"sigma\": " << sweep[i].sigma << ", \"parzen_mean\": "
           << number(sweep[i].score.test.mean, "%.6g") << ", \"parzen_standard_error\": "
           << number(sweep[i].score.test.standard_error, "%.6g") << ", \"mean_classes_visited\": "
           << number(sweep[i].classes, "%.6g") << ", \"fraction_leaving_start_class\": "
           << number(sweep[i].left, "%.6g") << "}";
    json << "],\n  \"mixing\": {\"classifier_test_error\": " << number(classifier.test_error, "%.6g")
         << ", \"mean_classes_visited\": " << number(chains.mean_classes, "%.6g")
         << ", \"fraction_leaving_start_class\": " << number(chains.left_start_class, "%.6g")
         << ", \"histogram_1_to_10\": [";
    for (std::size_t i = 0; i < chains.classes_histogram.size(); ++i)
      json << (i ? ", " : "") << chains.classes_histogram[i];
    json << "]},\n  \"linear_probes\": [";
    for (std::size_t i = 0; i < probes.size(); ++i)
      json << (i ? ", " : "") << "{\"name\": \"" << probes[i].name << "\", \"test_error\": "
           << number(probes[i].test_error, "%.6g") << "}";
    json << "],\n  \"invariance_term_test\": {\"without\": " << number(invariance_test[0], "%.6g")
         << ", \"with\": " << number(invariance_test[1], "%.6g") << "},\n  \"local_dimension_10pct\": [";
    for (std::size_t i = 0; i < tangents.dimension_10.size(); ++i)
      json << (i ? ", " : "") << tangents.dimension_10[i];
    json << "],\n  \"local_dimension_1pct\": [";
    for (std::size_t i = 0; i < tangents.dimension_01.size(); ++i)
      json << (i ? ", " : "") << tangents.dimension_01[i];
    json << "]\n}\n";
  }

  // --- pictures -------------------------------------------------------------------------------------------------
  std::vector<std::string> written;
  const auto grid = [&](const std::string& file, const lg::Tensor& images, const lg::data::ImageGridOptions& options) {
    lg::data::save_image_grid(o.out + "/" + file, images, options);
    written.push_back(file);
  };
  const auto plot = [&](const std::string& file, const std::vector<lg::data::PlotSeries>& series,
                        const lg::data::LinePlotOptions& options) {
    lg::data::save_line_plot(o.out + "/" + file, series, options);
    written.push_back(file);
  };
  {
    // Chains: one row per chain, columns = the recorded steps.
    const std::int64_t shown = chains.shown.front().size(0), columns = static_cast<std::int64_t>(chains.shown.size());
    std::vector<lg::Tensor> cells;
    for (std::int64_t c = 0; c < shown; ++c)
      for (const auto& step : chains.shown) cells.push_back(rows(step, c, 1));
    std::string steps_text;
    for (const auto s : chains.shown_steps) steps_text.append(std::to_string(s)).append(" ");
    grid("chains.png", as_images(lg::cat(cells, 0)),
         {.columns = columns, .scale = 2,
          .title = "CAE chains (sigma " + number(o.sigma, "%g") + "), one per row; steps " + steps_text});
    const std::int64_t last = std::min<std::int64_t>(100, chains.samples.size(0));
    grid("samples.png", as_images(rows(chains.samples, chains.samples.size(0) - last, last)),
         {.columns = 10, .scale = 2, .title = "the last 100 Parzen samples from the chains"});
  }
  {
    // Tangents: each row a digit, then its leading right singular vectors.
    const std::int64_t k = tangents.directions.size(2);
    std::vector<lg::Tensor> cells;
    std::vector<std::string> labels;
    const auto s = tangents.singular_values.to_vector<float>();
    const std::int64_t r = tangents.singular_values.size(1);
    for (std::int64_t p = 0; p < tangents.digits.size(0); ++p) {
      cells.push_back(rows(tangents.digits, p, 1));
      const lg::Tensor v = lg::select(tangents.directions, 0, p).t().contiguous();  // [k, 784]
      for (std::int64_t i = 0; i < k; ++i) cells.push_back(direction_image(rows(v, i, 1)));
      labels.push_back("s1=" + number(s[static_cast<std::size_t>(p * r)], "%.2f"));
    }
    grid("tangents.png", as_images(lg::cat(cells, 0)),
         {.columns = k + 1, .scale = 2,
          .title = "test digits and the leading right singular vectors of J = dh/dx (grey 0, white +, black -)",
          .row_labels = labels});
    std::vector<lg::data::PlotSeries> spectrum;
    for (std::int64_t p = 0; p < tangents.digits.size(0); ++p) {
      lg::data::PlotSeries series{"digit " + std::to_string(p), {}, {}};
      for (std::int64_t i = 0; i < r; ++i) {
        series.x.push_back(static_cast<double>(i + 1));
        series.y.push_back(s[static_cast<std::size_t>(p * r + i)]);
      }
      spectrum.push_back(series);
    }
    plot("spectrum.png", spectrum,
         {.title = "singular values of the encoder's Jacobian at test digits", .x_label = "index i",
          .y_label = "s_i", .log_y = true, .width = 900});
  }
  {
    std::vector<lg::data::PlotSeries> bandwidth;
    const auto sigmas = mf::default_parzen_sigmas();
    for (const auto& s : scores) {
      lg::data::PlotSeries series{s.name, {}, {}};
      for (std::size_t i = 0; i < sigmas.size(); ++i) {
        series.x.push_back(std::log10(sigmas[i]));
        series.y.push_back(s.validation[i]);
      }
      bandwidth.push_back(series);
    }
    plot("parzen_bandwidth.png", bandwidth,
         {.title = "Parzen: validation mean log-likelihood against the bandwidth", .x_label = "log10 sigma",
          .y_label = "nats", .width = 900});
    lg::data::PlotSeries mixing{"mean classes visited", {}, {}};
    for (std::size_t t = 0; t < chains.mean_classes_by_step.size(); ++t) {
      mixing.x.push_back(static_cast<double>(t));
      mixing.y.push_back(chains.mean_classes_by_step[t]);
    }
    plot("mixing.png", {mixing},
         {.title = "mixing: distinct digit classes a chain has visited, mean over chains", .x_label = "step",
          .y_label = "classes", .width = 900});
    std::vector<lg::data::PlotSeries> losses;
    const auto curve = [](const std::string& name, const std::vector<double>& values) {
      lg::data::PlotSeries series{name, {}, {}};
      for (std::size_t e = 0; e < values.size(); ++e) {
        series.x.push_back(static_cast<double>(e + 1));
        series.y.push_back(values[e]);
      }
      return series;
    };
    losses.push_back(curve("layer 1 cross-entropy", first.reconstruction));
    losses.push_back(curve("layer 1 ||J||_F^2", first.penalty));
    losses.push_back(curve("layer 2 cross-entropy (no invariance)", second_curves[0].reconstruction));
    losses.push_back(curve("layer 2 cross-entropy (invariance)", second_curves[1].reconstruction));
    losses.push_back(curve("layer 2 invariance term", second_curves[1].invariance));
    plot("loss.png", losses,
         {.title = "training: epoch means of the terms", .x_label = "epoch", .y_label = "value", .log_y = true,
          .width = 900});
  }
  std::printf("\nwrote results.csv, results.json and");
  for (const auto& file : written) std::printf(" %s", file.c_str());
  std::printf(" into %s\ntotal %.1f s\n", o.out.c_str(), seconds_since(program_started));
  if (!failures.empty()) throw lg::ValueError("cae_sampling: " + std::to_string(failures.size()) + " check(s) failed");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Sampling contractive autoencoders (Rifai, Bengio, Dauphin and Vincent 2012): a one-layer CAE on "
               "MNIST, chains h' = h + J J^T eps, Parzen scores, tangent directions, mixing, and a second layer "
               "invariant to the first's directions."};
  app.add_flag("--quick", o.quick,
               "a small version that runs in seconds (2000 images, 200 units, 1 epoch, 100 chains of 20 steps)");
  app.add_option("--sigma", o.sigma, "standard deviation of eps in the chain step (default 1)")
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--sweep", o.sweep, "further values of sigma whose chains are scored too (default 0.1 0.3)")
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--steps", o.steps, "steps per chain (default 100)")->check(CLI::Range(1, 1000000));
  app.add_option("--chains", o.chains, "chains run side by side, started from distinct training digits "
                                       "(default 1000)")
      ->check(CLI::Range(1, 50000));
  app.add_option("--seed", o.seed, "seed of the weights, shuffles, chains and references (default 0)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_option("--out", o.out, "output folder (default out/cae_sampling)");
  app.add_option("--epochs", o.epochs, "epochs of the first layer (default 12)")->check(CLI::Range(1, 10000));
  app.add_option("--epochs2", o.epochs2, "epochs of each second layer (default 4)")->check(CLI::Range(1, 10000));
  app.add_option("--hidden", o.hidden, "units of the first layer (default 1000)")->check(CLI::Range(1, 100000));
  app.add_option("--lambda", o.lambda, "weight of the contractive penalty (default 0.1)")
      ->check(CLI::Range(0.0, 1e6));
  app.add_option("--invariance", o.invariance, "gamma, weight of the second layer's invariance penalty (default 1)")
      ->check(CLI::Range(0.0, 1e6));
  app.add_option("--data-dir", o.data_dir, "folder holding mnist/ (default: the usual places)");
  CLI11_PARSE(app, argc, argv);
  if (o.quick) {
    o.train_images = 2000;
    o.parzen_samples = 1000;
    o.parzen_validation = 200;
    o.test_images = 1000;
    o.classifier_epochs = 2;
    o.probe_epochs = 3;
    o.tangent_digits = 2;
    o.tangents = 6;
    if (app.count("--hidden") == 0) o.hidden = 200;
    o.hidden2 = 100;
    if (app.count("--epochs") == 0) o.epochs = 1;
    if (app.count("--epochs2") == 0) o.epochs2 = 1;
    if (app.count("--chains") == 0) o.chains = 100;
    if (app.count("--steps") == 0) o.steps = 20;
    if (app.count("--sweep") == 0) o.sweep = {0.3};
  }
  if (o.chains > o.train_images) {
    std::fprintf(stderr, "cae_sampling: --chains (%lld) must not exceed the %lld training images they start from\n",
                 static_cast<long long>(o.chains), static_cast<long long>(o.train_images));
    return 1;
  }
  if (o.steps * o.chains < o.parzen_samples) {
    std::fprintf(stderr, "cae_sampling: --steps (%lld) times --chains (%lld) must give at least %lld Parzen samples\n",
                 static_cast<long long>(o.steps), static_cast<long long>(o.chains),
                 static_cast<long long>(o.parzen_samples));
    return 1;
  }
  try {
    run(o);
  } catch (const lg::Error& error) {
    std::fprintf(stderr, "cae_sampling: %s\n", error.what());
    return 1;
  }
  return 0;
}
