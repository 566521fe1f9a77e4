// train_strkm's measurements, the same for the three models: the
// Laplacian-pyramid sliced Wasserstein distance of generated images to real
// ones (manifold/sliced_wasserstein.hpp), the reconstruction error, and on the
// sprites DCI (Lasso) and MIG of the codes against the known factors
// (manifold/disentanglement.hpp).
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include <latentgeo.hpp>

namespace train_strkm {

// A trained model seen through three functions (each run without gradients, in batches by the caller's choice).
struct ModelView {
  std::string name;
  std::function<lg::Tensor(const lg::Tensor& images)> encode;       // codes [B, m]
  std::function<lg::Tensor(const lg::Tensor& images)> reconstruct;  // images [B, C, S, S]
  std::function<lg::Tensor(std::int64_t count, lg::Generator&)> sample;
};

// What is measured of one model; NaN where it does not apply.
struct Scores {
  double swd = 0.0;                   // SWD of the samples to the real images (mean over pyramid levels)
  double reconstruction_error = 0.0;  // mean over images of the summed squared error
  double dci_disentanglement = 0.0, dci_completeness = 0.0, dci_informativeness_error = 0.0, mig = 0.0;
  double sample_min = 0.0, sample_max = 0.0;  // the range of the generated pixel values
  lg::Tensor samples;                 // the generated images
};

// fn applied to consecutive batches of `images` under no-grad, the results concatenated on dim 0.
lg::Tensor in_batches(const std::function<lg::Tensor(const lg::Tensor&)>& fn, const lg::Tensor& images,
                      std::int64_t batch = 500);

// The Laplacian-pyramid SWD between image sets of equal size, with the protocol's settings of this program.
double image_swd(const lg::Tensor& a, const lg::Tensor& b, std::uint64_t seed);

// Scores `model`: `real.size(0)` samples against `real`, reconstruction of `real`, and (when factors is defined)
// DCI and MIG of the codes of `real` against factors [N, K] (int64).
Scores score(const ModelView& model, const lg::Tensor& real, const lg::Tensor& factors, std::uint64_t seed);

}  // namespace train_strkm
