// StiefelRkm (nn/autoencoders/stiefel_rkm.hpp): U stays on St(l, m) to 1e-5 in
// float32 over Cayley ADAM steps; the PCA term against a float64 hand
// computation (and zero when the features lie in span U); the gradient of the
// objective against central finite differences in float64 along random
// directions in parameter space (both reconstruction errors); the
// cross-entropy AE term against a hand computation; recompute_basis makes Cov(H) diagonal and
// U^T U = I; the three AE losses agree at sigma = 0; samples and traversals in
// [0, 1]; bad options; and the VAE's strkm body has the same networks.
#include <cmath>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

// A small model on 28 x 28 images: capacity 2, hidden 16, l = 6, m = 3.
nn::StiefelRkmOptions tiny(lg::DType dtype, lg::Generator* generator, nn::StrkmLoss loss = nn::StrkmLoss::split,
                           double sigma = 1e-3,
                           nn::StrkmReconstructionError error = nn::StrkmReconstructionError::squared) {
  return {.capacity = 2, .hidden_size = 16, .feature_size = 6, .latent_size = 3, .loss = loss,
          .reconstruction_error = error, .sigma = sigma, .dtype = dtype, .generator = generator};
}

lg::Tensor images(std::int64_t count, lg::DType dtype, std::uint64_t seed) {
  lg::Generator g(seed);
  return lg::rand({count, 1, 28, 28}, dtype, &g);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(stiefel_rkm)

BOOST_AUTO_TEST_CASE(u_stays_orthonormal_over_cayley_adam_steps_in_float32) {
  lg::Generator init(1);
  nn::StiefelRkm model(tiny(lg::float32, &init));
  nn::NamedParameters networks, basis;
  for (auto& entry : model.named_parameters()) (entry.first == "U" ? basis : networks).push_back(entry);
  BOOST_REQUIRE_EQUAL(basis.size(), 1u);
  BOOST_TEST(basis[0].second.manifold->name().find("Stiefel") != std::string::npos);
  lg::optim::CayleyAdam optimizer(networks, {.lr = 1e-3});
  optimizer.add_param_group(basis, {.lr = 0.05, .reorthonormalise_above = 1e-6});
  const std::vector<double> start = model.basis().to_vector<double>();
  lg::Generator noise(2);
  const lg::Tensor x = images(8, lg::float32, 3);
  for (int step = 0; step < 12; ++step) {
    const nn::StiefelRkmLoss loss = model.loss(x, noise);
    optimizer.zero_grad();
    loss.total.backward();
    optimizer.step();
    BOOST_TEST(model.orthogonality_error() <= 1e-5, "step " << step << ": " << model.orthogonality_error());
  }
  const std::vector<double> end = model.basis().to_vector<double>();
  double moved = 0.0;
  for (std::size_t i = 0; i < end.size(); ++i) moved = std::max(moved, std::abs(end[i] - start[i]));
  BOOST_TEST(moved > 1e-3);  // U did move
}

BOOST_AUTO_TEST_CASE(pca_term_matches_a_float64_hand_computation_and_vanishes_in_span_u) {
  lg::Generator init(4), noise(5);
  nn::StiefelRkm model(tiny(lg::float64, &init, nn::StrkmLoss::deterministic));
  const lg::Tensor x = images(5, lg::float64, 6);
  const nn::StiefelRkmLoss loss = model.loss(x, noise);
  const std::vector<double> z = model.features(x).to_vector<double>(), u = model.basis().to_vector<double>();
  const std::size_t b = 5, l = 6, m = 3;
  std::vector<double> zc(z);
  for (std::size_t j = 0; j < l; ++j) {
    double mean = 0.0;
    for (std::size_t i = 0; i < b; ++i) mean += z[i * l + j] / b;
    for (std::size_t i = 0; i < b; ++i) zc[i * l + j] -= mean;
  }
  // C = Zc^T Zc; tr(C - U U^T C) / B.
  std::vector<double> c(l * l, 0.0);
  for (std::size_t p = 0; p < l; ++p)
    for (std::size_t q = 0; q < l; ++q)
      for (std::size_t i = 0; i < b; ++i) c[p * l + q] += zc[i * l + p] * zc[i * l + q];
  double expected = 0.0;
  for (std::size_t p = 0; p < l; ++p) {
    double projected = 0.0;  // (U U^T C)_pp
    for (std::size_t q = 0; q < l; ++q) {
      double uut = 0.0;
      for (std::size_t k = 0; k < m; ++k) uut += u[p * m + k] * u[q * m + k];
      projected += uut * c[q * l + p];
    }
    expected += c[p * l + p] - projected;
  }
  expected /= b;
  BOOST_TEST(expected > 0.0);
  BOOST_TEST(loss.pca.item() == expected, boost::test_tools::tolerance(1e-10));
  // The AE term: lambda * 1/2 * summed squared error / B.
  const lg::Tensor r = model.reconstruct(x);
  BOOST_TEST(loss.reconstruction.item() == (lg::sum((r - x) * (r - x)) * 0.5 / 5.0).item(),
             boost::test_tools::tolerance(1e-10));
  // Three images: centred features of rank <= 2 < m, so U from them spans them and the term is 0.
  const lg::Tensor three = x.narrow(0, 0, 3);
  model.recompute_basis(model.features(three));
  const double total = (lg::sum(model.features(three) * model.features(three))).item();
  BOOST_TEST(std::abs(model.loss(three, noise).pca.item()) <= 1e-12 * total);
}

BOOST_AUTO_TEST_CASE(cross_entropy_term_matches_a_float64_hand_computation) {
  lg::Generator init(4), noise(5);
  nn::StiefelRkm model(
      tiny(lg::float64, &init, nn::StrkmLoss::deterministic, 1e-3, nn::StrkmReconstructionError::cross_entropy));
  const lg::Tensor x = images(5, lg::float64, 6);
  const std::vector<double> p = model.reconstruct(x).to_vector<double>(), t = x.to_vector<double>();
  double expected = 0.0;  // lambda * 1/2 * sum of -t log p - (1 - t) log(1 - p), over B
  for (std::size_t i = 0; i < p.size(); ++i) expected -= t[i] * std::log(p[i]) + (1.0 - t[i]) * std::log1p(-p[i]);
  expected *= 0.5 / 5.0;
  BOOST_TEST(model.loss(x, noise).reconstruction.item() == expected, boost::test_tools::tolerance(1e-10));
  // The squared model with the same weights gives the other number.
  lg::Generator same_init(4);
  nn::StiefelRkm squared(tiny(lg::float64, &same_init, nn::StrkmLoss::deterministic));
  BOOST_TEST(std::abs(squared.loss(x, noise).reconstruction.item() - expected) > 1e-3);
}

BOOST_AUTO_TEST_CASE(gradient_matches_central_differences_in_float64) {
  using Error = nn::StrkmReconstructionError;
  for (const auto& [kind, error] : {std::pair{nn::StrkmLoss::deterministic, Error::squared},
                                    std::pair{nn::StrkmLoss::noisy_u, Error::squared},
                                    std::pair{nn::StrkmLoss::split, Error::squared},
                                    std::pair{nn::StrkmLoss::split, Error::cross_entropy}}) {
    lg::Generator init(7);
    nn::StiefelRkm model(tiny(lg::float64, &init, kind, 0.3, error));
    const lg::Tensor x = images(4, lg::float64, 8);
    const auto objective = [&] {
      lg::Generator noise(9);  // the same eps at every evaluation
      return model.loss(x, noise).total;
    };
    model.zero_grad();
    objective().backward();
    std::vector<lg::Tensor> params = model.parameters();
    lg::Generator directions(10);
    for (int trial = 0; trial < 3; ++trial) {
      std::vector<lg::Tensor> v;
      double analytic = 0.0;
      for (const lg::Tensor& p : params) {
        v.push_back(lg::randn(p.shape(), lg::float64, &directions));
        analytic += lg::sum(p.grad() * v.back()).item();
      }
      const double h = 1e-5;
      const auto shifted = [&](double by) {
        lg::NoGradGuard no_grad;
        for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(params[i] + v[i] * by);
        const double value = objective().item();
        for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(params[i] - v[i] * by);
        return value;
      };
      const double numeric = (shifted(h) - shifted(-h)) / (2 * h);
      BOOST_TEST(analytic == numeric, boost::test_tools::tolerance(1e-6));
    }
  }
}

BOOST_AUTO_TEST_CASE(recompute_basis_diagonalises_cov_h_and_keeps_u_orthonormal) {
  lg::Generator init(11), data(12);
  nn::StiefelRkm model(tiny(lg::float32, &init));
  // Correlated features: a random linear map of Gaussian draws, plus an offset.
  const lg::Tensor z = lg::randn({300, 6}, lg::float64, &data).matmul(lg::randn({6, 6}, lg::float64, &data)) + 3.0;
  const lg::Tensor h = model.recompute_basis(z);
  BOOST_TEST(h.dtype() == lg::float64);
  BOOST_TEST(model.orthogonality_error() <= 1e-5);
  const std::vector<double> c = lg::manifold::covariance(h).to_vector<double>();
  double worst = 0.0;
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      if (i != j) worst = std::max(worst, std::abs(c[i * 3 + j]) / std::sqrt(c[i * 3 + i] * c[j * 3 + j]));
  BOOST_TEST(worst < 1e-6);
  BOOST_TEST(c[0] >= c[4]);  // descending variances
  BOOST_TEST(c[4] >= c[8]);
  // The fitted Gaussian's covariance is Cov(H).
  const std::vector<double> fitted = model.latent_gaussian().covariance.to_vector<double>();
  for (std::size_t i = 0; i < 9; ++i) BOOST_TEST(fitted[i] == c[i], boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(the_three_losses_agree_at_sigma_zero) {
  const lg::Tensor x = images(4, lg::float64, 13);
  std::vector<double> totals;
  for (nn::StrkmLoss kind : {nn::StrkmLoss::deterministic, nn::StrkmLoss::noisy_u, nn::StrkmLoss::split}) {
    lg::Generator init(14), noise(15);
    nn::StiefelRkm model(tiny(lg::float64, &init, kind, 0.0));
    totals.push_back(model.loss(x, noise).total.item());
  }
  BOOST_TEST(totals[1] == totals[0], boost::test_tools::tolerance(1e-12));
  BOOST_TEST(totals[2] == totals[0], boost::test_tools::tolerance(1e-12));
  // With noise the split loss adds a positive term.
  lg::Generator init(14), noise(15);
  nn::StiefelRkm noisy(tiny(lg::float64, &init, nn::StrkmLoss::split, 0.5));
  BOOST_TEST(noisy.loss(x, noise).total.item() > totals[0]);
}

BOOST_AUTO_TEST_CASE(samples_and_traversals_are_images_in_the_unit_interval) {
  lg::Generator init(16), data(17), draw(18);
  nn::StiefelRkm model(tiny(lg::float32, &init));
  lg::testing::expect_error<lg::ValueError>([&] { (void)model.sample(4, draw); }, "StiefelRkm: ",
                                            {"no latent Gaussian"});
  model.recompute_basis(model.features(images(20, lg::float32, 19)));
  const lg::Tensor samples = model.sample(16, draw);
  BOOST_TEST((samples.shape() == lg::Shape{16, 1, 28, 28}));
  BOOST_TEST(lg::min(samples).item() >= 0.0);
  BOOST_TEST(lg::max(samples).item() <= 1.0);
  const lg::Tensor row = model.traversal(2, {-5.0, 0.0, 5.0});
  BOOST_TEST((row.shape() == lg::Shape{3, 1, 28, 28}));
  BOOST_TEST(lg::min(row).item() >= 0.0);
  BOOST_TEST(lg::max(row).item() <= 1.0);
  lg::testing::expect_error<lg::ValueError>([&] { (void)model.traversal(3, {0.0}); }, "StiefelRkm: ",
                                            {"component", "3"});
}

BOOST_AUTO_TEST_CASE(bad_options_and_inputs_are_refused_by_name) {
  using lg::testing::expect_error;
  const auto build = [](nn::StiefelRkmOptions o) { return [o] { nn::StiefelRkm model(o); }; };
  expect_error<lg::ValueError>(build({.feature_size = 4, .latent_size = 5}), "StiefelRkm: ", {"latent_size", "5"});
  expect_error<lg::ValueError>(build({.lambda = 0.0}), "StiefelRkm: ", {"lambda"});
  expect_error<lg::ValueError>(build({.sigma = -1.0}), "StiefelRkm: ", {"sigma", "-1"});
  expect_error<lg::ValueError>(build({.image_size = 30}), "StiefelRkm: ", {"image_size", "30"});
  expect_error<lg::ValueError>(build({.capacity = 0}), "StiefelRkm: ", {"capacity"});
  expect_error<lg::ValueError>(build({.feature_size = 0}), "StiefelRkm: ", {"feature_size"});
  lg::Generator init(20), noise(21);
  nn::StiefelRkm model(tiny(lg::float32, &init));
  expect_error<lg::ShapeError>([&] { (void)model.loss(lg::zeros({2, 1, 32, 32}), noise); }, "StiefelRkm: ",
                               {"[2, 1, 32, 32]"});
  expect_error<lg::ValueError>([&] { (void)model.loss(images(1, lg::float32, 22), noise); }, "StiefelRkm: ",
                               {"at least 2"});
}

BOOST_AUTO_TEST_CASE(the_vae_strkm_body_shares_the_networks) {
  lg::Generator a(23), b(23);
  nn::StiefelRkm strkm(tiny(lg::float32, &a));
  nn::VariationalAutoencoder vae({.body = nn::VariationalBody::strkm, .latent_size = 3, .capacity = 2,
                                  .feature_size = 6, .strkm_hidden_size = 16, .generator = &b});
  // The same encoder weights from the same seed: the VAE's encoder is the St-RKM's.
  const auto count = [](const nn::Module& m, const std::string& prefix) {
    std::int64_t n = 0;
    for (const auto& [name, p] : m.named_parameters())
      if (name.rfind(prefix, 0) == 0) n += p.tensor.numel();
    return n;
  };
  BOOST_TEST(count(vae, "encoder.") == count(strkm, "encoder."));
  // The decoder: Linear(m -> l) (in U's place) plus the St-RKM decoder.
  BOOST_TEST(count(vae, "decoder.") == count(strkm, "decoder.") + 3 * 6 + 6);
  // Drawn first from the same seed, the encoder weights are the same tensors: "encoder.X" of the St-RKM is
  // "encoder.0.X" of the VAE (its encoder is a Sequential holding the St-RKM encoder).
  const nn::StateDict vae_state = vae.state_dict();
  std::size_t compared = 0;
  for (const auto& [name, tensor] : strkm.state_dict()) {
    if (name.rfind("encoder.", 0) != 0) continue;
    const auto it = vae_state.find("encoder.0." + name.substr(8));
    BOOST_REQUIRE(it != vae_state.end());
    BOOST_TEST(it->second.to_vector<double>() == tensor.to_vector<double>());
    ++compared;
  }
  BOOST_TEST(compared == 10u);  // 3 convolutions and 2 linear layers, weight and bias each
  const lg::Tensor x = images(2, lg::float32, 24);
  BOOST_TEST((vae.decode(vae.encode(x).mean).shape() == lg::Shape{2, 1, 28, 28}));
}

BOOST_AUTO_TEST_CASE(the_vae_strkm_body_round_trips_through_its_description) {
  lg::Generator g(25);
  const auto vae = std::make_shared<nn::VariationalAutoencoder>(nn::VariationalAutoencoderOptions{
      .body = nn::VariationalBody::strkm, .latent_size = 3, .capacity = 2, .feature_size = 7,
      .strkm_hidden_size = 9, .generator = &g});
  const nn::ModelDescription description = nn::describe_autoencoder(vae);
  BOOST_TEST(description.count("model.capacity") == 1u);
  const auto rebuilt = nn::build_autoencoder(description);
  const auto& options = std::get<std::shared_ptr<nn::VariationalAutoencoder>>(rebuilt)->options();
  BOOST_TEST((options.body == nn::VariationalBody::strkm));
  BOOST_TEST(options.capacity == 2);
  BOOST_TEST(options.feature_size == 7);
  BOOST_TEST(options.strkm_hidden_size == 9);
  // Other bodies do not write the strkm fields, so their descriptions stay as they were.
  const auto mlp = std::make_shared<nn::VariationalAutoencoder>(
      nn::VariationalAutoencoderOptions{.image_size = 4, .hidden_sizes = {5}, .latent_size = 2, .generator = &g});
  BOOST_TEST(nn::describe_autoencoder(mlp).count("model.capacity") == 0u);
  lg::testing::expect_error<lg::ValueError>(
      [] { nn::VariationalAutoencoder bad({.body = nn::VariationalBody::strkm, .image_size = 32}); },
      "VariationalAutoencoder: ", {"image_size", "32"});
}

BOOST_AUTO_TEST_SUITE_END()
