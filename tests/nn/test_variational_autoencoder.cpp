// VariationalAutoencoder: output shapes for every body (MLP, conv with a flat
// and with a spatial latent), the loss terms by hand in float64 (the whole
// linear Gaussian model from its weights; the Bernoulli conv model from its own
// intermediate values), the KL term against its closed form, a float64
// gradcheck of the loss, the reparameterised samples' mean and variance, same
// seed -> same bits, training (the loss falls over 30 Adam steps), the IWAE
// bound rising with k towards the exact log p(x) of a linear Gaussian VAE (and
// equal to the ELBO in expectation at k = 1 on a Bernoulli model), and bad
// options.
#include <array>
#include <cmath>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

void set_values(const nn::Module& model, const std::string& name, const std::vector<double>& values) {
  for (const auto& [parameter_name, parameter] : model.named_parameters())
    if (parameter_name == name) {
      lg::NoGradGuard no_grad;
      lg::Tensor handle = parameter.tensor;
      handle.copy_(lg::from_vector(values, handle.shape(), handle.dtype()));
      return;
    }
  BOOST_FAIL("no parameter " << name);
}

std::vector<double> values_of(const nn::Module& model, const std::string& name) {
  for (const auto& [parameter_name, parameter] : model.named_parameters())
    if (parameter_name == name) return parameter.tensor.to_vector<double>();
  BOOST_FAIL("no parameter " << name);
  return {};
}

// The linear Gaussian VAE: x in R^3 (3 channels of 1x1 images), a 2-d latent, decoder
// x = W z + b + sigma * noise, no hidden layers.
nn::VariationalAutoencoder linear_gaussian_vae(double sigma, lg::Generator* generator, double beta = 1.0) {
  return nn::VariationalAutoencoder({.in_channels = 3, .image_size = 1, .hidden_sizes = {}, .latent_size = 2,
                                     .likelihood = nn::DecoderLikelihood::gaussian, .decoder_sigma = sigma,
                                     .beta = beta, .dtype = lg::float64, .generator = generator});
}

constexpr double log_two_pi = 1.8378770664093454835606594728112;

// log N(x; b, W W^T + s^2 I) for x, b in R^3 and W [3, 2] row-major, by a Cholesky factor C = L L^T:
// -1/2 (|L^-1 (x - b)|^2 + 2 sum_i log L_ii + 3 log 2 pi).
double linear_gaussian_log_marginal(const std::vector<double>& x, const std::vector<double>& W,
                                    const std::vector<double>& b, double s) {
  double C[3][3], L[3][3] = {};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) C[i][j] = W[i * 2] * W[j * 2] + W[i * 2 + 1] * W[j * 2 + 1] + (i == j ? s * s : 0.0);
  for (int j = 0; j < 3; ++j) {
    double diagonal = C[j][j];
    for (int k = 0; k < j; ++k) diagonal -= L[j][k] * L[j][k];
    L[j][j] = std::sqrt(diagonal);
    for (int i = j + 1; i < 3; ++i) {
      double v = C[i][j];
      for (int k = 0; k < j; ++k) v -= L[i][k] * L[j][k];
      L[i][j] = v / L[j][j];
    }
  }
  double y[3], squares = 0.0, log_det = 0.0;
  for (int i = 0; i < 3; ++i) {  // forward substitution L y = x - b
    double v = x[i] - b[i];
    for (int k = 0; k < i; ++k) v -= L[i][k] * y[k];
    y[i] = v / L[i][i];
    squares += y[i] * y[i];
    log_det += 2.0 * std::log(L[i][i]);
  }
  return -0.5 * (squares + log_det + 3.0 * log_two_pi);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(variational_autoencoder)

BOOST_AUTO_TEST_CASE(output_shapes_for_every_body) {
  lg::Generator generator(61);
  // Options set field by field: GCC 12 warns falsely (maybe-uninitialized) on temporaries of them.
  const std::vector<std::string> labels{"mlp", "conv flat", "conv spatial", "conv spatial gaussian"};
  const std::vector<lg::Shape> latents{{4}, {5}, {4, 2, 2}, {4, 2, 2}};
  std::vector<nn::VariationalAutoencoderOptions> options(4);
  for (auto& o : options) {
    o.image_size = 8;
    o.channels = {2, 3};
    o.generator = &generator;
  }
  options[0].hidden_sizes = {32, 16};
  options[0].latent_size = 4;
  options[1].body = nn::VariationalBody::conv;
  options[1].latent_size = 5;
  for (int i : {2, 3}) {
    options[i].body = nn::VariationalBody::conv;
    options[i].spatial_latent = true;
    options[i].latent_channels = 4;
  }
  options[3].likelihood = nn::DecoderLikelihood::gaussian;
  const lg::Tensor x = lg::rand({3, 1, 8, 8}, lg::float32, &generator);
  for (std::size_t c = 0; c < options.size(); ++c) {
    BOOST_TEST_CONTEXT(labels[c]) {
      nn::VariationalAutoencoder model(options[c]);
      lg::Shape latent{3};
      latent.insert(latent.end(), latents[c].begin(), latents[c].end());
      BOOST_TEST(model.latent_shape() == latents[c]);
      const nn::VariationalAutoencoderOutput out = model.forward(x, generator);
      for (const lg::Tensor& t : {out.code, out.mean, out.log_variance, out.sample}) BOOST_TEST(t.shape() == latent);
      BOOST_TEST(out.reconstruction.shape() == x.shape());
      BOOST_TEST(out.decoder_output.shape() == x.shape());
      const nn::VariationalLoss terms = model.loss(x, out);
      BOOST_TEST((terms.loss.dim() == 0 && terms.reconstruction.dim() == 0 && terms.kl.dim() == 0));
      BOOST_TEST(model.sample_prior(5, generator).shape() == (lg::Shape{5, 1, 8, 8}));
      BOOST_TEST(model.importance_weighted_bound(x, 3, generator).shape() == (lg::Shape{3}));
    }
  }
  // The MLP body also takes flat input, and gives its reconstruction back flat.
  nn::VariationalAutoencoder mlp(options[0]);
  BOOST_TEST(mlp.forward(lg::reshape(x, {3, 64}), generator).reconstruction.shape() == (lg::Shape{3, 64}));
}

BOOST_AUTO_TEST_CASE(default_sizes) {
  lg::Generator generator(62);
  nn::VariationalAutoencoder mlp({.generator = &generator});  // 784-512-256 -> 16, mirrored
  std::vector<std::pair<std::string, lg::Shape>> shapes;
  for (const auto& [name, parameter] : mlp.named_parameters()) shapes.emplace_back(name, parameter.tensor.shape());
  const std::vector<std::pair<std::string, lg::Shape>> expected{
      {"encoder.1.weight", {512, 784}},     {"encoder.1.bias", {512}},          {"encoder.3.weight", {256, 512}},
      {"encoder.3.bias", {256}},            {"mean_head.0.weight", {16, 256}},  {"mean_head.0.bias", {16}},
      {"log_variance_head.0.weight", {16, 256}}, {"log_variance_head.0.bias", {16}},
      {"decoder.0.weight", {256, 16}},      {"decoder.0.bias", {256}},          {"decoder.2.weight", {512, 256}},
      {"decoder.2.bias", {512}},            {"decoder.4.weight", {784, 512}},   {"decoder.4.bias", {784}}};
  BOOST_TEST((shapes == expected));
  // The conv body's spatial latent 64 x 7 x 7 of 28 x 28 images, as the paper's analysis uses.
  nn::VariationalAutoencoder spatial(
      {.body = nn::VariationalBody::conv, .spatial_latent = true, .generator = &generator});
  const lg::Tensor images = lg::rand({2, 1, 28, 28}, lg::float32, &generator);
  const nn::VariationalAutoencoderOutput out = spatial.forward(images, generator);
  BOOST_TEST(out.mean.shape() == (lg::Shape{2, 64, 7, 7}));
  BOOST_TEST(out.reconstruction.shape() == (lg::Shape{2, 1, 28, 28}));
}

BOOST_AUTO_TEST_CASE(linear_gaussian_loss_terms_by_hand_float64) {
  // Every number from the weights: mu = A x + a, log sigma^2 = E x + e, z = mu + sigma eps,
  // m = W z + b, -log p(x | z) = |x - m|^2 / (2 s^2) + 3/2 log(2 pi s^2), KL in closed form.
  lg::Generator init(63);
  const double s = 0.7, beta = 2.5;
  nn::VariationalAutoencoder model = linear_gaussian_vae(s, &init, beta);
  const lg::Tensor x = lg::randn({4, 3}, lg::float64, &init);
  lg::Generator noise(64), replay(64);
  const nn::VariationalAutoencoderOutput out = model.forward(x, noise);
  const nn::VariationalLoss terms = model.loss(x, out);

  const auto A = values_of(model, "mean_head.0.weight"), a = values_of(model, "mean_head.0.bias");
  const auto E = values_of(model, "log_variance_head.0.weight"), e = values_of(model, "log_variance_head.0.bias");
  const auto W = values_of(model, "decoder.0.weight"), b = values_of(model, "decoder.0.bias");
  const auto xs = x.to_vector<double>(), eps = lg::randn({4, 2}, lg::float64, &replay).to_vector<double>();
  double reconstruction = 0.0, kl = 0.0;
  for (int n = 0; n < 4; ++n) {
    std::array<double, 2> z{};
    for (int j = 0; j < 2; ++j) {
      double mu = a[j], lv = e[j];
      for (int i = 0; i < 3; ++i) {
        mu += A[j * 3 + i] * xs[n * 3 + i];
        lv += E[j * 3 + i] * xs[n * 3 + i];
      }
      z[j] = mu + std::exp(lv / 2) * eps[n * 2 + j];
      BOOST_TEST(std::abs(out.sample.to_vector<double>()[n * 2 + j] - z[j]) <= 1e-12);
      kl += 0.5 * (mu * mu + std::exp(lv) - 1.0 - lv);
    }
    for (int i = 0; i < 3; ++i) {
      const double m = b[i] + W[i * 2] * z[0] + W[i * 2 + 1] * z[1];
      reconstruction += (xs[n * 3 + i] - m) * (xs[n * 3 + i] - m) / (2 * s * s) + 0.5 * (log_two_pi + 2 * std::log(s));
    }
  }
  reconstruction /= 4;
  kl /= 4;
  BOOST_TEST(std::abs(terms.reconstruction.item<double>() - reconstruction) <= 1e-12);
  BOOST_TEST(std::abs(terms.kl.item<double>() - kl) <= 1e-12);
  BOOST_TEST(std::abs(terms.loss.item<double>() - (reconstruction + beta * kl)) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(bernoulli_loss_terms_and_kl_closed_form_float64) {
  lg::Generator init(65);
  nn::VariationalAutoencoder model({.body = nn::VariationalBody::conv, .image_size = 4, .channels = {2, 3},
                                    .spatial_latent = true, .latent_channels = 2, .beta = 4.0,
                                    .dtype = lg::float64, .generator = &init});
  const lg::Tensor x = lg::rand({3, 1, 4, 4}, lg::float64, &init);
  lg::Generator noise(66), replay(66);
  const nn::VariationalAutoencoderOutput out = model.forward(x, noise);
  const nn::VariationalLoss terms = model.loss(x, out);
  const auto mu = out.mean.to_vector<double>(), lv = out.log_variance.to_vector<double>();
  const auto z = out.sample.to_vector<double>();
  const auto eps = lg::randn({3, 2, 1, 1}, lg::float64, &replay).to_vector<double>();
  double kl = 0.0;  // 0.5 sum (mu^2 + sigma^2 - 1 - log sigma^2), per example, averaged
  for (std::size_t j = 0; j < mu.size(); ++j) {
    kl += 0.5 * (mu[j] * mu[j] + std::exp(lv[j]) - 1.0 - lv[j]) / 3.0;
    BOOST_TEST(std::abs(z[j] - (mu[j] + std::exp(lv[j] / 2) * eps[j])) <= 1e-14);
  }
  const auto logits = out.decoder_output.to_vector<double>(), t = x.to_vector<double>();
  double reconstruction = 0.0;  // sum of BCE per example, averaged
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-logits[i]));
    reconstruction -= (t[i] * std::log(p) + (1.0 - t[i]) * std::log(1.0 - p)) / 3.0;
  }
  BOOST_TEST(std::abs(terms.kl.item<double>() - kl) <= 1e-12);
  BOOST_TEST(std::abs(terms.reconstruction.item<double>() - reconstruction) <= 1e-12);
  BOOST_TEST(std::abs(terms.loss.item<double>() - (reconstruction + 4.0 * kl)) <= 1e-12);
  for (std::size_t i = 0; i < t.size(); ++i)
    BOOST_TEST(std::abs(out.reconstruction.to_vector<double>()[i] - 1.0 / (1.0 + std::exp(-logits[i]))) <= 1e-14);
}

BOOST_AUTO_TEST_CASE(loss_gradcheck_float64) {
  // The negative ELBO w.r.t. the input and parameters of every head, with eps fixed by
  // re-seeding: the gradient reaches mu and log_variance through z = mu + exp(log_variance / 2) eps.
  lg::Generator init(76);
  nn::VariationalAutoencoder model({.body = nn::VariationalBody::conv, .image_size = 4, .channels = {2, 2},
                                    .spatial_latent = true, .latent_channels = 2, .beta = 2.0,
                                    .dtype = lg::float64, .generator = &init});
  std::vector<lg::Tensor> inputs{lg::rand({2, 1, 4, 4}, lg::float64, &init)};
  for (const auto& [name, parameter] : model.named_parameters())
    if (name == "encoder.0.weight" || name == "mean_head.0.weight" || name == "log_variance_head.0.bias" ||
        name == "log_variance_head.0.weight" || name == "decoder.0.bias" || name == "decoder.4.weight")
      inputs.push_back(parameter.tensor);
  BOOST_REQUIRE(inputs.size() == 7u);
  const lg::TensorFunction loss = [&](const std::vector<lg::Tensor>& args) {
    lg::Generator noise(77);
    return model.loss(args[0], model.forward(args[0], noise)).loss;
  };
  const auto result = lg::gradcheck("VariationalAutoencoder::loss", loss, inputs, {.fast = true, .projections = 16});
  BOOST_TEST(result.passed, result.report);
}

BOOST_AUTO_TEST_CASE(reparameterised_samples_have_the_posterior_mean_and_variance) {
  // Heads with zero weights give every example the posterior N((0.5, -1), diag(0.25, 4)).
  lg::Generator init(67);
  nn::VariationalAutoencoder model = linear_gaussian_vae(1.0, &init);
  set_values(model, "mean_head.0.weight", std::vector<double>(6, 0.0));
  set_values(model, "mean_head.0.bias", {0.5, -1.0});
  set_values(model, "log_variance_head.0.weight", std::vector<double>(6, 0.0));
  set_values(model, "log_variance_head.0.bias", {std::log(0.25), std::log(4.0)});
  const std::int64_t n = 20000;
  lg::Generator noise(68);
  const auto z = model.forward(lg::randn({n, 3}, lg::float64, &init), noise).sample.to_vector<double>();
  const std::array<double, 2> mean{0.5, -1.0}, variance{0.25, 4.0};
  for (int j = 0; j < 2; ++j) {
    double sum = 0.0, squares = 0.0;
    for (std::int64_t i = 0; i < n; ++i) sum += z[i * 2 + j];
    const double sample_mean = sum / static_cast<double>(n);
    for (std::int64_t i = 0; i < n; ++i) squares += (z[i * 2 + j] - sample_mean) * (z[i * 2 + j] - sample_mean);
    const double sample_variance = squares / static_cast<double>(n - 1);
    // Five standard errors: sqrt(v / n) for the mean, v sqrt(2 / (n - 1)) for the variance (normal data).
    BOOST_TEST(std::abs(sample_mean - mean[j]) <= 5.0 * std::sqrt(variance[j] / static_cast<double>(n)),
               "dim " << j << ": mean " << sample_mean);
    const double variance_error = variance[j] * std::sqrt(2.0 / static_cast<double>(n - 1));
    BOOST_TEST(std::abs(sample_variance - variance[j]) <= 5.0 * variance_error,
               "dim " << j << ": variance " << sample_variance);
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_bits) {
  auto run = [](std::uint64_t noise_seed) {
    lg::Generator init(69), noise(noise_seed);
    nn::VariationalAutoencoder model({.body = nn::VariationalBody::conv, .image_size = 8, .channels = {2, 3},
                                      .latent_size = 3, .generator = &init});
    const lg::Tensor x = lg::rand({2, 1, 8, 8}, lg::float32, &init);
    const nn::VariationalAutoencoderOutput out = model.forward(x, noise);
    return std::vector<lg::Tensor>{out.sample, out.reconstruction, model.loss(x, out).loss,
                                   model.sample_prior(2, noise), model.importance_weighted_bound(x, 4, noise)};
  };
  const auto a = run(70), b = run(70), c = run(71);
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(same_bits(a[i], b[i]), "output " << i);
    BOOST_TEST(!same_bits(a[i], c[i]), "output " << i);
  }
}

BOOST_AUTO_TEST_CASE(adam_reduces_the_loss_on_a_fixed_batch) {
  const std::vector<nn::VariationalAutoencoderOptions> bodies{
      {.image_size = 16, .hidden_sizes = {64}, .latent_size = 4},
      {.body = nn::VariationalBody::conv, .image_size = 16, .channels = {8, 16}, .latent_size = 4},
      {.body = nn::VariationalBody::conv, .image_size = 16, .channels = {8, 16}, .spatial_latent = true,
       .latent_channels = 2}};
  for (nn::VariationalAutoencoderOptions options : bodies) {
    lg::Generator generator(72);
    options.generator = &generator;
    nn::VariationalAutoencoder model(options);
    const lg::Tensor u = lg::rand({16, 1, 16, 16}, lg::float32, &generator);
    const lg::Tensor x = u * u * u;  // mostly dark pixels, as in digit images
    lg::optim::Adam adam(model.named_parameters(), {.lr = 3e-3});
    double first = 0.0, last = 0.0;
    for (int step = 0; step < 30; ++step) {
      adam.zero_grad();
      const lg::Tensor loss = model.loss(x, model.forward(x, generator)).loss;
      loss.backward();
      adam.step();
      (step == 0 ? first : last) = loss.item<double>();
    }
    BOOST_TEST(std::isfinite(last));
    BOOST_TEST(last < 0.9 * first, "loss went from " << first << " to " << last);
  }
}

BOOST_AUTO_TEST_CASE(importance_weighted_bound_rises_with_k_towards_the_exact_log_likelihood) {
  // A linear Gaussian VAE, p(z) = N(0, I), p(x | z) = N(W z + b, s^2 I), so p(x) = N(b, W W^T + s^2 I).
  // The exact posterior is N(P^-1 W^T (x - b) / s^2, P^-1) with precision P = I + W^T W / s^2;
  // the encoder is given its mean and, in both dims, 1.2 times the posterior's largest variance (its
  // correlation is about 0.87 with these columns of W). That q is wider than the posterior in every
  // direction, so the importance weights are bounded and the IWAE gap closes like 1/k.
  const double s = 0.5;
  const std::vector<double> W{1.0, 0.9, 0.8, 1.0, 0.5, 0.4}, b{0.2, -0.1, 0.4};
  double P[2][2];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      P[i][j] = (i == j ? 1.0 : 0.0) + (W[i] * W[j] + W[2 + i] * W[2 + j] + W[4 + i] * W[4 + j]) / (s * s);
  const double det = P[0][0] * P[1][1] - P[0][1] * P[1][0];
  const double P_inverse[2][2] = {{P[1][1] / det, -P[0][1] / det}, {-P[1][0] / det, P[0][0] / det}};
  std::vector<double> A(6), a(2);  // mu = A x + a, A = P^-1 W^T / s^2, a = -A b
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 3; ++i) A[j * 3 + i] = (P_inverse[j][0] * W[i * 2] + P_inverse[j][1] * W[i * 2 + 1]) / (s * s);
  for (int j = 0; j < 2; ++j) a[j] = -(A[j * 3] * b[0] + A[j * 3 + 1] * b[1] + A[j * 3 + 2] * b[2]);
  const double half_trace = (P_inverse[0][0] + P_inverse[1][1]) / 2;
  const double largest_variance = half_trace + std::sqrt(half_trace * half_trace - 1.0 / det);  // det P^-1 = 1 / det
  const std::vector<double> log_variance(2, std::log(1.2 * largest_variance));

  lg::Generator init(73);
  nn::VariationalAutoencoder model = linear_gaussian_vae(s, &init);
  set_values(model, "decoder.0.weight", W);
  set_values(model, "decoder.0.bias", b);
  set_values(model, "mean_head.0.weight", A);
  set_values(model, "mean_head.0.bias", a);
  set_values(model, "log_variance_head.0.weight", std::vector<double>(6, 0.0));
  set_values(model, "log_variance_head.0.bias", log_variance);

  // Four points, each repeated 250 times: 1000 independent estimates of each bound per k.
  const std::vector<std::vector<double>> points{{0.5, 0.3, -0.2}, {1.2, -0.4, 0.9}, {-0.8, 0.6, 0.1}, {2.0, 2.1, 0.9}};
  const int repeats = 250, rows = repeats * 4;
  std::vector<double> x_values, exact(rows), elbo(rows);
  for (int r = 0; r < repeats; ++r)
    for (int p = 0; p < 4; ++p) {
      x_values.insert(x_values.end(), points[p].begin(), points[p].end());
      exact[r * 4 + p] = linear_gaussian_log_marginal(points[p], W, b, s);
      // The ELBO in closed form: E_q log p(x | z) - KL(q || N(0, I)), q = N(mu, diag(v)).
      double mu[2], squares = 0.0, kl = 0.0;
      for (int j = 0; j < 2; ++j) {
        mu[j] = a[j] + A[j * 3] * points[p][0] + A[j * 3 + 1] * points[p][1] + A[j * 3 + 2] * points[p][2];
        const double v = std::exp(log_variance[j]);
        kl += 0.5 * (mu[j] * mu[j] + v - 1.0 - log_variance[j]);
        for (int i = 0; i < 3; ++i) squares += W[i * 2 + j] * W[i * 2 + j] * v;  // tr(W diag(v) W^T)
      }
      for (int i = 0; i < 3; ++i) {
        const double residual = points[p][i] - b[i] - W[i * 2] * mu[0] - W[i * 2 + 1] * mu[1];
        squares += residual * residual;
      }
      elbo[r * 4 + p] = -squares / (2 * s * s) - 1.5 * (log_two_pi + 2 * std::log(s)) - kl;
    }
  const lg::Tensor x = lg::from_vector(x_values, {rows, 3}, lg::float64);

  lg::Generator noise(74);
  double previous_gap = 0.0;
  for (std::int64_t k : {1, 4, 16, 64, 256}) {
    lg::NoGradGuard no_grad;
    const auto bound = model.importance_weighted_bound(x, k, noise).to_vector<double>();
    // The gap log p(x) - L_k per row: its mean and that mean's standard error.
    double mean_gap = 0.0, squares = 0.0;
    for (int i = 0; i < rows; ++i) mean_gap += (exact[i] - bound[i]) / rows;
    for (int i = 0; i < rows; ++i) squares += std::pow(exact[i] - bound[i] - mean_gap, 2);
    const double standard_error = std::sqrt(squares / (rows - 1) / rows);
    BOOST_TEST_MESSAGE("IWAE k = " << k << ": gap to log p(x) " << mean_gap << " +- " << standard_error);
    // A lower bound in expectation: the gap is non-negative within four standard errors.
    BOOST_TEST(mean_gap >= -4.0 * standard_error, "k " << k << ": gap " << mean_gap);
    if (k == 1) {
      // At k = 1 the bound is an unbiased estimate of the ELBO (whose gap is about 0.7 nats here).
      double mean_elbo_gap = 0.0;
      for (int i = 0; i < rows; ++i) mean_elbo_gap += (exact[i] - elbo[i]) / rows;
      BOOST_TEST(mean_elbo_gap > 0.3);
      BOOST_TEST(std::abs(mean_gap - mean_elbo_gap) <= 4.0 * standard_error,
                 "k = 1 gap " << mean_gap << ", the ELBO's " << mean_elbo_gap);
    } else {
      // Rises with k: each fourfold k closes a good part of the gap that was left.
      BOOST_TEST(mean_gap < 0.8 * previous_gap, "k " << k << ": gap " << mean_gap << " after " << previous_gap);
    }
    if (k == 256) BOOST_TEST(mean_gap < 0.02, "k = 256: gap " << mean_gap);
    previous_gap = mean_gap;
  }
}

BOOST_AUTO_TEST_CASE(bernoulli_importance_weighted_bound_at_k_1_is_the_elbo_in_expectation) {
  // A nonlinear Bernoulli model: the mean of L_1 over 2000 draws matches the mean of the
  // one-sample ELBO log p(x | z) - KL (independent draws) within four standard errors of the
  // difference, and L_16 lies above both.
  lg::Generator init(78);
  nn::VariationalAutoencoder model(
      {.image_size = 4, .hidden_sizes = {8}, .latent_size = 2, .dtype = lg::float64, .generator = &init});
  const std::int64_t rows = 2000;
  const lg::Tensor one = lg::rand({1, 16}, lg::float64, &init);
  const lg::Tensor x = lg::expand(one, {rows, 16}).contiguous();
  lg::NoGradGuard no_grad;
  lg::Generator noise(79);
  const nn::VariationalAutoencoderOutput out = model.forward(x, noise);
  const lg::Tensor elbo =
      model.log_likelihood(x, out.decoder_output) - nn::gaussian_kl(out.mean, out.log_variance, nn::Reduction::none);
  auto mean_and_variance = [](const std::vector<double>& v) {
    double mean = 0.0, squares = 0.0;
    for (double e : v) mean += e / static_cast<double>(v.size());
    for (double e : v) squares += (e - mean) * (e - mean) / static_cast<double>(v.size() - 1);
    return std::pair{mean, squares};
  };
  const auto [elbo_mean, elbo_variance] = mean_and_variance(elbo.to_vector<double>());
  const auto [l1_mean, l1_variance] =
      mean_and_variance(model.importance_weighted_bound(x, 1, noise).to_vector<double>());
  const auto [l16_mean, l16_variance] =
      mean_and_variance(model.importance_weighted_bound(x, 16, noise).to_vector<double>());
  const double standard_error = std::sqrt((elbo_variance + l1_variance) / static_cast<double>(rows));
  BOOST_TEST(std::abs(l1_mean - elbo_mean) <= 4.0 * standard_error,
             "L_1 " << l1_mean << ", ELBO " << elbo_mean << " +- " << standard_error);
  BOOST_TEST(l16_mean > l1_mean + 4.0 * std::sqrt((l1_variance + l16_variance) / static_cast<double>(rows)),
             "L_16 " << l16_mean << ", L_1 " << l1_mean);
}

BOOST_AUTO_TEST_CASE(bad_options_name_the_option) {
  using Options = nn::VariationalAutoencoderOptions;
  auto build = [](Options options) { return [options] { nn::VariationalAutoencoder model(options); }; };
  const std::string prefix = "VariationalAutoencoder: ";
  expect_error<lg::ValueError>(build({.beta = -1.0}), prefix, {"beta", "-1"});
  expect_error<lg::ValueError>(build({.likelihood = nn::DecoderLikelihood::gaussian, .decoder_sigma = -0.5}), prefix,
                               {"decoder_sigma", "-0.5"});
  expect_error<lg::ValueError>(build({.body = nn::VariationalBody::conv, .image_size = 30}), prefix,
                               {"image_size", "30"});
  expect_error<lg::ValueError>(build({.image_size = 8, .hidden_sizes = {}, .latent_size = 100}), prefix,
                               {"latent_size", "100", "64"});
  expect_error<lg::ValueError>(build({.spatial_latent = true}), prefix, {"spatial_latent", "conv"});
  expect_error<lg::ValueError>(build({.latent_size = 0}), prefix, {"latent_size", "0"});

  lg::Generator generator(75);
  nn::VariationalAutoencoder model({.image_size = 8, .hidden_sizes = {4}, .latent_size = 2, .generator = &generator});
  expect_error<lg::ShapeError>([&] { model.forward(lg::zeros({2, 1, 7, 8}), generator); }, prefix, {"[2, 1, 7, 8]"});
  expect_error<lg::ShapeError>([&] { model.decode(lg::zeros({2, 3})); }, prefix, {"[2, 3]", "[2, 2]"});
  expect_error<lg::ValueError>([&] { model.importance_weighted_bound(lg::zeros({2, 64}), 0, generator); }, prefix,
                               {"k >= 1", "0"});
}

BOOST_AUTO_TEST_SUITE_END()
