// Pictures of what an autoencoder learned: reconstructions next to their
// inputs, decoded straight lines between two codes, and the codes themselves
// projected on their two principal axes and coloured by class.
#pragma once
#include <string>

#include <latentgeo.hpp>

namespace quickstart {

void draw_reconstructions(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path);
void draw_interpolations(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& path);
// The test codes on their two principal axes, coloured by class (named for Fashion-MNIST).
void draw_latent_space(const lg::nn::MlpAutoencoder& model, const lg::data::Dataset& test, const std::string& dataset,
                       const std::string& path);

}  // namespace quickstart
