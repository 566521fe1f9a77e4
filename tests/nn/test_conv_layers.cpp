// The conv-family layers (Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d,
// Upsample) gradchecked to second order in float64 w.r.t. input and parameters,
// output shapes, and their error messages.
#include "helpers.hpp"
#include "nn/conv.hpp"
#include "nn/pool.hpp"

using namespace nn_test;
namespace nn = lg::nn;

BOOST_AUTO_TEST_SUITE(conv_layers)

BOOST_AUTO_TEST_CASE(conv2d_settings) {
  lg::Generator generator(17);
  nn::Conv2d plain(2, 3, {3, 3}, {.dtype = lg::float64, .generator = &generator});
  check_module("Conv2d", plain, [&](const lg::Tensor& x) { return plain.forward(x); }, random64({2, 2, 4, 4}, 18));
  nn::Conv2d strided(2, 2, {3, 2}, {.stride = {2, 1}, .padding = {1, 1}, .dilation = {1, 2}, .dtype = lg::float64,
                                    .generator = &generator});
  check_module("Conv2d (stride, padding, dilation)", strided, [&](const lg::Tensor& x) { return strided.forward(x); },
               random64({1, 2, 5, 5}, 19));
  nn::Conv2d no_bias(1, 2, {2, 2}, {.bias = false, .dtype = lg::float64, .generator = &generator});
  check_module("Conv2d (no bias)", no_bias, [&](const lg::Tensor& x) { return no_bias.forward(x); },
               random64({2, 1, 3, 3}, 20));
}

BOOST_AUTO_TEST_CASE(conv_transpose2d_settings) {
  lg::Generator generator(21);
  nn::ConvTranspose2d plain(2, 3, {3, 3}, {.dtype = lg::float64, .generator = &generator});
  BOOST_TEST(plain.weight().shape() == (lg::Shape{2, 3, 3, 3}));
  check_module("ConvTranspose2d", plain, [&](const lg::Tensor& x) { return plain.forward(x); },
               random64({1, 2, 3, 3}, 22));
  nn::ConvTranspose2d strided(2, 1, {3, 3}, {.stride = {2, 2}, .padding = {1, 1}, .output_padding = {1, 1},
                                             .dtype = lg::float64, .generator = &generator});
  const lg::Tensor x = random64({2, 2, 3, 3}, 23);
  BOOST_TEST(strided.forward(x).shape() == (lg::Shape{2, 1, 6, 6}));
  check_module("ConvTranspose2d (stride, padding, output_padding)", strided,
               [&](const lg::Tensor& v) { return strided.forward(v); }, x);
}

BOOST_AUTO_TEST_CASE(pooling_and_upsampling) {
  nn::MaxPool2d max_pool({2, 2});
  const lg::Tensor x = random64({2, 2, 4, 4}, 24);  // distinct values: no ties
  BOOST_TEST(max_pool.forward(x).shape() == (lg::Shape{2, 2, 2, 2}));
  check_module("MaxPool2d", max_pool, [&](const lg::Tensor& v) { return max_pool.forward(v); }, x);
  nn::MaxPool2d padded_pool({3, 3}, {.stride = {2, 2}, .padding = {1, 1}});
  check_module("MaxPool2d (stride, padding)", padded_pool, [&](const lg::Tensor& v) { return padded_pool.forward(v); },
               random64({1, 2, 5, 5}, 25));
  nn::AvgPool2d avg_pool({2, 2}, {.stride = {1, 1}});
  check_module("AvgPool2d", avg_pool, [&](const lg::Tensor& v) { return avg_pool.forward(v); },
               random64({1, 2, 3, 4}, 26));
  nn::Upsample upsample({2, 3});
  const lg::Tensor small = random64({1, 2, 2, 2}, 27);
  BOOST_TEST(upsample.forward(small).shape() == (lg::Shape{1, 2, 4, 6}));
  check_module("Upsample", upsample, [&](const lg::Tensor& v) { return upsample.forward(v); }, small);
}

BOOST_AUTO_TEST_CASE(conv_autoencoder_stack) {
  // A small encoder/decoder through every conv-family module at once.
  lg::Generator generator(28);
  nn::Sequential net(
      std::make_shared<nn::Conv2d>(1, 2, lg::Pair{3, 3},
                                   nn::Conv2dOptions{.padding = {1, 1}, .dtype = lg::float64, .generator = &generator}),
      std::make_shared<nn::Tanh>(), std::make_shared<nn::AvgPool2d>(lg::Pair{2, 2}),
      std::make_shared<nn::Upsample>(lg::Pair{2, 2}),
      std::make_shared<nn::ConvTranspose2d>(
          2, 1, lg::Pair{3, 3},
          nn::ConvTranspose2dOptions{.padding = {1, 1}, .dtype = lg::float64, .generator = &generator}));
  const lg::Tensor x = random64({1, 1, 4, 4}, 29);
  BOOST_TEST(net.forward(x).shape() == x.shape());
  check_module("conv autoencoder", net, [&](const lg::Tensor& v) { return net.forward(v); }, x);
}

BOOST_AUTO_TEST_CASE(conv_errors_name_the_layer_and_shapes) {
  nn::Conv2d conv(2, 4, {3, 3});
  expect_error<lg::ShapeError>([&] { conv.forward(lg::zeros({1, 3, 5, 5})); }, "Conv2d: ", {"[1, 3, 5, 5]"});
  expect_error<lg::DTypeError>([&] { conv.forward(lg::zeros({1, 2, 5, 5}, lg::float64)); }, "Conv2d: ",
                               {"float64", "float32"});
  nn::ConvTranspose2d deconv(2, 4, {3, 3});
  expect_error<lg::ShapeError>([&] { deconv.forward(lg::zeros({3, 5, 5})); }, "ConvTranspose2d: ", {"[3, 5, 5]"});
  expect_error<lg::ValueError>([&] { nn::Conv2d bad(2, 4, {0, 3}); }, "Conv2d: ", {"[0, 3]"});
}

BOOST_AUTO_TEST_SUITE_END()
