// Module: dotted names in a deterministic order, registration errors, manifolds
// on parameters, modes, device moves, zero_grad, and state dicts (snapshot,
// round trip, and the all-or-nothing load).
#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

// encoder: Linear(4, 3), BatchNorm1d(3), ReLU; decoder: Linear(3, 4); plus a scale parameter.
class TinyAutoencoder : public nn::Module {
 public:
  explicit TinyAutoencoder(std::uint64_t seed) : generator_(seed) {
    encoder = register_module("encoder", std::make_shared<nn::Sequential>(
                                             std::make_shared<nn::Linear>(4, 3, nn::LinearOptions{.generator = &generator_}),
                                             std::make_shared<nn::BatchNorm1d>(3), std::make_shared<nn::ReLU>()));
    decoder = register_module("decoder", std::make_shared<nn::Linear>(3, 4, nn::LinearOptions{.generator = &generator_}));
    scale = register_parameter("scale", lg::full({1}, static_cast<double>(seed)));
  }
  lg::Tensor forward(const lg::Tensor& x) const { return decoder->forward(encoder->forward(x)) * scale; }

  std::shared_ptr<nn::Sequential> encoder;
  std::shared_ptr<nn::Linear> decoder;
  lg::Tensor scale;

  // Exposes the protected registration for the error tests.
  void register_again(const std::string& name) { register_parameter(name, lg::zeros({1})); }

 private:
  lg::Generator generator_;
};

std::vector<std::string> names_of(const nn::NamedParameters& named) {
  std::vector<std::string> names;
  for (const auto& entry : named) names.push_back(entry.first);
  return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(module)

BOOST_AUTO_TEST_CASE(dotted_names_in_registration_order) {
  TinyAutoencoder model(1);
  const std::vector<std::string> expected{"scale", "encoder.0.weight", "encoder.0.bias", "encoder.1.weight",
                                          "encoder.1.bias", "decoder.weight", "decoder.bias"};
  BOOST_TEST(names_of(model.named_parameters()) == expected, boost::test_tools::per_element());
  BOOST_TEST(model.parameters().size() == expected.size());
  std::vector<std::string> buffers;
  for (const auto& entry : model.named_buffers()) buffers.push_back(entry.first);
  const std::vector<std::string> expected_buffers{"encoder.1.running_mean", "encoder.1.running_var",
                                                  "encoder.1.num_batches_tracked"};
  BOOST_TEST(buffers == expected_buffers, boost::test_tools::per_element());
  // The registry and the layer hold the same tensor.
  BOOST_TEST(model.named_parameters()[5].second.tensor.impl() == model.decoder->weight().impl());
  BOOST_TEST(model.named_children().size() == 2u);
}

BOOST_AUTO_TEST_CASE(registration_errors) {
  TinyAutoencoder model(1);
  expect_error<lg::ValueError>([&] { model.register_again("scale"); }, "Module::register", {"'scale'"});
  expect_error<lg::ValueError>([&] { model.register_again("encoder"); }, "Module::register", {"'encoder'"});
  expect_error<lg::ValueError>([&] { model.register_again("a.b"); }, "Module::register", {"'a.b'"});
  expect_error<lg::ValueError>([&] { model.register_again(""); }, "Module::register");
}

BOOST_AUTO_TEST_CASE(parameters_are_euclidean_until_a_manifold_is_set) {
  TinyAutoencoder model(1);
  for (const auto& [name, parameter] : model.named_parameters()) {
    BOOST_TEST(parameter.manifold == lg::manifold::euclidean(), name);
    BOOST_TEST(lg::manifold::is_euclidean(*parameter.manifold), name);
  }
  // encoder.0.weight [3, 4]: each row on the unit sphere of R^4; scale [1]: on S^0 = {-1, 1}.
  const auto sphere = std::make_shared<const lg::manifold::Sphere>(4);
  const auto sign = std::make_shared<const lg::manifold::Sphere>(1);
  model.set_manifold("encoder.0.weight", sphere);
  model.set_manifold("scale", sign);
  for (const auto& [name, parameter] : model.named_parameters()) {
    BOOST_TEST((parameter.manifold == sphere) == (name == "encoder.0.weight"), name);
    BOOST_TEST((parameter.manifold == sign) == (name == "scale"), name);
    BOOST_TEST(lg::manifold::is_euclidean(*parameter.manifold) == (name != "encoder.0.weight" && name != "scale"),
               name);
  }
  // The tensor is untouched: the layer's handle and the registry's are still one.
  BOOST_TEST(model.named_parameters()[1].second.tensor.impl() == (*model.encoder)[0]->parameters()[0].impl());
  BOOST_TEST(model.encoder->named_parameters()[0].second.manifold == sphere);  // set on the submodule's entry
  model.set_manifold("scale", lg::manifold::euclidean());
  BOOST_TEST(model.named_parameters()[0].second.manifold == lg::manifold::euclidean());
  BOOST_TEST(lg::manifold::euclidean()->name() == "Euclidean");
  BOOST_TEST(sphere->name() == "Sphere(4)");
  BOOST_TEST(!lg::manifold::is_euclidean(*sphere));
  BOOST_TEST(lg::manifold::is_euclidean(lg::manifold::Euclidean{}));  // any instance, not only the shared one
}

BOOST_AUTO_TEST_CASE(set_manifold_errors_name_the_parameter) {
  TinyAutoencoder model(1);
  const auto sphere = std::make_shared<const lg::manifold::Sphere>(3);
  for (const char* name : {"encoder.9.weight", "encoder.0.scale", "encoder", "decoder.weight.x", "nothing", "",
                           "decoder."})
    expect_error<lg::ValueError>([&] { model.set_manifold(name, sphere); }, "Module::set_manifold: ",
                                 {"no parameter called '" + std::string(name) + "'"});
  expect_error<lg::ValueError>([&] { model.set_manifold("decoder.weight", nullptr); }, "Module::set_manifold: ",
                               {"'decoder.weight'", "null"});
  // decoder.weight is [4, 3]: its rows fit Sphere(3), not Sphere(4).
  expect_error<lg::ShapeError>(
      [&] { model.set_manifold("decoder.weight", std::make_shared<const lg::manifold::Sphere>(4)); },
      "Module::set_manifold: ", {"Sphere(4)", "[4]", "[4, 3]"});
  for (const auto& [name, parameter] : model.named_parameters())
    BOOST_TEST(parameter.manifold == lg::manifold::euclidean(), name);
}

BOOST_AUTO_TEST_CASE(train_eval_reach_every_submodule) {
  TinyAutoencoder model(1);
  BOOST_TEST(model.is_training());
  model.eval();
  BOOST_TEST(!model.is_training());
  BOOST_TEST(!model.encoder->is_training());
  BOOST_TEST(!(*model.encoder)[1]->is_training());
  model.train();
  BOOST_TEST((*model.encoder)[1]->is_training());
}

BOOST_AUTO_TEST_CASE(device_moves_and_zero_grad) {
  TinyAutoencoder model(1);
  model.to(lg::cpu);
  expect_error<lg::DeviceError>([&] { model.to(lg::cuda(0)); }, "Module::to: ", {"cuda:0"});
  model.forward(lg::ones({2, 4})).sum().backward();
  for (const lg::Tensor& parameter : model.parameters()) BOOST_TEST(parameter.grad().defined());
  model.zero_grad();
  for (const lg::Tensor& parameter : model.parameters()) BOOST_TEST(!parameter.grad().defined());
}

BOOST_AUTO_TEST_CASE(state_dict_is_a_detached_snapshot) {
  TinyAutoencoder model(1);
  const nn::StateDict state = model.state_dict();
  BOOST_TEST(state.size() == 10u);  // 7 parameters + 3 buffers
  BOOST_TEST(state.count("encoder.1.running_var") == 1u);
  for (const auto& [name, tensor] : state) BOOST_TEST(!tensor.requires_grad(), name);
  const auto before = state.at("decoder.bias").to_vector<double>();
  {
    lg::NoGradGuard no_grad;
    lg::Tensor bias = model.decoder->bias();
    bias.fill_(7.0);
  }
  BOOST_TEST(state.at("decoder.bias").to_vector<double>() == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(state_dict_round_trip_copies_bits) {
  TinyAutoencoder source(1), target(2);
  source.forward(lg::ones({3, 4}));  // moves the BatchNorm running statistics
  BOOST_TEST(state_bytes(source) != state_bytes(target));
  const std::uint64_t version = target.decoder->weight().version();
  target.load_state_dict(source.state_dict());
  BOOST_TEST(state_bytes(source) == state_bytes(target));
  BOOST_TEST(target.decoder->weight().version() > version);  // written in place, handles kept
  BOOST_TEST(target.decoder->weight().is_leaf());
  BOOST_TEST(target.decoder->weight().requires_grad());
}

BOOST_AUTO_TEST_CASE(prefixes_keep_several_state_dicts_in_one_checkpoint) {
  TinyAutoencoder source(1), target(2);
  nn::StateDict checkpoint = nn::with_prefix("model.", source.state_dict());
  checkpoint["loader.position"] = lg::zeros({1});
  BOOST_TEST(checkpoint.size() == 11u);
  BOOST_TEST(checkpoint.count("model.decoder.bias") == 1u);
  const nn::StateDict model_part = nn::strip_prefix("model.", checkpoint);
  BOOST_TEST(model_part.size() == 10u);  // the loader's entry is left out
  BOOST_TEST(model_part.count("decoder.bias") == 1u);
  target.load_state_dict(model_part);
  BOOST_TEST(state_bytes(target) == state_bytes(source));
  BOOST_TEST(nn::strip_prefix("loader.", checkpoint).count("position") == 1u);
  BOOST_TEST(nn::strip_prefix("optimizer.", checkpoint).empty());
}

BOOST_AUTO_TEST_CASE(failed_load_leaves_the_module_unchanged) {
  TinyAutoencoder source(1), target(2);
  const std::vector<unsigned char> before = state_bytes(target);
  // Every entry valid except decoder.bias, which comes after every other
  // parameter, so a loader that copied as it went would have changed the module.
  nn::StateDict bad_shape = source.state_dict();
  bad_shape["decoder.bias"] = lg::zeros({5});
  expect_error<lg::ShapeError>([&] { target.load_state_dict(bad_shape); }, "load_state_dict: ",
                               {"'decoder.bias'", "[5]", "[4]"});
  BOOST_TEST(state_bytes(target) == before);

  nn::StateDict bad_dtype = source.state_dict();
  bad_dtype["encoder.1.num_batches_tracked"] = lg::zeros({});
  expect_error<lg::DTypeError>([&] { target.load_state_dict(bad_dtype); }, "load_state_dict: ",
                               {"'encoder.1.num_batches_tracked'", "float32", "int64"});
  BOOST_TEST(state_bytes(target) == before);

  nn::StateDict missing = source.state_dict();
  missing.erase("decoder.bias");
  expect_error<lg::ValueError>([&] { target.load_state_dict(missing); }, "load_state_dict: ",
                               {"missing key 'decoder.bias'"});
  BOOST_TEST(state_bytes(target) == before);

  nn::StateDict extra = source.state_dict();
  extra["decoder.extra"] = lg::zeros({2, 2});
  expect_error<lg::ValueError>([&] { target.load_state_dict(extra); }, "load_state_dict: ",
                               {"unexpected key 'decoder.extra'", "[2, 2]"});
  BOOST_TEST(state_bytes(target) == before);

  // Not strict: missing and unexpected keys are skipped, the rest is loaded.
  target.load_state_dict(missing, false);
  BOOST_TEST(same_bits(target.decoder->weight(), source.decoder->weight()));
  BOOST_TEST(!same_bits(target.decoder->bias(), source.decoder->bias()));
  target.load_state_dict(extra, false);
  BOOST_TEST(state_bytes(target) == state_bytes(source));
}

BOOST_AUTO_TEST_SUITE_END()
