// Shared helpers for the optim tests: a reference update loop in float64 and
// exact comparisons of tensors.
#pragma once
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "common/expect_error.hpp"

namespace optim_test {

inline std::vector<double> values(const lg::Tensor& t) { return t.to_vector<double>(); }

inline bool same_bits(const lg::Tensor& a, const lg::Tensor& b) {
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
  const auto x = values(a), y = values(b);
  return x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

// |a - b| <= tolerance (1 + |b|) elementwise.
inline void check_close(const std::vector<double>& actual, const std::vector<double>& expected, double tolerance,
                        const std::string& what) {
  BOOST_REQUIRE_EQUAL(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i)
    BOOST_TEST(std::abs(actual[i] - expected[i]) <= tolerance * (1.0 + std::abs(expected[i])),
               what << " element " << i << ": " << actual[i] << " vs " << expected[i]);
}

// The gradient of the test loss 0.5 sum(a p^2) + sum(b p) at p: a p + b.
inline std::vector<double> quadratic_gradient(const std::vector<double>& p, const std::vector<double>& a,
                                              const std::vector<double>& b) {
  std::vector<double> g(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) g[i] = a[i] * p[i] + b[i];
  return g;
}

// Computes the same loss with differentiable ops and runs backward, so the
// optimiser reads gradients the way training produces them.
inline void backward_quadratic(const lg::Tensor& parameter, const std::vector<double>& a, const std::vector<double>& b) {
  const lg::Tensor ta = lg::from_vector(a, parameter.shape(), parameter.dtype());
  const lg::Tensor tb = lg::from_vector(b, parameter.shape(), parameter.dtype());
  ((ta * parameter * parameter).sum() * 0.5 + (tb * parameter).sum()).backward();
}

using lg::testing::expect_error;

}  // namespace optim_test
