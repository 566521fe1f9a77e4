#include "latent_pictures.hpp"

#include <cmath>

namespace quickstart {

void draw_reconstructions(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path) {
  lg::NoGradGuard no_grad;
  const std::int64_t count = 16;
  const auto inputs = test.images.narrow(0, 0, count);
  const auto reconstructions = model.forward(inputs).reconstruction;
  lg::data::save_image_grid(path, lg::cat({inputs, reconstructions}, 0), count);
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
  lg::data::save_image_grid(path, lg::cat(images, 0), steps);
}

lg::Tensor principal_axes(const lg::Tensor& points, std::int64_t count) {
  const auto x = points.to(lg::float64);
  const auto centred = x - lg::mean(x, {0}, true);
  auto covariance = lg::matmul(centred.t(), centred) / static_cast<double>(x.size(0));
  lg::Generator g(0);
  std::vector<lg::Tensor> axes;
  for (std::int64_t k = 0; k < count; ++k) {
    auto v = lg::randn({x.size(1), 1}, lg::float64, &g);
    for (int iteration = 0; iteration < 200; ++iteration) {
      v = lg::matmul(covariance, v);
      v = v / lg::norm(v);
    }
    const auto eigenvalue = lg::matmul(v.t(), lg::matmul(covariance, v));
    covariance = covariance - lg::matmul(v, v.t()) * eigenvalue;  // deflate
    axes.push_back(v);
  }
  return lg::cat(axes, 1);
}

void draw_latent_space(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path) {
  lg::NoGradGuard no_grad;
  const std::int64_t n = std::min<std::int64_t>(5000, test.images.size(0));
  const auto codes = model.encode(test.images.narrow(0, 0, n)).to(lg::float64);
  const auto projected = codes.size(1) == 2 ? codes : lg::matmul(codes - lg::mean(codes, {0}, true),
                                                                 principal_axes(codes, 2));
  lg::data::save_scatter_plot(path, projected.to(lg::float32), test.labels.narrow(0, 0, n));
}

}  // namespace quickstart
