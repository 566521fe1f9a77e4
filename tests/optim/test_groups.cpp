// Parameter groups: typed options per group (read, lr through the base as the
// schedulers do, checked replacement), parameters carrying manifolds (the
// Euclidean optimisers refuse any other), and state dicts in the key layout of
// the string-keyed options, which must load as before or be refused by key.
#include "helpers.hpp"
#include "manifold/sphere.hpp"

using namespace optim_test;
namespace nn = lg::nn;
namespace optim = lg::optim;

namespace {

lg::Tensor parameter(std::vector<double> values) {
  lg::Tensor p = lg::from_vector(values, {static_cast<std::int64_t>(values.size())}, lg::float64);
  p.requires_grad_();
  return p;
}

// The smallest user of OptimizerWithOptions, standing in for a Riemannian
// optimiser: it accepts every manifold and never moves anything.
struct HoldOptions {
  double lr = 0.0;
  bool frozen = false;
  template <class F>
  void for_each_field(F&& f) {
    f("lr", lr);
    f("frozen", frozen);
  }
};

class Hold : public optim::OptimizerWithOptions<HoldOptions> {
 public:
  Hold(nn::NamedParameters params, const HoldOptions& options) : OptimizerWithOptions<HoldOptions>("Hold", {}) {
    add_group(std::move(params), options);
  }
  void step() override {}

 protected:
  bool accepts_manifold(const lg::manifold::Manifold&) const override { return true; }
  void check_options(const HoldOptions&, std::string_view) const override {}
};

lg::Tensor scalar(double value) { return lg::scalar_tensor(value, lg::float64); }
lg::Tensor step_count(std::int64_t value) { return lg::scalar_tensor(static_cast<double>(value), lg::int64); }

// An SGD state dict as the string-keyed options wrote it: two groups, the
// first with Nesterov momentum (the flag as 1.0), "w" stepped twice, "b" never.
nn::StateDict old_sgd_layout() {
  return {{"group.0.lr", scalar(0.05)},
          {"group.0.momentum", scalar(0.9)},
          {"group.0.dampening", scalar(0.0)},
          {"group.0.weight_decay", scalar(0.01)},
          {"group.0.nesterov", scalar(1.0)},
          {"group.1.lr", scalar(0.2)},
          {"group.1.momentum", scalar(0.5)},
          {"group.1.dampening", scalar(0.25)},
          {"group.1.weight_decay", scalar(0.0)},
          {"group.1.nesterov", scalar(0.0)},
          {"state.w.step", step_count(2)},
          {"state.w.momentum_buffer", lg::tensor({0.5, -1.0}, lg::float64)}};
}

// The same for Adam, with positional names as for a plain list of tensors.
nn::StateDict old_adam_layout() {
  return {{"group.0.lr", scalar(0.01)},
          {"group.0.beta1", scalar(0.8)},
          {"group.0.beta2", scalar(0.99)},
          {"group.0.eps", scalar(1e-6)},
          {"group.0.weight_decay", scalar(0.1)},
          {"state.0.step", step_count(3)},
          {"state.0.exp_avg", lg::tensor({0.25, -0.5, 1.0}, lg::float64)},
          {"state.0.exp_avg_sq", lg::tensor({0.125, 0.5, 2.0}, lg::float64)}};
}

void check_same_state(const nn::StateDict& actual, const nn::StateDict& expected) {
  BOOST_TEST(actual.size() == expected.size());
  for (const auto& [key, tensor] : expected) {
    BOOST_TEST_REQUIRE(actual.count(key) == 1u, key);
    BOOST_TEST(same_bits(actual.at(key), tensor), key);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parameter_groups)

BOOST_AUTO_TEST_CASE(options_are_typed_per_group) {
  lg::Tensor w = parameter({1.0, 2.0}), b = parameter({3.0});
  optim::SGD sgd({{"w", w}}, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
  sgd.add_param_group({{"b", b}}, {.lr = 0.5, .dampening = 0.25, .weight_decay = 0.01});
  BOOST_TEST(sgd.options(0).momentum == 0.9);
  BOOST_TEST(sgd.options(0).nesterov);
  BOOST_TEST(sgd.options(1).dampening == 0.25);
  BOOST_TEST(sgd.options(1).weight_decay == 0.01);
  BOOST_TEST(!sgd.options(1).nesterov);

  // lr through the base, as schedulers change it, is the field of the typed options.
  optim::Optimizer& base = sgd;
  base.set_lr(0.75, 1);
  BOOST_TEST(sgd.options(1).lr == 0.75);
  BOOST_TEST(base.lr(1) == 0.75);
  BOOST_TEST(sgd.options(0).lr == 0.1);
  optim::ExponentialLR scheduler(sgd, {.gamma = 0.5});
  scheduler.step();
  BOOST_TEST(sgd.options(0).lr == 0.05);
  BOOST_TEST(sgd.options(1).lr == 0.375);

  // set_options checks like the constructor and changes nothing on error.
  optim::SGDOptions changed = sgd.options(1);
  changed.momentum = 0.5;
  sgd.set_options(changed, 1);
  BOOST_TEST(sgd.options(1).momentum == 0.5);
  expect_error<lg::ValueError>([&] { sgd.set_options({.lr = 0.1, .nesterov = true}, 1); }, "SGD: ", {"Nesterov"});
  expect_error<lg::ValueError>([&] { sgd.set_options({.lr = -2.0}, 0); }, "SGD: ", {"learning rate", "-2"});
  expect_error<lg::ValueError>([&] { sgd.set_options({}, 2); }, "SGD: ", {"group 2 does not exist (2 groups)"});
  expect_error<lg::ValueError>([&] { sgd.options(2); }, "SGD: ", {"group 2"});
  expect_error<lg::ValueError>([&] { base.set_lr(-1.0, 0); }, "SGD: ", {"learning rate", "-1"});
  BOOST_TEST(sgd.options(1).momentum == 0.5);
  BOOST_TEST(sgd.options(0).lr == 0.05);
  BOOST_TEST(sgd.options(0).nesterov);

  // AdamW keeps its own options type, with its own default weight decay.
  optim::AdamW adamw(std::vector<lg::Tensor>{w}, {.lr = 0.01});
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(adamw.options())>, optim::AdamWOptions>);
  BOOST_TEST(adamw.options().weight_decay == 1e-2);
  optim::Adam adam(std::vector<lg::Tensor>{b}, {.beta2 = 0.95});
  BOOST_TEST(adam.options().weight_decay == 0.0);
  BOOST_TEST(adam.options().beta2 == 0.95);
}

BOOST_AUTO_TEST_CASE(groups_carry_the_parameters_manifolds) {
  lg::Tensor w = parameter({1.0, 2.0});
  optim::Adam adam({{"w", w}}, {});
  BOOST_TEST(adam.param_groups()[0].params[0].second.manifold == lg::manifold::euclidean());
  BOOST_TEST(adam.param_groups()[0].params[0].second.tensor.impl() == w.impl());

  const auto sphere = std::make_shared<const lg::manifold::Sphere>(2);
  lg::Tensor u = parameter({0.6, 0.8});
  Hold hold({{"u", nn::Parameter(u, sphere)}}, {.lr = 0.5, .frozen = true});
  BOOST_TEST(hold.param_groups()[0].params[0].second.manifold == sphere);
  const nn::StateDict state = hold.state_dict();
  BOOST_TEST(state.size() == 2u);
  BOOST_TEST(state.at("group.0.lr").item<double>() == 0.5);
  BOOST_TEST(state.at("group.0.frozen").item<double>() == 1.0);
  nn::StateDict thawed = state;
  thawed["group.0.frozen"] = scalar(0.0);
  hold.load_state_dict(thawed);
  BOOST_TEST(!hold.options().frozen);
}

BOOST_AUTO_TEST_CASE(euclidean_optimisers_refuse_other_manifolds) {
  class Net : public nn::Module {
   public:
    Net() {
      weight = register_parameter("weight", lg::ones({2, 2}));
      bias = register_parameter("bias", lg::zeros({2}));
    }
    lg::Tensor weight, bias;
  };
  Net net;
  net.set_manifold("weight", std::make_shared<const lg::manifold::Sphere>(2));
  const std::vector<std::string> parts{"parameter 'weight'", "Sphere(2) manifold", "Euclidean parameters only",
                                       "use a Riemannian optimiser"};
  expect_error<lg::ValueError>([&] { optim::SGD bad(net.named_parameters()); }, "SGD: ", parts);
  expect_error<lg::ValueError>([&] { optim::Adam bad(net.named_parameters()); }, "Adam: ", parts);
  expect_error<lg::ValueError>([&] { optim::AdamW bad(net.named_parameters()); }, "AdamW: ", parts);

  // add_param_group refuses it too, and leaves the optimiser as it was.
  lg::Tensor other = parameter({1.0});
  optim::Adam adam(std::vector<lg::Tensor>{other});
  expect_error<lg::ValueError>([&] { adam.add_param_group(net.named_parameters(), {}); }, "Adam: ", parts);
  BOOST_TEST(adam.group_count() == 1u);
  BOOST_TEST(adam.param_groups().size() == 1u);
  adam.add_param_group({{"bias", net.bias}}, {.lr = 0.5});  // the Euclidean one alone is fine
  BOOST_TEST(adam.group_count() == 2u);
  BOOST_TEST(adam.options(1).lr == 0.5);

  expect_error<lg::ValueError>([&] { optim::SGD bad({{"w", nn::Parameter(parameter({1.0}), nullptr)}}); }, "SGD: ",
                               {"parameter 'w'", "no manifold"});
}

BOOST_AUTO_TEST_CASE(old_layout_state_dicts_load_unchanged) {
  lg::Tensor w = parameter({1.0, -2.0}), b = parameter({0.5, 0.25, -0.75});
  optim::SGD sgd({{"w", w}}, {.lr = 1.0});
  sgd.add_param_group({{"b", b}}, {.lr = 1.0});
  const nn::StateDict old_sgd = old_sgd_layout();
  sgd.load_state_dict(old_sgd);
  BOOST_TEST(sgd.options(0).lr == 0.05);
  BOOST_TEST(sgd.options(0).momentum == 0.9);
  BOOST_TEST(sgd.options(0).weight_decay == 0.01);
  BOOST_TEST(sgd.options(0).nesterov);
  BOOST_TEST(sgd.options(1).lr == 0.2);
  BOOST_TEST(sgd.options(1).dampening == 0.25);
  BOOST_TEST(!sgd.options(1).nesterov);
  BOOST_TEST(sgd.state("w").step == 2);
  BOOST_TEST(sgd.state("b").step == 0);
  // Written back key for key, value for value.
  check_same_state(sgd.state_dict(), old_sgd);

  // The next step uses what was loaded: Nesterov with the loaded buffer on w,
  // plain momentum with dampening from a fresh buffer (b <- d) on b.
  w.set_grad(lg::tensor({0.5, 1.5}, lg::float64));
  b.set_grad(lg::tensor({1.0, -1.0, 2.0}, lg::float64));
  sgd.step();
  std::vector<double> expected_w(2), expected_b(3);
  const std::vector<double> w0{1.0, -2.0}, gw{0.5, 1.5}, bw{0.5, -1.0};
  for (std::size_t i = 0; i < 2; ++i) {
    const double d = gw[i] + 0.01 * w0[i];
    const double buffer = 0.9 * bw[i] + 1.0 * d;
    expected_w[i] = w0[i] - 0.05 * (d + 0.9 * buffer);
  }
  const std::vector<double> b0{0.5, 0.25, -0.75}, gb{1.0, -1.0, 2.0};
  for (std::size_t i = 0; i < 3; ++i) expected_b[i] = b0[i] - 0.2 * gb[i];
  check_close(values(w), expected_w, 1e-15, "w after the resumed step");
  check_close(values(b), expected_b, 1e-15, "b after its first step");

  lg::Tensor p = parameter({1.0, 2.0, 3.0});
  optim::Adam adam(std::vector<lg::Tensor>{p}, {});
  const nn::StateDict old_adam = old_adam_layout();
  adam.load_state_dict(old_adam);
  BOOST_TEST(adam.options().lr == 0.01);
  BOOST_TEST(adam.options().beta1 == 0.8);
  BOOST_TEST(adam.options().beta2 == 0.99);
  BOOST_TEST(adam.options().eps == 1e-6);
  BOOST_TEST(adam.options().weight_decay == 0.1);
  BOOST_TEST(adam.state("0").step == 3);
  check_same_state(adam.state_dict(), old_adam);
}

BOOST_AUTO_TEST_CASE(old_layout_state_dicts_that_do_not_fit_are_refused_by_key) {
  lg::Tensor w = parameter({1.0, -2.0}), b = parameter({0.5, 0.25, -0.75});
  optim::SGD sgd({{"w", w}}, {.lr = 0.3, .momentum = 0.1});
  sgd.add_param_group({{"b", b}}, {.lr = 0.4});
  const nn::StateDict before = sgd.state_dict();
  auto check_unchanged = [&] { check_same_state(sgd.state_dict(), before); };

  nn::StateDict missing = old_sgd_layout();
  missing.erase("group.1.dampening");
  expect_error<lg::ValueError>([&] { sgd.load_state_dict(missing); }, "SGD::load_state_dict: ",
                               {"missing key 'group.1.dampening'"});
  check_unchanged();

  nn::StateDict unknown = old_sgd_layout();
  unknown["group.0.amsgrad"] = scalar(0.0);
  expect_error<lg::ValueError>([&] { sgd.load_state_dict(unknown); }, "SGD::load_state_dict: ",
                               {"unexpected key 'group.0.amsgrad'"});
  check_unchanged();

  nn::StateDict half_flag = old_sgd_layout();
  half_flag["group.0.nesterov"] = scalar(0.5);
  expect_error<lg::ValueError>([&] { sgd.load_state_dict(half_flag); }, "SGD::load_state_dict: ",
                               {"'group.0.nesterov'", "0 or 1", "0.5"});
  check_unchanged();

  nn::StateDict int_option = old_sgd_layout();
  int_option["group.1.lr"] = step_count(1);
  expect_error<lg::DTypeError>([&] { sgd.load_state_dict(int_option); }, "SGD::load_state_dict: ",
                               {"'group.1.lr'", "float64", "int64"});
  check_unchanged();

  // Values the constructor would refuse are refused on load too, naming the group.
  nn::StateDict bad_nesterov = old_sgd_layout();
  bad_nesterov["group.0.dampening"] = scalar(0.5);
  expect_error<lg::ValueError>([&] { sgd.load_state_dict(bad_nesterov); }, "SGD::load_state_dict: group 0: ",
                               {"Nesterov"});
  check_unchanged();
  nn::StateDict negative_lr = old_sgd_layout();
  negative_lr["group.1.lr"] = scalar(-0.5);
  expect_error<lg::ValueError>([&] { sgd.load_state_dict(negative_lr); }, "SGD::load_state_dict: group 1: ",
                               {"learning rate", "-0.5"});
  check_unchanged();

  // Another optimiser's state dict: its first option the SGD lacks is named.
  expect_error<lg::ValueError>([&] { sgd.load_state_dict(old_adam_layout()); }, "SGD::load_state_dict: ",
                               {"missing key 'group.0.momentum'"});
  check_unchanged();

  lg::Tensor p = parameter({1.0, 2.0, 3.0});
  optim::Adam adam(std::vector<lg::Tensor>{p}, {.lr = 0.02});
  nn::StateDict bad_beta = old_adam_layout();
  bad_beta["group.0.beta1"] = scalar(1.0);
  expect_error<lg::ValueError>([&] { adam.load_state_dict(bad_beta); }, "Adam::load_state_dict: group 0: ",
                               {"beta1 1 is outside [0, 1)"});
  BOOST_TEST(adam.options().lr == 0.02);
  BOOST_TEST(adam.options().beta1 == 0.9);
  BOOST_TEST(adam.state("0").step == 0);
}

BOOST_AUTO_TEST_SUITE_END()
