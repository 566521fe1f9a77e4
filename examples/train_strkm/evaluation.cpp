// train_strkm's measurements (evaluation.hpp).
#include "evaluation.hpp"

#include <cmath>
#include <limits>
#include <vector>

namespace train_strkm {

lg::Tensor in_batches(const std::function<lg::Tensor(const lg::Tensor&)>& fn, const lg::Tensor& images,
                      std::int64_t batch) {
  lg::NoGradGuard no_grad;
  std::vector<lg::Tensor> parts;
  for (std::int64_t start = 0; start < images.size(0); start += batch)
    parts.push_back(fn(images.narrow(0, start, std::min(batch, images.size(0) - start))).detach());
  return lg::cat(parts, 0);
}

double image_swd(const lg::Tensor& a, const lg::Tensor& b, std::uint64_t seed) {
  // TF-GAN's protocol (64 patches per image, per-patch normalisation, 147 directions), averaged over 4 draws.
  return lg::manifold::image_sliced_wasserstein(
             a.to(lg::float32), b.to(lg::float32),
             {.patches_per_image = 64, .directions = 147, .repeats = 4,
              .normalisation = lg::manifold::PatchNormalisation::per_patch, .seed = seed})
      .mean;
}

Scores score(const ModelView& model, const lg::Tensor& real, const lg::Tensor& factors, std::uint64_t seed) {
  Scores s;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.dci_disentanglement = s.dci_completeness = s.dci_informativeness_error = s.mig = nan;
  lg::Generator generator(seed);
  {
    lg::NoGradGuard no_grad;
    std::vector<lg::Tensor> parts;
    for (std::int64_t done = 0; done < real.size(0); done += 500)
      parts.push_back(model.sample(std::min<std::int64_t>(500, real.size(0) - done), generator).detach());
    s.samples = lg::cat(parts, 0).to(lg::float32);
  }
  s.sample_min = lg::min(s.samples).item();
  s.sample_max = lg::max(s.samples).item();
  s.swd = image_swd(s.samples, real, seed + 1);
  const lg::Tensor reconstruction = in_batches(model.reconstruct, real).to(lg::float32);
  const lg::Tensor difference = reconstruction - real;
  s.reconstruction_error = (lg::sum(difference * difference) / static_cast<double>(real.size(0))).item();
  if (factors.defined()) {
    const lg::Tensor codes = in_batches(model.encode, real).to(lg::float64);
    const lg::manifold::DciResult dci = lg::manifold::dci(codes, factors, {.seed = seed});
    s.dci_disentanglement = dci.scores.disentanglement;
    s.dci_completeness = dci.scores.completeness;
    s.dci_informativeness_error = dci.informativeness_error;
    s.mig = lg::manifold::mutual_information_gap(codes, factors).mig;
  }
  return s;
}

}  // namespace train_strkm
