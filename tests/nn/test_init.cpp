// Initialisers: bounds and spreads against their formulas, orthogonality to
// 1e-12, determinism under a seeded generator, and errors.
#include <cmath>

#include "helpers.hpp"

using namespace nn_test;
namespace init = lg::nn::init;

namespace {

struct Moments {
  double mean, variance, max_abs;
};
Moments moments(const lg::Tensor& t) {
  const auto v = t.to_vector<double>();
  double sum = 0.0, sum_of_squares = 0.0, max_abs = 0.0;
  for (double x : v) {
    sum += x;
    sum_of_squares += x * x;
    max_abs = std::max(max_abs, std::abs(x));
  }
  const double n = static_cast<double>(v.size());
  return {sum / n, sum_of_squares / n - (sum / n) * (sum / n), max_abs};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(initialisers)

BOOST_AUTO_TEST_CASE(fans_and_gains) {
  const lg::Tensor conv_weight = lg::zeros({8, 3, 5, 5});
  BOOST_TEST(init::calculate_fans(conv_weight).fan_in == 75);
  BOOST_TEST(init::calculate_fans(conv_weight).fan_out == 200);
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::relu) == std::sqrt(2.0));
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::tanh) == 5.0 / 3.0);
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::linear) == 1.0);
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::leaky_relu, 0.2) == std::sqrt(2.0 / 1.04));
  expect_error<lg::ValueError>([] { init::calculate_fans(lg::zeros({3}), "xavier_uniform_"); }, "xavier_uniform_: ",
                               {"[3]"});
}

BOOST_AUTO_TEST_CASE(uniform_and_normal_families_match_their_formulas) {
  lg::Generator generator(1);
  lg::Tensor w = lg::zeros({200, 300}, lg::float64);  // 60000 draws: ~1 % error on a variance
  init::xavier_uniform_(w, 1.0, &generator);
  const double xavier_bound = std::sqrt(6.0 / 500.0);
  Moments m = moments(w);
  BOOST_TEST(m.max_abs <= xavier_bound);
  BOOST_TEST(std::abs(m.variance / (xavier_bound * xavier_bound / 3.0) - 1.0) < 0.03);

  init::xavier_normal_(w, 2.0, &generator);
  m = moments(w);
  BOOST_TEST(std::abs(m.variance / (4.0 * 2.0 / 500.0) - 1.0) < 0.03);

  init::kaiming_uniform_(w, {.nonlinearity = init::Nonlinearity::relu, .generator = &generator});
  const double kaiming_bound = std::sqrt(2.0) * std::sqrt(3.0 / 300.0);
  m = moments(w);
  BOOST_TEST(m.max_abs <= kaiming_bound);
  BOOST_TEST(std::abs(m.variance / (2.0 / 300.0) - 1.0) < 0.03);

  init::kaiming_normal_(w, {.mode = init::FanMode::fan_out, .nonlinearity = init::Nonlinearity::relu,
                            .generator = &generator});
  m = moments(w);
  BOOST_TEST(std::abs(m.variance / (2.0 / 200.0) - 1.0) < 0.03);
  BOOST_TEST(std::abs(m.mean) < 0.003);

  init::uniform_(w, -2.0, 3.0, &generator);
  m = moments(w);
  BOOST_TEST(std::abs(m.mean - 0.5) < 0.03);
  init::normal_(w, 1.0, 0.5, &generator);
  m = moments(w);
  BOOST_TEST(std::abs(m.mean - 1.0) < 0.01);
  init::ones_(w);
  BOOST_TEST(moments(w).mean == 1.0);
  init::zeros_(w);
  BOOST_TEST(moments(w).max_abs == 0.0);
  init::constant_(w, -0.25);
  BOOST_TEST(moments(w).mean == -0.25);
}

BOOST_AUTO_TEST_CASE(same_seed_same_values_and_parameters_stay_leaves) {
  lg::Tensor a = lg::zeros({4, 5}).requires_grad_(), b = lg::zeros({4, 5}).requires_grad_();
  lg::Generator first(9), second(9);
  init::kaiming_uniform_(a, {.generator = &first});
  init::kaiming_uniform_(b, {.generator = &second});
  BOOST_TEST(same_bits(a, b));
  BOOST_TEST(a.is_leaf());
  BOOST_TEST(a.requires_grad());
}

BOOST_AUTO_TEST_CASE(orthogonal_rows_or_columns_are_orthonormal) {
  lg::Generator generator(2);
  for (const lg::Shape& shape : {lg::Shape{6, 4}, lg::Shape{4, 6}, lg::Shape{5, 5}, lg::Shape{3, 2, 2, 2}}) {
    lg::Tensor w = lg::zeros(shape, lg::float64);
    init::orthogonal_(w, 1.5, &generator);
    const lg::Tensor flat = lg::reshape(w, {shape[0], -1});
    const bool tall = flat.size(0) >= flat.size(1);
    const lg::Tensor gram = tall ? flat.t().matmul(flat) : flat.matmul(flat.t());
    const std::int64_t n = gram.size(0);
    const lg::Tensor error = gram - lg::eye(n, lg::float64) * 2.25;
    BOOST_TEST(moments(error).max_abs <= 1e-12, "shape " << lg::shape_str(shape));
  }
  // float32 targets get the float64 values rounded.
  lg::Tensor single = lg::zeros({8, 8});
  init::orthogonal_(single, 1.0, &generator);
  const lg::Tensor gram = single.t().matmul(single) - lg::eye(8);
  BOOST_TEST(moments(gram).max_abs <= 1e-6);
}

BOOST_AUTO_TEST_SUITE_END()
