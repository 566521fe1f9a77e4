// latent_statistics: what the latent space of a trained autoencoder looks like,
// from numbers. It loads any checkpoint train_autoencoder wrote (the model's
// kind and options are in the file), encodes test images, and reports:
//   - the intrinsic dimension of the codes by three estimators (TwoNN, the
//     Levina-Bickel MLE, local PCA), beside the same for the images themselves;
//   - the numerical and effective rank of the codes' covariance, its spectrum;
//   - for a spatial latent [C, H, W] (a conv VAE with --spatial latent), the
//     strata: how many distinct rank triples of the mode covariances occur;
//   - how the codes move when the inputs get noisier: principal angles between
//     the leading PCA subspace of clean codes and of noisy ones, and between the
//     kernel-PCA subspaces (Gaussian kernel), at several noise levels;
//   - a Parzen-window log-likelihood of decoded samples (a VAE's prior samples;
//     for the others, codes drawn from a Gaussian fitted to the training codes),
//     beside the same protocol with held-out training images as the samples.
// It writes spectrum.png, angles.png, samples.png and metrics.json into --out.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <latentgeo.hpp>

#include "../common/principal_axes.hpp"

namespace {

namespace mf = lg::manifold;

struct Options {
  std::string checkpoint;
  std::string dataset;  // default: the dataset the checkpoint was trained on
  std::string data_dir;
  std::int64_t images = 2000;
  std::int64_t samples = 2000;
  std::int64_t components = 10;
  std::vector<double> noise = {0.05, 0.1, 0.2, 0.3, 0.5};
  std::int64_t seed = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string out = "out/latent_statistics";
};

lg::Tensor flat(const lg::Tensor& t) { return lg::reshape(t, {t.size(0), t.numel() / t.size(0)}); }

// The codes of images [N, 1, 28, 28] (every model takes images), flattened to [N, d], in float64.
lg::Tensor codes_of(const lg::nn::AnyAutoencoder& model, const lg::Tensor& images) {
  lg::NoGradGuard no_grad;
  return flat(lg::nn::encode(model, images)).to(lg::float64);
}

// Images [N, 1, 28, 28] decoded from codes [N, d] (reshaped to the model's latent shape first).
lg::Tensor decode_images(const lg::nn::AnyAutoencoder& model, const lg::Tensor& codes, const lg::Shape& latent) {
  lg::NoGradGuard no_grad;
  lg::Shape shape{codes.size(0)};
  shape.insert(shape.end(), latent.begin() + 1, latent.end());
  return lg::reshape(lg::nn::decode(model, lg::reshape(codes, shape)), {codes.size(0), 1, 28, 28});
}

// Clean images plus Gaussian noise of standard deviation sigma, clipped to [0, 1].
lg::Tensor noisy(const lg::Tensor& images, double sigma, lg::Generator& generator) {
  return lg::clamp(images + lg::randn(images.shape(), images.dtype(), &generator) * sigma, 0.0, 1.0);
}

// The Gaussian kernel exp(-|a - b|^2 / (2 gamma^2)) between the rows of a and b.
lg::Tensor gaussian_kernel(const lg::Tensor& a, const lg::Tensor& b, double gamma) {
  return mf::gaussian_of_squared_distances(mf::pairwise_squared_distances(a, b), gamma);
}

double degrees(double radians) { return radians * 180.0 / 3.14159265358979323846; }

// Codes drawn from N(mean, covariance) of the training codes [N, d]: mean + L eps, L L^T = covariance + 1e-9 I.
lg::Tensor gaussian_codes(const lg::Tensor& train_codes, std::int64_t count, lg::Generator& generator) {
  const auto mean = lg::mean(train_codes, {0}, true);
  const auto covariance = mf::covariance(train_codes);
  const auto d = covariance.size(0);
  const auto factor = lg::cholesky(covariance + lg::eye(d, lg::float64) * 1e-9);
  return mean + lg::matmul(lg::randn({count, d}, lg::float64, &generator), factor.t());
}

std::string join(const std::vector<double>& values) {
  std::ostringstream out;
  for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
  return out.str();
}

void run(const Options& o) {
  lg::set_num_threads(o.threads);
  std::filesystem::create_directories(o.out);
  const lg::nn::SavedAutoencoder saved = lg::nn::load_autoencoder(o.checkpoint);
  const lg::nn::AnyAutoencoder& model = saved.model;
  lg::nn::as_module(model).eval();
  std::string dataset = o.dataset;
  if (dataset.empty()) {
    const auto setting = saved.metadata.find("setting.dataset");
    dataset = setting != saved.metadata.end() ? setting->second : "mnist";
  }
  std::printf("%s: a %s trained on %s\n", o.checkpoint.c_str(), lg::nn::autoencoder_kind(model).c_str(),
              dataset.c_str());

  const auto load = [&](lg::data::Split split) {
    return dataset == "fashion-mnist" ? lg::data::load_fashion_mnist(split, o.data_dir)
                                      : lg::data::load_mnist(split, o.data_dir);
  };
  const auto test = load(lg::data::Split::test), train = load(lg::data::Split::train);
  const std::int64_t n = std::min(o.images, test.images.size(0));
  const lg::Tensor images = test.images.narrow(0, 0, n).contiguous();
  lg::Generator generator(static_cast<std::uint64_t>(o.seed));

  // --- the codes and their dimension -------------------------------------------------------------------
  lg::Tensor latent_example;  // two images' codes in the model's own latent shape
  {
    lg::NoGradGuard no_grad;
    latent_example = lg::nn::encode(model, images.narrow(0, 0, 2));
  }
  const lg::Tensor codes = codes_of(model, images);
  const std::int64_t d = codes.size(1);
  std::printf("%lld test images, codes of %lld dims (latent shape per image %s)\n", static_cast<long long>(n),
              static_cast<long long>(d),
              lg::shape_str(lg::Shape(latent_example.shape().begin() + 1, latent_example.shape().end()))
                  .str()
                  .c_str());

  const auto image_points = flat(images).to(lg::float64);
  const std::int64_t k = std::min<std::int64_t>(20, n - 1);
  const auto code_neighbours = mf::nearest_neighbours(codes, k);
  const auto image_neighbours = mf::nearest_neighbours(image_points, k);
  const double code_twonn = mf::twonn_dimension(code_neighbours), image_twonn = mf::twonn_dimension(image_neighbours);
  const double code_mle = mf::mle_dimension(code_neighbours, {.k1 = k, .k2 = k});
  const double image_mle = mf::mle_dimension(image_neighbours, {.k1 = k, .k2 = k});
  const auto code_local = mf::local_pca_dimension(codes, {.neighbours = std::min<std::int64_t>(30, n - 1)});
  const auto image_local = mf::local_pca_dimension(image_points, {.neighbours = std::min<std::int64_t>(30, n - 1)});
  std::printf("\nintrinsic dimension     codes   images\n");
  std::printf("  TwoNN               %7.2f  %7.2f\n", code_twonn, image_twonn);
  std::printf("  MLE (k = %2lld)        %7.2f  %7.2f\n", static_cast<long long>(k), code_mle, image_mle);
  std::printf("  local PCA (90%%)     %7.2f  %7.2f   (mean over points)\n", code_local.mean, image_local.mean);

  // --- rank and spectrum of the codes' covariance -----------------------------------------------------------
  const auto covariance = mf::covariance(codes);
  const auto rank = mf::psd_rank(covariance).item<std::int64_t>();
  const double effective = mf::psd_effective_rank(covariance).item();
  std::printf("\ncovariance of the codes: rank %lld of %lld, effective rank %.2f\n", static_cast<long long>(rank),
              static_cast<long long>(d), effective);
  std::vector<double> spectrum = lg::eigvalsh(covariance).to_vector<double>();
  std::reverse(spectrum.begin(), spectrum.end());
  std::vector<double> index(spectrum.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    index[i] = static_cast<double>(i + 1);
    spectrum[i] = std::max(spectrum[i], 1e-300);  // a log axis: exact zeros drawn at the floor
  }
  lg::data::save_line_plot(o.out + "/spectrum.png", {{"eigenvalues of the code covariance", index, spectrum}},
                           {.title = "spectrum of the codes' covariance", .x_label = "component",
                            .y_label = "variance (log scale)", .log_y = true});

  // --- strata of a spatial latent -----------------------------------------------------------------------------
  std::map<std::string, std::int64_t> strata;
  if (latent_example.dim() == 4) {
    const lg::Shape per_image(latent_example.shape().begin() + 1, latent_example.shape().end());
    lg::Shape shape{n};
    shape.insert(shape.end(), per_image.begin(), per_image.end());
    const auto triples = mf::latent_stratum(lg::reshape(codes, shape), {.relative = 1e-8}).to_vector<std::int64_t>();
    for (std::int64_t i = 0; i < n; ++i) {
      const auto at = static_cast<std::size_t>(3 * i);
      ++strata["(" + std::to_string(triples[at]) + ", " + std::to_string(triples[at + 1]) + ", " +
               std::to_string(triples[at + 2]) + ")"];
    }
    std::printf("\nstrata (rank triples of the mode covariances, relative tolerance 1e-8): %zu distinct\n",
                strata.size());
    for (const auto& [triple, count] : strata)
      std::printf("  %s  %lld images\n", triple.c_str(), static_cast<long long>(count));
  }

  // --- how the codes move with input noise -----------------------------------------------------------------
  const std::int64_t p = std::min(o.components, d);
  const lg::Tensor clean_basis = examples::principal_axes(codes, p);
  const double gamma = mf::median_distance_bandwidth(mf::pairwise_squared_distances(codes));
  const auto clean_kernel = mf::kernel_pca(gaussian_kernel(codes, codes, gamma), {.components = p});
  std::vector<double> pca_mean, pca_max, kpca_mean, levels;
  std::printf("\nprincipal angles, clean vs noisy codes (%lld leading components; degrees)\n",
              static_cast<long long>(p));
  std::printf("  noise sigma   PCA mean   PCA max   kernel PCA mean   kernel PCA max\n");
  for (double sigma : o.noise) {
    const lg::Tensor noisy_codes = codes_of(model, noisy(images, sigma, generator));
    const auto noisy_basis = examples::principal_axes(noisy_codes, p);
    const auto pca_angles = mf::principal_angles(clean_basis, noisy_basis).to_vector<double>();
    const auto noisy_kernel = mf::kernel_pca(gaussian_kernel(noisy_codes, noisy_codes, gamma), {.components = p});
    const auto kpca_angles =
        mf::kernel_principal_angles(clean_kernel, noisy_kernel, gaussian_kernel(codes, noisy_codes, gamma))
            .to_vector<double>();
    const auto mean_of = [](const std::vector<double>& v) {
      double total = 0.0;
      for (double x : v) total += x;
      return degrees(total / static_cast<double>(v.size()));
    };
    levels.push_back(sigma);
    pca_mean.push_back(mean_of(pca_angles));
    pca_max.push_back(degrees(pca_angles.back()));
    kpca_mean.push_back(mean_of(kpca_angles));
    std::printf("  %11.2f   %8.2f  %8.2f   %15.2f   %14.2f\n", sigma, pca_mean.back(), pca_max.back(),
                kpca_mean.back(), degrees(kpca_angles.back()));
  }
  lg::data::save_line_plot(o.out + "/angles.png",
                           {{"PCA, mean angle", levels, pca_mean},
                            {"PCA, largest angle", levels, pca_max},
                            {"kernel PCA, mean angle", levels, kpca_mean}},
                           {.title = "how far the leading subspace of the codes turns with input noise",
                            .x_label = "noise sigma added to the inputs", .y_label = "principal angle (degrees)"});

  // --- Parzen log-likelihood of decoded samples -------------------------------------------------------------
  // The protocol: samples from the model, the bandwidth chosen on 1,000 held-out training images
  // (train[50000:51000]), the mean log-likelihood of the test images with its standard error.
  const std::int64_t m = o.samples;
  lg::Tensor samples;
  const lg::Shape latent_shape = latent_example.shape();
  if (const auto* vae = std::get_if<std::shared_ptr<lg::nn::VariationalAutoencoder>>(&model)) {
    lg::NoGradGuard no_grad;
    samples = (*vae)->sample_prior(m, generator);
  } else {
    const auto train_codes = codes_of(model, train.images.narrow(0, 0, std::min<std::int64_t>(10000, 50000)));
    samples = decode_images(model, gaussian_codes(train_codes, m, generator).to(lg::float32), latent_shape);
  }
  lg::data::save_image_grid(o.out + "/samples.png", samples.narrow(0, 0, std::min<std::int64_t>(64, m)),
                            {.columns = 8, .title = "decoded samples the Parzen window is fitted on"});
  const auto validation = flat(train.images.narrow(0, 50000, 1000)).to(lg::float64);
  const auto test_points = image_points.narrow(0, 0, std::min<std::int64_t>(n, 1000));
  const auto sample_points = flat(samples).to(lg::float64);
  const auto bandwidth = mf::choose_parzen_bandwidth(validation, sample_points);
  const auto parzen = mf::parzen_log_likelihood(test_points, sample_points, bandwidth.sigma);
  const auto reference_samples = flat(train.images.narrow(0, 40000, m)).to(lg::float64);
  const auto reference_bandwidth = mf::choose_parzen_bandwidth(validation, reference_samples);
  const auto reference = mf::parzen_log_likelihood(test_points, reference_samples, reference_bandwidth.sigma);
  std::printf("\nParzen log-likelihood of %lld test images (%lld samples, sigma from logspace(-1, 0, 10)):\n",
              static_cast<long long>(test_points.size(0)), static_cast<long long>(m));
  std::printf("  decoded samples        %9.1f +- %.1f nats (sigma %.3f)\n", parzen.mean, parzen.standard_error,
              bandwidth.sigma);
  std::printf("  held-out train images  %9.1f +- %.1f nats (sigma %.3f), the same protocol's reference\n",
              reference.mean, reference.standard_error, reference_bandwidth.sigma);

  std::ofstream json(o.out + "/metrics.json");
  json << "{\n  \"checkpoint\": \"" << o.checkpoint << "\",\n  \"model\": \"" << lg::nn::autoencoder_kind(model)
       << "\",\n  \"dataset\": \"" << dataset << "\",\n  \"images\": " << n << ",\n  \"code_dims\": " << d
       << ",\n  \"intrinsic_dimension\": {\"codes\": {\"twonn\": " << code_twonn << ", \"mle\": " << code_mle
       << ", \"local_pca\": " << code_local.mean << "}, \"images\": {\"twonn\": " << image_twonn
       << ", \"mle\": " << image_mle << ", \"local_pca\": " << image_local.mean << "}},\n  \"covariance_rank\": "
       << rank << ",\n  \"effective_rank\": " << effective << ",\n  \"distinct_strata\": " << strata.size()
       << ",\n  \"noise_levels\": [" << join(levels) << "],\n  \"pca_mean_angle_degrees\": [" << join(pca_mean)
       << "],\n  \"kernel_pca_mean_angle_degrees\": [" << join(kpca_mean) << "],\n  \"parzen\": {\"samples\": " << m
       << ", \"sigma\": " << bandwidth.sigma << ", \"mean\": " << parzen.mean << ", \"standard_error\": "
       << parzen.standard_error << ", \"reference_mean\": " << reference.mean << "}\n}\n";
  std::printf("\nwrote %s/{spectrum,angles,samples}.png and metrics.json\n", o.out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Latent statistics of a trained autoencoder: intrinsic dimension, ranks, noise, Parzen."};
  app.add_option("--checkpoint", o.checkpoint, "a checkpoint written by train_autoencoder")->required();
  app.add_option("--dataset", o.dataset, "mnist or fashion-mnist (default: the checkpoint's)")
      ->check(CLI::IsMember({"mnist", "fashion-mnist"}));
  app.add_option("--data-dir", o.data_dir, "folder with the IDX files (default: the installed places)");
  app.add_option("--images", o.images, "test images to encode (at least 50)")->check(CLI::Range(50, 10000));
  app.add_option("--samples", o.samples, "decoded samples for the Parzen window (at least 10)")
        ->check(CLI::Range(10, 10000));
  app.add_option("--components", o.components, "leading components compared between clean and noisy codes")
      ->check(CLI::Range(1, 100));
  app.add_option("--noise", o.noise, "noise levels (sigma of Gaussian noise added to the inputs)")
      ->check(CLI::Range(0.0, 10.0));
  app.add_option("--seed", o.seed, "seed for the noise and the samples")->check(CLI::NonNegativeNumber);
  app.add_option("--threads", o.threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_option("--out", o.out, "output folder");
  CLI11_PARSE(app, argc, argv);
  try {
    run(o);
  } catch (const lg::Error& error) {
    std::fprintf(stderr, "latent_statistics: %s\n", error.what());
    return 1;
  }
  return 0;
}
