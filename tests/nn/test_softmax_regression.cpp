// Softmax regression: separable classes are fitted to zero training error, the
// fit is deterministic for a seed and lowers its loss, the error counts argmax
// mismatches, and bad inputs are refused.
#include <cmath>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

// Three well separated Gaussian blobs in R^2 (centres at angles 0, 120, 240 degrees, radius 4, spread 0.5).
struct Blobs {
  lg::Tensor features, labels;
};

Blobs blobs(std::int64_t per_class, std::uint64_t seed) {
  lg::Generator generator(seed);
  const std::vector<double> noise = lg::randn({3 * per_class, 2}, lg::float64, &generator).to_vector<double>();
  std::vector<double> x;
  std::vector<std::int64_t> y;
  for (std::int64_t c = 0; c < 3; ++c)
    for (std::int64_t i = 0; i < per_class; ++i) {
      const auto row = static_cast<std::size_t>(c * per_class + i);
      const double angle = 2.0 * 3.141592653589793 * static_cast<double>(c) / 3.0;
      x.push_back(4.0 * std::cos(angle) + 0.5 * noise[2 * row]);
      x.push_back(4.0 * std::sin(angle) + 0.5 * noise[2 * row + 1]);
      y.push_back(c);
    }
  return {lg::from_vector(x, {3 * per_class, 2}, lg::float64), lg::from_vector(y, {3 * per_class})};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(softmax_regression)

BOOST_AUTO_TEST_CASE(separable_blobs_are_fitted_exactly_and_deterministically) {
  const Blobs train = blobs(60, 1), test = blobs(40, 2);
  const nn::SoftmaxRegressionOptions options{.epochs = 30, .batch_size = 16, .lr = 0.05, .seed = 7};
  const auto fit = nn::train_softmax_regression(train.features, train.labels, 3, options);
  BOOST_TEST(fit.epoch_losses.size() == 30u);
  BOOST_TEST(fit.epoch_losses.back() < 0.25 * fit.epoch_losses.front());
  BOOST_TEST(fit.linear->weight().shape() == (lg::Shape{3, 2}));
  lg::NoGradGuard no_grad;
  BOOST_TEST(nn::classification_error(fit.linear->forward(train.features), train.labels) == 0.0);
  BOOST_TEST(nn::classification_error(fit.linear->forward(test.features), test.labels) == 0.0);
  const auto again = nn::train_softmax_regression(train.features, train.labels, 3, options);
  BOOST_TEST(again.linear->weight().to_vector<double>() == fit.linear->weight().to_vector<double>());
  BOOST_TEST(again.epoch_losses == fit.epoch_losses);
}

BOOST_AUTO_TEST_CASE(classification_error_counts_argmax_mismatches) {
  const lg::Tensor logits = lg::tensor({{2.0, 1.0, 0.0}, {0.0, 3.0, 1.0}, {1.0, 0.0, 5.0}, {4.0, 0.0, 1.0}});
  BOOST_TEST(nn::classification_error(logits, lg::from_vector(std::vector<std::int64_t>{0, 1, 2, 0}, {4})) == 0.0);
  BOOST_TEST(nn::classification_error(logits, lg::from_vector(std::vector<std::int64_t>{0, 2, 2, 1}, {4})) == 0.5);
}

BOOST_AUTO_TEST_CASE(bad_inputs_are_refused) {
  const Blobs train = blobs(5, 3);
  expect_error<lg::ValueError>([&] { nn::train_softmax_regression(train.features, train.labels, 3, {.epochs = 0}); },
                               "train_softmax_regression: epochs must be positive");
  expect_error<lg::ValueError>([&] { nn::train_softmax_regression(train.features, train.labels, 2); },
                               "train_softmax_regression: labels must lie in [0, 2)");
  expect_error<lg::ShapeError>(
      [&] { nn::train_softmax_regression(train.features, train.labels.narrow(0, 0, 4), 3); },
      "train_softmax_regression: labels must be [N]");
  expect_error<lg::ShapeError>(
      [&] { nn::classification_error(lg::zeros({2, 3}), lg::from_vector(std::vector<std::int64_t>{0}, {1})); },
      "classification_error: logits must be [N, C]");
}

BOOST_AUTO_TEST_SUITE_END()
