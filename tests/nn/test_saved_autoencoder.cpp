// save_autoencoder / load_autoencoder: every kind of model, built with options
// that differ from the defaults wherever they can, comes back from disk as the
// same kind with the same options (doubles to the bit) and the same weights,
// and computes the same bits; the AnyAutoencoder functions agree with the
// models' own; extra metadata and foreign tensors are kept or ignored; and a
// file that lacks or garbles the description, or whose weights do not fit it,
// is refused with an error naming the file and the entry.
#include <cstdio>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

// One model of every kind, each with non-default options, in float64 where the model allows it.
std::vector<nn::AnyAutoencoder> one_of_each(lg::Generator& g) {
  return {
      std::make_shared<nn::MlpAutoencoder>(
          nn::MlpAutoencoderOptions{.input_size = 36, .hidden_sizes = {20, 10}, .code_size = 3, .generator = &g}),
      std::make_shared<nn::ConvAutoencoder>(nn::ConvAutoencoderOptions{
          .in_channels = 1, .image_size = 8, .channels = {3, 5}, .code_size = 4, .dtype = lg::float64,
          .generator = &g}),
      std::make_shared<nn::DenoisingAutoencoder>(nn::DenoisingAutoencoderOptions{
          .body = nn::DenoisingBody::conv,
          .conv = {.image_size = 8, .channels = {2, 3}, .code_size = 5, .dtype = lg::float64, .generator = &g},
          .corruption = {.kind = nn::CorruptionKind::salt_and_pepper, .level = 0.1 + 0.2}}),
      std::make_shared<nn::DenoisingAutoencoder>(nn::DenoisingAutoencoderOptions{
          .body = nn::DenoisingBody::conv,
          .conv = {.image_size = 8, .channels = {2, 3}, .spatial_latent = true, .dtype = lg::float64, .generator = &g},
          .corruption = {.kind = nn::CorruptionKind::gaussian, .level = 0.3}}),
      std::make_shared<nn::VariationalAutoencoder>(nn::VariationalAutoencoderOptions{
          .body = nn::VariationalBody::conv, .in_channels = 1, .image_size = 8, .channels = {3, 4},
          .spatial_latent = true, .latent_channels = 2, .likelihood = nn::DecoderLikelihood::gaussian,
          .decoder_sigma = 0.3, .beta = 4.0 / 3.0, .dtype = lg::float64, .generator = &g}),
      std::make_shared<nn::ContractiveAutoencoder>(nn::ContractiveAutoencoderOptions{
          .input_size = 36, .code_size = 7, .tied_weights = false, .penalty_weight = 1e-3 / 7.0,
          .penalty_method = nn::JacobianPenaltyMethod::hutchinson, .hutchinson_draws = 3,
          .reconstruction_loss = nn::ReconstructionLoss::squared_error, .dtype = lg::float64, .generator = &g}),
      std::make_shared<nn::ContractiveAutoencoder>(nn::ContractiveAutoencoderOptions{
          .body = nn::ContractiveBody::conv, .penalty_weight = 0.5, .hutchinson_draws = 2,
          .conv = {.image_size = 8, .channels = {2, 2}, .code_size = 3, .dtype = lg::float64, .generator = &g}}),
  };
}

// An input the model takes: images [2, 1, 8, 8] for the conv models, [2, 36] for the others.
lg::Tensor input_for(const nn::AnyAutoencoder& model) {
  const std::string kind = nn::autoencoder_kind(model);
  const bool conv_contractive =
      kind == "contractive_autoencoder" &&
      std::get<std::shared_ptr<nn::ContractiveAutoencoder>>(model)->options().body == nn::ContractiveBody::conv;
  const bool images = kind == "conv_autoencoder" || kind == "denoising_autoencoder" ||
                      kind == "variational_autoencoder" || conv_contractive;
  const lg::DType dtype = kind == "mlp_autoencoder" ? lg::float32 : lg::float64;
  lg::Generator g(5);
  return lg::rand(images ? lg::Shape{2, 1, 8, 8} : lg::Shape{2, 36}, dtype, &g);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(saved_autoencoder)

BOOST_AUTO_TEST_CASE(every_kind_comes_back_the_same) {
  lg::Generator g(11);
  for (const nn::AnyAutoencoder& model : one_of_each(g)) {
    const std::string kind = nn::autoencoder_kind(model), path = "saved_" + kind + ".lgckpt";
    // (the two contractive models are saved to one path in turn)
    BOOST_TEST_CONTEXT(kind) {
      nn::save_autoencoder(model, path, {{"seed", "11"}});
      const nn::SavedAutoencoder saved = nn::load_autoencoder(path);
      BOOST_TEST(nn::autoencoder_kind(saved.model) == kind);
      BOOST_TEST(saved.metadata.at("seed") == "11");
      const auto before = nn::describe_autoencoder(model), after = nn::describe_autoencoder(saved.model);
      BOOST_TEST(before.size() >= 4u);  // the kind and at least three options
      BOOST_TEST((before == after), "the options did not come back the same");
      BOOST_TEST((state_bytes(nn::as_module(saved.model)) == state_bytes(nn::as_module(model))));
      const lg::Tensor x = input_for(model);
      BOOST_TEST(same_bits(nn::encode(saved.model, x), nn::encode(model, x)));
      BOOST_TEST(same_bits(nn::reconstruct(saved.model, x), nn::reconstruct(model, x)));
      BOOST_TEST((nn::reconstruct(model, x).shape() == x.shape()));
      std::remove(path.c_str());
    }
  }
}

BOOST_AUTO_TEST_CASE(options_read_back_to_the_bit) {
  lg::Generator g(3);
  const auto vae = std::make_shared<nn::VariationalAutoencoder>(nn::VariationalAutoencoderOptions{
      .image_size = 4, .hidden_sizes = {7}, .latent_size = 2, .beta = 0.1 + 0.2, .generator = &g});
  const auto rebuilt = nn::build_autoencoder(nn::describe_autoencoder(vae));
  const auto& options = std::get<std::shared_ptr<nn::VariationalAutoencoder>>(rebuilt)->options();
  BOOST_TEST(options.beta == 0.1 + 0.2);  // exactly, not to a printed precision
  BOOST_TEST((options.hidden_sizes == std::vector<std::int64_t>{7}));
  BOOST_TEST(options.image_size == 4);
  // An empty list (the linear VAE) round-trips too.
  const auto linear = std::make_shared<nn::VariationalAutoencoder>(nn::VariationalAutoencoderOptions{
      .in_channels = 3, .image_size = 1, .hidden_sizes = {}, .latent_size = 2, .generator = &g});
  const auto again = nn::build_autoencoder(nn::describe_autoencoder(linear));
  BOOST_TEST(std::get<std::shared_ptr<nn::VariationalAutoencoder>>(again)->options().hidden_sizes.empty());
}

BOOST_AUTO_TEST_CASE(the_handle_agrees_with_the_models_own_functions) {
  lg::Generator g(4);
  const auto vae = std::make_shared<nn::VariationalAutoencoder>(
      nn::VariationalAutoencoderOptions{.image_size = 4, .hidden_sizes = {6}, .latent_size = 2, .generator = &g});
  const nn::AnyAutoencoder model = vae;
  const lg::Tensor x = lg::rand({3, 1, 4, 4}, lg::float32, &g);
  BOOST_TEST(same_bits(nn::encode(model, x), vae->encode(x).mean));  // a VAE's code is its posterior mean
  BOOST_TEST(same_bits(nn::decode(model, vae->encode(x).mean), vae->decode(vae->encode(x).mean)));
  BOOST_TEST(&nn::as_module(model) == static_cast<nn::Module*>(vae.get()));
}

BOOST_AUTO_TEST_CASE(foreign_tensors_are_ignored) {
  lg::Generator g(6);
  const auto mlp = std::make_shared<nn::MlpAutoencoder>(
      nn::MlpAutoencoderOptions{.input_size = 16, .hidden_sizes = {8}, .code_size = 2, .generator = &g});
  nn::Checkpoint checkpoint;
  for (const auto& [name, tensor] : mlp->state_dict()) checkpoint.tensors["model." + name] = tensor;
  checkpoint.tensors["optimizer.step"] = lg::zeros({1});
  checkpoint.metadata = nn::describe_autoencoder(mlp);
  nn::save_checkpoint(checkpoint, "foreign.lgckpt");
  const auto saved = nn::load_autoencoder("foreign.lgckpt");
  BOOST_TEST((state_bytes(nn::as_module(saved.model)) == state_bytes(*mlp)));
  std::remove("foreign.lgckpt");
}

BOOST_AUTO_TEST_CASE(bad_descriptions_are_refused_by_name) {
  nn::ModelDescription d{{"model.kind", "mlp_autoencoder"}, {"model.input_size", "16"},
                         {"model.hidden_sizes", "8,4"}, {"model.code_size", "2"}};
  BOOST_TEST(nn::autoencoder_kind(nn::build_autoencoder(d)) == "mlp_autoencoder");
  auto changed = [&d](const std::string& key, const std::string& value) {
    nn::ModelDescription copy = d;
    copy[key] = value;
    return copy;
  };
  expect_error<lg::ValueError>([&] { nn::build_autoencoder(changed("model.code_size", "2x")); }, "build_autoencoder",
                               {"model.code_size", "2x", "integer"});
  expect_error<lg::ValueError>([&] { nn::build_autoencoder(changed("model.hidden_sizes", "8,")); },
                               "build_autoencoder", {"model.hidden_sizes"});
  expect_error<lg::ValueError>([&] { nn::build_autoencoder(changed("model.kind", "gan")); }, "build_autoencoder",
                               {"gan"});
  nn::ModelDescription missing = d;
  missing.erase("model.code_size");
  expect_error<lg::ValueError>([&] { nn::build_autoencoder(missing); }, "build_autoencoder", {"model.code_size"});
  expect_error<lg::ValueError>([&] { nn::build_autoencoder({}); }, "build_autoencoder", {"model.kind"});
  // The model's own checks still run: a negative code size.
  expect_error<lg::ValueError>([&] { nn::build_autoencoder(changed("model.code_size", "-2")); }, "MlpAutoencoder");
  // Enums by name only.
  auto vae_options = nn::describe_autoencoder(nn::build_autoencoder(
      {{"model.kind", "variational_autoencoder"}, {"model.body", "mlp"}, {"model.in_channels", "1"},
       {"model.image_size", "4"}, {"model.hidden_sizes", "3"}, {"model.channels", "2,2"},
       {"model.spatial_latent", "false"}, {"model.latent_size", "2"}, {"model.latent_channels", "1"},
       {"model.likelihood", "bernoulli"}, {"model.decoder_sigma", "1"}, {"model.beta", "1"},
       {"model.dtype", "float32"}}));
  vae_options["model.likelihood"] = "poisson";
  expect_error<lg::ValueError>([&] { nn::build_autoencoder(vae_options); }, "build_autoencoder",
                               {"model.likelihood", "bernoulli gaussian"});
}

BOOST_AUTO_TEST_CASE(files_without_a_model_or_with_wrong_weights_are_refused) {
  lg::Generator g(8);
  const auto mlp = std::make_shared<nn::MlpAutoencoder>(
      nn::MlpAutoencoderOptions{.input_size = 16, .hidden_sizes = {8}, .code_size = 2, .generator = &g});
  lg::save(*mlp, "plain.lgckpt");  // weights, but no description
  expect_error<lg::IOError>([] { nn::load_autoencoder("plain.lgckpt"); }, "load_autoencoder", {"plain.lgckpt",
                                                                                                 "model.kind"});
  nn::Checkpoint lying;  // a description whose code size does not fit the weights
  for (const auto& [name, tensor] : mlp->state_dict()) lying.tensors["model." + name] = tensor;
  lying.metadata = nn::describe_autoencoder(mlp);
  lying.metadata["model.code_size"] = "3";
  nn::save_checkpoint(lying, "lying.lgckpt");
  expect_error<lg::IOError>([] { nn::load_autoencoder("lying.lgckpt"); }, "load_autoencoder", {"lying.lgckpt"});
  expect_error<lg::IOError>([] { nn::load_autoencoder("no_such_file.lgckpt"); }, "", {"no_such_file.lgckpt"});
  std::remove("plain.lgckpt");
  std::remove("lying.lgckpt");
}

BOOST_AUTO_TEST_SUITE_END()
