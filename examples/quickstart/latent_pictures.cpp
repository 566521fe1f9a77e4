#include "latent_pictures.hpp"

#include "../common/principal_axes.hpp"

#include <cmath>

namespace quickstart {

void draw_reconstructions(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path) {
  lg::NoGradGuard no_grad;
  const std::int64_t count = 12;
  const auto inputs = test.images.narrow(0, 0, count);
  const auto reconstructions = model.forward(inputs).reconstruction;
  lg::data::save_image_grid(path, lg::cat({inputs, reconstructions}, 0),
                            {.columns = count, .scale = 3, .title = "test images and their reconstructions",
                             .row_labels = {"input", "output"}});
}

void draw_interpolations(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path) {
  lg::NoGradGuard no_grad;
  const std::int64_t rows = 8, steps = 10;
  std::vector<lg::Tensor> images;
  for (std::int64_t r = 0; r < rows; ++r) {
    // image r and image r + 100: usually of different classes
    const auto pair = lg::cat({test.images.narrow(0, r, 1), test.images.narrow(0, r + 100, 1)}, 0);
    const auto codes = model.encode(pair);
    for (std::int64_t s = 0; s < steps; ++s) {
      const double t = static_cast<double>(s) / static_cast<double>(steps - 1);
      const auto code = codes.narrow(0, 0, 1) * (1.0 - t) + codes.narrow(0, 1, 1) * t;
      images.push_back(lg::reshape(model.decode(code), {1, 1, 28, 28}));
    }
  }
  lg::data::save_image_grid(path, lg::cat(images, 0),
                            {.columns = steps, .scale = 3, .title = "decoded straight lines between two test codes"});
}

void draw_latent_space(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& dataset,
                       const std::string& path) {
  lg::NoGradGuard no_grad;
  const std::int64_t n = std::min<std::int64_t>(5000, test.images.size(0));
  const auto codes = model.encode(test.images.narrow(0, 0, n)).to(lg::float64);
  const auto projected = codes.size(1) == 2 ? codes : lg::matmul(codes - lg::mean(codes, {0}, true),
                                                                 examples::principal_axes(codes, 2));
  lg::data::save_scatter_plot(path, projected.to(lg::float32), test.labels.narrow(0, 0, n),
                              std::string(dataset == "fashion-mnist" ? "Fashion-MNIST" : "MNIST") +
                                  " test codes on their two principal axes",
                              examples::legend_names(dataset));
}

}  // namespace quickstart
