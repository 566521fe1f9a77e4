// Jacobians of composed modules just work: lg::jacobian through an encoder then a decoder, built
// as two separate Sequentials, is the product of their Jacobians (the chain rule) for every example;
// and every activation layer's Jacobian, by rows and by columns, equals central finite differences
// in float64 away from the kinks (a LeakyReLU that returned ReLU's Jacobian, a softmax with none,
// are the bugs this catches), with LeakyReLU's negative slope and softmax's diag(p) - p p^T exactly.
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace {

using lg::Tensor;

const lg::JacobianOptions kReverse{.mode = lg::JacobianMode::reverse};
const lg::JacobianOptions kForward{.mode = lg::JacobianMode::forward};

double max_abs_diff(const Tensor& a, const Tensor& b) {
  BOOST_REQUIRE_MESSAGE(a.shape() == b.shape(), "shapes " << lg::shape_str(a.shape()) << " and "
                                                          << lg::shape_str(b.shape()) << " differ");
  return lg::max(lg::abs(a.detach() - b.detach())).item();
}

// Per-sample Jacobians [B, m, n] by central differences, one input coordinate of every example at a time.
Tensor finite_difference_jacobian(const lg::Function& f, const Tensor& x, double eps = 1e-6) {
  const lg::NoGradGuard no_grad;
  const std::int64_t batch = x.size(0), n = x.numel() / batch;
  const Tensor basis = lg::eye(n, x.dtype());
  std::vector<Tensor> columns;
  for (std::int64_t j = 0; j < n; ++j) {
    const Tensor step = lg::reshape(lg::expand(basis.select(0, j), {batch, n}), x.shape()) * eps;
    columns.push_back(lg::reshape((f(x + step) - f(x - step)) / (2.0 * eps), {batch, -1}));
  }
  return lg::stack(columns, 2);
}

// max over entries of |analytic - numeric| - 1e-6 |numeric|, the Jacobian built by rows or by columns.
double worst_deviation(const lg::Function& f, const Tensor& x, const lg::JacobianOptions& options) {
  const Tensor numeric = finite_difference_jacobian(f, x);
  return lg::max(lg::abs(lg::jacobian(f, x, options) - numeric) - 1e-6 * lg::abs(numeric)).item();
}

// |analytic - numeric| <= 1e-8 + 1e-6 |numeric| everywhere, for both ways of building the Jacobian.
void check_against_finite_differences(const std::string& name, const lg::Function& f, const Tensor& x) {
  for (const auto& options : {kReverse, kForward}) {
    const double worst = worst_deviation(f, x, options);
    BOOST_TEST(worst <= 1e-8, name << (options.mode == lg::JacobianMode::reverse ? " (rows)" : " (columns)")
                                   << ": Jacobian differs from finite differences by " << worst);
  }
}

// A canary: leaky_relu's values with ReLU's derivative (0 on the negative side), recorded by hand.
Tensor leaky_relu_with_relu_backward(const Tensor& x) {
  std::vector<double> mask = x.to_vector<double>();
  for (double& value : mask) value = value > 0.0 ? 1.0 : 0.0;
  const Tensor slope = lg::from_vector(mask, x.shape(), x.dtype());
  // The same wrong derivative in both modes, so that the rows and the columns both catch it.
  return lg::record(
      "canary_leaky_relu", lg::leaky_relu(x.detach(), 0.2), {x},
      [&slope](const lg::Tangents& t, const Tensor&) { return t[0] * slope; },
      [slope](const Tensor& g, const Tensor&, const lg::NeedsGrad&) -> lg::Grads { return {g * slope}; });
}

// The activation modules of nn/activation.hpp, with their Jacobian checks below; the coverage test
// fails when the header declares one that is not here.
struct Activation {
  std::string name;
  std::function<Tensor(const Tensor&)> forward;
};

std::vector<Activation> activations() {
  const auto relu = std::make_shared<lg::nn::ReLU>();
  const auto leaky = std::make_shared<lg::nn::LeakyReLU>(0.2);
  const auto elu = std::make_shared<lg::nn::ELU>(0.7);
  const auto softplus = std::make_shared<lg::nn::Softplus>(lg::nn::SoftplusOptions{.beta = 2.0});
  const auto gelu = std::make_shared<lg::nn::GELU>();
  const auto sigmoid = std::make_shared<lg::nn::Sigmoid>();
  const auto tanh = std::make_shared<lg::nn::Tanh>();
  return {
      {"ReLU", [relu](const Tensor& x) { return relu->forward(x); }},
      {"LeakyReLU", [leaky](const Tensor& x) { return leaky->forward(x); }},
      {"ELU", [elu](const Tensor& x) { return elu->forward(x); }},
      {"Softplus", [softplus](const Tensor& x) { return softplus->forward(x); }},
      {"GELU", [gelu](const Tensor& x) { return gelu->forward(x); }},
      {"Sigmoid", [sigmoid](const Tensor& x) { return sigmoid->forward(x); }},
      {"Tanh", [tanh](const Tensor& x) { return tanh->forward(x); }},
  };
}

// The class names "class Name : public Module" in nn/activation.hpp.
std::set<std::string> activation_classes() {
  std::ifstream in(std::string(LATENTGEO_SOURCE_DIR) + "/nn/activation.hpp");
  std::stringstream text;
  text << in.rdbuf();
  const std::string source = text.str();
  std::set<std::string> names;
  const std::regex declaration(R"(class\s+(\w+)\s*(final\s*)?:\s*public\s+(nn::)?Module\b)");
  for (auto it = std::sregex_iterator(source.begin(), source.end(), declaration); it != std::sregex_iterator(); ++it)
    names.insert((*it)[1].str());
  return names;
}

lg::nn::LinearOptions float64_linear(lg::Generator& generator) {
  return {.dtype = lg::float64, .generator = &generator};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_jacobians)

BOOST_AUTO_TEST_CASE(an_encoder_then_a_decoder_follow_the_chain_rule) {
  lg::Generator generator(21);
  lg::nn::Sequential encoder(std::make_shared<lg::nn::Linear>(5, 4, float64_linear(generator)),
                             std::make_shared<lg::nn::Tanh>(),
                             std::make_shared<lg::nn::Linear>(4, 2, float64_linear(generator)));
  lg::nn::Sequential decoder(std::make_shared<lg::nn::Linear>(2, 4, float64_linear(generator)),
                             std::make_shared<lg::nn::Softplus>(),
                             std::make_shared<lg::nn::Linear>(4, 6, float64_linear(generator)),
                             std::make_shared<lg::nn::Sigmoid>());
  encoder.eval();
  decoder.eval();
  const lg::Function encode = [&](const Tensor& x) { return encoder.forward(x); };
  const lg::Function decode = [&](const Tensor& z) { return decoder.forward(z); };
  const lg::Function both = [&](const Tensor& x) { return decoder.forward(encoder.forward(x)); };
  const Tensor x = nn_test::random64({3, 5}, 22, false);
  const Tensor codes = encode(x).detach();
  for (const auto& options : {kReverse, kForward}) {
    const Tensor whole = lg::jacobian(both, x, options);  // [3, 6, 5]
    const Tensor product = lg::matmul(lg::jacobian(decode, codes, options), lg::jacobian(encode, x, options));
    BOOST_TEST((whole.shape() == lg::Shape{3, 6, 5}));
    BOOST_TEST(max_abs_diff(whole, product) < 1e-13);
  }
  check_against_finite_differences("encoder then decoder", both, x);
}

BOOST_AUTO_TEST_CASE(every_activation_matches_finite_differences) {
  const Tensor x = nn_test::away_from_zero({4, 5}, 23).detach();  // +-[0.2, 1.5]: no kink within eps
  for (const Activation& activation : activations())
    check_against_finite_differences(activation.name, activation.forward, x);
  // The op without a module: softmax along the last dim.
  check_against_finite_differences("softmax", [](const Tensor& t) { return lg::softmax(t, -1); }, x * 2.0);
}

BOOST_AUTO_TEST_CASE(the_check_catches_a_wrong_or_missing_jacobian) {
  const Tensor x = nn_test::away_from_zero({4, 5}, 25).detach();
  // A LeakyReLU that returns ReLU's Jacobian is off by the slope 0.2 on the negative side.
  const lg::Function wrong = [](const Tensor& t) { return leaky_relu_with_relu_backward(t); };
  // A softmax cut from the graph has no Jacobian at all (zeros).
  const lg::Function missing = [](const Tensor& t) { return lg::softmax(t.detach(), -1); };
  for (const auto& options : {kReverse, kForward}) {
    BOOST_TEST(worst_deviation(wrong, x, options) > 0.19);
    BOOST_TEST(worst_deviation(missing, x, options) > 0.01);
  }
}

BOOST_AUTO_TEST_CASE(every_activation_in_the_header_is_checked) {
  const std::set<std::string> declared = activation_classes();
  BOOST_REQUIRE_MESSAGE(declared.count("ReLU") > 0, "the scan of nn/activation.hpp found no ReLU");
  std::set<std::string> checked;
  for (const Activation& activation : activations()) checked.insert(activation.name);
  for (const std::string& name : declared)
    BOOST_TEST(checked.count(name) > 0, name << " is declared in nn/activation.hpp but has no Jacobian check here");
}

BOOST_AUTO_TEST_CASE(leaky_relu_keeps_its_negative_slope) {
  const lg::nn::LeakyReLU leaky(0.2);
  const lg::Function f = [&](const Tensor& t) { return leaky.forward(t); };
  const Tensor x = lg::tensor({{-1.5, 0.7, -0.3}, {2.0, -0.01, 0.4}}, lg::float64);
  const Tensor expected = lg::diag_embed(lg::tensor({{0.2, 1.0, 0.2}, {1.0, 0.2, 1.0}}, lg::float64));
  for (const auto& options : {kReverse, kForward})
    BOOST_TEST(max_abs_diff(lg::jacobian(f, x, options), expected) == 0.0);
  // ReLU's slope there is 0: the two Jacobians differ on the negative side.
  const lg::nn::ReLU relu;
  const Tensor relu_jacobian = lg::jacobian([&](const Tensor& t) { return relu.forward(t); }, x);
  BOOST_TEST(max_abs_diff(relu_jacobian, expected) == 0.2);
}

BOOST_AUTO_TEST_CASE(softmax_jacobian_is_diag_p_minus_p_p_transpose) {
  const Tensor x = nn_test::random64({4, 5}, 24, false);
  const Tensor p = lg::softmax(x, -1);
  const Tensor expected = lg::diag_embed(p) - lg::matmul(lg::unsqueeze(p, -1), lg::unsqueeze(p, -2));
  for (const auto& options : {kReverse, kForward}) {
    const Tensor j = lg::jacobian([](const Tensor& t) { return lg::softmax(t, -1); }, x, options);
    BOOST_TEST(max_abs_diff(j, expected) < 1e-15);
    // Rows sum to zero: adding a constant to every logit leaves p alone.
    BOOST_TEST(lg::max(lg::abs(lg::sum(j, {2}))).item() < 1e-15);
  }
}

BOOST_AUTO_TEST_SUITE_END()
