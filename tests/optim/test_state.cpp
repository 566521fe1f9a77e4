// Optimiser state dicts: keys built from parameter names, a round trip into a
// fresh model and optimiser gives a bit-identical next step, and a failed load
// changes nothing. Plus the optimisers' argument errors.
#include "helpers.hpp"

using namespace optim_test;
namespace nn = lg::nn;
namespace optim = lg::optim;

namespace {

class Net : public nn::Module {
 public:
  explicit Net(std::uint64_t seed) : generator_(seed) {
    encoder = register_module("encoder", std::make_shared<nn::Sequential>(
                                             std::make_shared<nn::Linear>(4, 3, nn::LinearOptions{.generator = &generator_}),
                                             std::make_shared<nn::Tanh>()));
    decoder = register_module("decoder", std::make_shared<nn::Linear>(3, 2, nn::LinearOptions{.generator = &generator_}));
  }
  lg::Tensor forward(const lg::Tensor& x) const { return decoder->forward(encoder->forward(x)); }
  std::shared_ptr<nn::Sequential> encoder;
  std::shared_ptr<nn::Linear> decoder;

 private:
  lg::Generator generator_;
};

// One training step on batch `k` of a fixed data stream.
template <class Optimizer>
void train_step(Net& net, Optimizer& optimizer, int k) {
  lg::Generator data(100 + static_cast<std::uint64_t>(k));
  const lg::Tensor x = lg::randn({8, 4}, lg::float32, &data);
  const lg::Tensor y = lg::randn({8, 2}, lg::float32, &data);
  optimizer.zero_grad();
  nn::mse_loss(net.forward(x), y).backward();
  optimizer.step();
}

std::vector<std::vector<double>> snapshot(const Net& net) {
  std::vector<std::vector<double>> out;
  for (const lg::Tensor& p : net.parameters()) out.push_back(values(p));
  return out;
}

bool same_parameters_bits(const Net& a, const Net& b) {
  const auto pa = a.parameters(), pb = b.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i)
    if (!same_bits(pa[i], pb[i])) return false;
  return true;
}

template <class Optimizer, class Options>
void check_resume_is_bit_exact(const Options& options) {
  Net original(1);
  Optimizer optimizer(original.named_parameters(), options);
  for (int k = 0; k < 3; ++k) train_step(original, optimizer, k);
  const nn::StateDict model_state = original.state_dict();
  const nn::StateDict optimizer_state = optimizer.state_dict();
  for (int k = 3; k < 5; ++k) train_step(original, optimizer, k);

  Net resumed(2);  // different initial values, overwritten by the load
  Optimizer fresh(resumed.named_parameters(), options);
  resumed.load_state_dict(model_state);
  fresh.load_state_dict(optimizer_state);
  for (int k = 3; k < 5; ++k) train_step(resumed, fresh, k);
  BOOST_TEST(same_parameters_bits(original, resumed));
  const nn::StateDict a = optimizer.state_dict(), b = fresh.state_dict();
  BOOST_TEST(a.size() == b.size());
  for (const auto& [key, tensor] : a) BOOST_TEST(same_bits(tensor, b.at(key)), key);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(optimizer_state)

BOOST_AUTO_TEST_CASE(keys_are_parameter_names) {
  Net net(1);
  optim::Adam adam(net.named_parameters(), {.lr = 0.01});
  BOOST_TEST(adam.state_dict().size() == 5u);  // only the group's options before the first step
  train_step(net, adam, 0);
  const nn::StateDict state = adam.state_dict();
  for (const char* key : {"group.0.lr", "group.0.beta1", "group.0.beta2", "group.0.eps", "group.0.weight_decay",
                          "state.encoder.0.weight.exp_avg", "state.encoder.0.weight.exp_avg_sq",
                          "state.encoder.0.weight.step", "state.decoder.bias.exp_avg"})
    BOOST_TEST(state.count(key) == 1u, key);
  BOOST_TEST(state.size() == 5u + 4u * 3u);
  BOOST_TEST(state.at("group.0.lr").dtype() == lg::float64);
  BOOST_TEST(state.at("group.0.lr").item<double>() == 0.01);
  BOOST_TEST(state.at("state.decoder.bias.step").dtype() == lg::int64);
  BOOST_TEST(state.at("state.decoder.bias.step").item<std::int64_t>() == 1);
  // A copy: later steps do not change it.
  const auto before = values(state.at("state.decoder.bias.exp_avg"));
  train_step(net, adam, 1);
  BOOST_TEST(values(state.at("state.decoder.bias.exp_avg")) == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(resume_gives_a_bit_identical_next_step) {
  check_resume_is_bit_exact<optim::Adam>(optim::AdamOptions{.lr = 0.01, .weight_decay = 0.01});
  check_resume_is_bit_exact<optim::AdamW>(optim::AdamWOptions{.lr = 0.01});
  check_resume_is_bit_exact<optim::SGD>(optim::SGDOptions{.lr = 0.05, .momentum = 0.9, .nesterov = true});
}

BOOST_AUTO_TEST_CASE(failed_load_changes_nothing) {
  Net reference_net(1), net(1);
  optim::Adam reference(reference_net.named_parameters(), {.lr = 0.01}), adam(net.named_parameters(), {.lr = 0.01});
  train_step(reference_net, reference, 0);
  train_step(net, adam, 0);

  nn::StateDict bad = adam.state_dict();
  bad["group.0.lr"] = lg::scalar_tensor(0.5, lg::float64);          // valid, would change the lr
  bad["state.decoder.bias.exp_avg"] = lg::zeros({3});                // wrong shape
  expect_error<lg::ShapeError>([&] { adam.load_state_dict(bad); }, "Adam::load_state_dict: ",
                               {"'state.decoder.bias.exp_avg'", "[3]", "[2]"});
  nn::StateDict unknown = adam.state_dict();
  unknown["state.encoder.9.weight.exp_avg"] = lg::zeros({3});
  expect_error<lg::ValueError>([&] { adam.load_state_dict(unknown); }, "Adam::load_state_dict: ",
                               {"unexpected key 'state.encoder.9.weight.exp_avg'"});
  nn::StateDict wrong_dtype = adam.state_dict();
  wrong_dtype["state.decoder.bias.step"] = lg::scalar_tensor(1.0, lg::float64);
  expect_error<lg::DTypeError>([&] { adam.load_state_dict(wrong_dtype); }, "Adam::load_state_dict: ",
                               {"'state.decoder.bias.step'", "int64", "float64"});
  nn::StateDict missing = adam.state_dict();
  missing.erase("group.0.eps");
  expect_error<lg::ValueError>([&] { adam.load_state_dict(missing); }, "Adam::load_state_dict: ",
                               {"missing key 'group.0.eps'"});

  BOOST_TEST(adam.lr() == 0.01);
  train_step(reference_net, reference, 1);
  train_step(net, adam, 1);
  BOOST_TEST(same_parameters_bits(reference_net, net));
}

BOOST_AUTO_TEST_CASE(argument_errors_name_the_optimizer) {
  Net net(1);
  lg::Tensor w = lg::zeros({2}).requires_grad_();
  const lg::Tensor not_leaf = w * 2.0;
  expect_error<lg::ValueError>([&] { optim::Adam bad({{"twice", not_leaf}}); }, "Adam: ", {"'twice'", "leaf"});
  expect_error<lg::ValueError>([&] { optim::SGD bad({{"a", w}, {"a", lg::ones({2}).requires_grad_()}}); }, "SGD: ",
                               {"'a'", "twice"});
  expect_error<lg::ValueError>([&] { optim::SGD bad({{"a", w}, {"b", w}}); }, "SGD: ", {"'b'", "same tensor"});
  expect_error<lg::ValueError>([&] { optim::Adam bad(net.named_parameters(), {.beta1 = 1.0}); }, "Adam: ",
                               {"beta1"});
  expect_error<lg::ValueError>([&] { optim::AdamW bad(net.named_parameters(), {.lr = -1.0}); }, "AdamW: ", {"-1"});
  expect_error<lg::ValueError>([&] { optim::SGD bad(net.named_parameters(), {.nesterov = true}); }, "SGD: ",
                               {"Nesterov"});
  expect_error<lg::DTypeError>([&] { optim::SGD bad({{"i", lg::zeros({2}, lg::int64)}}); }, "SGD: ", {"int64"});
}

BOOST_AUTO_TEST_CASE(parameter_groups_have_their_own_options) {
  Net net(1);
  const auto named = net.named_parameters();
  optim::SGD sgd(nn::NamedParameters(named.begin(), named.begin() + 2), {.lr = 0.1});
  sgd.add_param_group(nn::NamedParameters(named.begin() + 2, named.end()), {.lr = 0.0});
  BOOST_TEST(sgd.group_count() == 2u);
  const auto before = snapshot(net);
  train_step(net, sgd, 0);
  const auto after = snapshot(net);
  BOOST_TEST(after[0] != before[0]);
  BOOST_TEST(after[2] == before[2], boost::test_tools::per_element());  // lr 0: unchanged
  BOOST_TEST(sgd.state_dict().count("group.1.lr") == 1u);
  // Plain tensors get positional names.
  lg::Tensor w = lg::zeros({2}).requires_grad_();
  optim::Adam adam(std::vector<lg::Tensor>{w}, {.lr = 0.1});
  BOOST_TEST(adam.param_groups()[0].params[0].first == "0");
}

BOOST_AUTO_TEST_SUITE_END()
