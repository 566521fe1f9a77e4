// The pictures train_autoencoder writes: reconstructions under their inputs,
// prior samples (VAE) or decoded interpolations (the others), the test codes
// on their two principal axes, and the loss curves.
#pragma once
#include <string>

#include <latentgeo.hpp>

#include "models.hpp"
#include "run_state.hpp"

namespace train {

// 12 test inputs (top row) above their reconstructions (bottom row), scaled up, titled.
void draw_reconstructions(const TrainableModel& model, const lg::Tensor& test_images, const std::string& title,
                          const std::string& path);
// VAE: 64 decoded draws from the prior; others: 8 rows of decoded straight lines between two test codes.
// `name` (the model) starts the title.
void draw_samples(const TrainableModel& model, const lg::Tensor& test_images, std::uint64_t seed,
                  const std::string& name, const std::string& path);
// The codes of up to 5000 test images on their two principal axes, coloured by class.
void draw_latent_space(const TrainableModel& model, const lg::data::Dataset& test, const std::string& title,
                       const std::vector<std::string>& class_names, const std::string& path);
// Each term of the objective per epoch, train and test, on a log scale.
void draw_losses(const Metrics& metrics, const std::string& title, const std::string& path);

}  // namespace train
