// How close one image is to another, per image of a batch: the mean squared
// error and the peak signal-to-noise ratio, the usual score of a decoded
// image against the true one (e.g. a decoded latent midpoint against the image
// of the true midpoint of a known manifold, examples/flat_embedding).
//
// For images a and b of P pixels each (any shape after the batch dim, values
// on a scale whose largest possible value is the peak p, 1 for images in
// [0, 1]):
//
//   MSE(a, b)  = (1 / P) sum_i (a_i - b_i)^2
//   PSNR(a, b) = 10 log10(p^2 / MSE(a, b))   decibels
//
// PSNR is the error on a log scale against the largest possible signal: 20 dB
// is a root mean squared error of p / 10, 40 dB of p / 100; every halving of
// the RMS error adds 20 log10(2) = 6.02 dB. Identical images have MSE 0 and
// PSNR +infinity. (Gonzalez and Woods, "Digital Image Processing", 4th ed.,
// 2018, section 8.1; Huynh-Thu and Ghanbari 2008, "Scope of validity of PSNR in
// image/video quality assessment", on what the number does and does not say.)
// A batch's mean PSNR is the mean of the per-image values, not the PSNR of the
// mean MSE; both are common, and the per-image values let a caller choose.
//
// Computed in float64 whatever the input dtype; nothing is recorded for
// autograd (these are scores, not losses).
#pragma once

#include "autograd/tensor.hpp"

namespace lg::data {

// Options of psnr.
struct PSNROptions {
  // The largest possible pixel value p (> 0): 1 for images in [0, 1], 255 for bytes.
  double peak = 1.0;
};

// The mean squared error of each image of `images` against the same row of `references`: both [N, ...] with the
// same shape (ShapeError otherwise), N >= 1 and at least one value per image (ValueError), floating dtypes
// (DTypeError); returns float64 [N].
Tensor mean_squared_error_per_image(const Tensor& images, const Tensor& references);

// 10 log10(peak^2 / MSE) of each image against its reference, float64 [N] in decibels (+infinity where the two
// are equal); the same checks as mean_squared_error_per_image, and ValueError unless peak > 0 and finite.
Tensor psnr(const Tensor& images, const Tensor& references, const PSNROptions& options = {});

}  // namespace lg::data
