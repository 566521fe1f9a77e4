// Reliability goal G4 (docs/testing.md): the Jacobian tools on three real decoders in float64, an MLP
// 2 -> 64 -> 784, the convolutional autoencoder's decoder and the VAE's decoder:
//   - reverse mode (rows, one vjp per output) equals forward mode (columns, the tangents of one
//     forward pass) to 1e-12 relative to the Jacobian's largest entry;
//   - both equal central differences to 1e-6 + 1e-4 |J|;
//   - the per-sample Jacobians of a batch of 8 equal a loop of batch-1 calls to 1e-13 relative;
//   - the pullback metric J^T J is symmetric to 1e-14 and positive semi-definite (smallest eigenvalue
//     >= -1e-12 times the largest).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace {

using lg::Tensor;

struct Decoder {
  std::string name;
  lg::Function map;       // [B, d] -> [B, ...]
  std::int64_t latent;    // d
};

double largest(const Tensor& t) { return lg::max(lg::abs(t)).item(); }

// Per-sample Jacobians [B, m, d] by central differences.
Tensor finite_differences(const lg::Function& f, const Tensor& z, double eps = 1e-6) {
  const lg::NoGradGuard values_only;
  const std::int64_t batch = z.size(0), d = z.size(1);
  std::vector<Tensor> columns;
  for (std::int64_t j = 0; j < d; ++j) {
    const Tensor step = lg::expand(lg::eye(d, lg::float64).select(0, j), {batch, d}) * eps;
    columns.push_back(lg::reshape((f(z + step) - f(z - step)) / (2 * eps), {batch, -1}));
  }
  return lg::stack(columns, 2);
}

std::vector<Decoder> decoders() {
  static lg::Generator generator(404);
  static const auto mlp = std::make_shared<lg::nn::Sequential>(
      std::make_shared<lg::nn::Linear>(2, 64, lg::nn::LinearOptions{.dtype = lg::float64, .generator = &generator}),
      std::make_shared<lg::nn::Tanh>(),
      std::make_shared<lg::nn::Linear>(64, 784, lg::nn::LinearOptions{.dtype = lg::float64, .generator = &generator}),
      std::make_shared<lg::nn::Sigmoid>());
  static const auto conv = std::make_shared<lg::nn::ConvAutoencoder>(lg::nn::ConvAutoencoderOptions{
      .image_size = 12, .channels = {4, 6}, .code_size = 3, .dtype = lg::float64, .generator = &generator});
  static const auto vae = std::make_shared<lg::nn::VariationalAutoencoder>(lg::nn::VariationalAutoencoderOptions{
      .image_size = 12, .hidden_sizes = {32, 16}, .latent_size = 4, .dtype = lg::float64, .generator = &generator});
  conv->eval();
  vae->eval();
  return {
      {"MLP 2-64-784", [](const Tensor& z) { return mlp->forward(z); }, 2},
      {"conv decoder", [](const Tensor& z) { return conv->decode(z); }, 3},
      {"VAE decoder", [](const Tensor& z) { return vae->decode(z); }, 4},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(decoder_jacobians)

BOOST_AUTO_TEST_CASE(forward_and_reverse_jacobians_agree_and_match_finite_differences) {
  for (const Decoder& decoder : decoders()) {
    lg::Generator generator(7);
    const Tensor z = lg::randn({8, decoder.latent}, lg::float64, &generator);
    const Tensor rows = lg::jacobian(decoder.map, z, {.mode = lg::JacobianMode::reverse});
    const Tensor columns = lg::jacobian(decoder.map, z, {.mode = lg::JacobianMode::forward});
    const double scale = largest(rows);
    BOOST_TEST_REQUIRE(scale > 1e-6, decoder.name << ": a Jacobian that vanishes tests nothing");
    const double modes = largest(rows - columns) / scale;
    BOOST_TEST(modes <= 1e-12, decoder.name << ": forward vs reverse, relative " << modes);
    const Tensor numeric = finite_differences(decoder.map, z);
    const Tensor excess = lg::abs(rows - numeric) - (lg::abs(numeric) * 1e-4 + 1e-6);
    BOOST_TEST(lg::max(excess).item() <= 0.0, decoder.name << ": reverse vs central differences");
    const Tensor excess_columns = lg::abs(columns - numeric) - (lg::abs(numeric) * 1e-4 + 1e-6);
    BOOST_TEST(lg::max(excess_columns).item() <= 0.0, decoder.name << ": forward vs central differences");
  }
}

BOOST_AUTO_TEST_CASE(a_batch_of_eight_equals_the_loop_over_samples) {
  for (const Decoder& decoder : decoders()) {
    lg::Generator generator(8);
    const Tensor z = lg::randn({8, decoder.latent}, lg::float64, &generator);
    for (const lg::JacobianMode mode : {lg::JacobianMode::forward, lg::JacobianMode::reverse}) {
      const Tensor batched = lg::jacobian(decoder.map, z, {.mode = mode});
      std::vector<Tensor> each;
      for (std::int64_t b = 0; b < 8; ++b)
        each.push_back(lg::jacobian(decoder.map, lg::narrow(z, 0, b, 1), {.mode = mode}).select(0, 0));
      const double difference = largest(batched - lg::stack(each, 0)) / largest(batched);
      BOOST_TEST(difference <= 1e-13, decoder.name << ": batched vs loop, relative " << difference);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_pullback_metric_is_symmetric_positive_semidefinite) {
  for (const Decoder& decoder : decoders()) {
    lg::Generator generator(9);
    const Tensor z = lg::randn({8, decoder.latent}, lg::float64, &generator);
    const Tensor metric = lg::manifold::pullback_metric(decoder.map, z);
    const double scale = largest(metric);
    BOOST_TEST(largest(metric - lg::matrix_transpose(metric)) <= 1e-14 * scale, decoder.name << ": symmetry");
    const Tensor eigenvalues = lg::eigvalsh(metric);
    BOOST_TEST(lg::min(eigenvalues).item() >= -1e-12 * lg::max(eigenvalues).item(), decoder.name << ": PSD");
  }
}

BOOST_AUTO_TEST_SUITE_END()
