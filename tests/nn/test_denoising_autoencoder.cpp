// DenoisingAutoencoder and the corruptions: the corruption statistics (the
// masked and salt-and-pepper fractions within a binomial tolerance, the Gaussian
// noise's mean and variance within their standard errors), bad levels, output
// shapes for both bodies, the loss against the clean input by hand in float64,
// same seed -> same bits, and training: the loss falls over 30 Adam steps.
#include <cmath>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

// The fraction of a tensor's elements equal to value.
double fraction_equal(const lg::Tensor& t, double value) {
  std::int64_t count = 0;
  for (double v : t.to_vector<double>()) count += v == value ? 1 : 0;
  return static_cast<double>(count) / static_cast<double>(t.numel());
}

// Five binomial standard errors sqrt(p (1 - p) / n): a correct sampler fails with probability
// below 1e-6, and with the seed fixed the test is deterministic anyway.
double binomial_tolerance(double p, std::int64_t n) {
  return 5.0 * std::sqrt(p * (1.0 - p) / static_cast<double>(n));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(corruption)

BOOST_AUTO_TEST_CASE(masking_drops_the_requested_fraction) {
  lg::Generator generator(41);
  const std::int64_t n = 100000;
  const lg::Tensor x = lg::full({n}, 0.75);
  for (double p : {0.1, 0.5, 0.9}) {
    const lg::Tensor corrupted = nn::corrupt(x, {.kind = nn::CorruptionKind::masking, .level = p}, generator);
    const double dropped = fraction_equal(corrupted, 0.0);
    BOOST_TEST(std::abs(dropped - p) <= binomial_tolerance(p, n), "p " << p << ": dropped " << dropped);
    BOOST_TEST(std::abs(fraction_equal(corrupted, 0.75) - (1.0 - dropped)) <= 1e-12);  // the rest is kept as it was
  }
  const lg::Tensor all_masked = nn::corrupt(x, {.kind = nn::CorruptionKind::masking, .level = 1.0}, generator);
  BOOST_TEST(fraction_equal(all_masked, 0.0) == 1.0);
  BOOST_TEST(same_bits(nn::corrupt(x, {.kind = nn::CorruptionKind::masking, .level = 0.0}, generator), x));
}

BOOST_AUTO_TEST_CASE(salt_and_pepper_replaces_the_fraction_half_by_zero_half_by_one) {
  lg::Generator generator(42);
  const std::int64_t n = 100000;
  const double p = 0.3;
  const lg::Tensor corrupted =
      nn::corrupt(lg::full({n}, 0.5), {.kind = nn::CorruptionKind::salt_and_pepper, .level = p}, generator);
  const double pepper = fraction_equal(corrupted, 0.0), salt = fraction_equal(corrupted, 1.0);
  BOOST_TEST(std::abs(pepper + salt - p) <= binomial_tolerance(p, n));
  BOOST_TEST(std::abs(fraction_equal(corrupted, 0.5) - (1.0 - pepper - salt)) <= 1e-12);
  // Each pixel is salt with probability p / 2.
  BOOST_TEST(std::abs(salt - p / 2) <= binomial_tolerance(p / 2, n), "salt " << salt << ", pepper " << pepper);
}

BOOST_AUTO_TEST_CASE(gaussian_noise_has_mean_zero_and_variance_sigma_squared) {
  lg::Generator generator(43);
  const std::int64_t n = 100000;
  const double sigma = 0.4;
  const lg::Tensor x = lg::full({n}, 0.25, lg::float64);
  const auto noise = (nn::corrupt(x, {.kind = nn::CorruptionKind::gaussian, .level = sigma}, generator) - x)
                         .to_vector<double>();
  double sum = 0.0, sum_squares = 0.0;
  for (double v : noise) sum += v;
  const double mean = sum / static_cast<double>(n);
  for (double v : noise) sum_squares += (v - mean) * (v - mean);
  const double variance = sum_squares / static_cast<double>(n - 1);
  // Standard errors: sigma / sqrt(n) for the mean, sigma^2 sqrt(2 / (n - 1)) for the variance
  // of normal data; five of each.
  BOOST_TEST(std::abs(mean) <= 5.0 * sigma / std::sqrt(static_cast<double>(n)), "mean " << mean);
  BOOST_TEST(std::abs(variance - sigma * sigma) <= 5.0 * sigma * sigma * std::sqrt(2.0 / static_cast<double>(n - 1)),
             "variance " << variance);
  BOOST_TEST(same_bits(nn::corrupt(x, {.kind = nn::CorruptionKind::gaussian, .level = 0.0}, generator), x));
}

BOOST_AUTO_TEST_CASE(bad_levels_name_the_option) {
  lg::Generator generator(44);
  const lg::Tensor x = lg::zeros({4});
  expect_error<lg::ValueError>(
      [&] { nn::corrupt(x, {.kind = nn::CorruptionKind::gaussian, .level = -0.5}, generator); }, "corrupt: ",
      {"sigma", "-0.5"});
  expect_error<lg::ValueError>(
      [&] { nn::corrupt(x, {.kind = nn::CorruptionKind::masking, .level = 1.5}, generator); }, "corrupt: ",
      {"masking", "[0, 1]", "1.5"});
  expect_error<lg::ValueError>(
      [&] { nn::corrupt(x, {.kind = nn::CorruptionKind::salt_and_pepper, .level = -0.1}, generator); },
      "corrupt: ", {"salt_and_pepper", "-0.1"});
  expect_error<lg::ValueError>(
      [&] {
        nn::DenoisingAutoencoder bad({.corruption = {.kind = nn::CorruptionKind::gaussian, .level = -1.0}});
      },
      "DenoisingAutoencoder: ", {"sigma", "-1"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(denoising_autoencoder)

BOOST_AUTO_TEST_CASE(output_shapes_for_both_bodies) {
  lg::Generator generator(45);
  const lg::Tensor x = lg::rand({3, 1, 16, 16}, lg::float32, &generator);
  nn::DenoisingAutoencoder mlp(
      {.body = nn::DenoisingBody::mlp,
       .mlp = {.input_size = 256, .hidden_sizes = {32}, .code_size = 8, .generator = &generator}});
  nn::DenoisingAutoencoder conv(
      {.body = nn::DenoisingBody::conv,
       .conv = {.image_size = 16, .channels = {4, 8}, .code_size = 6, .generator = &generator}});
  for (const auto* model : {&mlp, &conv}) {
    const std::int64_t code_size = model == &mlp ? 8 : 6;
    for (const nn::DenoisingAutoencoderOutput& out : {model->forward(x, generator), model->forward_clean(x)}) {
      BOOST_TEST(out.code.shape() == (lg::Shape{3, code_size}));
      BOOST_TEST(out.reconstruction.shape() == x.shape());
      BOOST_TEST(out.corrupted.shape() == x.shape());
      BOOST_TEST(model->loss(x, out).dim() == 0);
    }
    BOOST_TEST(model->decode(model->encode(x)).numel() == x.numel());
  }
  BOOST_TEST(conv.forward(x, generator).logits.shape() == x.shape());
  BOOST_TEST(mlp.named_parameters().front().first == "body.encoder.0.weight");
}

BOOST_AUTO_TEST_CASE(loss_is_against_the_clean_input_by_hand_float64) {
  lg::Generator init(46);
  const nn::CorruptionOptions masking{.kind = nn::CorruptionKind::masking, .level = 0.5};
  nn::DenoisingAutoencoder model({.body = nn::DenoisingBody::conv,
                                  .conv = {.image_size = 8, .channels = {2, 3}, .code_size = 2,
                                           .dtype = lg::float64, .generator = &init},
                                  .corruption = masking});
  const lg::Tensor x = lg::rand({2, 1, 8, 8}, lg::float64, &init);
  lg::Generator noise(47), replay(47);
  const nn::DenoisingAutoencoderOutput out = model.forward(x, noise);
  // The encoder saw the corruption drawn from the same stream, and its code is that input's.
  BOOST_TEST(same_bits(out.corrupted, nn::corrupt(x, masking, replay)));
  BOOST_TEST(same_bits(out.code, model.encode(out.corrupted)));
  BOOST_TEST(!same_bits(out.code, model.encode(x)));
  // Mean BCE of sigmoid(logits) against the clean pixels.
  const auto z = out.logits.to_vector<double>(), t = x.to_vector<double>();
  double sum = 0.0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-z[i]));
    sum -= t[i] * std::log(p) + (1.0 - t[i]) * std::log(1.0 - p);
  }
  BOOST_TEST(std::abs(model.loss(x, out).item<double>() - sum / static_cast<double>(z.size())) <= 1e-12);

  // The MLP body: mean squared error against the clean input.
  nn::DenoisingAutoencoder mlp({.mlp = {.input_size = 64, .hidden_sizes = {8}, .code_size = 3, .generator = &init},
                                .corruption = masking});
  const lg::Tensor x32 = lg::to_dtype(x, lg::float32);
  const nn::DenoisingAutoencoderOutput mlp_out = mlp.forward(x32, noise);
  const auto r = mlp_out.reconstruction.to_vector<double>(), c = x32.to_vector<double>();
  double squares = 0.0;
  for (std::size_t i = 0; i < r.size(); ++i) squares += (r[i] - c[i]) * (r[i] - c[i]);
  BOOST_TEST(std::abs(mlp.loss(x32, mlp_out).item<double>() - squares / static_cast<double>(r.size())) <= 1e-6);
}

BOOST_AUTO_TEST_CASE(same_seed_same_bits) {
  for (nn::DenoisingBody body : {nn::DenoisingBody::mlp, nn::DenoisingBody::conv}) {
    auto run = [body](std::uint64_t noise_seed) {
      lg::Generator init(48), noise(noise_seed);
      nn::DenoisingAutoencoder model(
          {.body = body,
           .mlp = {.input_size = 64, .hidden_sizes = {8}, .code_size = 3, .generator = &init},
           .conv = {.image_size = 8, .channels = {2, 3}, .code_size = 2, .generator = &init},
           .corruption = {.kind = nn::CorruptionKind::salt_and_pepper, .level = 0.2}});
      const lg::Tensor x = lg::rand({2, 1, 8, 8}, lg::float32, &init);
      const nn::DenoisingAutoencoderOutput out = model.forward(x, noise);
      return std::pair{out.reconstruction, model.loss(x, out)};
    };
    const auto [a, loss_a] = run(49);
    const auto [b, loss_b] = run(49);
    BOOST_TEST(same_bits(a, b));
    BOOST_TEST(same_bits(loss_a, loss_b));
    BOOST_TEST(!same_bits(a, run(50).first));
  }
}

BOOST_AUTO_TEST_CASE(adam_reduces_the_loss_on_a_fixed_batch) {
  for (nn::DenoisingBody body : {nn::DenoisingBody::mlp, nn::DenoisingBody::conv}) {
    lg::Generator generator(51);
    nn::DenoisingAutoencoder model(
        {.body = body,
         .mlp = {.input_size = 256, .hidden_sizes = {64}, .code_size = 8, .generator = &generator},
         .conv = {.image_size = 16, .channels = {8, 16}, .code_size = 8, .generator = &generator},
         .corruption = {.kind = nn::CorruptionKind::masking, .level = 0.25}});
    // Mostly dark pixels (mean 1/4), as in digit images.
    const lg::Tensor u = lg::rand({16, 1, 16, 16}, lg::float32, &generator);
    const lg::Tensor x = u * u * u;
    lg::optim::Adam adam(model.named_parameters(), {.lr = 3e-3});
    double first = 0.0, last = 0.0;
    for (int step = 0; step < 30; ++step) {
      adam.zero_grad();
      const lg::Tensor loss = model.loss(x, model.forward(x, generator));  // fresh noise each step
      loss.backward();
      adam.step();
      (step == 0 ? first : last) = loss.item<double>();
    }
    BOOST_TEST(std::isfinite(last));
    BOOST_TEST(last < 0.9 * first, (body == nn::DenoisingBody::mlp ? "mlp" : "conv")
                                       << ": loss went from " << first << " to " << last);
  }
}

BOOST_AUTO_TEST_SUITE_END()
