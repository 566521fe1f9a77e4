// ConvAutoencoder: output shapes and parameter names at the default size, the
// BCE-with-logits loss against its definition, a float64 gradcheck of the loss
// w.r.t. parameters of every layer kind on a tiny instance, and training: the
// loss falls over 20 Adam steps on a fixed batch.
#include <cmath>
#include <map>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

BOOST_AUTO_TEST_SUITE(conv_autoencoder)

BOOST_AUTO_TEST_CASE(shapes_and_names) {
  lg::Generator generator(31);
  nn::ConvAutoencoder model({.generator = &generator});
  const lg::Tensor x = lg::rand({3, 1, 28, 28}, lg::float32, &generator);
  const nn::ConvAutoencoderOutput out = model.forward(x);
  BOOST_TEST(out.code.shape() == (lg::Shape{3, 16}));
  BOOST_TEST(out.logits.shape() == x.shape());
  BOOST_TEST(out.reconstruction.shape() == x.shape());
  BOOST_TEST(model.decode(out.code).shape() == x.shape());
  const nn::AutoencoderOutput& plain = out;  // usable where an MLP autoencoder's output is expected
  BOOST_TEST(plain.reconstruction.shape() == x.shape());

  std::map<std::string, lg::Shape> shapes;
  for (const auto& [name, parameter] : model.named_parameters()) shapes[name] = parameter.tensor.shape();
  const std::map<std::string, lg::Shape> expected{
      {"encoder.0.weight", {32, 1, 4, 4}},    {"encoder.0.bias", {32}},
      {"encoder.2.weight", {64, 32, 4, 4}},   {"encoder.2.bias", {64}},
      {"encoder.5.weight", {16, 64 * 7 * 7}}, {"encoder.5.bias", {16}},
      {"decoder.0.weight", {64 * 7 * 7, 16}}, {"decoder.0.bias", {64 * 7 * 7}},
      {"decoder.3.weight", {64, 32, 4, 4}},   {"decoder.3.bias", {32}},
      {"decoder.5.weight", {32, 1, 4, 4}},    {"decoder.5.bias", {1}}};
  BOOST_TEST((shapes == expected));

  // The loss is the mean BCE of sigmoid(logits) against the pixels.
  const lg::Tensor loss = model.loss(x, out);
  const auto z = out.logits.to_vector<double>(), t = x.to_vector<double>();
  double sum = 0.0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-z[i]));
    sum -= t[i] * std::log(p) + (1.0 - t[i]) * std::log(1.0 - p);
  }
  BOOST_TEST(std::abs(loss.item<double>() - sum / static_cast<double>(z.size())) <= 1e-5);
}

BOOST_AUTO_TEST_CASE(errors_name_the_model) {
  nn::ConvAutoencoder model({.channels = {2, 2}, .code_size = 2});
  expect_error<lg::ShapeError>([&] { model.forward(lg::zeros({2, 1, 27, 28})); }, "ConvAutoencoder: ",
                               {"[2, 1, 27, 28]"});
  expect_error<lg::ShapeError>([&] { model.decode(lg::zeros({2, 3})); }, "ConvAutoencoder: ", {"[2, 3]"});
  expect_error<lg::ValueError>([&] { nn::ConvAutoencoder bad({.image_size = 30}); }, "ConvAutoencoder: ", {"30"});
}

// spatial_latent: the code is the second conv's ReLU map [B, 64, 7, 7] (no Linear layers), the VAE's trunk.
BOOST_AUTO_TEST_CASE(spatial_latent_is_the_feature_map) {
  lg::Generator generator(33);
  nn::ConvAutoencoder model({.spatial_latent = true, .generator = &generator});
  BOOST_TEST(model.code_shape() == (lg::Shape{64, 7, 7}));
  const lg::Tensor x = lg::rand({2, 1, 28, 28}, lg::float32, &generator);
  const nn::ConvAutoencoderOutput out = model.forward(x);
  BOOST_TEST(out.code.shape() == (lg::Shape{2, 64, 7, 7}));
  BOOST_TEST(lg::min(out.code).item() >= 0.0);  // a ReLU output
  BOOST_TEST(out.reconstruction.shape() == x.shape());
  std::map<std::string, lg::Shape> shapes;
  for (const auto& [name, parameter] : model.named_parameters()) shapes[name] = parameter.tensor.shape();
  const std::map<std::string, lg::Shape> expected{
      {"encoder.0.weight", {32, 1, 4, 4}},  {"encoder.0.bias", {32}}, {"encoder.2.weight", {64, 32, 4, 4}},
      {"encoder.2.bias", {64}},             {"decoder.0.weight", {64, 32, 4, 4}}, {"decoder.0.bias", {32}},
      {"decoder.2.weight", {32, 1, 4, 4}}, {"decoder.2.bias", {1}}};
  BOOST_TEST((shapes == expected));
  // The same trunk as the spatial VAE: the same parameter shapes under the same names.
  nn::VariationalAutoencoder vae({.body = nn::VariationalBody::conv, .spatial_latent = true});
  for (const auto& [name, parameter] : vae.named_parameters())
    if (name.rfind("encoder.", 0) == 0) BOOST_TEST((shapes.at(name) == parameter.tensor.shape()), name);
  expect_error<lg::ShapeError>([&] { model.decode(lg::zeros({2, 16})); }, "ConvAutoencoder: ",
                               {"[64, 7, 7]", "[2, 16]"});
  expect_error<lg::ShapeError>([&] { model.decode(lg::zeros({2, 64, 7, 6})); }, "ConvAutoencoder: ",
                               {"[2, 64, 7, 6]"});
  expect_error<lg::ValueError>(
      [&] {
        nn::ContractiveAutoencoder bad({.body = nn::ContractiveBody::conv, .conv = {.spatial_latent = true}});
      },
      "ContractiveAutoencoder: ", {"spatial_latent"});
}

BOOST_AUTO_TEST_CASE(loss_gradcheck_float64) {
  // Tiny: 8x8 images, channels {2, 3}, a 2-d code; the input is a constant target in [0, 1].
  lg::Generator generator(32);
  nn::ConvAutoencoder model(
      {.image_size = 8, .channels = {2, 3}, .code_size = 2, .dtype = lg::float64, .generator = &generator});
  const lg::Tensor x = lg::rand({2, 1, 8, 8}, lg::float64, &generator);
  std::vector<lg::Tensor> inputs{x};
  for (const auto& [name, parameter] : model.named_parameters())
    if (name == "encoder.0.weight" || name == "encoder.2.bias" || name == "encoder.5.weight" ||
        name == "decoder.0.bias" || name == "decoder.3.weight" || name == "decoder.5.bias")
      inputs.push_back(parameter.tensor);
  BOOST_REQUIRE(inputs.size() == 7u);
  // gradcheck perturbs the parameters in place; the function reads them through the model.
  const lg::TensorFunction loss = [&](const std::vector<lg::Tensor>& args) {
    return model.loss(args[0], model.forward(args[0]));
  };
  const auto result = lg::gradcheck("ConvAutoencoder::loss", loss, inputs, {.fast = true, .projections = 16});
  BOOST_TEST(result.passed, result.report);
}

BOOST_AUTO_TEST_CASE(adam_reduces_the_loss_on_a_fixed_batch) {
  lg::Generator generator(33);
  nn::ConvAutoencoder model({.image_size = 16, .channels = {8, 16}, .code_size = 8, .generator = &generator});
  // Mostly dark pixels (mean 1/4), as in digit images: sigmoid(0) = 1/2 at the start is far off.
  const lg::Tensor u = lg::rand({16, 1, 16, 16}, lg::float32, &generator);
  const lg::Tensor x = u * u * u;
  lg::optim::Adam adam(model.named_parameters(), {.lr = 1e-3});
  double first = 0.0, last = 0.0;
  for (int step = 0; step < 20; ++step) {
    adam.zero_grad();
    const lg::Tensor loss = model.loss(x, model.forward(x));
    loss.backward();
    adam.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  BOOST_TEST(std::isfinite(last));
  BOOST_TEST(last < 0.95 * first, "loss went from " << first << " to " << last);
}

BOOST_AUTO_TEST_SUITE_END()
