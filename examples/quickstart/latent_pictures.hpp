// Pictures of what an autoencoder learned: reconstructions next to their
// inputs, decoded straight lines between two codes, and the codes themselves
// projected on their two principal axes and coloured by class.
#pragma once
#include <string>

#include <latentgeo.hpp>

namespace quickstart {

void draw_reconstructions(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path);
void draw_interpolations(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path);
void draw_latent_space(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path);

// The top `count` principal axes of rows of `points` [N, d] as columns [d, count]
// (power iteration with deflation on the covariance; float64).
lg::Tensor principal_axes(const lg::Tensor& points, std::int64_t count);

}  // namespace quickstart
