// The Cayley step shared by Cayley SGD and Cayley ADAM (formulas in cayley_step.hpp).
#include "optim/cayley_step.hpp"

#include <algorithm>
#include <cmath>

#include "autograd/grad_mode.hpp"
#include "manifold/cayley_transform.hpp"

namespace lg::optim {

void cayley_step(const Tensor& x, const Tensor& a, const CayleyStepSettings& settings, CayleyStepRecord& record) {
  NoGradGuard no_grad;
  const Tensor point = x.detach();
  const manifold::LowRankSkew w = manifold::low_rank_skew(a, point);  // Gram matrices shared below
  const double w_norm = manifold::low_rank_skew_frobenius_norm(w).item<double>();
  const double alpha = std::min(settings.lr, 2.0 * settings.q / (w_norm + settings.eps));
  Tensor next = settings.exact ? manifold::cayley_transform_exact(point, w, alpha)
                               : manifold::cayley_transform_iterative(point, w, alpha, settings.iterations);
  const double drift = manifold::orthonormality_error(next);
  // A NaN drift (a NaN gradient) is not "above" the threshold; it is left for the caller to see.
  const bool reorthonormalise = drift > settings.reorthonormalise_above;
  if (reorthonormalise) next = manifold::reorthonormalise(next);
  Tensor target = x;
  target.copy_(next);  // bumps the storage version
  record.alpha = alpha;
  record.drift = drift;
  record.reorthonormalisations += reorthonormalise ? 1 : 0;
  ++record.steps;
}

void check_cayley_settings(std::string_view op, double q, double eps, double iterations,
                           double reorthonormalise_above) {
  check<ValueError>(q > 0.0 && q < 1.0, op, "q ", q, " is outside (0, 1)");
  check<ValueError>(eps >= 0.0, op, "eps must be non-negative, got ", eps);
  check<ValueError>(iterations >= 1.0 && iterations == std::floor(iterations) && iterations <= 1e6, op,
                    "cayley_iterations must be a whole number between 1 and 1e6, got ", iterations);
  check<ValueError>(reorthonormalise_above >= 0.0, op, "reorthonormalise_above must be non-negative, got ",
                    reorthonormalise_above);
}

}  // namespace lg::optim
