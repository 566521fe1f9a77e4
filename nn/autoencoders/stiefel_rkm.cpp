// StiefelRkm: the St-RKM objective (PCA term + one of three AE terms), the
// post-training recomputation of U by eigh, and Gaussian generation.
#include "nn/autoencoders/stiefel_rkm.hpp"

#include <cmath>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"
#include "manifold/covariance.hpp"
#include "manifold/stiefel.hpp"
#include "nn/autoencoders/strkm_networks.hpp"
#include "nn/init.hpp"

namespace lg::nn {
namespace {

constexpr const char* op_name = "StiefelRkm";

StrkmNetworkOptions network_options(const StiefelRkmOptions& o) {
  return {.in_channels = o.in_channels, .image_size = o.image_size, .capacity = o.capacity,
          .hidden_size = o.hidden_size, .dtype = o.dtype, .generator = o.generator};
}

const StiefelRkmOptions& checked(const StiefelRkmOptions& o) {
  check_strkm_network_options(network_options(o), op_name);
  check<ValueError>(o.feature_size > 0, op_name, "feature_size must be positive, got ", o.feature_size);
  check<ValueError>(o.latent_size > 0 && o.latent_size <= o.feature_size, op_name,
                    "latent_size must be in [1, feature_size = ", o.feature_size, "], got ", o.latent_size);
  check<ValueError>(std::isfinite(o.lambda) && o.lambda > 0.0, op_name, "lambda must be positive, got ", o.lambda);
  check<ValueError>(std::isfinite(o.sigma) && o.sigma >= 0.0, op_name, "sigma must be non-negative, got ", o.sigma);
  check<ValueError>(o.dtype == float32 || o.dtype == float64, op_name, "dtype must be float32 or float64");
  return o;
}

// The summed squared error between image batches, over the batch size: sum |a_i - b_i|^2 / B.
Tensor summed_squared_error(const Tensor& a, const Tensor& b) {
  return mean_squared_error(a, b) * (static_cast<double>(a.numel()) / static_cast<double>(a.size(0)));
}

}  // namespace

StiefelRkm::StiefelRkm(const StiefelRkmOptions& options)
    : options_(checked(options)),
      encoder_(register_module("encoder", strkm_encoder(network_options(options), options.feature_size))),
      decoder_(register_module("decoder", strkm_decoder(network_options(options), options.feature_size))) {
  Tensor u = zeros({options.feature_size, options.latent_size}, options.dtype);
  init::orthogonal_(u, 1.0, options.generator);
  basis_ = register_parameter("U", u);
  set_manifold("U", std::make_shared<const manifold::Stiefel>(options.feature_size, options.latent_size));
}

Tensor StiefelRkm::check_images(const Tensor& x) const {
  check<ValueError>(x.defined(), op_name, "input is undefined");
  const std::int64_t c = options_.in_channels, s = options_.image_size;
  check<ShapeError>(x.dim() == 4 && x.size(1) == c && x.size(2) == s && x.size(3) == s, op_name, "expected [B, ", c,
                    ", ", s, ", ", s, "], got ", shape_str(x.shape()));
  return x;
}

Tensor StiefelRkm::features(const Tensor& x) const { return encoder_->forward(check_images(x)); }

Tensor StiefelRkm::decode_features(const Tensor& z) const {
  check<ShapeError>(z.defined() && z.dim() == 2 && z.size(1) == options_.feature_size, op_name,
                    "expected features [B, ", options_.feature_size, "], got ",
                    z.defined() ? shape_str(z.shape()) : std::string("undefined"));
  return sigmoid(decoder_->forward(z));
}

Tensor StiefelRkm::decode(const Tensor& h) const {
  check<ShapeError>(h.defined() && h.dim() == 2 && h.size(1) == options_.latent_size, op_name, "expected codes [B, ",
                    options_.latent_size, "], got ", h.defined() ? shape_str(h.shape()) : std::string("undefined"));
  return decode_features(h.to(options_.dtype).matmul(basis_.t()));
}

Tensor StiefelRkm::reconstruct(const Tensor& x) const {
  const Tensor z = features(x);
  const Tensor centred = z - mean(z, {0}, true);
  return decode(centred.matmul(basis_));
}

Tensor StiefelRkm::summed_error(const Tensor& logits, const Tensor& image, const Tensor& target) const {
  if (options_.reconstruction_error == StrkmReconstructionError::squared) return summed_squared_error(image, target);
  const double pixels_per_image = static_cast<double>(logits.numel()) / static_cast<double>(logits.size(0));
  return mean_binary_cross_entropy_with_logits(logits, target) * pixels_per_image;
}

StiefelRkmLoss StiefelRkm::loss(const Tensor& x, Generator& generator) const {
  check_images(x);
  check<ValueError>(x.size(0) >= 2, op_name, "loss needs a batch of at least 2 (features are centred), got ",
                    x.size(0));
  const double batch = static_cast<double>(x.size(0));
  const Tensor z = features(x);
  const Tensor centred = z - mean(z, {0}, true);  // Zc [B, l]
  const Tensor h = centred.matmul(basis_);        // U^T z per row [B, m]
  StiefelRkmLoss out;
  // tr(C - U U^T C) / B with C = Zc^T Zc: tr(C) = |Zc|_F^2 and tr(U U^T C) = tr(U^T C U) = |Zc U|_F^2.
  out.pca = (sum(centred * centred) - sum(h * h)) / batch;
  const Tensor clean_logits = decoder_->forward(h.matmul(basis_.t()));  // psi(U U^T z), before the sigmoid
  const Tensor clean = sigmoid(clean_logits);
  Tensor summed;
  if (options_.loss == StrkmLoss::deterministic) {
    summed = summed_error(clean_logits, clean, x);
  } else {
    const Tensor eps = randn(h.shape(), h.dtype(), &generator);
    const Tensor noisy_logits = decoder_->forward((h + eps * options_.sigma).matmul(basis_.t()));
    const Tensor noisy = sigmoid(noisy_logits);
    summed = options_.loss == StrkmLoss::noisy_u
                 ? summed_error(noisy_logits, noisy, x)
                 : summed_error(clean_logits, clean, x) + summed_squared_error(noisy, clean);
  }
  out.reconstruction = summed * (0.5 * options_.lambda);
  out.total = out.pca + out.reconstruction;
  return out;
}

double StiefelRkm::orthogonality_error() const {
  NoGradGuard no_grad;
  const Tensor u = basis_.detach().to(float64);
  return norm(u.t().matmul(u) - eye(options_.latent_size, float64)).item();
}

Tensor StiefelRkm::recompute_basis(const Tensor& z) {
  const std::int64_t l = options_.feature_size, m = options_.latent_size;
  check<ShapeError>(z.defined() && z.dim() == 2 && z.size(1) == l && z.size(0) >= 2, op_name,
                    "recompute_basis expects features [N >= 2, ", l, "], got ",
                    z.defined() ? shape_str(z.shape()) : std::string("undefined"));
  NoGradGuard no_grad;
  const Tensor z64 = z.detach().to(float64);
  const Tensor centred = z64 - mean(z64, {0}, true);
  const Eigh spectrum = eigh(manifold::covariance(centred));  // ascending
  // The top m eigenvectors, largest first: columns l-1, l-2, ..., l-m.
  std::vector<std::int64_t> order;
  for (std::int64_t j = 0; j < m; ++j) order.push_back(l - 1 - j);
  const Tensor top = index_select(spectrum.eigenvectors, 1, from_vector(order, {m}));
  basis_.copy_(top.to(options_.dtype));
  const Tensor h = centred.matmul(top);
  fit_latent_gaussian(h);
  return h;
}

void StiefelRkm::fit_latent_gaussian(const Tensor& h) {
  const std::int64_t m = options_.latent_size;
  check<ShapeError>(h.defined() && h.dim() == 2 && h.size(1) == m && h.size(0) >= 2, op_name,
                    "fit_latent_gaussian expects codes [N >= 2, ", m, "], got ",
                    h.defined() ? shape_str(h.shape()) : std::string("undefined"));
  NoGradGuard no_grad;
  const Tensor h64 = h.detach().to(float64);
  gaussian_.mean = mean(h64, {0});
  gaussian_.covariance = manifold::covariance(h64);
  // A relative jitter keeps the factorisation defined when a component has (numerically) no variance.
  const double scale = trace(gaussian_.covariance).item() / static_cast<double>(m);
  gaussian_.cholesky = cholesky(gaussian_.covariance + eye(m, float64) * (1e-10 * scale + 1e-300));
}

const LatentGaussian& StiefelRkm::latent_gaussian() const {
  check<ValueError>(gaussian_.cholesky.defined(), op_name,
                    "no latent Gaussian: call recompute_basis or fit_latent_gaussian first");
  return gaussian_;
}

Tensor StiefelRkm::sample(std::int64_t count, Generator& generator) const {
  check<ValueError>(count >= 1, op_name, "sample needs a positive count, got ", count);
  const LatentGaussian& g = latent_gaussian();
  NoGradGuard no_grad;
  const Tensor eps = randn({count, options_.latent_size}, float64, &generator);
  return decode(eps.matmul(g.cholesky.t()) + g.mean);
}

Tensor StiefelRkm::traversal(std::int64_t component, const std::vector<double>& values) const {
  const std::int64_t m = options_.latent_size, count = static_cast<std::int64_t>(values.size());
  check<ValueError>(component >= 0 && component < m, op_name, "traversal component must be in [0, ", m, "), got ",
                    component);
  check<ValueError>(count >= 1, op_name, "traversal needs at least one value");
  std::vector<double> codes(static_cast<std::size_t>(count * m), 0.0);
  for (std::int64_t i = 0; i < count; ++i)
    codes[static_cast<std::size_t>(i * m + component)] = values[static_cast<std::size_t>(i)];
  NoGradGuard no_grad;
  return decode(from_vector(codes, {count, m}, float64));
}

}  // namespace lg::nn
