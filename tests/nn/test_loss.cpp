// Losses: values against hand computations and stable references, every loss
// and reduction gradchecked (first and second order, float64), and errors.
#include <cmath>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;
using nn::Reduction;

namespace {

const Reduction all_reductions[] = {Reduction::none, Reduction::mean, Reduction::sum};
const char* reduction_name(Reduction r) { return r == Reduction::none ? "none" : r == Reduction::mean ? "mean" : "sum"; }

// float64 values uniform in (low, high), requiring grad.
lg::Tensor uniform64(const lg::Shape& shape, double low, double high, std::uint64_t seed) {
  lg::Generator generator(seed);
  lg::Tensor t = lg::uniform(shape, low, high, lg::float64, &generator);
  t.requires_grad_();
  return t;
}

double value(const lg::Tensor& t) { return t.item<double>(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(losses)

BOOST_AUTO_TEST_CASE(values_against_hand_computations) {
  const lg::Tensor x = lg::tensor({0.5, -1.0, 2.0, 3.0}, lg::float64);
  const lg::Tensor y = lg::tensor({1.0, 1.0, -1.0, 3.5}, lg::float64);
  // differences -0.5, -2, 3, -0.5
  BOOST_TEST(std::abs(value(nn::mse_loss(x, y)) - (0.25 + 4.0 + 9.0 + 0.25) / 4.0) <= 1e-15);
  BOOST_TEST(std::abs(value(nn::mse_loss(x, y, Reduction::sum)) - 13.5) <= 1e-15);
  BOOST_TEST(nn::mse_loss(x, y, Reduction::none).shape() == (lg::Shape{4}));
  BOOST_TEST(std::abs(value(nn::l1_loss(x, y)) - 6.0 / 4.0) <= 1e-15);

  const lg::Tensor p = lg::tensor({0.9, 0.2, 0.5}, lg::float64), t = lg::tensor({1.0, 0.0, 1.0}, lg::float64);
  const double bce = -(std::log(0.9) + std::log(0.8) + std::log(0.5)) / 3.0;
  BOOST_TEST(std::abs(value(nn::binary_cross_entropy(p, t)) - bce) <= 1e-15);
  // log(0) is clamped at -100 as PyTorch: a confident wrong answer costs 100.
  const lg::Tensor certain = lg::tensor({0.0, 1.0}, lg::float64), wrong = lg::tensor({1.0, 0.0}, lg::float64);
  BOOST_TEST(std::abs(value(nn::binary_cross_entropy(certain, wrong, Reduction::sum)) - 200.0) <= 1e-12);

  const lg::Tensor logits = lg::tensor({-3.0, 0.0, 0.7, 5.0}, lg::float64);
  const lg::Tensor labels = lg::tensor({0.0, 1.0, 0.3, 1.0}, lg::float64);
  const auto per_element = nn::binary_cross_entropy_with_logits(logits, labels, Reduction::none).to_vector<double>();
  const auto ls = logits.to_vector<double>(), ys = labels.to_vector<double>();
  for (std::size_t i = 0; i < ls.size(); ++i) {
    const double s = 1.0 / (1.0 + std::exp(-ls[i]));
    BOOST_TEST(std::abs(per_element[i] - (-(ys[i] * std::log(s) + (1 - ys[i]) * std::log(1 - s)))) <= 1e-14);
  }

  // cross_entropy: -log softmax(logits)[target], averaged.
  const lg::Tensor scores = lg::tensor({{1.0, 2.0, 0.5}, {0.1, -1.0, 3.0}}, lg::float64);
  const lg::Tensor classes = lg::from_vector(std::vector<std::int64_t>{1, 0});
  const double ce0 = -(2.0 - std::log(std::exp(1.0) + std::exp(2.0) + std::exp(0.5)));
  const double ce1 = -(0.1 - std::log(std::exp(0.1) + std::exp(-1.0) + std::exp(3.0)));
  BOOST_TEST(std::abs(value(nn::cross_entropy(scores, classes)) - (ce0 + ce1) / 2.0) <= 1e-14);
  const auto ce = nn::cross_entropy(scores, classes, Reduction::none).to_vector<double>();
  BOOST_TEST(std::abs(ce[0] - ce0) <= 1e-14);
  BOOST_TEST(std::abs(ce[1] - ce1) <= 1e-14);
  BOOST_TEST(std::abs(value(nn::nll_loss(scores, classes, Reduction::sum)) - (-2.0 - 0.1)) <= 1e-15);

  // gaussian_kl per sample: -1/2 sum(1 + logvar - mu^2 - exp(logvar)).
  const lg::Tensor mu = lg::tensor({{0.5, -1.0}, {0.0, 0.0}}, lg::float64);
  const lg::Tensor logvar = lg::tensor({{0.2, -0.3}, {0.0, 0.0}}, lg::float64);
  const double kl0 = -0.5 * ((1 + 0.2 - 0.25 - std::exp(0.2)) + (1 - 0.3 - 1.0 - std::exp(-0.3)));
  const auto kl = nn::gaussian_kl(mu, logvar, Reduction::none).to_vector<double>();
  BOOST_TEST(kl.size() == 2u);
  BOOST_TEST(std::abs(kl[0] - kl0) <= 1e-15);
  BOOST_TEST(kl[1] == 0.0);  // the standard normal itself
  BOOST_TEST(std::abs(value(nn::gaussian_kl(mu, logvar)) - kl0 / 2.0) <= 1e-15);
  BOOST_TEST(std::abs(value(nn::gaussian_kl(mu, logvar, Reduction::sum)) - kl0) <= 1e-15);
}

BOOST_AUTO_TEST_CASE(logits_loss_is_stable_and_right_at_zero) {
  // Huge logits stay finite and exact where the naive formula gives inf or nan.
  const lg::Tensor logits = lg::tensor({800.0, -800.0}, lg::float64);
  const auto loss = nn::binary_cross_entropy_with_logits(logits, lg::tensor({0.0, 0.0}, lg::float64),
                                                         Reduction::none)
                        .to_vector<double>();
  BOOST_TEST(loss[0] == 800.0);
  BOOST_TEST(loss[1] == 0.0);
  // At x = 0 the gradient is sigmoid(0) - y = 0.5 - y (not -y, which relu's and
  // abs's kink conventions would give the textbook formula).
  lg::Tensor zero = lg::zeros({2}, lg::float64).requires_grad_();
  nn::binary_cross_entropy_with_logits(zero, lg::tensor({0.2, 1.0}, lg::float64), Reduction::sum).backward();
  const auto g = zero.grad().to_vector<double>();
  BOOST_TEST(std::abs(g[0] - 0.3) <= 1e-15);
  BOOST_TEST(std::abs(g[1] + 0.5) <= 1e-15);
}

BOOST_AUTO_TEST_CASE(every_loss_and_reduction_gradchecks) {
  for (Reduction r : all_reductions) {
    const std::string suffix = std::string(" (") + reduction_name(r) + ")";
    // Keep input - target away from 0 for l1 (|.| has a kink there).
    const lg::Tensor input = uniform64({3, 2}, -1.0, 1.0, 1);
    const lg::Tensor target = uniform64({3, 2}, 1.2, 2.0, 2);
    auto pair = [r](auto loss) {
      return [r, loss](const std::vector<lg::Tensor>& a) { return loss(a[0], a[1], r); };
    };
    check_function("mse_loss" + suffix, pair(nn::mse_loss), {input, target});
    check_function("l1_loss" + suffix, pair(nn::l1_loss), {input, target});
    check_function("binary_cross_entropy" + suffix, pair(nn::binary_cross_entropy),
                   {uniform64({4}, 0.1, 0.9, 3), uniform64({4}, 0.0, 1.0, 4)});
    check_function("binary_cross_entropy_with_logits" + suffix, pair(nn::binary_cross_entropy_with_logits),
                   {away_from_zero({2, 3}, 5), uniform64({2, 3}, 0.0, 1.0, 6)});
    check_function("gaussian_kl" + suffix, pair(nn::gaussian_kl), {random64({3, 2}, 7), random64({3, 2}, 8)});
    const lg::Tensor classes = lg::from_vector(std::vector<std::int64_t>{2, 0, 1, 2});
    check_function("nll_loss" + suffix, [&](const std::vector<lg::Tensor>& a) { return nn::nll_loss(a[0], classes, r); },
                   {random64({4, 3}, 9)});
    check_function("cross_entropy" + suffix,
                   [&](const std::vector<lg::Tensor>& a) { return nn::cross_entropy(a[0], classes, r); },
                   {random64({4, 3}, 10)});
  }
}

BOOST_AUTO_TEST_CASE(errors_name_the_loss_shapes_and_dtypes) {
  const lg::Tensor a = lg::zeros({2, 3}), b = lg::zeros({2, 4}), c = lg::zeros({2, 3}, lg::float64);
  expect_error<lg::ShapeError>([&] { nn::mse_loss(a, b); }, "mse_loss: ", {"[2, 3]", "[2, 4]"});
  expect_error<lg::DTypeError>([&] { nn::mse_loss(a, c); }, "mse_loss: ", {"float32", "float64"});
  expect_error<lg::ShapeError>([&] { nn::l1_loss(a, b); }, "l1_loss: ", {"[2, 3]", "[2, 4]"});
  expect_error<lg::ShapeError>([&] { nn::binary_cross_entropy(a, b); }, "binary_cross_entropy: ",
                               {"[2, 3]", "[2, 4]"});
  expect_error<lg::DTypeError>([&] { nn::binary_cross_entropy_with_logits(a, c); },
                               "binary_cross_entropy_with_logits: ", {"float32", "float64"});
  expect_error<lg::ShapeError>([&] { nn::gaussian_kl(a, b); }, "gaussian_kl: ", {"mu [2, 3]", "logvar [2, 4]"});
  const lg::Tensor labels = lg::from_vector(std::vector<std::int64_t>{0, 3});
  expect_error<lg::ValueError>([&] { nn::nll_loss(a, labels); }, "nll_loss: ", {"target 3", "[0, 3)"});
  expect_error<lg::DTypeError>([&] { nn::nll_loss(a, lg::zeros({2})); }, "nll_loss: ", {"int64", "float32"});
  expect_error<lg::ShapeError>([&] { nn::nll_loss(a, lg::from_vector(std::vector<std::int64_t>{0})); }, "nll_loss: ",
                               {"[2, 3]", "[1]"});
  expect_error<lg::ShapeError>([&] { nn::cross_entropy(lg::zeros({6}), labels); }, "cross_entropy: ", {"[6]"});
}

BOOST_AUTO_TEST_SUITE_END()
