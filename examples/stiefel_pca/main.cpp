// PCA of MNIST as optimisation on the Stiefel manifold St(784, k).
//
// The top-k principal subspace of centred data X is the maximiser of the
// Brockett-type cost tr(U^T C U), C = X^T X / N, over U with orthonormal
// columns. We minimise its minibatch estimate -|X_b U|^2 / B with three
// optimisers side by side, each started at the same random point:
//   Cayley ADAM      (Li, Li and Todorovic 2020): the Stiefel-specific method
//   Riemannian Adam  (Becigneul and Ganea 2019): moments transported on St(784, k)
//   SGD + QR         Riemannian SGD with momentum, retracting by the QR factor
// and measure each against the exact answer, the top-k eigenvectors of C from
// lg::eigh, by the largest principal angle between the two subspaces.
//
// Writes to --out:
//   convergence.png   largest principal angle to the eigh subspace per epoch (log scale)
//   orthogonality.png ||U^T U - I||_F per epoch: how far each method drifts off the manifold
//   components.png    the top components as 28x28 images: eigh's row first, then each method's
//                     (rotated onto eigh's basis, since PCA fixes only the subspace)
//   metrics.csv       method, epoch, angle, orthogonality error, explained variance, seconds
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <latentgeo.hpp>

#include "../common/terminal_progress.hpp"

namespace {

struct Options {
  std::string dataset = "mnist";
  std::string data_dir;
  std::string out = "out/stiefel_pca";
  std::int64_t components = 10;
  std::int64_t epochs = 20;
  std::int64_t batch_size = 256;
  // Tuned on MNIST with k = 10 (largest angle after 20 epochs ~5e-3 to 1e-2 rad for each).
  // Cayley ADAM's is larger: its second moment ||G||_F^2 counts the gradient's normal part too,
  // which the step never uses, so the same lr moves it less than Riemannian Adam.
  double cayley_lr = 0.3;
  double adam_lr = 0.1;
  double sgd_lr = 0.01;
  double lr_decay = 0.8;  // every learning rate is multiplied by this after each epoch
  std::int64_t seed = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

// One optimiser under test: its name, the parameter it moves, and how to step it.
struct Method {
  std::string name;
  lg::Tensor u;  // [784, k] on St(784, k)
  std::unique_ptr<lg::optim::Optimizer> optimizer;
  std::vector<double> angles, drifts;  // per epoch
};

// The subspace measurements of one U against the reference basis.
struct Measurement {
  double largest_angle;  // radians
  double drift;          // ||U^T U - I||_F
  double explained;      // tr(U^T C U) / tr(C), with U's columns orthonormalised first
};

Measurement measure(const lg::Tensor& u, const lg::Tensor& reference, const lg::Tensor& covariance) {
  lg::NoGradGuard no_grad;
  const lg::Tensor u64 = u.to(lg::float64);
  const std::int64_t k = u.size(1);
  const double drift = lg::norm(u64.t().matmul(u64) - lg::eye(k, lg::float64)).item();
  const double angle = lg::max(lg::manifold::principal_angles(u64, reference)).item();
  const lg::Tensor q = lg::qr(u64).q;
  const double explained = (lg::trace(q.t().matmul(covariance).matmul(q)) / lg::trace(covariance)).item();
  return {angle, drift, explained};
}

// U rotated onto the reference basis (the orthogonal R closest to U^T V, so that U R ~ V), for display.
lg::Tensor aligned(const lg::Tensor& u, const lg::Tensor& reference) {
  const lg::Tensor u64 = lg::qr(u.to(lg::float64)).q;
  const auto [left, singular, right] = lg::svd(u64.t().matmul(reference));
  return u64.matmul(left.matmul(right.t()));
}

// Columns of bases [784, k] as 28x28 images scaled to [0, 1] each, one row of k per basis.
lg::Tensor component_images(const std::vector<lg::Tensor>& bases) {
  std::vector<lg::Tensor> rows;
  for (const lg::Tensor& basis : bases) {
    const lg::Tensor columns = basis.t().contiguous();  // [k, 784]
    const auto low = lg::min(columns, 1, true).values, high = lg::max(columns, 1, true).values;
    rows.push_back((columns - low) / (high - low + 1e-12));
  }
  const lg::Tensor all = lg::cat(rows, 0);
  return all.reshape({all.size(0), 1, 28, 28}).to(lg::float32);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"PCA of MNIST on the Stiefel manifold: Cayley ADAM, Riemannian Adam and QR-retraction SGD against eigh."};
  app.add_option("--dataset", o.dataset, "mnist or fashion-mnist")->check(CLI::IsMember({"mnist", "fashion-mnist"}));
  app.add_option("--data-dir", o.data_dir, "folder with the IDX files (default: the installed places)");
  app.add_option("--components", o.components, "k, the dimension of the subspace")->check(CLI::Range(1, 784));
  app.add_option("--epochs", o.epochs, "passes over the training set")->check(CLI::Range(1, 100000));
  app.add_option("--batch-size", o.batch_size, "images per step")->check(CLI::Range(1, 60000));
  app.add_option("--cayley-lr", o.cayley_lr, "Cayley ADAM learning rate")->check(CLI::PositiveNumber);
  app.add_option("--adam-lr", o.adam_lr, "Riemannian Adam learning rate")->check(CLI::PositiveNumber);
  app.add_option("--sgd-lr", o.sgd_lr, "SGD (QR retraction) learning rate")->check(CLI::PositiveNumber);
  app.add_option("--lr-decay", o.lr_decay, "factor applied to every learning rate after each epoch")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--seed", o.seed, "seed for the start point and the data order")->check(CLI::Range(0, 1 << 30));
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_option("--out", o.out, "output folder");
  CLI11_PARSE(app, argc, argv);

  try {
    lg::set_num_threads(o.threads);
    std::filesystem::create_directories(o.out);
    const auto train = o.dataset == "mnist" ? lg::data::load_mnist(lg::data::Split::train, o.data_dir)
                                            : lg::data::load_fashion_mnist(lg::data::Split::train, o.data_dir);
    const std::int64_t n = train.images.size(0), d = 784, k = o.components;

    // Centred data in float32 for the steps; its covariance in float64 for the reference.
    const lg::Tensor flat = train.images.reshape({n, d});
    const lg::Tensor pixel_means = lg::mean(flat, {0}, true);  // [1, 784]
    const lg::Tensor centred = flat - pixel_means;
    const lg::Tensor centred64 = centred.to(lg::float64);
    const lg::Tensor covariance = centred64.t().matmul(centred64) / static_cast<double>(n);
    const auto spectrum = lg::eigh(covariance);  // ascending: the top k are the last k columns
    const lg::Tensor reference = spectrum.eigenvectors.narrow(1, d - k, k);
    const auto eigenvalues = spectrum.eigenvalues.to_vector<double>();
    std::printf("%s: %lld images; eigenvalues %lld and %lld of the covariance: %.4f, %.4f (the gap PCA must resolve)\n",
                o.dataset.c_str(), static_cast<long long>(n), static_cast<long long>(k),
                static_cast<long long>(k + 1), eigenvalues[static_cast<std::size_t>(d - k)],
                eigenvalues[static_cast<std::size_t>(d - k - 1)]);

    // Every method starts at the same random point of St(784, k).
    auto stiefel = std::make_shared<const lg::manifold::Stiefel>(d, k);
    lg::Generator start_generator(static_cast<std::uint64_t>(o.seed));
    const lg::Tensor start = stiefel->random_point(start_generator, lg::float32);
    const auto parameter = [&](const lg::Tensor& u, std::shared_ptr<const lg::manifold::Manifold> on) {
      return lg::nn::NamedParameters{{"U", lg::nn::Parameter(u, std::move(on))}};
    };
    std::vector<Method> methods;
    {
      lg::Tensor u = start.clone().requires_grad_();
      methods.push_back({"Cayley ADAM", u,
                         std::make_unique<lg::optim::CayleyAdam>(parameter(u, stiefel),
                                                                 lg::optim::CayleyAdamOptions{.lr = o.cayley_lr}),
                         {}, {}});
    }
    {
      lg::Tensor u = start.clone().requires_grad_();
      methods.push_back({"Riemannian Adam", u,
                         std::make_unique<lg::optim::RiemannianAdam>(
                             parameter(u, stiefel), lg::optim::RiemannianAdamOptions{.lr = o.adam_lr}),
                         {}, {}});
    }
    {
      lg::Tensor u = start.clone().requires_grad_();
      auto qr_stiefel = std::make_shared<const lg::manifold::Stiefel>(d, k, lg::manifold::StiefelMetric::euclidean,
                                                                     lg::manifold::StiefelRetraction::qr);
      methods.push_back({"SGD + QR", u,
                         std::make_unique<lg::optim::RiemannianSGD>(
                             parameter(u, qr_stiefel), lg::optim::RiemannianSGDOptions{.lr = o.sgd_lr, .momentum = 0.9}),
                         {}, {}});
    }

    std::ofstream csv(o.out + "/metrics.csv");
    csv << "method,epoch,largest_principal_angle,orthogonality_error,explained_variance,seconds\n";
    const auto record = [&](Method& method, std::int64_t epoch, double seconds) {
      const Measurement m = measure(method.u, reference, covariance);
      method.angles.push_back(m.largest_angle);
      method.drifts.push_back(m.drift);
      csv << method.name << ',' << epoch << ',' << m.largest_angle << ',' << m.drift << ',' << m.explained << ','
          << seconds << '\n';
      return m;
    };
    for (Method& method : methods) record(method, 0, 0.0);

    // One loader per method, with the same seed: every method sees the same batches.
    for (Method& method : methods) {
      lg::data::DataLoader loader(train, {.batch_size = o.batch_size, .shuffle = true,
                                          .seed = static_cast<std::uint64_t>(o.seed) + 1});
      const auto started = std::chrono::steady_clock::now();
      for (std::int64_t epoch = 1; epoch <= o.epochs; ++epoch) {
        while (auto batch = loader.next()) {
          const lg::Tensor x = batch->images.reshape({-1, d}) - pixel_means;
          const lg::Tensor projected = x.matmul(method.u);
          const lg::Tensor loss = -lg::sum(projected * projected) / static_cast<double>(x.size(0));
          method.optimizer->zero_grad();
          loss.backward();
          method.optimizer->step();
        }
        // A decaying step size takes the stochastic iterates below their noise floor.
        method.optimizer->set_lr(method.optimizer->lr(0) * o.lr_decay, 0);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const Measurement m = record(method, epoch, seconds);
        const double per_second = static_cast<double>(epoch * n) / seconds;
        std::printf("%-16s epoch %lld/%lld  largest angle %.3e rad  ||U^T U - I|| %.2e  explained %.4f  "
                    "%.0f examples/s  ETA %s\n",
                    method.name.c_str(), static_cast<long long>(epoch), static_cast<long long>(o.epochs),
                    m.largest_angle, m.drift, m.explained, per_second,
                    examples::format_seconds(static_cast<double>((o.epochs - epoch) * n) / per_second).c_str());
        std::fflush(stdout);
      }
    }

    std::vector<lg::data::PlotSeries> angle_series, drift_series;
    std::vector<double> epochs;
    for (std::int64_t e = 0; e <= o.epochs; ++e) epochs.push_back(static_cast<double>(e));
    for (const Method& method : methods) {
      angle_series.push_back({method.name, epochs, method.angles});
      drift_series.push_back({method.name, epochs, method.drifts});
    }
    lg::data::save_line_plot(o.out + "/convergence.png", angle_series,
                             {.title = std::string("PCA of ") + (o.dataset == "mnist" ? "MNIST" : "Fashion-MNIST") + " on St(784, " + std::to_string(k) + ")",
                              .x_label = "epoch",
                              .y_label = "largest principal angle to eigh (rad)",
                              .log_y = true});
    lg::data::save_line_plot(o.out + "/orthogonality.png", drift_series,
                             {.title = "Distance from the Stiefel manifold",
                              .x_label = "epoch",
                              .y_label = "||U^T U - I||_F",
                              .log_y = true});
    std::vector<lg::Tensor> bases{reference};
    for (const Method& method : methods) bases.push_back(aligned(method.u.detach(), reference));
    std::vector<std::string> row_labels{"eigh"};
    for (const Method& method : methods) row_labels.push_back(method.name);
    lg::data::save_image_grid(o.out + "/components.png", component_images(bases),
                              {.columns = k, .scale = 3, .title = "principal components, one method a row",
                               .row_labels = row_labels});
    std::printf("wrote %s/{convergence,orthogonality,components}.png and metrics.csv\n", o.out.c_str());
    std::printf("components.png rows: eigh, then %s, %s, %s\n", methods[0].name.c_str(), methods[1].name.c_str(),
                methods[2].name.c_str());
  } catch (const lg::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
