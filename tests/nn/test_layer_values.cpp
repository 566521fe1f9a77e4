// Layer values against hand computations: Linear, BatchNorm (training output,
// running statistics, evaluation), Dropout, Sequential naming, and the layers'
// error messages.
#include <cmath>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {
void set_values(const lg::Tensor& target, const std::vector<double>& values) {
  lg::NoGradGuard no_grad;
  lg::Tensor handle = target;
  handle.copy_(lg::from_vector(values, target.shape(), lg::float64));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(layer_values)

BOOST_AUTO_TEST_CASE(linear_matches_hand_computation) {
  nn::Linear linear(3, 2, {.dtype = lg::float64});
  set_values(linear.weight(), {1.0, -2.0, 0.5, 3.0, 0.25, -1.0});
  set_values(linear.bias(), {0.1, -0.2});
  const lg::Tensor x = lg::tensor({{1.0, 2.0, 3.0}, {-1.0, 0.5, 4.0}}, lg::float64);
  const auto y = linear.forward(x).to_vector<double>();
  // y[i][o] = sum_k x[i][k] W[o][k] + b[o]
  const std::vector<double> expected{1.0 - 4.0 + 1.5 + 0.1, 3.0 + 0.5 - 3.0 - 0.2, -1.0 - 1.0 + 2.0 + 0.1,
                                     -3.0 + 0.125 - 4.0 - 0.2};
  BOOST_REQUIRE_EQUAL(y.size(), expected.size());
  for (std::size_t i = 0; i < y.size(); ++i) BOOST_TEST(std::abs(y[i] - expected[i]) <= 1e-15);
}

BOOST_AUTO_TEST_CASE(linear_default_init_is_within_pytorch_bounds) {
  lg::Generator generator(3);
  nn::Linear linear(50, 40, {.generator = &generator});
  const double bound = 1.0 / std::sqrt(50.0);
  for (const lg::Tensor& parameter : linear.parameters()) {
    BOOST_TEST(parameter.dtype() == lg::float32);
    BOOST_TEST(parameter.requires_grad());
    BOOST_TEST(parameter.is_leaf());
    for (double v : parameter.to_vector<double>()) BOOST_TEST(std::abs(v) <= bound);
  }
  // Uniform on [-b, b] has variance b^2 / 3; 2000 draws give ~3 % relative error.
  double sum_of_squares = 0.0;
  for (double v : linear.weight().to_vector<double>()) sum_of_squares += v * v;
  BOOST_TEST(std::abs(sum_of_squares / 2000.0 / (bound * bound / 3.0) - 1.0) < 0.1);
  // Same generator seed, same weights.
  lg::Generator again(3);
  nn::Linear copy(50, 40, {.generator = &again});
  BOOST_TEST(same_bits(copy.weight(), linear.weight()));
}

BOOST_AUTO_TEST_CASE(batch_norm_training_step_matches_hand_computation) {
  nn::BatchNorm1d norm(2, {.dtype = lg::float64});
  set_values(norm.weight(), {2.0, 0.5});
  set_values(norm.bias(), {1.0, -1.0});
  // Channel 0: 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); channel 1: 0, 0, 4, 4 (mean 2, var 4, 16/3).
  const lg::Tensor x = lg::tensor({{1.0, 0.0}, {2.0, 0.0}, {3.0, 4.0}, {6.0, 4.0}}, lg::float64);
  const auto y = norm.forward(x).to_vector<double>();
  const double eps = 1e-5;
  const double mean[2] = {3.0, 2.0}, var[2] = {3.5, 4.0}, weight[2] = {2.0, 0.5}, bias[2] = {1.0, -1.0};
  const auto xs = x.to_vector<double>();
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t c = i % 2;
    const double expected = (xs[i] - mean[c]) / std::sqrt(var[c] + eps) * weight[c] + bias[c];
    BOOST_TEST(std::abs(y[i] - expected) <= 1e-14);
  }
  const auto running_mean = norm.running_mean().to_vector<double>();
  const auto running_var = norm.running_var().to_vector<double>();
  BOOST_TEST(std::abs(running_mean[0] - 0.1 * 3.0) <= 1e-15);
  BOOST_TEST(std::abs(running_mean[1] - 0.1 * 2.0) <= 1e-15);
  BOOST_TEST(std::abs(running_var[0] - (0.9 + 0.1 * 14.0 / 3.0)) <= 1e-15);
  BOOST_TEST(std::abs(running_var[1] - (0.9 + 0.1 * 16.0 / 3.0)) <= 1e-15);
  BOOST_TEST(norm.num_batches_tracked().item<std::int64_t>() == 1);
  BOOST_TEST(!norm.running_mean().requires_grad());

  // Evaluation uses the running statistics and leaves them alone.
  norm.eval();
  const auto z = norm.forward(x).to_vector<double>();
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t c = i % 2;
    const double expected =
        (xs[i] - running_mean[c]) / std::sqrt(running_var[c] + eps) * weight[c] + bias[c];
    BOOST_TEST(std::abs(z[i] - expected) <= 1e-14);
  }
  BOOST_TEST(norm.num_batches_tracked().item<std::int64_t>() == 1);
}

BOOST_AUTO_TEST_CASE(batch_norm_2d_normalises_each_channel) {
  lg::Generator generator(4);
  nn::BatchNorm2d norm(3, {.dtype = lg::float64});
  const lg::Tensor x = lg::randn({4, 3, 5, 5}, lg::float64, &generator) * 3.0 + 2.0;
  const lg::Tensor y = norm.forward(x);
  const auto means = lg::mean(y, {0, 2, 3}).to_vector<double>();
  const auto vars = lg::var(y, {0, 2, 3}, 0.0).to_vector<double>();
  for (int c = 0; c < 3; ++c) {
    BOOST_TEST(std::abs(means[c]) <= 1e-12);
    BOOST_TEST(std::abs(vars[c] - 1.0) <= 1e-4);  // eps = 1e-5 keeps it just below 1
  }
}

BOOST_AUTO_TEST_CASE(dropout_scales_and_is_identity_in_evaluation) {
  lg::Generator generator(5);
  nn::Dropout dropout({.p = 0.25, .generator = &generator});
  const lg::Tensor x = lg::ones({4000}, lg::float64);
  const auto y = dropout.forward(x).to_vector<double>();
  std::size_t kept = 0;
  for (double v : y) {
    BOOST_TEST((v == 0.0 || std::abs(v - 1.0 / 0.75) <= 1e-15));
    kept += v != 0.0;
  }
  BOOST_TEST(std::abs(static_cast<double>(kept) / 4000.0 - 0.75) < 0.03);
  dropout.eval();
  BOOST_TEST(dropout.forward(x).impl() == x.impl());
  nn::Dropout drop_all({.p = 1.0});
  for (double v : drop_all.forward(x).to_vector<double>()) BOOST_TEST(v == 0.0);
}

BOOST_AUTO_TEST_CASE(layer_errors_name_the_layer_and_shapes) {
  nn::Linear linear(3, 2);
  expect_error<lg::ShapeError>([&] { linear.forward(lg::zeros({2, 4})); }, "Linear: ", {"[2, 4]", "3"});
  expect_error<lg::DTypeError>([&] { linear.forward(lg::zeros({2, 3}, lg::float64)); }, "Linear: ",
                               {"float64", "float32"});
  expect_error<lg::ValueError>([&] { nn::Linear bad(0, 2); }, "Linear: ");
  nn::BatchNorm2d norm(3);
  expect_error<lg::ShapeError>([&] { norm.forward(lg::zeros({2, 4, 3, 3})); }, "BatchNorm2d: ", {"[2, 4, 3, 3]"});
  nn::BatchNorm1d norm1d(3);
  expect_error<lg::ValueError>([&] { norm1d.forward(lg::zeros({1, 3})); }, "BatchNorm1d: ",
                               {"more than 1 value per channel", "[1, 3]"});
  expect_error<lg::ValueError>([&] { nn::Dropout bad({.p = 1.5}); }, "Dropout: ", {"1.5"});
}

BOOST_AUTO_TEST_SUITE_END()
