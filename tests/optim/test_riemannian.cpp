// Riemannian SGD and Riemannian Adam (optim/riemannian_sgd.hpp,
// optim/riemannian_adam.hpp): on a Euclidean parameter they are SGD and Adam;
// Riemannian SGD finds the Karcher mean of two SPD matrices; Riemannian Adam
// reaches a Stiefel target (geoopt's test); started off the manifold they give no
// NaN and end on it; they keep the det -1 component of O(n); resume is bit-exact.
#include <chrono>
#include <cmath>
#include <limits>

#include "manifold/product.hpp"
#include "manifold/sphere.hpp"
#include "manifold_helpers.hpp"

using namespace optim_test;
namespace optim = lg::optim;
namespace manifold = lg::manifold;

namespace {

double max_abs_difference(const lg::Tensor& a, const lg::Tensor& b) { return lg::max(lg::abs(a - b)).item<double>(); }

bool all_finite(const lg::Tensor& x) { return std::isfinite(lg::sum(x).item<double>()); }

// Runs `steps` steps of the optimiser `make` builds on a copy of `start`, feeding gradients grads[k].
template <class Make>
lg::Tensor run_on_gradients(const lg::Tensor& start, const lg::Tensor& grads, Make make) {
  lg::Tensor w = lg::clone(start).requires_grad_();
  auto optimizer = make(optim::NamedParameters{{"w", w}});
  for (std::int64_t k = 0; k < grads.shape()[0]; ++k) {
    w.set_grad(lg::select(grads, 0, k));
    optimizer->step();
  }
  return w;
}

// Euclidean space under another name and without exp(): to test that use_exp is refused.
class EuclideanWithoutExp final : public manifold::Manifold {
 public:
  std::string name() const override { return "EuclideanWithoutExp"; }
  lg::Shape point_shape() const override { return {}; }
  double constraint_violation(const lg::Tensor&) const override { return 0.0; }
  lg::Tensor project(const lg::Tensor& x) const override { return x; }
  lg::Tensor project_tangent(const lg::Tensor&, const lg::Tensor& u) const override { return u; }
  lg::Tensor riemannian_gradient(const lg::Tensor&, const lg::Tensor& g) const override { return g; }
  lg::Tensor inner(const lg::Tensor&, const lg::Tensor& u, const lg::Tensor& v) const override {
    return lg::sum(u * v);
  }
  lg::Tensor retract(const lg::Tensor& x, const lg::Tensor& v) const override { return x + v; }
  lg::Tensor transport(const lg::Tensor&, const lg::Tensor&, const lg::Tensor& v) const override { return v; }
  lg::Tensor random_point(lg::Generator& generator, lg::DType dtype, const lg::Shape& batch) const override {
    return lg::randn(batch, dtype, &generator);
  }
  lg::Tensor random_tangent(const lg::Tensor& x, lg::Generator& generator) const override {
    return lg::randn(x.shape(), x.dtype(), &generator);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(riemannian_optimisers)

BOOST_AUTO_TEST_CASE(on_a_euclidean_parameter_they_are_adam_and_sgd) {
  lg::Generator generator(1);
  const lg::Tensor start = lg::randn({3, 4}, lg::float64, &generator);
  const lg::Tensor grads = lg::randn({20, 3, 4}, lg::float64, &generator);
  for (double weight_decay : {0.0, 0.01}) {
    const lg::Tensor riemannian = run_on_gradients(start, grads, [&](optim::NamedParameters p) {
      return std::make_unique<optim::RiemannianAdam>(
          p, optim::RiemannianAdamOptions{.lr = 0.1, .weight_decay = weight_decay});
    });
    const lg::Tensor adam = run_on_gradients(start, grads, [&](optim::NamedParameters p) {
      return std::make_unique<optim::Adam>(p, optim::AdamOptions{.lr = 0.1, .weight_decay = weight_decay});
    });
    check_close(values(riemannian), values(adam), 1e-12, "Riemannian Adam against Adam");
  }
  for (const optim::SGDOptions& options :
       {optim::SGDOptions{.lr = 0.1}, optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .dampening = 0.1},
        optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01, .nesterov = true}}) {
    const lg::Tensor riemannian = run_on_gradients(start, grads, [&](optim::NamedParameters p) {
      return std::make_unique<optim::RiemannianSGD>(p, optim::RiemannianSGDOptions{.lr = options.lr,
                                                                                   .momentum = options.momentum,
                                                                                   .dampening = options.dampening,
                                                                                   .weight_decay = options.weight_decay,
                                                                                   .nesterov = options.nesterov});
    });
    const lg::Tensor sgd = run_on_gradients(
        start, grads, [&](optim::NamedParameters p) { return std::make_unique<optim::SGD>(p, options); });
    check_close(values(riemannian), values(sgd), 1e-12, "Riemannian SGD against SGD");
  }
}

BOOST_AUTO_TEST_CASE(riemannian_sgd_finds_the_karcher_mean_of_two_spd_matrices) {
  // The affine-invariant mean of A and B is the geodesic midpoint A^{1/2} (A^{-1/2} B A^{-1/2})^{1/2} A^{1/2}.
  // f(X) = 1/2 (d(X, A)^2 + d(X, B)^2) has Riemannian gradient -(log_X A + log_X B); under the metric
  // <U, V>_X = tr(X^{-1} U X^{-1} V) the Euclidean gradient is X^{-1} (Riemannian gradient) X^{-1}.
  const auto spd = std::make_shared<const manifold::SPD>(4);
  lg::Generator generator(2);
  const lg::Tensor a = spd->random_point(generator, lg::float64);
  const lg::Tensor b = spd->random_point(generator, lg::float64);
  const lg::Tensor a_half = lg::sqrtm(a), a_minus_half = lg::inverse(a_half);
  const lg::Tensor expected = lg::matmul(
      a_half, lg::matmul(lg::sqrtm(lg::symmetric_part(lg::matmul(a_minus_half, lg::matmul(b, a_minus_half)))), a_half));
  for (const optim::RiemannianSGDOptions& options :
       {optim::RiemannianSGDOptions{.lr = 0.5}, optim::RiemannianSGDOptions{.lr = 0.2, .momentum = 0.5},
        optim::RiemannianSGDOptions{.lr = 0.3, .use_exp = true}}) {
    lg::Tensor x = lg::eye(4, lg::float64).requires_grad_();
    optim::RiemannianSGD sgd({{"mean", lg::nn::Parameter(x, spd)}}, options);
    int steps = 0;
    for (; steps < 500 && max_abs_difference(x, expected) > 1e-11; ++steps) {
      lg::NoGradGuard no_grad;
      const lg::Tensor point = x.detach();
      const lg::Tensor riemannian_grad = -(spd->log(point, a) + spd->log(point, b));
      const lg::Tensor inverse = lg::inverse(point);
      x.set_grad(lg::matmul(inverse, lg::matmul(riemannian_grad, inverse)));
      sgd.step();
    }
    BOOST_TEST_MESSAGE("Riemannian SGD, lr " << options.lr << ", momentum " << options.momentum
                                             << ": Karcher mean within " << max_abs_difference(x, expected) << " after "
                                             << steps << " steps");
    BOOST_TEST(max_abs_difference(x, expected) <= 1e-10 * lg::max(lg::abs(expected)).item<double>());
  }
}

BOOST_AUTO_TEST_CASE(riemannian_adam_reaches_a_stiefel_target) {
  // geoopt's test_adam_stiefel: f(X) = ||X - X*||^2 on St(20, 10), within 10,000 steps.
  const auto start = std::chrono::steady_clock::now();
  for (bool amsgrad : {false, true}) {
    auto parameter = stiefel_parameter(20, 10, lg::float64, 3);
    lg::Generator generator(4);
    const lg::Tensor target = manifold::Stiefel(20, 10).random_point(generator, lg::float64);
    optim::RiemannianAdam adam({{"X", parameter}}, {.lr = 1e-2, .amsgrad = amsgrad});
    int steps = 0;
    for (; steps < 10000 && lg::norm(parameter.tensor - target).item<double>() > 1e-5; ++steps) {
      lg::NoGradGuard no_grad;
      parameter.tensor.set_grad(2.0 * (parameter.tensor.detach() - target));
      adam.step();
    }
    const double distance = lg::norm(parameter.tensor - target).item<double>();
    BOOST_TEST_MESSAGE("Riemannian Adam" << (amsgrad ? " (amsgrad)" : "") << " on St(20, 10): ||X - X*|| = " << distance
                                         << " after " << steps << " steps");
    BOOST_TEST(distance <= 1e-5);
  }
  BOOST_TEST_MESSAGE("both runs: " << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
                                   << " s");
}

BOOST_AUTO_TEST_CASE(riemannian_adam_on_a_product_steps_each_factor_as_its_own_parameter) {
  // Bécigneul & Ganea's product form: one second moment per factor, so a parameter on
  // Sphere(3) x Stiefel(4, 2) moves as a sphere parameter and a Stiefel parameter would.
  const auto sphere = std::make_shared<const manifold::Sphere>(3);
  const auto stiefel = std::make_shared<const manifold::Stiefel>(4, 2);
  const auto product = std::make_shared<const manifold::Product>(
      std::vector<std::shared_ptr<const manifold::Manifold>>{sphere, stiefel});
  lg::Generator generator(9);
  lg::Tensor joint = product->random_point(generator, lg::float64).requires_grad_();
  lg::Tensor on_sphere = lg::clone(product->part(joint.detach(), 0)).requires_grad_();
  lg::Tensor on_stiefel = lg::clone(product->part(joint.detach(), 1)).requires_grad_();
  const optim::RiemannianAdamOptions options{.lr = 0.05, .amsgrad = true};
  optim::RiemannianAdam together({{"joint", lg::nn::Parameter(joint, product)}}, options);
  optim::RiemannianAdam apart(
      {{"sphere", lg::nn::Parameter(on_sphere, sphere)}, {"stiefel", lg::nn::Parameter(on_stiefel, stiefel)}}, options);
  for (int k = 0; k < 20; ++k) {
    const lg::Tensor grad = lg::randn({11}, lg::float64, &generator);
    joint.set_grad(grad);
    on_sphere.set_grad(lg::clone(product->part(grad, 0)));
    on_stiefel.set_grad(lg::clone(product->part(grad, 1)));
    together.step();
    apart.step();
  }
  BOOST_TEST(max_abs_difference(product->part(joint, 0), on_sphere) <= 1e-13);
  BOOST_TEST(max_abs_difference(product->part(joint, 1), on_stiefel) <= 1e-13);
  const lg::Tensor v = together.state_dict().at("state.joint.exp_avg_sq");
  BOOST_TEST(v.shape() == (lg::Shape{11}));
  BOOST_TEST(lg::select(v, 0, 0).item<double>() ==
             together.state_dict().at("state.joint.exp_avg_sq").to_vector<double>()[2]);
  BOOST_TEST(std::abs(lg::select(v, 0, 0).item<double>() -
                      apart.state_dict().at("state.sphere.exp_avg_sq").item<double>()) <= 1e-13);
  BOOST_TEST(std::abs(lg::select(v, 0, 3).item<double>() -
                      apart.state_dict().at("state.stiefel.exp_avg_sq").item<double>()) <= 1e-13);
}

BOOST_AUTO_TEST_CASE(a_batch_of_points_steps_item_by_item) {
  // A [3, 6, 2] parameter on Stiefel(6, 2) is three points, each with its own second moment.
  const auto stiefel = std::make_shared<const manifold::Stiefel>(6, 2);
  lg::Generator generator(10);
  lg::Tensor batch = stiefel->random_point(generator, lg::float64, {3}).requires_grad_();
  std::vector<lg::Tensor> items;
  optim::NamedParameters item_parameters;
  for (std::int64_t b = 0; b < 3; ++b) {
    items.push_back(lg::clone(lg::select(batch.detach(), 0, b)).requires_grad_());
    item_parameters.emplace_back("item" + std::to_string(b), lg::nn::Parameter(items.back(), stiefel));
  }
  optim::RiemannianAdam together({{"batch", lg::nn::Parameter(batch, stiefel)}}, {.lr = 0.05});
  optim::RiemannianAdam apart(item_parameters, {.lr = 0.05});
  for (int k = 0; k < 10; ++k) {
    const lg::Tensor grad = lg::randn({3, 6, 2}, lg::float64, &generator);
    batch.set_grad(grad);
    for (std::int64_t b = 0; b < 3; ++b) items[static_cast<std::size_t>(b)].set_grad(lg::clone(lg::select(grad, 0, b)));
    together.step();
    apart.step();
  }
  BOOST_TEST(together.state_dict().at("state.batch.exp_avg_sq").shape() == (lg::Shape{3}));
  for (std::int64_t b = 0; b < 3; ++b)
    BOOST_TEST(max_abs_difference(lg::select(batch, 0, b), items[static_cast<std::size_t>(b)]) <= 1e-13, "item " << b);
}

BOOST_AUTO_TEST_CASE(started_off_the_manifold_no_nan_and_back_on_it) {
  // geoopt#227: 1e-2 off St(40, 4) in float32; the QR retraction's output is orthonormal whatever its input.
  const lg::Tensor a = matrix_with_known_spectrum(40, 5).matrix.to(lg::float32);
  for (bool adam : {true, false}) {
    auto parameter = stiefel_parameter(40, 4, lg::float32, 6);
    {
      lg::Generator generator(7);
      const lg::Tensor noise = lg::randn({40, 4}, lg::float32, &generator);
      lg::NoGradGuard no_grad;
      parameter.tensor.copy_(parameter.tensor + 1e-2 * noise / lg::norm(noise));
    }
    BOOST_TEST(parameter.manifold->constraint_violation(parameter.tensor) > 1e-3);
    std::unique_ptr<optim::Optimizer> optimizer;
    if (adam)
      optimizer = std::make_unique<optim::RiemannianAdam>(optim::NamedParameters{{"U", parameter}},
                                                          optim::RiemannianAdamOptions{.lr = 0.05});
    else
      optimizer = std::make_unique<optim::RiemannianSGD>(optim::NamedParameters{{"U", parameter}},
                                                         optim::RiemannianSGDOptions{.lr = 1e-3, .momentum = 0.9});
    for (int k = 0; k < 50; ++k) {
      set_brockett_gradient(parameter.tensor, a);
      optimizer->step();
      BOOST_TEST(parameter.manifold->constraint_violation(parameter.tensor) <= 1e-5, "step " << k);
    }
    BOOST_TEST(all_finite(parameter.tensor));
    const lg::Tensor projected = parameter.manifold->project(parameter.tensor.detach());
    BOOST_TEST(parameter.manifold->constraint_violation(projected) <= 1e-5);
  }
}

BOOST_AUTO_TEST_CASE(a_retraction_step_keeps_the_det_minus_one_component_of_o_n) {
  // As for the Cayley optimisers (test_cayley.cpp): f(X) = ||X - T||^2 on O(5) with det T = +1.
  lg::Generator generator(8);
  lg::Tensor target = manifold::Stiefel(5, 5).random_point(generator, lg::float64);
  if (lg::det(target).item<double>() < 0) target = target * lg::tensor({-1.0, 1, 1, 1, 1}, lg::float64);
  // The exponential map assumes X^T X = I exactly; at this target its rounding error grows ~1.4x per
  // step until X leaves O(5) (optim/riemannian_step.hpp), so it runs with the documented
  // re-projection. QR, the polar factor (formed from (X + V)^T (X + V)) and Cayley need none.
  const double never = std::numeric_limits<double>::infinity();
  for (auto [retraction, reproject_above] :
       {std::pair{manifold::StiefelRetraction::qr, never}, std::pair{manifold::StiefelRetraction::cayley, never},
        std::pair{manifold::StiefelRetraction::polar, never},
        std::pair{manifold::StiefelRetraction::exponential, 1e-10}}) {
    for (bool adam : {true, false}) {
      lg::Tensor x = manifold::Stiefel(5, 5).random_point(generator, lg::float64);
      if (lg::det(x).item<double>() > 0) x = x * lg::tensor({-1.0, 1, 1, 1, 1}, lg::float64);
      x.requires_grad_();
      const lg::nn::Parameter parameter(
          x, std::make_shared<const manifold::Stiefel>(5, 5, manifold::StiefelMetric::euclidean, retraction));
      std::unique_ptr<optim::Optimizer> optimizer;
      if (adam)
        optimizer = std::make_unique<optim::RiemannianAdam>(
            optim::NamedParameters{{"Q", parameter}},
            optim::RiemannianAdamOptions{.lr = 0.05, .reproject_above = reproject_above});
      else
        optimizer = std::make_unique<optim::RiemannianSGD>(
            optim::NamedParameters{{"Q", parameter}},
            optim::RiemannianSGDOptions{.lr = 0.05, .momentum = 0.5, .reproject_above = reproject_above});
      for (int k = 0; k < 200; ++k) {
        lg::NoGradGuard no_grad;
        x.set_grad(2.0 * (x.detach() - target));
        optimizer->step();
      }
      BOOST_TEST(std::abs(lg::det(x).item<double>() + 1.0) <= 1e-10,
                 (adam ? "Riemannian Adam" : "Riemannian SGD") << ", retraction " << static_cast<int>(retraction));
    }
  }
}

BOOST_AUTO_TEST_CASE(resume_gives_a_bit_identical_next_step) {
  check_manifold_resume_is_bit_exact<optim::RiemannianSGD>(optim::RiemannianSGDOptions{.lr = 0.05, .momentum = 0.9});
  check_manifold_resume_is_bit_exact<optim::RiemannianAdam>(optim::RiemannianAdamOptions{.lr = 0.05});
  check_manifold_resume_is_bit_exact<optim::RiemannianAdam>(optim::RiemannianAdamOptions{.lr = 0.05, .amsgrad = true});
  // The second moment is one scalar per point; a Euclidean parameter's is elementwise.
  StiefelModel model(3);
  optim::RiemannianAdam adam(model.named(), {.lr = 0.05, .amsgrad = true});
  train_stiefel_model_step(model, adam, 0);
  const lg::nn::StateDict state = adam.state_dict();
  BOOST_TEST(state.at("state.basis.exp_avg_sq").dim() == 0);
  BOOST_TEST(state.at("state.basis.max_exp_avg_sq").dim() == 0);
  BOOST_TEST(state.at("state.weight.exp_avg_sq").shape() == (lg::Shape{2, 3}));
}

BOOST_AUTO_TEST_CASE(option_errors_name_the_optimiser) {
  StiefelModel model(4);
  expect_error<lg::ValueError>([&] { optim::RiemannianSGD bad(model.named(), {.lr = -1.0}); },
                               "RiemannianSGD: ", {"-1"});
  expect_error<lg::ValueError>([&] { optim::RiemannianAdam bad(model.named(), {.lr = -2.0}); },
                               "RiemannianAdam: ", {"-2"});
  expect_error<lg::ValueError>([&] { optim::RiemannianAdam bad(model.named(), {.beta1 = 1.0}); },
                               "RiemannianAdam: ", {"beta1"});
  expect_error<lg::ValueError>([&] { optim::RiemannianSGD bad(model.named(), {.reproject_above = -1.0}); },
                               "RiemannianSGD: ", {"reproject_above"});
  expect_error<lg::ValueError>([&] { optim::RiemannianSGD bad(model.named(), {.nesterov = true}); },
                               "RiemannianSGD: ", {"Nesterov"});
  lg::Tensor w = lg::zeros({3}, lg::float64).requires_grad_();
  const lg::nn::Parameter flat(w, std::make_shared<const EuclideanWithoutExp>());
  expect_error<lg::ValueError>(
      [&] {
        optim::RiemannianSGD bad({{"w", flat}}, {.use_exp = true});
      },
      "RiemannianSGD: ", {"'w'", "EuclideanWithoutExp", "exponential map"});
  optim::RiemannianAdam adam({{"w", flat}});
  adam.set_options({.use_exp = true}, 0);
  w.set_grad(lg::ones({3}, lg::float64));
  expect_error<lg::ValueError>([&] { adam.step(); }, "RiemannianAdam::step: ", {"'w'", "exponential map"});
}

BOOST_AUTO_TEST_SUITE_END()
