// The principal axes of a cloud of codes, for drawing a latent space in 2-D.
#pragma once
#include <cstdint>
#include <vector>

#include <latentgeo.hpp>

namespace examples {

// The top `count` principal axes of rows of `points` [N, d] as columns [d, count], largest first:
// the eigenvectors of the covariance, by lg::eigh (eigenvalues ascending) in float64.
inline lg::Tensor principal_axes(const lg::Tensor& points, std::int64_t count) {
  const auto x = points.to(lg::float64);
  const auto centred = x - lg::mean(x, {0}, true);
  const auto covariance = lg::matmul(centred.t(), centred) / static_cast<double>(x.size(0));
  const auto eigenvectors = lg::eigh(covariance).eigenvectors;
  std::vector<lg::Tensor> axes;
  for (std::int64_t k = 0; k < count; ++k) axes.push_back(eigenvectors.narrow(1, x.size(1) - 1 - k, 1));
  return lg::cat(axes, 1);
}

// The class names for a dataset's legend: Fashion-MNIST's ten names, none (the digits) for MNIST.
inline std::vector<std::string> legend_names(const std::string& dataset) {
  return dataset == "fashion-mnist" ? lg::data::fashion_mnist_class_names() : std::vector<std::string>{};
}

}  // namespace examples
