// The manifold table the contract tests iterate: one row per manifold (and per
// metric and retraction where there is a choice). Adding a manifold means adding
// a row here (docs/adding_a_manifold.md); every property in test_contract.cpp
// then runs on it for seeds 1-5 in float64.
#pragma once
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "common/expect_error.hpp"

namespace manifold_test {

// One row of the table.
struct ManifoldCase {
  std::string label;
  std::shared_ptr<const lg::manifold::Manifold> manifold;
  // A point off the manifold near which project() has a unique answer.
  std::function<lg::Tensor(const lg::Tensor& point, lg::Generator&)> ambient;
  // How far v is from the tangent space at x by the manifold's own equation (X^T V + V^T X for
  // Stiefel, ...); the default measures ||project_tangent(x, v) - v||.
  std::function<double(const lg::Tensor& x, const lg::Tensor& v)> tangent_residual;
  // The tolerance of membership checks after project() and retract().
  double membership_tolerance = 1e-12;
  // Whether retract(x, 0) returns x bit for bit (false: up to the factorisation's rounding).
  bool exact_at_zero = true;
  // Whether the manifold's maps work item by item over a leading batch dim (Euclidean's inner sums all).
  bool batched = true;
  // The largest tangent norm for the exp/log round trip (inside the injectivity radius).
  double log_radius = 0.5;
};

// The rows: Euclidean, Sphere, Stiefel with each metric and retraction, Grassmann, SPD with both
// metrics and both retractions, FixedRankPSD and a Product.
std::vector<ManifoldCase> manifold_cases();

// Max |a - b| over every element.
double max_abs_difference(const lg::Tensor& a, const lg::Tensor& b);
// Max |a| over every element.
double max_abs(const lg::Tensor& a);
// ||a||_F over every element.
double frobenius(const lg::Tensor& a);

}  // namespace manifold_test
