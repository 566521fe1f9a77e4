// The conv-family layers (Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d,
// Upsample, and a Sequential stack of them): their layer registry entries,
// gradchecked to second order in float64 w.r.t. input and parameters by
// test_layer_gradients.cpp; here also output shapes and error messages.
#include "helpers.hpp"
#include "layer_registry.hpp"
#include "nn/conv.hpp"
#include "nn/pool.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

const RegisterLayers register_conv_layers({
    {"Conv2d",
     [] {
       lg::Generator generator(17);  // the layers draw their initial values from it, in this order
       auto plain = std::make_shared<nn::Conv2d>(
           2, 3, lg::Pair{3, 3}, nn::Conv2dOptions{.dtype = lg::float64, .generator = &generator});
       auto strided = std::make_shared<nn::Conv2d>(
           2, 2, lg::Pair{3, 2},
           nn::Conv2dOptions{.stride = {2, 1}, .padding = {1, 1}, .dilation = {1, 2}, .dtype = lg::float64,
                             .generator = &generator});
       auto no_bias = std::make_shared<nn::Conv2d>(
           1, 2, lg::Pair{2, 2}, nn::Conv2dOptions{.bias = false, .dtype = lg::float64, .generator = &generator});
       return std::vector<LayerSample>{
           sample("Conv2d", plain, random64({2, 2, 4, 4}, 18)),
           sample("Conv2d (stride, padding, dilation)", strided, random64({1, 2, 5, 5}, 19)),
           sample("Conv2d (no bias)", no_bias, random64({2, 1, 3, 3}, 20)),
       };
     }},
    {"ConvTranspose2d",
     [] {
       lg::Generator generator(21);
       auto plain = std::make_shared<nn::ConvTranspose2d>(
           2, 3, lg::Pair{3, 3}, nn::ConvTranspose2dOptions{.dtype = lg::float64, .generator = &generator});
       auto strided = std::make_shared<nn::ConvTranspose2d>(
           2, 1, lg::Pair{3, 3},
           nn::ConvTranspose2dOptions{.stride = {2, 2}, .padding = {1, 1}, .output_padding = {1, 1},
                                      .dtype = lg::float64, .generator = &generator});
       return std::vector<LayerSample>{
           sample("ConvTranspose2d", plain, random64({1, 2, 3, 3}, 22)),
           sample("ConvTranspose2d (stride, padding, output_padding)", strided, random64({2, 2, 3, 3}, 23)),
       };
     }},
    {"MaxPool2d",
     [] {
       return std::vector<LayerSample>{
           // distinct values: no ties
           sample("MaxPool2d", std::make_shared<nn::MaxPool2d>(lg::Pair{2, 2}), random64({2, 2, 4, 4}, 24)),
           sample("MaxPool2d (stride, padding)",
                  std::make_shared<nn::MaxPool2d>(lg::Pair{3, 3}, nn::Pool2dOptions{.stride = {2, 2}, .padding = {1, 1}}),
                  random64({1, 2, 5, 5}, 25)),
       };
     }},
    {"AvgPool2d",
     [] {
       return std::vector{sample("AvgPool2d",
                                 std::make_shared<nn::AvgPool2d>(lg::Pair{2, 2}, nn::Pool2dOptions{.stride = {1, 1}}),
                                 random64({1, 2, 3, 4}, 26))};
     }},
    {"Upsample",
     [] {
       return std::vector{
           sample("Upsample", std::make_shared<nn::Upsample>(lg::Pair{2, 3}), random64({1, 2, 2, 2}, 27))};
     }},
    {"Sequential",
     [] {
       // A small encoder/decoder through every conv-family module at once.
       lg::Generator generator(28);
       auto net = std::make_shared<nn::Sequential>(
           std::make_shared<nn::Conv2d>(1, 2, lg::Pair{3, 3},
                                        nn::Conv2dOptions{.padding = {1, 1}, .dtype = lg::float64,
                                                          .generator = &generator}),
           std::make_shared<nn::Tanh>(), std::make_shared<nn::AvgPool2d>(lg::Pair{2, 2}),
           std::make_shared<nn::Upsample>(lg::Pair{2, 2}),
           std::make_shared<nn::ConvTranspose2d>(
               2, 1, lg::Pair{3, 3},
               nn::ConvTranspose2dOptions{.padding = {1, 1}, .dtype = lg::float64, .generator = &generator}));
       return std::vector{sample("conv autoencoder", net, random64({1, 1, 4, 4}, 29))};
     }},
});

}  // namespace

BOOST_AUTO_TEST_SUITE(conv_layers)

BOOST_AUTO_TEST_CASE(conv_transpose2d_weight_layout_and_output_size) {
  lg::Generator generator(21);
  nn::ConvTranspose2d plain(2, 3, {3, 3}, {.dtype = lg::float64, .generator = &generator});
  BOOST_TEST(plain.weight().shape() == (lg::Shape{2, 3, 3, 3}));
  nn::ConvTranspose2d strided(2, 1, {3, 3}, {.stride = {2, 2}, .padding = {1, 1}, .output_padding = {1, 1},
                                             .dtype = lg::float64, .generator = &generator});
  BOOST_TEST(strided.forward(random64({2, 2, 3, 3}, 23)).shape() == (lg::Shape{2, 1, 6, 6}));
}

BOOST_AUTO_TEST_CASE(pooling_and_upsampling_output_sizes) {
  nn::MaxPool2d max_pool({2, 2});
  BOOST_TEST(max_pool.forward(random64({2, 2, 4, 4}, 24)).shape() == (lg::Shape{2, 2, 2, 2}));
  nn::Upsample upsample({2, 3});
  BOOST_TEST(upsample.forward(random64({1, 2, 2, 2}, 27)).shape() == (lg::Shape{1, 2, 4, 6}));
}

BOOST_AUTO_TEST_CASE(conv_autoencoder_stack_keeps_the_image_size) {
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
