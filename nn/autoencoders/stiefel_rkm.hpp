// St-RKM, the Stiefel restricted kernel machine (Pandey, Fanuel, Schreurs and
// Suykens 2022, "Disentangled Representation Learning and Generation with
// Manifold Optimization", Neural Computation 34(10); arXiv 2006.07046).
//
// An autoencoder trained together with a PCA of its own feature space. The
// encoder phi maps an image x to features z = phi(x) in R^l; U [l, m] has
// orthonormal columns (U^T U = I_m, a point of the Stiefel manifold St(l, m));
// the latent code is h = U^T z in R^m, and the decoder psi maps U h back to an
// image (psi gives logits; the image is their sigmoid, in [0, 1]). Over a
// batch of n images, with the features centred over the batch (z_i minus the
// batch mean), the objective is
//   J = (lambda / n) sum_i L(x_i, z_i)  +  (1 / n) sum_i |(I - U U^T) z_i|^2
//       [--------- AE term ----------]     [---------- PCA term ----------]
// The PCA term is the energy of the features outside span U: the classical PCA
// reconstruction error. For fixed features its minimiser over St(l, m) is the
// top-m eigenvectors of C = Zc^T Zc (Zc the n x l centred features), and then
// U^T C U is diagonal. With orthonormal U it equals tr(C - U U^T C) / n, the
// form computed here (as (|Zc|_F^2 - |Zc U|_F^2) / n).
//
// The RKM reading (Suykens 2017, "Deep restricted kernel machines using
// conjugate feature duality"): the PCA term is, up to constants, the energy of
// a restricted kernel machine with visible units z, hidden units h and
// interconnection matrix U; the Stiefel constraint makes the hidden units
// h = U^T z the principal components, uncorrelated over the data.
//
// The AE term L, for one image, with eps ~ N(0, I_m) and noise level sigma:
//   deterministic  |x - psi(U U^T z)|^2
//   noisy_u        |x - psi(U (U^T z + sigma eps))|^2
//   split          |x - psi(U U^T z)|^2 + |psi(U U^T z) - psi(U (U^T z + sigma eps))|^2
// each a summed squared error of the sigmoid images, weighted as the authors'
// code does: AE term = lambda * 1/2 * (sum over the batch) / n. (The paper
// writes the split loss with a factor 1/2 on both parts; here that 1/2 is the
// common one, so at sigma = 0 the three losses are the same number.) The noisy
// terms make the decoder smooth along each principal direction, which the
// paper argues promotes disentanglement.
// The paper's error is the squared one. reconstruction_error = cross_entropy
// puts the binary cross-entropy of the decoder's logits against the image in
// its place in the first part of each term (the split loss's second part, a
// smoothness term between two decoded images, stays squared): not the paper's
// objective, but the VAEs' likelihood, for images where a squared error
// through a sigmoid stalls (mostly black images: near a pixel value of 0 the
// sigmoid's slope, and with it the squared error's gradient, vanishes, where
// the cross-entropy's gradient is the plain difference sigmoid(l) - x).
//
// Training: the networks by Adam, U by Cayley ADAM (optim/cayley_adam.hpp), one
// backward pass and one step of each per batch; U is a parameter named "U" on
// manifold::Stiefel(l, m), initialised by init::orthogonal_.
//
// After training (the authors' code does this): U is recomputed as the top-m
// eigenvectors of the covariance of the centred features of the whole training
// set (in float64), and h_i = U^T (z_i - mean z), whose covariance is then
// diagonal (the eigenvalues). Generation fits one Gaussian N(mu, Sigma) to the
// h_i (full covariance, Cholesky factor L), draws h = mu + L eps and decodes
// sigmoid(psi(U h)). A traversal moves along one component: h = t e_k.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "autograd/random.hpp"
#include "nn/module.hpp"
#include "nn/sequential.hpp"

namespace lg::nn {

// The AE term of the St-RKM objective (see the file comment).
enum class StrkmLoss { deterministic, noisy_u, split };

// How the AE term measures a reconstruction against its target (see the file comment).
enum class StrkmReconstructionError { squared, cross_entropy };

// Sizes, loss and weights of a StiefelRkm.
struct StiefelRkmOptions {
  // Channels of the input images.
  std::int64_t in_channels = 1;
  // Height = width of the images: 28 or 64 (strkm_networks.hpp).
  std::int64_t image_size = 28;
  // c, the channels of the networks' first convolution (the authors use 64).
  std::int64_t capacity = 64;
  // Width of the networks' hidden fully connected layer (the authors use 256).
  std::int64_t hidden_size = 256;
  // l, the dimension of the features phi(x).
  std::int64_t feature_size = 50;
  // m, the dimension of the latent h = U^T z (1 <= m <= l).
  std::int64_t latent_size = 10;
  // The AE term.
  StrkmLoss loss = StrkmLoss::deterministic;
  // The error of the AE term: squared (the paper's) or the binary cross-entropy of the logits.
  StrkmReconstructionError reconstruction_error = StrkmReconstructionError::squared;
  // lambda (the authors' c_accu), the weight of the AE term (> 0).
  double lambda = 1.0;
  // sigma, the standard deviation of the noise of the noisy_u and split losses (>= 0).
  double sigma = 1e-3;
  // Dtype of the parameters; inputs must match it.
  DType dtype = float32;
  Generator* generator = nullptr;  // for the initial weights and U
};

// The St-RKM objective on one batch and its two terms (0-d tensors).
struct StiefelRkmLoss {
  Tensor total = {};           // pca + reconstruction
  Tensor pca = {};             // tr(C - U U^T C) / n
  Tensor reconstruction = {};  // lambda * 1/2 * summed squared error / n
};

// The Gaussian fitted to the latent codes H after recompute_basis (float64).
struct LatentGaussian {
  Tensor mean = {};        // [m]
  Tensor covariance = {};  // [m, m]
  Tensor cholesky = {};    // [m, m], lower triangular, covariance = L L^T
};

// The St-RKM model, as laid out above.
class StiefelRkm : public Module {
 public:
  // Builds the networks and an orthonormal U; throws ValueError naming the option on bad sizes,
  // lambda <= 0, sigma < 0 or latent_size > feature_size.
  explicit StiefelRkm(const StiefelRkmOptions& options = {});

  // The features phi(x) [B, l] of images x [B, C, S, S] (not centred).
  Tensor features(const Tensor& x) const;
  // sigmoid(psi(z)) for features z [B, l]: images [B, C, S, S] in [0, 1].
  Tensor decode_features(const Tensor& z) const;
  // sigmoid(psi(U h)) for codes h [B, m].
  Tensor decode(const Tensor& h) const;
  // The reconstruction of x through the projection: sigmoid(psi(U U^T zc)), zc the batch-centred features.
  Tensor reconstruct(const Tensor& x) const;
  // The objective on a batch x (B >= 2); generator draws eps for the noisy_u and split losses.
  StiefelRkmLoss loss(const Tensor& x, Generator& generator) const;

  // U [l, m], the parameter itself.
  const Tensor& basis() const { return basis_; }
  // ||U^T U - I||_F, computed in float64.
  double orthogonality_error() const;
  // Sets U to the top-m eigenvectors (float64 eigh) of the covariance of `features` [N, l] (the features of
  // the whole training set, N >= 2), in descending order of eigenvalue, and returns H = (Z - mean Z) U [N, m]
  // in float64 (its covariance is diagonal). Also fits the latent Gaussian to H.
  Tensor recompute_basis(const Tensor& features);
  // Fits the latent Gaussian (mean, full covariance, Cholesky) to codes h [N, m], N >= 2.
  void fit_latent_gaussian(const Tensor& h);
  // The fitted Gaussian; ValueError when none was fitted.
  const LatentGaussian& latent_gaussian() const;
  // count >= 1 images decoded from h ~ the fitted Gaussian, drawn from generator: [count, C, S, S] in [0, 1].
  Tensor sample(std::int64_t count, Generator& generator) const;
  // The images decoded from h = t e_k for each t in values (k = component, 0 <= k < m): [values, C, S, S].
  Tensor traversal(std::int64_t component, const std::vector<double>& values) const;

  // The encoder phi.
  const Sequential& encoder() const { return *encoder_; }
  // The decoder psi (logits).
  const Sequential& decoder() const { return *decoder_; }
  // The options the model was built with.
  const StiefelRkmOptions& options() const { return options_; }

 private:
  Tensor check_images(const Tensor& x) const;  // ShapeError unless x is [B, C, S, S]
  // The reconstruction error of the decoder's logits (and their sigmoid `image`) against `target`, summed over the
  // pixels and averaged over the batch.
  Tensor summed_error(const Tensor& logits, const Tensor& image, const Tensor& target) const;

  StiefelRkmOptions options_;
  std::shared_ptr<Sequential> encoder_;
  std::shared_ptr<Sequential> decoder_;
  Tensor basis_;
  LatentGaussian gaussian_;
};

}  // namespace lg::nn
