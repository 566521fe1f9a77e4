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

// A symmetric n x n matrix A = Q diag(n, n-1, ..., 1) Q^T (a gap of 1 everywhere) and its
// eigenvectors Q, columns by descending eigenvalue.
struct KnownSpectrum {
  lg::Tensor matrix;        // [n, n]
  lg::Tensor eigenvectors;  // [n, n]
};

// A random float64 KnownSpectrum of size n.
inline KnownSpectrum matrix_with_known_spectrum(std::int64_t n, std::uint64_t seed) {
  lg::Generator generator(seed);
  const lg::Tensor q = lg::qr(lg::randn({n, n}, lg::float64, &generator)).q;
  const lg::Tensor eigenvalues = lg::arange(static_cast<double>(n), 0.0, -1.0, lg::float64);
  return {lg::matmul(q * eigenvalues, lg::transpose(q, 0, 1)), q};
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

// A Stiefel basis U [6, 2] and a Euclidean weight w [2, 3] trained together on
// f = ||U^T Y w - T||^2 for fixed Y, T, with gradients by autograd.
struct StiefelModel {
  explicit StiefelModel(std::uint64_t seed) : basis(stiefel_parameter(6, 2, lg::float64, seed)) {
    lg::Generator generator(seed + 100);
    weight = lg::randn({2, 3}, lg::float64, &generator).requires_grad_();
  }
  lg::nn::NamedParameters named() const { return {{"basis", basis}, {"weight", weight}}; }
  lg::nn::StateDict state() const {
    return {{"basis", lg::clone(basis.tensor.detach())}, {"weight", lg::clone(weight.detach())}};
  }
  void load(const lg::nn::StateDict& state) {
    lg::NoGradGuard no_grad;
    basis.tensor.copy_(state.at("basis"));
    weight.copy_(state.at("weight"));
  }
  lg::nn::Parameter basis;
  lg::Tensor weight;
};

// One training step of StiefelModel on batch `k` of a fixed data stream.
template <class Optimizer>
void train_stiefel_model_step(StiefelModel& model, Optimizer& optimizer, int k) {
  lg::Generator data(500 + static_cast<std::uint64_t>(k));
  const lg::Tensor y = lg::randn({6, 2}, lg::float64, &data);
  const lg::Tensor t = lg::randn({2, 3}, lg::float64, &data);
  optimizer.zero_grad();
  const lg::Tensor r = lg::matmul(lg::matmul(lg::transpose(model.basis.tensor, 0, 1), y), model.weight) - t;
  lg::sum(r * r).backward();
  optimizer.step();
}

// Resume: 3 steps, save model and optimiser state (through the checkpoint format), 2 more steps; a fresh
// model and optimiser loaded from the save take the same 2 steps bit for bit.
template <class Optimizer, class Options>
void check_manifold_resume_is_bit_exact(const Options& options) {
  StiefelModel original(1);
  Optimizer optimizer(original.named(), options);
  for (int k = 0; k < 3; ++k) train_stiefel_model_step(original, optimizer, k);
  const lg::nn::StateDict model_state = through_checkpoint(original.state());
  const lg::nn::StateDict optimizer_state = through_checkpoint(optimizer.state_dict());
  for (int k = 3; k < 5; ++k) train_stiefel_model_step(original, optimizer, k);

  StiefelModel resumed(2);
  Optimizer fresh(resumed.named(), options);
  resumed.load(model_state);
  fresh.load_state_dict(optimizer_state);
  for (int k = 3; k < 5; ++k) train_stiefel_model_step(resumed, fresh, k);
  BOOST_TEST(same_bits(original.basis.tensor, resumed.basis.tensor));
  BOOST_TEST(same_bits(original.weight, resumed.weight));
  BOOST_TEST(same_state(optimizer.state_dict(), fresh.state_dict()));
}

}  // namespace optim_test
