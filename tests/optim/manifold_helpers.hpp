// Shared helpers for the Riemannian and Cayley optimiser tests: Stiefel
// parameters, the Brockett-type cost with a closed-form gradient, a matrix with
// a known top eigenspace, and a state round trip through the checkpoint format.
#pragma once
#include <cmath>
#include <memory>
#include <string>

#include "helpers.hpp"
#include "manifold/principal_angles.hpp"
#include "manifold/spd.hpp"
#include "manifold/stiefel.hpp"

namespace optim_test {

// A Stiefel parameter St(n, p): a random point (Q of a Gaussian), a leaf that requires grad.
inline lg::nn::Parameter stiefel_parameter(std::int64_t n, std::int64_t p, lg::DType dtype, std::uint64_t seed) {
  auto manifold = std::make_shared<const lg::manifold::Stiefel>(n, p);
  lg::Generator generator(seed);
  lg::Tensor x = manifold->random_point(generator, dtype);
  x.requires_grad_();
  return {x, manifold};
}

// The gradient of f(X) = -tr(X^T A X), -2 A X, set as X's gradient (no graph).
inline void set_brockett_gradient(const lg::Tensor& x, const lg::Tensor& a) {
  lg::NoGradGuard no_grad;
  x.set_grad(-2.0 * lg::matmul(a, x.detach()));
}

// The same for a diagonal A given as a column d [n, 1]: -2 d * X, O(n p) per step.
inline void set_diagonal_brockett_gradient(const lg::Tensor& x, const lg::Tensor& d) {
  lg::NoGradGuard no_grad;
  x.set_grad(-2.0 * d * x.detach());
}

// A symmetric n x n matrix Q diag(lambda) Q^T with eigenvalues n, n-1, ..., 1 (a gap of 1 everywhere).
inline lg::Tensor matrix_with_known_spectrum(std::int64_t n, std::uint64_t seed) {
  lg::Generator generator(seed);
  const lg::Tensor q = lg::qr(lg::randn({n, n}, lg::float64, &generator)).q;
  const lg::Tensor eigenvalues = lg::arange(static_cast<double>(n), 0.0, -1.0, lg::float64);
  return lg::matmul(q * eigenvalues, lg::transpose(q, 0, 1));
}

// The largest principal angle between the column spaces of X and Y (manifold/principal_angles.hpp).
inline double largest_principal_angle(const lg::Tensor& x, const lg::Tensor& y) {
  return lg::max(lg::manifold::principal_angles(x, y)).item<double>();
}

// A state dict through the checkpoint format, in memory: what a save and a load in a new process see.
inline lg::nn::StateDict through_checkpoint(const lg::nn::StateDict& state) {
  const auto bytes = lg::nn::encode_checkpoint({.tensors = state, .metadata = {}});
  return lg::nn::decode_checkpoint(bytes).tensors;
}

// Whether two state dicts hold the same keys with bit-identical tensors.
inline bool same_state(const lg::nn::StateDict& a, const lg::nn::StateDict& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [key, tensor] : a) {
    const auto found = b.find(key);
    if (found == b.end() || !same_bits(tensor, found->second)) return false;
  }
  return true;
}

}  // namespace optim_test
