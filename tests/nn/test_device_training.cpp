// Training on the test device (autograd/backend/test_device/), whose memory host
// code cannot read: MLP and conv autoencoder steps with Adam, SGD with momentum
// and gradient clipping, and a checkpoint round trip of model and optimiser,
// all with the CPU's bits. What the CUDA backend will be held to.
#include <cstring>

#include "helpers.hpp"

namespace nn = lg::nn;
namespace optim = lg::optim;

namespace {

bool same_bits(const lg::Tensor& a, const lg::Tensor& b) {
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
  const auto x = a.to_vector<double>(), y = b.to_vector<double>();
  return x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

void check_same_parameters(const nn::Module& cpu_model, const nn::Module& device_model, const std::string& when) {
  const auto a = cpu_model.parameters(), b = device_model.parameters();
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(b[i].device() == lg::test_device);
    BOOST_TEST(same_bits(a[i], b[i]), when << ": parameter " << i << " differs from the CPU's");
  }
}

// Three Adam steps of `Model` on a fixed batch, on the CPU and on the test device side by side.
template <class Model, class Options>
void check_adam_steps(const Options& options, const lg::Tensor& batch) {
  lg::Generator cpu_init(3), device_init(3);
  Options cpu_options = options, device_options = options;
  cpu_options.generator = &cpu_init;
  device_options.generator = &device_init;
  Model on_cpu(cpu_options), on_device(device_options);
  on_device.to(lg::test_device);
  check_same_parameters(on_cpu, on_device, "after the move");
  optim::Adam cpu_adam(on_cpu.parameters(), {.lr = 1e-3}), device_adam(on_device.parameters(), {.lr = 1e-3});
  const lg::Tensor device_batch = batch.to(lg::test_device);
  for (int step = 1; step <= 3; ++step) {
    const lg::Tensor cpu_loss = on_cpu.loss(batch, on_cpu.forward(batch));
    const lg::Tensor device_loss = on_device.loss(device_batch, on_device.forward(device_batch));
    BOOST_TEST(device_loss.device() == lg::test_device);
    BOOST_TEST(same_bits(cpu_loss, device_loss), "loss at step " << step);
    cpu_adam.zero_grad();
    device_adam.zero_grad();
    cpu_loss.backward();
    device_loss.backward();
    cpu_adam.step();
    device_adam.step();
    check_same_parameters(on_cpu, on_device, "after step " + std::to_string(step));
  }
  // The optimiser state lives on the device, and its state dict has the CPU's bits.
  const auto cpu_state = cpu_adam.state_dict(), device_state = device_adam.state_dict();
  BOOST_REQUIRE_EQUAL(cpu_state.size(), device_state.size());
  for (const auto& [key, value] : cpu_state) BOOST_TEST(same_bits(value, device_state.at(key)), key);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(device_training)

BOOST_AUTO_TEST_CASE(mlp_autoencoder_adam_steps_give_the_cpu_bits) {
  lg::Generator data(8);
  check_adam_steps<nn::MlpAutoencoder>(nn::MlpAutoencoderOptions{.input_size = 64, .hidden_sizes = {32, 16},
                                                                  .code_size = 4},
                                       lg::rand({16, 64}, lg::float32, &data));
}

BOOST_AUTO_TEST_CASE(conv_autoencoder_adam_steps_give_the_cpu_bits) {
  lg::Generator data(9);
  check_adam_steps<nn::ConvAutoencoder>(nn::ConvAutoencoderOptions{.image_size = 12, .channels = {4, 8},
                                                                    .code_size = 3},
                                        lg::rand({5, 1, 12, 12}, lg::float32, &data));
}

BOOST_AUTO_TEST_CASE(sgd_with_momentum_and_clipping_gives_the_cpu_bits) {
  lg::Generator init(4);
  const lg::Tensor start = lg::randn({7, 5}, lg::float64, &init);
  lg::Tensor w_cpu = start.clone().requires_grad_(), w_device = start.to(lg::test_device).requires_grad_();
  optim::SGD cpu_sgd({w_cpu}, {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01, .nesterov = true});
  optim::SGD device_sgd({w_device}, {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01, .nesterov = true});
  for (int step = 0; step < 3; ++step) {
    for (auto* pair : {&w_cpu, &w_device}) {
      pair->set_grad(lg::Tensor{});
      (lg::tanh(*pair) * *pair).sum().backward();
    }
    const double cpu_norm = optim::clip_grad_norm(std::vector<lg::Tensor>{w_cpu}, 0.5);
    const double device_norm = optim::clip_grad_norm(std::vector<lg::Tensor>{w_device}, 0.5);
    BOOST_TEST(std::memcmp(&cpu_norm, &device_norm, sizeof(double)) == 0);
    cpu_sgd.step();
    device_sgd.step();
    BOOST_TEST(same_bits(w_cpu, w_device), "after step " << step);
  }
}

BOOST_AUTO_TEST_CASE(checkpoint_round_trip_from_the_test_device) {
  lg::Generator init(6);
  nn::MlpAutoencoder model({.input_size = 12, .hidden_sizes = {8}, .code_size = 2, .generator = &init});
  const nn::StateDict on_cpu = model.state_dict();
  model.to(lg::test_device);
  optim::Adam adam(model.parameters(), {.lr = 1e-2});
  const lg::Tensor batch = lg::rand({4, 12}, lg::float32, &init).to(lg::test_device);
  model.loss(batch, model.forward(batch)).backward();
  adam.step();

  nn::Checkpoint checkpoint{.tensors = model.state_dict(), .metadata = {}};
  for (const auto& [key, value] : adam.state_dict()) checkpoint.tensors.emplace("optimizer." + key, value);
  const nn::Checkpoint loaded = nn::decode_checkpoint(nn::encode_checkpoint(checkpoint));
  for (const auto& [key, value] : checkpoint.tensors) {
    // Parameters and moment buffers live on the device; step counts and options are host scalars.
    const bool host_scalar = key.find(".group.") != std::string::npos || key.ends_with(".step");
    BOOST_TEST((value.device() == (host_scalar ? lg::cpu : lg::test_device)), key);
    BOOST_TEST(loaded.tensors.at(key).device() == lg::cpu, key);  // a checkpoint loads to the CPU
    BOOST_TEST(same_bits(value, loaded.tensors.at(key)), key);
  }

  // Loading into a model on the test device copies across devices; the parameters stay there.
  lg::Generator other(99);
  nn::MlpAutoencoder restored({.input_size = 12, .hidden_sizes = {8}, .code_size = 2, .generator = &other});
  restored.to(lg::test_device);
  nn::StateDict model_part;
  for (const auto& [key, value] : loaded.tensors)
    if (key.rfind("optimizer.", 0) != 0) model_part.emplace(key, value);
  restored.load_state_dict(model_part);
  const auto a = model.state_dict(), b = restored.state_dict();
  for (const auto& [key, value] : a) {
    BOOST_TEST(b.at(key).device() == lg::test_device, key);
    BOOST_TEST(same_bits(value, b.at(key)), key);
  }
  // The optimiser resumes on the device from the loaded (CPU) state: its next step matches the original's.
  optim::Adam resumed(restored.parameters(), {.lr = 1e-2});
  nn::StateDict optimizer_part;
  for (const auto& [key, value] : loaded.tensors)
    if (key.rfind("optimizer.", 0) == 0) optimizer_part.emplace(key.substr(10), value);
  resumed.load_state_dict(optimizer_part);
  for (const auto& pair : {std::pair{&model, &adam}, std::pair{&restored, &resumed}}) {
    pair.first->zero_grad();
    pair.first->loss(batch, pair.first->forward(batch)).backward();
    pair.second->step();
  }
  const auto after = model.state_dict(), after_resumed = restored.state_dict();
  for (const auto& [key, value] : after) BOOST_TEST(same_bits(value, after_resumed.at(key)), "after resuming: " << key);

  // And the step changed the model away from its CPU start.
  BOOST_TEST(!same_bits(on_cpu.at("encoder.0.weight"), a.at("encoder.0.weight")));
}

BOOST_AUTO_TEST_SUITE_END()
