// SGD (momentum, dampening, Nesterov, weight decay), Adam and AdamW against a
// float64 hand computation of their update rules over 3 steps.
#include <cmath>

#include "helpers.hpp"

using namespace optim_test;
namespace optim = lg::optim;

namespace {

const std::vector<double> start{0.5, -1.25, 2.0, 0.0, -0.3};
const std::vector<double> curvature{1.0, 2.0, 0.5, 3.0, 1.5};
const std::vector<double> offset{0.1, -0.4, 0.3, 0.2, -1.0};

lg::Tensor make_parameter(lg::DType dtype = lg::float64) {
  lg::Tensor p = lg::from_vector(start, {5}, dtype);
  p.requires_grad_();
  return p;
}

struct AdamHyper {
  double lr, beta1, beta2, eps, weight_decay;
  bool decoupled;
};

std::vector<double> adam_reference(const AdamHyper& h, int steps) {
  std::vector<double> p = start, m(5, 0.0), v(5, 0.0);
  for (int t = 1; t <= steps; ++t) {
    std::vector<double> g = quadratic_gradient(p, curvature, offset);
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (h.decoupled) p[i] *= 1.0 - h.lr * h.weight_decay;
      else g[i] += h.weight_decay * p[i];
      m[i] = h.beta1 * m[i] + (1.0 - h.beta1) * g[i];
      v[i] = h.beta2 * v[i] + (1.0 - h.beta2) * g[i] * g[i];
      const double m_hat = m[i] / (1.0 - std::pow(h.beta1, t));
      const double v_hat = v[i] / (1.0 - std::pow(h.beta2, t));
      p[i] -= h.lr * m_hat / (std::sqrt(v_hat) + h.eps);
    }
  }
  return p;
}

struct SgdHyper {
  double lr, momentum, dampening, weight_decay;
  bool nesterov;
};

std::vector<double> sgd_reference(const SgdHyper& h, int steps) {
  std::vector<double> p = start, buffer(5, 0.0);
  for (int t = 1; t <= steps; ++t) {
    const std::vector<double> g = quadratic_gradient(p, curvature, offset);
    for (std::size_t i = 0; i < p.size(); ++i) {
      double d = g[i] + h.weight_decay * p[i];
      if (h.momentum != 0.0) {
        buffer[i] = t == 1 ? d : h.momentum * buffer[i] + (1.0 - h.dampening) * d;
        d = h.nesterov ? d + h.momentum * buffer[i] : buffer[i];
      }
      p[i] -= h.lr * d;
    }
  }
  return p;
}

template <class Optimizer>
void run(Optimizer& optimizer, const lg::Tensor& parameter, int steps) {
  for (int t = 0; t < steps; ++t) {
    optimizer.zero_grad();
    backward_quadratic(parameter, curvature, offset);
    optimizer.step();
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(update_rules)

BOOST_AUTO_TEST_CASE(adam_matches_the_update_rule) {
  // Large lr and eps, so a misplaced eps or bias correction shows at 1e-13.
  for (const double weight_decay : {0.0, 0.1}) {
    lg::Tensor p = make_parameter();
    optim::Adam adam({{"p", p}}, {.lr = 0.1, .beta1 = 0.8, .beta2 = 0.9, .eps = 1e-2, .weight_decay = weight_decay});
    run(adam, p, 3);
    check_close(values(p), adam_reference({0.1, 0.8, 0.9, 1e-2, weight_decay, false}, 3), 1e-13, "Adam");
    BOOST_TEST(adam.state("p").step == 3);
  }
}

BOOST_AUTO_TEST_CASE(adamw_matches_the_update_rule) {
  lg::Tensor p = make_parameter();
  optim::AdamW adamw({{"p", p}}, {.lr = 0.05, .beta1 = 0.7, .beta2 = 0.95, .eps = 1e-3, .weight_decay = 0.3});
  run(adamw, p, 3);
  check_close(values(p), adam_reference({0.05, 0.7, 0.95, 1e-3, 0.3, true}, 3), 1e-13, "AdamW");
  // Decoupled decay differs from the L2 penalty: the same numbers in Adam give another point.
  const auto coupled = adam_reference({0.05, 0.7, 0.95, 1e-3, 0.3, false}, 3);
  BOOST_TEST(std::abs(values(p)[2] - coupled[2]) > 1e-4);
}

BOOST_AUTO_TEST_CASE(adam_in_float32_tracks_the_float64_rule) {
  lg::Tensor p = make_parameter(lg::float32);
  optim::Adam adam({{"p", p}}, {.lr = 0.1});
  run(adam, p, 3);
  check_close(values(p), adam_reference({0.1, 0.9, 0.999, 1e-8, 0.0, false}, 3), 1e-6, "Adam float32");
}

BOOST_AUTO_TEST_CASE(sgd_variants_match_the_update_rule) {
  const SgdHyper cases[] = {
      {0.1, 0.0, 0.0, 0.0, false},   // plain
      {0.1, 0.9, 0.0, 0.0, false},   // momentum
      {0.1, 0.9, 0.3, 0.05, false},  // momentum, dampening, weight decay
      {0.1, 0.9, 0.0, 0.0, true},    // Nesterov
      {0.05, 0.5, 0.0, 0.2, true},   // Nesterov with weight decay
  };
  for (const SgdHyper& h : cases) {
    lg::Tensor p = make_parameter();
    optim::SGD sgd({{"p", p}}, {.lr = h.lr, .momentum = h.momentum, .dampening = h.dampening,
                                .weight_decay = h.weight_decay, .nesterov = h.nesterov});
    run(sgd, p, 3);
    check_close(values(p), sgd_reference(h, 3), 1e-14,
                "SGD momentum " + std::to_string(h.momentum) + (h.nesterov ? " nesterov" : ""));
  }
}

BOOST_AUTO_TEST_CASE(step_skips_parameters_without_gradients_and_bumps_versions) {
  lg::Tensor used = make_parameter(), unused = make_parameter();
  optim::Adam adam({{"used", used}, {"unused", unused}}, {.lr = 0.1});
  backward_quadratic(used, curvature, offset);
  const std::uint64_t version = used.version();
  adam.step();
  BOOST_TEST(used.version() > version);
  BOOST_TEST(values(unused) == start, boost::test_tools::per_element());
  BOOST_TEST(adam.state("unused").step == 0);
  BOOST_TEST(!adam.state("unused").buffers[0].defined());
}

BOOST_AUTO_TEST_CASE(non_contiguous_gradients_give_the_same_step) {
  // A Linear-style weight: its gradient may arrive transposed.
  lg::Tensor a = lg::from_vector(std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3}, lg::float64).requires_grad_();
  lg::Tensor b = lg::from_vector(std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3}, lg::float64).requires_grad_();
  const lg::Tensor grad = lg::from_vector(std::vector<double>{0.1, -0.2, 0.3, 0.4, -0.5, 0.6}, {3, 2}, lg::float64);
  a.set_grad(grad.t().contiguous());
  b.set_grad(grad.t());
  BOOST_TEST(!b.grad().is_contiguous());
  optim::Adam first({{"w", a}}, {.lr = 0.1}), second({{"w", b}}, {.lr = 0.1});
  first.step();
  second.step();
  BOOST_TEST(same_bits(a, b));
}

BOOST_AUTO_TEST_CASE(model_parameters_train_with_adam) {
  // A tiny regression: the loss must fall, through Module -> named_parameters -> Adam.
  lg::Generator generator(3);
  lg::nn::Linear model(3, 1, {.dtype = lg::float64, .generator = &generator});
  const lg::Tensor x = lg::randn({32, 3}, lg::float64, &generator);
  const lg::Tensor y = x.matmul(lg::from_vector(std::vector<double>{1.0, -2.0, 0.5}, {3, 1}, lg::float64)) + 0.3;
  optim::Adam adam(model.named_parameters(), {.lr = 0.05});
  double first = 0.0, last = 0.0;
  for (int step = 0; step < 200; ++step) {
    adam.zero_grad();
    const lg::Tensor loss = lg::nn::mse_loss(model.forward(x), y);
    loss.backward();
    adam.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  BOOST_TEST(last < 1e-3 * first);
}

BOOST_AUTO_TEST_SUITE_END()
