// The Cayley transform (manifold/cayley_transform.hpp) and the Cayley optimisers
// (optim/cayley_sgd.hpp, optim/cayley_adam.hpp): the low-rank transform against
// the dense formula, drift over 10,000 exact steps, the iterative transform's
// drift record and re-orthonormalisation, recovery of a known eigenspace,
// stability off the manifold, the det -1 component of O(n), resume, and errors.
#include <chrono>
#include <cmath>
#include <limits>

#include "manifold/sphere.hpp"
#include "manifold_helpers.hpp"

using namespace optim_test;
namespace optim = lg::optim;
namespace manifold = lg::manifold;

namespace {

constexpr double never = std::numeric_limits<double>::infinity();

double max_abs_difference(const lg::Tensor& a, const lg::Tensor& b) { return lg::max(lg::abs(a - b)).item<double>(); }

bool all_finite(const lg::Tensor& x) { return std::isfinite(lg::sum(x).item<double>()); }

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// 10,000 exact Cayley ADAM steps on St(784, 10) for f(X) = -tr(X^T A X), A = diag(d) SPD, with
// re-orthonormalisation off; returns the largest drift seen after any step.
double largest_drift_over_exact_steps(lg::DType dtype, int steps) {
  auto parameter = stiefel_parameter(784, 10, dtype, 7);
  lg::Generator generator(8);
  const lg::Tensor d = lg::uniform({784, 1}, 1.0, 2.0, dtype, &generator);
  optim::CayleyAdam adam({{"U", parameter}}, {.lr = 1e-2, .exact = true, .reorthonormalise_above = never});
  double largest = manifold::orthonormality_error(parameter.tensor);
  for (int k = 0; k < steps; ++k) {
    set_diagonal_brockett_gradient(parameter.tensor, d);
    adam.step();
    const double drift = adam.last_drift("U");
    if (!(drift <= largest)) largest = drift;  // keeps a NaN
  }
  BOOST_TEST(adam.reorthonormalisation_count("U") == 0);
  BOOST_TEST(all_finite(parameter.tensor));
  BOOST_TEST(adam.last_step("U").steps == steps);
  return largest;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cayley_transform)

BOOST_AUTO_TEST_CASE(exact_transform_matches_the_dense_formula_and_is_orthonormal) {
  lg::Generator generator(1);
  const manifold::Stiefel stiefel(8, 3);
  const lg::Tensor x = stiefel.random_point(generator, lg::float64);
  const lg::Tensor a = lg::randn({8, 3}, lg::float64, &generator);
  const lg::Tensor b = lg::randn({8, 3}, lg::float64, &generator);
  const lg::Tensor w = lg::matmul(a, lg::transpose(b, 0, 1)) - lg::matmul(b, lg::transpose(a, 0, 1));
  const lg::Tensor identity = lg::eye(8, lg::float64);
  for (double alpha : {1e-3, 0.7, 5.0}) {
    const lg::Tensor dense = lg::solve(identity - 0.5 * alpha * w, lg::matmul(identity + 0.5 * alpha * w, x));
    const lg::Tensor y = manifold::cayley_transform_exact(x, a, b, alpha);
    BOOST_TEST(max_abs_difference(y, dense) <= 1e-12, "alpha " << alpha);
    BOOST_TEST(manifold::orthonormality_error(y) <= 1e-13, "alpha " << alpha);
  }
  BOOST_TEST(std::abs(manifold::low_rank_skew_frobenius_norm(a, b).item<double>() - lg::norm(w).item<double>()) <=
             1e-12 * lg::norm(w).item<double>());
  const lg::Tensor z = lg::randn({8, 2}, lg::float64, &generator);
  BOOST_TEST(max_abs_difference(manifold::apply_low_rank_skew(a, b, z), lg::matmul(w, z)) <= 1e-12);
  // Batched: each item as on its own.
  const lg::Tensor xs = lg::stack({x, x}), as = lg::stack({a, 2.0 * a}), bs = lg::stack({b, b});
  const lg::Tensor ys = manifold::cayley_transform_exact(xs, as, bs, 0.3);
  BOOST_TEST(max_abs_difference(lg::select(ys, 0, 1), manifold::cayley_transform_exact(x, 2.0 * a, b, 0.3)) <= 1e-13);
}

BOOST_AUTO_TEST_CASE(iteration_converges_to_the_exact_transform) {
  lg::Generator generator(2);
  const manifold::Stiefel stiefel(30, 4);
  const lg::Tensor x = stiefel.random_point(generator, lg::float64);
  const lg::Tensor a = lg::randn({30, 4}, lg::float64, &generator);
  // alpha/2 ||W||_2 <= alpha/2 ||W||_F = 0.25: each round shrinks the error at least fourfold.
  const double alpha = 0.5 / manifold::low_rank_skew_frobenius_norm(a, x).item<double>();
  const lg::Tensor exact = manifold::cayley_transform_exact(x, a, x, alpha);
  double previous = std::numeric_limits<double>::infinity();
  for (std::int64_t rounds : {1, 2, 5, 30}) {
    const double error = max_abs_difference(manifold::cayley_transform_iterative(x, a, x, alpha, rounds), exact);
    BOOST_TEST_MESSAGE("iterative Cayley, " << rounds << " rounds: max error " << error);
    BOOST_TEST(error < previous);
    previous = error;
  }
  BOOST_TEST(previous <= 1e-14);
  expect_error<lg::ValueError>([&] { manifold::cayley_transform_iterative(x, a, x, alpha, 0); },
                               "cayley_transform_iterative: ", {"at least 1", "0"});
  expect_error<lg::ShapeError>(
      [&] {
        manifold::cayley_transform_exact(x, lg::zeros({30, 3}, lg::float64), x, 1.0);
      },
      "cayley_transform_exact: ", {"[30, 4]", "[30, 3]"});
}

BOOST_AUTO_TEST_CASE(reorthonormalise_is_qr_with_positive_diagonal) {
  lg::Generator generator(3);
  const lg::Tensor x = lg::randn({12, 5}, lg::float64, &generator);
  const lg::Tensor q = manifold::reorthonormalise(x);
  BOOST_TEST(manifold::orthonormality_error(q) <= 1e-14);
  const lg::Tensor r = lg::matmul(lg::transpose(q, 0, 1), x);  // = R, upper triangular with positive diagonal
  BOOST_TEST(lg::min(lg::diagonal(r)).item<double>() > 0.0);
  BOOST_TEST(max_abs_difference(lg::matmul(q, lg::triu(r)), x) <= 1e-13);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cayley_optimisers)

BOOST_AUTO_TEST_CASE(exact_cayley_adam_keeps_orthonormality_over_10000_steps) {
  for (const auto& [dtype, bound] : {std::pair{lg::float32, 1e-4}, std::pair{lg::float64, 1e-10}}) {
    const auto start = std::chrono::steady_clock::now();
    const double drift = largest_drift_over_exact_steps(dtype, 10000);
    BOOST_TEST_MESSAGE("exact Cayley ADAM, St(784, 10) " << dtype << ": largest ||X^T X - I||_F over 10,000 steps "
                                                         << drift << " (bound " << bound << "), "
                                                         << seconds_since(start) << " s");
    BOOST_TEST(drift <= bound, dtype << " drift " << drift);
  }
}

BOOST_AUTO_TEST_CASE(iterative_drift_is_recorded_and_reorthonormalisation_fires) {
  const lg::Tensor a = matrix_with_known_spectrum(50, 4).matrix.to(lg::float32);
  // The default threshold (1e-5) keeps X within it, or within QR's own rounding when it fires.
  {
    auto parameter = stiefel_parameter(50, 5, lg::float32, 5);
    optim::CayleySGD sgd({{"U", parameter}}, {.lr = 0.05});
    double largest_after_step = 0.0, largest_measured = 0.0;
    for (int k = 1; k <= 300; ++k) {
      set_brockett_gradient(parameter.tensor, a);
      sgd.step();
      BOOST_TEST(sgd.last_step("U").steps == k);
      largest_measured = std::max(largest_measured, sgd.last_drift("U"));
      BOOST_TEST(sgd.last_drift("U") > 0.0);  // measured at every step (float32 rounding at least)
      largest_after_step = std::max(largest_after_step, manifold::orthonormality_error(parameter.tensor));
    }
    BOOST_TEST_MESSAGE("iterative Cayley SGD, float32, default threshold: "
                       << sgd.reorthonormalisation_count("U") << " re-orthonormalisations in 300 steps; largest drift "
                       << largest_measured << " measured after the Cayley step, " << largest_after_step
                       << " after the re-orthonormalisation");
    BOOST_TEST(largest_after_step <= 1e-5);
  }
  // A threshold below float32 rounding fires at every step; each leaves X orthonormal to QR's rounding.
  {
    auto parameter = stiefel_parameter(50, 5, lg::float32, 5);
    optim::CayleyAdam adam({{"U", parameter}}, {.lr = 0.05, .reorthonormalise_above = 1e-12});
    for (int k = 0; k < 20; ++k) {
      set_brockett_gradient(parameter.tensor, a);
      adam.step();
      BOOST_TEST(manifold::orthonormality_error(parameter.tensor) <= 1e-5);
    }
    BOOST_TEST(adam.reorthonormalisation_count("U") == 20);
  }
  // With it off, one round of a large step drifts (the iteration is not the exact transform).
  {
    auto parameter = stiefel_parameter(50, 5, lg::float64, 5);
    optim::CayleySGD sgd({{"U", parameter}},
                         {.lr = 10.0, .momentum = 0.0, .cayley_iterations = 1, .reorthonormalise_above = never});
    set_brockett_gradient(parameter.tensor, a.to(lg::float64));
    sgd.step();
    BOOST_TEST(sgd.last_drift("U") > 1e-6);
    BOOST_TEST(sgd.last_drift("U") == manifold::orthonormality_error(parameter.tensor));
    BOOST_TEST(sgd.reorthonormalisation_count("U") == 0);
  }
}

BOOST_AUTO_TEST_CASE(cayley_optimisers_recover_the_top_eigenspace) {
  // f(X) = -tr(X^T A X) on St(30, 4), A with eigenvalues 30, 29, ..., 1: the minimisers span the
  // top-4 eigenspace, the first 4 columns of A's eigenvector matrix.
  const std::int64_t n = 30, p = 4;
  const KnownSpectrum spectrum = matrix_with_known_spectrum(n, 11);
  const lg::Tensor& a = spectrum.matrix;
  const lg::Tensor top = lg::narrow(lg::eigh(a).eigenvectors, 1, n - p, p);  // eigenvalues ascending
  BOOST_TEST(largest_principal_angle(top, lg::narrow(spectrum.eigenvectors, 1, 0, p)) <= 1e-12);
  for (bool adam : {true, false}) {
    for (bool exact : {false, true}) {
      auto parameter = stiefel_parameter(n, p, lg::float64, 12);
      std::unique_ptr<optim::Optimizer> optimizer;
      if (adam)
        optimizer = std::make_unique<optim::CayleyAdam>(optim::NamedParameters{{"U", parameter}},
                                                        optim::CayleyAdamOptions{.lr = 0.5, .exact = exact});
      else
        optimizer = std::make_unique<optim::CayleySGD>(optim::NamedParameters{{"U", parameter}},
                                                       optim::CayleySGDOptions{.lr = 0.01, .exact = exact});
      int steps = 0;
      double angle = largest_principal_angle(parameter.tensor, top);
      for (; steps < 3000 && angle >= 1e-3; ++steps) {
        set_brockett_gradient(parameter.tensor, a);
        optimizer->step();
        if (steps % 10 == 9) angle = largest_principal_angle(parameter.tensor, top);
      }
      angle = largest_principal_angle(parameter.tensor, top);
      BOOST_TEST_MESSAGE((adam ? "Cayley ADAM" : "Cayley SGD")
                         << (exact ? " exact" : " iterative") << ": largest principal angle " << angle << " after "
                         << steps << " steps");
      BOOST_TEST(angle < 1e-3, (adam ? "Cayley ADAM" : "Cayley SGD") << (exact ? " exact" : " iterative"));
    }
  }
}

BOOST_AUTO_TEST_CASE(started_off_the_manifold_no_nan_and_back_after_reorthonormalisation) {
  // X0 = a Stiefel point moved 1e-2 off it in float32.
  auto start_point = [](std::uint64_t seed) {
    auto parameter = stiefel_parameter(40, 4, lg::float32, seed);
    lg::Generator generator(seed + 1);
    const lg::Tensor noise = lg::randn({40, 4}, lg::float32, &generator);
    lg::NoGradGuard no_grad;
    lg::Tensor x = parameter.tensor;
    x.copy_(x + 1e-2 * noise / lg::norm(noise));
    return parameter;
  };
  const lg::Tensor a = matrix_with_known_spectrum(40, 13).matrix.to(lg::float32);
  // A Cayley step alone preserves X^T X: with re-orthonormalisation off the drift stays where it started.
  {
    auto parameter = start_point(20);
    const double initial = manifold::orthonormality_error(parameter.tensor);
    optim::CayleyAdam adam({{"U", parameter}}, {.lr = 0.05, .exact = true, .reorthonormalise_above = never});
    for (int k = 0; k < 50; ++k) {
      set_brockett_gradient(parameter.tensor, a);
      adam.step();
    }
    BOOST_TEST(all_finite(parameter.tensor));
    const double final_drift = manifold::orthonormality_error(parameter.tensor);
    BOOST_TEST_MESSAGE("off the manifold, exact Cayley only: drift " << initial << " -> " << final_drift);
    BOOST_TEST(initial > 1e-3);
    BOOST_TEST(std::abs(final_drift - initial) <= 1e-4 * initial + 1e-5);
  }
  // With the documented re-projection (the default threshold) the first step brings it back.
  for (bool exact : {true, false}) {
    auto parameter = start_point(20);
    optim::CayleyAdam adam({{"U", parameter}}, {.lr = 0.05, .exact = exact});
    for (int k = 0; k < 50; ++k) {
      set_brockett_gradient(parameter.tensor, a);
      adam.step();
      BOOST_TEST(manifold::orthonormality_error(parameter.tensor) <= 1e-5, "step " << k);
    }
    BOOST_TEST(all_finite(parameter.tensor));
    BOOST_TEST(adam.reorthonormalisation_count("U") >= 1);
  }
}

BOOST_AUTO_TEST_CASE(a_cayley_step_keeps_the_det_minus_one_component_of_o_n) {
  // On St(5, 5) = O(5), f(X) = ||X - T||^2 with T a rotation (det +1) in the other component: every step
  // is a continuous path, so X started at det -1 stays there, whatever the pull of T.
  lg::Generator generator(21);
  const manifold::Stiefel orthogonal(5, 5);
  lg::Tensor target = orthogonal.random_point(generator, lg::float64);
  if (lg::det(target).item<double>() < 0) target = target * lg::tensor({-1.0, 1, 1, 1, 1}, lg::float64);
  for (bool adam : {true, false}) {
    auto parameter = stiefel_parameter(5, 5, lg::float64, 22);
    {
      lg::NoGradGuard no_grad;
      if (lg::det(parameter.tensor).item<double>() > 0)
        parameter.tensor.copy_(parameter.tensor * lg::tensor({-1.0, 1, 1, 1, 1}, lg::float64));
    }
    std::unique_ptr<optim::Optimizer> optimizer;
    if (adam)
      optimizer = std::make_unique<optim::CayleyAdam>(optim::NamedParameters{{"Q", parameter}},
                                                      optim::CayleyAdamOptions{.lr = 0.1});
    else
      optimizer = std::make_unique<optim::CayleySGD>(optim::NamedParameters{{"Q", parameter}},
                                                     optim::CayleySGDOptions{.lr = 0.1});
    for (int k = 0; k < 200; ++k) {
      lg::NoGradGuard no_grad;
      parameter.tensor.set_grad(2.0 * (parameter.tensor.detach() - target));
      optimizer->step();
    }
    // det X = -1 up to the drift the iterative transform leaves (below the 1e-5 threshold).
    BOOST_TEST(std::abs(lg::det(parameter.tensor).item<double>() + 1.0) <= 1e-4);
  }
}

BOOST_AUTO_TEST_CASE(euclidean_parameters_step_as_adam_and_sgd) {
  lg::Generator generator(31);
  const lg::Tensor start = lg::randn({3, 4}, lg::float64, &generator);
  const lg::Tensor grads = lg::randn({5, 3, 4}, lg::float64, &generator);
  auto run = [&](auto make) {
    lg::Tensor w = lg::clone(start).requires_grad_();
    auto optimizer = make(optim::NamedParameters{{"w", w}});
    for (int k = 0; k < 5; ++k) {
      w.set_grad(lg::select(grads, 0, k));
      optimizer->step();
    }
    return w;
  };
  const lg::Tensor cayley_adam = run([](optim::NamedParameters p) {
    return std::make_unique<optim::CayleyAdam>(p, optim::CayleyAdamOptions{.lr = 0.1, .weight_decay = 0.01});
  });
  const lg::Tensor adam = run([](optim::NamedParameters p) {
    return std::make_unique<optim::Adam>(p, optim::AdamOptions{.lr = 0.1, .beta2 = 0.99, .weight_decay = 0.01});
  });
  BOOST_TEST(same_bits(cayley_adam, adam));
  const lg::Tensor cayley_sgd = run([](optim::NamedParameters p) {
    return std::make_unique<optim::CayleySGD>(p, optim::CayleySGDOptions{.lr = 0.1, .momentum = 0.9});
  });
  const lg::Tensor sgd = run([](optim::NamedParameters p) {
    return std::make_unique<optim::SGD>(p, optim::SGDOptions{.lr = 0.1, .momentum = 0.9});
  });
  check_close(values(cayley_sgd), values(sgd), 1e-14, "Cayley SGD against SGD");
}

BOOST_AUTO_TEST_CASE(a_zero_gradient_leaves_the_point_even_with_eps_zero) {
  // With eps = 0, Cayley ADAM's r is 0 while every gradient is zero (v = 0); the step must not divide by it.
  for (bool adam : {true, false}) {
    auto parameter = stiefel_parameter(8, 3, lg::float32, 40);
    const lg::Tensor start = lg::clone(parameter.tensor.detach());
    std::unique_ptr<optim::Optimizer> optimizer;
    if (adam)
      optimizer = std::make_unique<optim::CayleyAdam>(optim::NamedParameters{{"U", parameter}},
                                                      optim::CayleyAdamOptions{.eps = 0.0, .exact = true});
    else
      optimizer = std::make_unique<optim::CayleySGD>(optim::NamedParameters{{"U", parameter}},
                                                     optim::CayleySGDOptions{.eps = 0.0});
    for (int k = 0; k < 3; ++k) {
      parameter.tensor.set_grad(lg::zeros({8, 3}, lg::float32));
      optimizer->step();
    }
    BOOST_TEST(all_finite(parameter.tensor));
    BOOST_TEST(max_abs_difference(parameter.tensor, start) == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(one_optimiser_or_two_step_alike) {
  // St-RKM steps the networks with Adam and the basis with Cayley ADAM: one CayleyAdam over both, or a
  // CayleyAdam over the basis beside an Adam over the weights, give the same bits.
  StiefelModel together(6), apart(6);
  optim::CayleyAdam both(together.named(), {.lr = 0.05, .beta2 = 0.999});
  optim::CayleyAdam basis_only({{"basis", apart.basis}}, {.lr = 0.05, .beta2 = 0.999});
  optim::Adam weight_only({{"weight", apart.weight}}, {.lr = 0.05, .beta2 = 0.999});
  for (int k = 0; k < 5; ++k) {
    train_stiefel_model_step(together, both, k);
    weight_only.zero_grad();
    train_stiefel_model_step(apart, basis_only, k);  // zero_grad, backward, step the basis
    weight_only.step();
  }
  BOOST_TEST(same_bits(together.basis.tensor, apart.basis.tensor));
  BOOST_TEST(same_bits(together.weight, apart.weight));
}

BOOST_AUTO_TEST_CASE(resume_gives_a_bit_identical_next_step) {
  check_manifold_resume_is_bit_exact<optim::CayleyAdam>(optim::CayleyAdamOptions{.lr = 0.05});
  check_manifold_resume_is_bit_exact<optim::CayleyAdam>(optim::CayleyAdamOptions{.lr = 0.05, .exact = true});
  check_manifold_resume_is_bit_exact<optim::CayleySGD>(optim::CayleySGDOptions{.lr = 0.05});
  // Cayley ADAM's second moment of a Stiefel parameter is one 0-d scalar; a Euclidean one is elementwise.
  StiefelModel model(3);
  optim::CayleyAdam adam(model.named(), {.lr = 0.05});
  train_stiefel_model_step(model, adam, 0);
  const lg::nn::StateDict state = adam.state_dict();
  BOOST_TEST(state.at("state.basis.exp_avg_sq").dim() == 0);
  BOOST_TEST(state.at("state.weight.exp_avg_sq").shape() == (lg::Shape{2, 3}));
  BOOST_TEST(state.at("state.basis.exp_avg").shape() == (lg::Shape{6, 2}));
  BOOST_TEST(state.at("group.0.cayley_iterations").item<double>() == 2.0);
  lg::nn::StateDict wrong = state;
  wrong["state.basis.exp_avg_sq"] = lg::zeros({6, 2}, lg::float64);
  expect_error<lg::ShapeError>([&] { adam.load_state_dict(wrong); },
                               "CayleyAdam::load_state_dict: ", {"state.basis.exp_avg_sq", "[6, 2]", "expected []"});
}

BOOST_AUTO_TEST_CASE(option_and_parameter_errors_name_the_optimiser) {
  StiefelModel model(4);
  expect_error<lg::ValueError>([&] { optim::CayleyAdam bad(model.named(), {.lr = -1.0}); }, "CayleyAdam: ", {"-1"});
  expect_error<lg::ValueError>([&] { optim::CayleySGD bad(model.named(), {.lr = -0.5}); }, "CayleySGD: ", {"-0.5"});
  for (double q : {0.0, 1.0, -0.2})
    expect_error<lg::ValueError>([&] { optim::CayleyAdam bad(model.named(), {.q = q}); },
                                 "CayleyAdam: ", {"q ", "(0, 1)"});
  expect_error<lg::ValueError>([&] { optim::CayleySGD bad(model.named(), {.q = 1.5}); }, "CayleySGD: ", {"1.5"});
  expect_error<lg::ValueError>([&] { optim::CayleySGD bad(model.named(), {.cayley_iterations = 0}); },
                               "CayleySGD: ", {"cayley_iterations", "0"});
  expect_error<lg::ValueError>([&] { optim::CayleyAdam bad(model.named(), {.cayley_iterations = 2.5}); },
                               "CayleyAdam: ", {"cayley_iterations", "2.5"});
  expect_error<lg::ValueError>([&] { optim::CayleySGD bad(model.named(), {.momentum = 1.0}); },
                               "CayleySGD: ", {"momentum", "[0, 1)"});
  expect_error<lg::ValueError>([&] { optim::CayleyAdam bad(model.named(), {.beta2 = 1.0}); },
                               "CayleyAdam: ", {"beta2"});
  expect_error<lg::ValueError>([&] { optim::CayleyAdam bad(model.named(), {.reorthonormalise_above = -1e-3}); },
                               "CayleyAdam: ", {"reorthonormalise_above"});
  // A parameter on another manifold is refused, naming it and the manifold.
  lg::Tensor direction = lg::ones({4}, lg::float64) / 2.0;
  direction.requires_grad_();
  const lg::nn::Parameter on_sphere(direction, std::make_shared<const manifold::Sphere>(4));
  expect_error<lg::ValueError>(
      [&] {
        optim::CayleySGD bad({{"direction", on_sphere}});
      },
      "CayleySGD: ", {"'direction'", "Sphere", "Stiefel and Euclidean"});
  // A batch of Stiefel points is one parameter too many for the one-scalar-per-matrix step.
  lg::Generator generator(5);
  lg::Tensor batch = manifold::Stiefel(6, 2).random_point(generator, lg::float64, {3});
  batch.requires_grad_();
  const lg::nn::Parameter batched(batch, std::make_shared<const manifold::Stiefel>(6, 2));
  expect_error<lg::ShapeError>(
      [&] {
        optim::CayleyAdam bad({{"frames", batched}});
      },
      "CayleyAdam: ", {"'frames'", "[3, 6, 2]", "[6, 2]"});
  optim::CayleyAdam adam(model.named());
  expect_error<lg::ValueError>([&] { (void)adam.last_drift("weight"); }, "CayleyAdam: ", {"'weight'", "Stiefel"});
  expect_error<lg::ValueError>([&] { (void)adam.last_drift("nothing"); }, "CayleyAdam: ", {"'nothing'"});
}

BOOST_AUTO_TEST_SUITE_END()
