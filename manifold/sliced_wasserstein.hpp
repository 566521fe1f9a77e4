// Sliced Wasserstein distances: between point clouds, and between image sets
// by the Laplacian-pyramid patch protocol of progressive GANs.
//
// The 2-Wasserstein distance between two equal-size point sets in 1-D is
// exact and cheap: sort both, pair them in order,
//   W_2^2(a, b) = 1/N sum_i (a_(i) - b_(i))^2.
// In D dims, slice: project both sets on a unit direction theta and use the
// 1-D distance (Rabin, Peyre, Delon & Bernot 2011; Bonneel et al. 2015):
//   SW_2(X, Y) = ( E_theta W_2^2(theta.X, theta.Y) )^(1/2),  theta uniform on S^{D-1},
// estimated with P random directions (normalised Gaussian vectors from a seeded
// lg::Generator): SW_2 ~ sqrt( 1/P sum_p 1/N sum_i ((X theta_p)_(i) - (Y theta_p)_(i))^2 ).
// With order = 1 the per-direction distance is W_1 = 1/N sum_i |a_(i) - b_(i)| and
// SW_1 is its plain mean over directions (no root), the quantity the image
// protocol below averages. X and Y must have the same number of rows N (then
// sorting pairs them; unequal sizes would need quantile interpolation). The
// projections are one GEMM each; the sort is on the host; the result is
// differentiable in X and Y (the sorted order is picked by index, so the
// gradient flows to each point through its rank; usable as a loss; at SW_2 = 0
// the square root's gradient is not finite, so a loss should ask for SW_2^2 with
// `squared`).
//
// Known answer: N(0, I) against N(m, I). Every projection differs by the shift
// theta.m, so W_2^2 = (theta.m)^2 per direction and SW_2^2 = E (theta.m)^2 =
// |m|^2 / D.
//
// The image protocol (Karras, Aila, Laine & Lehtinen 2018, "Progressive growing
// of GANs", code metrics/sliced_wasserstein.py; TF-GAN's sliced_wasserstein.py
// follows it), for images [N, C, H, W]:
//   1. A Laplacian pyramid: G_0 = the images, G_{l+1} = pyr_down(G_l) (the
//      5-tap binomial filter [1, 4, 6, 4, 1]/16 in each direction, mirror
//      borders, every other row and column kept, as cv2.pyrDown), and the levels
//      L_l = G_l - pyr_up(G_{l+1}) (zeros inserted between pixels, filtered with
//      4 x the same kernel, as cv2.pyrUp; cropped to G_l's size when it is odd),
//      the last level L = G_last itself. The number of levels: the side
//      s = min(H, W) halved (rounding down) while it stays >= min_resolution (16),
//      at least one: 64 px gives 64, 32, 16; 32 px gives 32, 16; below 16 px the
//      images alone (TF-GAN's rule).
//      On 28x28 images (MNIST) that is ONE level, 28 (14 < 16): the protocol
//      sees the images themselves, no band-pass at all.
//   2. At each level, random 7x7 patches, 64 per image (positions uniform over
//      the places where the whole patch fits), each a descriptor of C*49 values.
//      Both sets use the same positions (one generator, restarted), so identical
//      sets give exactly 0.
//   3. Each set's descriptors of a level normalised per channel: minus the
//      channel's mean and over its standard deviation (divisor n) over all
//      patches and pixels of that level and set (Karras; TF-GAN normalises each
//      patch by its own mean and std instead: PatchNormalisation::per_patch).
//   4. SWD per level with `directions` random directions, averaged over
//      `repeats` draws; reported per level and averaged over the levels.
// The original reports W_1 per direction (mean |a_(i) - b_(i)|), so `order`
// defaults to 1 here; Karras et al. multiply by 10^3 for display, we do not.
// Its defaults are 128 patches per image and 4 x 128 directions; TF-GAN's 64
// patches and one draw of 147 directions (7 x 7 x 3).
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg::manifold {

// Options of sliced_wasserstein.
struct SlicedWassersteinOptions {
  std::int64_t directions = 128;  // P, random unit directions
  std::int64_t order = 2;         // 2: SW_2 = sqrt(mean_theta W_2^2); 1: SW_1 = mean_theta W_1
  bool squared = false;           // order 2 only: SW_2^2, without the root (smooth at 0, for losses)
  std::uint64_t seed = 0;         // the directions' seed, when no generator is given
  Generator* generator = nullptr;  // when set, the directions are drawn from it (fresh ones at each call)
};

// The sliced Wasserstein distance between the rows of x [N, D] and y [N, D] (same N and D, one floating dtype):
// a 0-d tensor of their dtype, differentiable in x and y.
Tensor sliced_wasserstein(const Tensor& x, const Tensor& y, const SlicedWassersteinOptions& options = {});

// The levels of the Laplacian pyramid of images [N, C, H, W]: L_0 at [N, C, H, W], L_1 at about half the size, ...,
// the last one the Gaussian level itself (see the header comment). levels >= 1; each level but the last needs
// sides >= 3 for the mirror border.
std::vector<Tensor> laplacian_pyramid(const Tensor& images, std::int64_t levels);

// How image_sliced_wasserstein normalises the patch descriptors of a level.
enum class PatchNormalisation {
  per_channel,  // Karras et al.: each channel by its mean and std over all patches of the level
  per_patch,    // TF-GAN: each patch by the mean and std of its own values
  none,         // raw values
};

// Options of image_sliced_wasserstein.
struct ImageSlicedWassersteinOptions {
  std::int64_t min_resolution = 16;     // the pyramid stops before the side falls below this
  std::int64_t patch_size = 7;          // odd, <= the smallest level's side
  std::int64_t patches_per_image = 64;  // per image and level
  std::int64_t directions = 512;        // per repeat
  std::int64_t repeats = 1;             // direction draws, averaged
  std::int64_t order = 1;               // per-direction W_1, as the original (2: SW_2)
  PatchNormalisation normalisation = PatchNormalisation::per_channel;  // as Karras et al.
  std::uint64_t seed = 0;               // patch positions and directions
};

// The distance at each pyramid level and their mean.
struct ImageSlicedWasserstein {
  std::vector<std::int64_t> resolutions = {};  // each level's height, full size first
  std::vector<double> levels = {};             // the SWD at each level
  double mean = 0.0;                           // the mean over the levels
};

// The Laplacian-pyramid sliced Wasserstein distance between image sets a and b [N, C, H, W] of one shape.
ImageSlicedWasserstein image_sliced_wasserstein(const Tensor& a, const Tensor& b,
                                                const ImageSlicedWassersteinOptions& options = {});

}  // namespace lg::manifold
