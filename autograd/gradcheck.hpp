// Gradient checking, public so users test their own ops the way we test ours.
//
// gradcheck compares the analytic vector-Jacobian product v^T J (from grad())
// with central finite differences of <v, f(x)> in float64, for every element
// of every input that requires grad, with a random cotangent v (all-ones would
// hide transposition and broadcasting bugs). It also checks that backward is
// linear in v, gives zero for v = 0, repeats bit for bit on a retained graph,
// and returns gradients of the inputs' shapes and dtypes.
//
// gradgradcheck runs gradcheck on (x, v) -> v^T J(x), built with create_graph,
// so the backward of the backward is checked too.
//
// A check that checks nothing fails: when no input requires grad, both return
// passed = false with a report saying so, without calling the function, so a
// sample whose inputs were all made constants by mistake cannot pass silently.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg {

using TensorFunction = std::function<Tensor(const std::vector<Tensor>&)>;

// Settings of gradcheck and gradgradcheck: an element passes when
// |analytic - numeric| <= atol + rtol |numeric|.
struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-6;
  double rtol = 1e-4;
  std::uint64_t seed = 0;
  // Instead of every element, compare `projections` random directions u:
  // d/dt <v, f(x + t u)> against <v^T J, u>. For inputs too large for a full Jacobian.
  bool fast = false;
  int projections = 8;
  // Also check linearity, zero-in-zero-out, repeatability, shapes (first order only).
  bool check_invariants = true;
};

// The outcome of a gradient check.
struct GradcheckResult {
  bool passed = true;
  double worst_error = 0.0;  // max over elements of |analytic - numeric| / (atol + rtol |numeric|)
  std::string report;        // empty when passed; names the op, input, element, expected and received
};

// Inputs must be float64; those with requires_grad are checked, the rest are constants. At least
// one must require grad (otherwise the result fails: see above).
GradcheckResult gradcheck(const std::string& name, const TensorFunction& function, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});
// gradcheck of the map (x, v) to v^T J(x), so second derivatives are checked; same inputs rule as gradcheck.
GradcheckResult gradgradcheck(const std::string& name, const TensorFunction& function,
                              const std::vector<Tensor>& inputs, const GradcheckOptions& options = {});

}  // namespace lg
