// Learning-rate schedulers against their closed forms, their state round
// trip, and clip_grad_norm's value and scaling.
#include <cmath>
#include <numbers>

#include "helpers.hpp"

using namespace optim_test;
namespace optim = lg::optim;

namespace {

struct Fixture {
  lg::Tensor a = lg::zeros({2}).requires_grad_();
  lg::Tensor b = lg::zeros({3}).requires_grad_();
  optim::SGD sgd{lg::nn::NamedParameters{{"a", a}}, {.lr = 0.4}};
  Fixture() { sgd.add_param_group({{"b", b}}, {.lr = 2.0}); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(schedulers)

BOOST_AUTO_TEST_CASE(step_lr_follows_its_closed_form) {
  Fixture f;
  optim::StepLR scheduler(f.sgd, {.step_size = 3, .gamma = 0.5});
  for (int t = 0; t <= 10; ++t) {
    BOOST_TEST(f.sgd.lr(0) == 0.4 * std::pow(0.5, t / 3), "t = " << t);
    BOOST_TEST(f.sgd.lr(1) == 2.0 * std::pow(0.5, t / 3), "t = " << t);
    BOOST_TEST(scheduler.last_step() == t);
    scheduler.step();
  }
}

BOOST_AUTO_TEST_CASE(exponential_lr_follows_its_closed_form) {
  Fixture f;
  optim::ExponentialLR scheduler(f.sgd, {.gamma = 0.9});
  for (int t = 0; t <= 10; ++t) {
    BOOST_TEST(f.sgd.lr(0) == 0.4 * std::pow(0.9, t), "t = " << t);
    scheduler.step();
  }
}

BOOST_AUTO_TEST_CASE(cosine_with_warmup_follows_its_closed_form) {
  Fixture f;
  const double base = 0.4, min_lr = 0.01;
  optim::CosineAnnealing scheduler(f.sgd, {.total_steps = 14, .warmup_steps = 4, .min_lr = min_lr,
                                           .warmup_start_factor = 0.25});
  std::vector<double> seen;
  for (int t = 0; t <= 16; ++t) {
    double expected;
    if (t < 4) expected = base * (0.25 + 0.75 * t / 4.0);
    else if (t < 14) expected = min_lr + (base - min_lr) * (1.0 + std::cos(std::numbers::pi * (t - 4) / 10.0)) / 2.0;
    else expected = min_lr;
    BOOST_TEST(std::abs(f.sgd.lr(0) - expected) <= 1e-16, "t = " << t);
    seen.push_back(f.sgd.lr(0));
    scheduler.step();
  }
  BOOST_TEST(seen[0] == 0.1);                                      // warm-up starts at f base
  BOOST_TEST(seen[4] == base);                                     // peak after warm-up
  BOOST_TEST(std::abs(seen[9] - (base + min_lr) / 2.0) <= 1e-16);  // half way down
  BOOST_TEST(seen[14] == min_lr);
  for (int t = 4; t < 14; ++t) BOOST_TEST(seen[t + 1] < seen[t]);
}

BOOST_AUTO_TEST_CASE(scheduler_state_round_trip) {
  Fixture f;
  optim::CosineAnnealing scheduler(f.sgd, {.total_steps = 20, .warmup_steps = 5});
  for (int t = 0; t < 7; ++t) scheduler.step();
  const lg::nn::StateDict state = scheduler.state_dict();
  BOOST_TEST(state.at("last_step").item<std::int64_t>() == 7);
  BOOST_TEST(state.at("base_lr.1").item<double>() == 2.0);

  Fixture g;
  optim::CosineAnnealing resumed(g.sgd, {.total_steps = 20, .warmup_steps = 5});
  resumed.load_state_dict(state);
  BOOST_TEST(g.sgd.lr(0) == f.sgd.lr(0));
  BOOST_TEST(g.sgd.lr(1) == f.sgd.lr(1));
  scheduler.step();
  resumed.step();
  BOOST_TEST(g.sgd.lr(0) == f.sgd.lr(0));
  BOOST_TEST(resumed.lr_at(12, 1) == scheduler.lr_at(12, 1));

  lg::nn::StateDict broken = state;
  broken["last_step"] = lg::scalar_tensor(3.0, lg::float64);
  expect_error<lg::DTypeError>([&] { resumed.load_state_dict(broken); }, "CosineAnnealing::load_state_dict: ",
                               {"last_step", "int64", "float64"});
  BOOST_TEST(resumed.last_step() == 8);
  expect_error<lg::ValueError>([&] { optim::CosineAnnealing bad(g.sgd, {.total_steps = 5, .warmup_steps = 5}); },
                               "CosineAnnealing: ", {"warmup_steps 5", "total_steps 5"});
  expect_error<lg::ValueError>([&] { optim::StepLR bad(g.sgd, {.step_size = 0}); }, "StepLR: ", {"step_size"});
}

BOOST_AUTO_TEST_CASE(clip_grad_norm_value_and_scaling) {
  lg::Tensor a = lg::zeros({2}, lg::float64).requires_grad_();
  lg::Tensor b = lg::zeros({1}, lg::float32).requires_grad_();
  lg::Tensor unused = lg::zeros({4}).requires_grad_();
  a.set_grad(lg::tensor({3.0, 4.0}, lg::float64));
  b.set_grad(lg::tensor({12.0}));
  // Large enough: nothing changes, the norm is returned.
  BOOST_TEST(optim::clip_grad_norm({a, b, unused}, 100.0) == 13.0);
  BOOST_TEST(values(a.grad()) == (std::vector<double>{3.0, 4.0}), boost::test_tools::per_element());
  // Clipped to 6.5: every gradient scaled by 6.5 / (13 + 1e-6).
  BOOST_TEST(optim::clip_grad_norm(lg::nn::NamedParameters{{"a", a}, {"b", b}}, 6.5) == 13.0);
  const double scale = 6.5 / (13.0 + 1e-6);
  check_close(values(a.grad()), {3.0 * scale, 4.0 * scale}, 1e-15, "clipped a");
  check_close(values(b.grad()), {12.0 * scale}, 1e-7, "clipped b (float32)");
  const double clipped = std::sqrt(std::pow(values(a.grad())[0], 2) + std::pow(values(a.grad())[1], 2) +
                                   std::pow(values(b.grad())[0], 2));
  BOOST_TEST(clipped <= 6.5);
  BOOST_TEST(clipped > 6.5 - 1e-5);
  expect_error<lg::ValueError>([&] { optim::clip_grad_norm({a}, -1.0); }, "clip_grad_norm: ", {"-1"});
}

BOOST_AUTO_TEST_SUITE_END()
