#include "pictures.hpp"

#include <algorithm>
#include <vector>

#include "../common/principal_axes.hpp"

namespace train {
namespace {

constexpr std::int64_t scale = 3;  // a 28 x 28 digit becomes 84 x 84 pixels

}  // namespace

void draw_reconstructions(const TrainableModel& model, const lg::Tensor& test_images, const std::string& title,
                          const std::string& path) {
  lg::NoGradGuard no_grad;
  const std::int64_t count = std::min<std::int64_t>(12, test_images.size(0));
  const auto inputs = test_images.narrow(0, 0, count);
  lg::data::save_image_grid(path, lg::cat({inputs, model.reconstruct(inputs)}, 0),
                            {.columns = count, .scale = scale, .title = title, .row_labels = {"input", "output"}});
}

void draw_samples(const TrainableModel& model, const lg::Tensor& test_images, std::uint64_t seed,
                  const std::string& name, const std::string& path) {
  lg::NoGradGuard no_grad;
  if (const auto* vae = model.variational()) {
    lg::Generator generator(seed);
    lg::data::save_image_grid(path, vae->sample_prior(64, generator),
                              {.columns = 8, .scale = scale, .title = name + ": decoded draws from the prior"});
    return;
  }
  const std::int64_t rows = std::min<std::int64_t>(8, test_images.size(0) / 2), steps = 10;
  std::vector<lg::Tensor> images;
  for (std::int64_t r = 0; r < rows; ++r) {
    // image r and image r + rows: usually of different classes
    const auto codes = model.encode(lg::cat({test_images.narrow(0, r, 1), test_images.narrow(0, r + rows, 1)}, 0));
    for (std::int64_t s = 0; s < steps; ++s) {
      const double t = static_cast<double>(s) / static_cast<double>(steps - 1);
      images.push_back(model.decode(codes.narrow(0, 0, 1) * (1.0 - t) + codes.narrow(0, 1, 1) * t));
    }
  }
  lg::data::save_image_grid(path, lg::cat(images, 0),
                            {.columns = steps, .scale = scale,
                             .title = name + ": decoded straight lines between two test codes"});
}

void draw_latent_space(const TrainableModel& model, const lg::data::Dataset& test, const std::string& title,
                       const std::vector<std::string>& class_names, const std::string& path) {
  lg::NoGradGuard no_grad;
  const std::int64_t n = std::min<std::int64_t>(5000, test.images.size(0));
  const auto codes = model.encode(test.images.narrow(0, 0, n)).to(lg::float64);
  const auto projected =
      codes.size(1) == 2 ? codes : lg::matmul(codes - lg::mean(codes, {0}, true), examples::principal_axes(codes, 2));
  lg::data::save_scatter_plot(path, projected.to(lg::float32), test.labels.narrow(0, 0, n), title, class_names, 800,
                              600);
}

void draw_losses(const Metrics& metrics, const std::string& title, const std::string& path) {
  std::map<std::string, lg::data::PlotSeries> series;
  for (const auto& e : metrics.epochs) {
    const auto add = [&](const std::string& split, const std::map<std::string, double>& terms) {
      for (const auto& [name, value] : terms) {
        auto& s = series[split + " " + name];
        s.name = split + " " + name;
        s.x.push_back(static_cast<double>(e.epoch));
        s.y.push_back(value);
      }
    };
    add("train", e.train_terms);
    add("test", e.test_terms);
  }
  std::vector<lg::data::PlotSeries> lines;
  for (auto& [name, s] : series) lines.push_back(std::move(s));
  lg::data::save_line_plot(path, lines,
                           {.title = title, .x_label = "epoch", .y_label = "loss term (log scale)", .log_y = true});
}

}  // namespace train
