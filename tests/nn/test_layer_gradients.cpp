// Every layer gradchecked (first and second order, float64) w.r.t. its input
// and all its parameters, through a TensorFunction over the module's own tensors.
#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

BOOST_AUTO_TEST_SUITE(layer_gradients)

BOOST_AUTO_TEST_CASE(linear_with_and_without_bias) {
  lg::Generator generator(1);
  nn::Linear with_bias(3, 2, {.dtype = lg::float64, .generator = &generator});
  check_module("Linear", with_bias, [&](const lg::Tensor& x) { return with_bias.forward(x); }, random64({4, 3}, 2));
  nn::Linear without_bias(3, 2, {.bias = false, .dtype = lg::float64, .generator = &generator});
  BOOST_TEST(without_bias.parameters().size() == 1u);
  check_module("Linear (no bias)", without_bias, [&](const lg::Tensor& x) { return without_bias.forward(x); },
               random64({4, 3}, 3));
  // Leading batch dims: [2, 2, 3] -> [2, 2, 2].
  check_module("Linear (3-d input)", with_bias, [&](const lg::Tensor& x) { return with_bias.forward(x); },
               random64({2, 2, 3}, 4));
}

BOOST_AUTO_TEST_CASE(activations) {
  const lg::Tensor x = away_from_zero({3, 4}, 5);
  nn::ReLU relu;
  check_module("ReLU", relu, [&](const lg::Tensor& v) { return relu.forward(v); }, x);
  nn::Sigmoid sigmoid;
  check_module("Sigmoid", sigmoid, [&](const lg::Tensor& v) { return sigmoid.forward(v); }, x);
  nn::Tanh tanh;
  check_module("Tanh", tanh, [&](const lg::Tensor& v) { return tanh.forward(v); }, x);
  nn::LeakyReLU leaky(0.2);
  check_module("LeakyReLU", leaky, [&](const lg::Tensor& v) { return leaky.forward(v); }, x);
  nn::ELU elu(0.7);
  check_module("ELU", elu, [&](const lg::Tensor& v) { return elu.forward(v); }, x);
  nn::Softplus softplus({.beta = 2.0});
  check_module("Softplus", softplus, [&](const lg::Tensor& v) { return softplus.forward(v); }, x);
  nn::GELU gelu;
  check_module("GELU", gelu, [&](const lg::Tensor& v) { return gelu.forward(v); }, x);
}

BOOST_AUTO_TEST_CASE(sequential_mlp) {
  lg::Generator generator(6);
  nn::Sequential mlp(std::make_shared<nn::Linear>(3, 4, nn::LinearOptions{.dtype = lg::float64, .generator = &generator}),
                     std::make_shared<nn::Tanh>(),
                     std::make_shared<nn::Linear>(4, 2, nn::LinearOptions{.dtype = lg::float64, .generator = &generator}));
  BOOST_TEST(mlp.parameters().size() == 4u);
  check_module("Sequential", mlp, [&](const lg::Tensor& x) { return mlp.forward(x); }, random64({3, 3}, 7));
}

BOOST_AUTO_TEST_CASE(batch_norm_training_and_evaluation) {
  nn::BatchNorm1d norm1d(3, {.dtype = lg::float64});
  {  // non-trivial affine parameters, so their gradients are not hidden by ones/zeros
    lg::NoGradGuard no_grad;
    lg::Tensor weight = norm1d.weight(), bias = norm1d.bias();
    weight.copy_(lg::tensor({0.5, 1.5, -1.2}, lg::float64));
    bias.copy_(lg::tensor({0.1, -0.3, 0.7}, lg::float64));
  }
  check_module("BatchNorm1d (training)", norm1d, [&](const lg::Tensor& x) { return norm1d.forward(x); },
               random64({5, 3}, 8));
  check_module("BatchNorm1d (training, [N, C, L])", norm1d, [&](const lg::Tensor& x) { return norm1d.forward(x); },
               random64({3, 3, 2}, 9));
  norm1d.eval();
  check_module("BatchNorm1d (evaluation)", norm1d, [&](const lg::Tensor& x) { return norm1d.forward(x); },
               random64({4, 3}, 10));

  nn::BatchNorm2d norm2d(2, {.dtype = lg::float64});
  check_module("BatchNorm2d (training)", norm2d, [&](const lg::Tensor& x) { return norm2d.forward(x); },
               random64({2, 2, 3, 2}, 11));
  norm2d.eval();
  check_module("BatchNorm2d (evaluation)", norm2d, [&](const lg::Tensor& x) { return norm2d.forward(x); },
               random64({2, 2, 2, 2}, 12));
}

BOOST_AUTO_TEST_CASE(dropout_with_a_fixed_mask) {
  lg::Generator generator(13);
  nn::Dropout dropout({.p = 0.4, .generator = &generator});
  // Re-seed before every call so the mask is a constant of the function.
  check_module("Dropout", dropout, [&](const lg::Tensor& x) {
    generator.manual_seed(13);
    return dropout.forward(x);
  }, random64({4, 5}, 14));
}

BOOST_AUTO_TEST_CASE(flatten_and_unflatten) {
  nn::Flatten flatten;
  check_module("Flatten", flatten, [&](const lg::Tensor& x) { return flatten.forward(x); }, random64({2, 3, 2}, 15));
  nn::Unflatten unflatten(1, {2, 3});
  check_module("Unflatten", unflatten, [&](const lg::Tensor& x) { return unflatten.forward(x); }, random64({2, 6}, 16));
}

BOOST_AUTO_TEST_SUITE_END()
