// latent_strata: log-Euclidean features, Gaussian kernels, kernel PCA and principal angles (hilbert.hpp).
#include "hilbert.hpp"

#include <algorithm>
#include <cmath>

namespace latent_strata {
namespace {

namespace mf = lg::manifold;

// The three mode covariances of latents [N, C, H, W], each divided by its scale.
std::vector<lg::Tensor> scaled_factors(const lg::Tensor& z, const std::array<double, 3>& scale) {
  const mf::ModeCovariances s = mf::mode_covariances(z.to(lg::float64));
  return {s.channels / scale[0], s.rows / scale[1], s.columns / scale[2]};
}

// The mean of tr(S) / n over a set of matrices [N, n, n].
double mean_trace(const lg::Tensor& s) {
  return lg::mean(lg::trace(s)).item() / static_cast<double>(s.size(-1));
}

// The first k components of a fitted kernel PCA (the angles read only its coefficients).
mf::KernelPCA leading(mf::KernelPCA model, std::int64_t k) {
  k = std::min(k, model.coefficients.size(1));
  model.coefficients = model.coefficients.narrow(1, 0, k).contiguous();
  model.eigenvalues = model.eigenvalues.narrow(0, 0, k).contiguous();
  return model;
}

}  // namespace

HilbertSummary hilbert_view(const std::vector<lg::Tensor>& latents, const HilbertOptions& o) {
  lg::check<lg::ValueError>(!latents.empty(), "hilbert_view", "expected at least the clean set");
  HilbertSummary out;
  {
    const mf::ModeCovariances clean = mf::mode_covariances(latents[0].to(lg::float64));
    out.scale = {mean_trace(clean.channels), mean_trace(clean.rows), mean_trace(clean.columns)};
  }
  std::vector<lg::Tensor> features;
  for (const lg::Tensor& z : latents) features.push_back(mf::log_euclidean_features(scaled_factors(z, out.scale),
                                                                                    o.delta));
  const lg::Tensor clean_squared = lg::symmetric_part(mf::pairwise_squared_distances(features[0]));
  out.bandwidth = mf::median_distance_bandwidth(clean_squared);
  const auto kernel = [&](const lg::Tensor& d2) { return mf::gaussian_of_squared_distances(d2, out.bandwidth); };

  // The library's kernel on a few clean latents must be ours (the same features, the same formula).
  {
    const std::int64_t few = std::min<std::int64_t>(16, latents[0].size(0));
    const lg::Tensor ours = kernel(clean_squared.narrow(0, 0, few).narrow(1, 0, few));
    const lg::Tensor library = mf::log_euclidean_gaussian_gram(
        scaled_factors(latents[0].narrow(0, 0, few), out.scale), {.bandwidth = out.bandwidth, .delta = o.delta});
    out.kernel_mismatch = lg::max(lg::abs(ours - library)).item();
  }

  const mf::KernelPCA clean = mf::kernel_pca(kernel(clean_squared));
  out.components = o.components > 0 ? o.components : mf::components_for_energy(clean, o.energies.at(0));
  const mf::KernelPCA clean_leading = leading(clean, out.components);
  for (std::size_t l = 0; l < latents.size(); ++l) {
    const lg::Tensor squared = lg::symmetric_part(mf::pairwise_squared_distances(features[l]));
    const mf::KernelPCA model = l == 0 ? clean : mf::kernel_pca(kernel(squared));
    SubspaceRow row;
    for (const double energy : o.energies) row.components_for.push_back(mf::components_for_energy(model, energy));
    const lg::Tensor cross = kernel(mf::pairwise_squared_distances(features[0], features[l]));
    row.angles = mf::kernel_principal_angles(clean_leading, leading(model, out.components), cross)
                     .to_vector<double>();
    if (l == 0) out.self_angle = row.angles.empty() ? 0.0 : row.angles.back();
    out.rows.push_back(row);
  }
  return out;
}

}  // namespace latent_strata
