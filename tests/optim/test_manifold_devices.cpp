// The Cayley and Riemannian optimisers on the test device (autograd/backend/test_device/),
// whose memory host code cannot read: three steps of a Stiefel basis and a
// Euclidean weight give the CPU's bits, and the state stays on the device.
#include "manifold_helpers.hpp"

using namespace optim_test;
namespace optim = lg::optim;

namespace {

// Three steps of f = ||U^T Y w - T||^2 on `device`; returns U, w and the optimiser's state dict.
template <class Optimizer, class Options>
std::vector<lg::Tensor> three_steps(const Options& options, lg::Device device, lg::nn::StateDict& state) {
  const StiefelModel start(9);
  lg::Tensor basis = start.basis.tensor.detach().to(device).requires_grad_();
  lg::Tensor weight = start.weight.detach().to(device).requires_grad_();
  Optimizer optimizer({{"basis", lg::nn::Parameter(basis, start.basis.manifold)}, {"weight", weight}}, options);
  for (int k = 0; k < 3; ++k) {
    lg::Generator data(700 + static_cast<std::uint64_t>(k));
    const lg::Tensor y = lg::randn({6, 2}, lg::float64, &data).to(device);
    const lg::Tensor t = lg::randn({2, 3}, lg::float64, &data).to(device);
    optimizer.zero_grad();
    const lg::Tensor r = lg::matmul(lg::matmul(lg::transpose(basis, 0, 1), y), weight) - t;
    lg::sum(r * r).backward();
    optimizer.step();
  }
  state = optimizer.state_dict();
  for (const auto& [key, tensor] : state)
    if (key.rfind("state.", 0) == 0 && key.find(".step") == std::string::npos)
      BOOST_TEST(tensor.device() == device, key);
  return {basis, weight};
}

template <class Optimizer, class Options>
void check_device_gives_cpu_bits(const Options& options, const std::string& what) {
  lg::nn::StateDict cpu_state, device_state;
  const auto on_cpu = three_steps<Optimizer>(options, lg::cpu, cpu_state);
  const auto on_device = three_steps<Optimizer>(options, lg::test_device, device_state);
  for (std::size_t i = 0; i < on_cpu.size(); ++i) {
    BOOST_TEST(on_device[i].device() == lg::test_device);
    BOOST_TEST(same_bits(on_cpu[i], on_device[i]), what << ": parameter " << i);
  }
  BOOST_TEST(same_state(cpu_state, device_state), what << ": state dict");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(manifold_optimisers_on_the_test_device)

BOOST_AUTO_TEST_CASE(steps_give_the_cpu_bits) {
  check_device_gives_cpu_bits<optim::CayleyAdam>(optim::CayleyAdamOptions{.lr = 0.05}, "Cayley ADAM");
  check_device_gives_cpu_bits<optim::CayleyAdam>(optim::CayleyAdamOptions{.lr = 0.05, .exact = true},
                                                 "Cayley ADAM exact");
  check_device_gives_cpu_bits<optim::CayleySGD>(optim::CayleySGDOptions{.lr = 0.05, .reorthonormalise_above = 0.0},
                                                "Cayley SGD re-orthonormalising");
  check_device_gives_cpu_bits<optim::RiemannianSGD>(optim::RiemannianSGDOptions{.lr = 0.05, .momentum = 0.9},
                                                    "Riemannian SGD");
  check_device_gives_cpu_bits<optim::RiemannianAdam>(
      optim::RiemannianAdamOptions{.lr = 0.05, .amsgrad = true, .reproject_above = 0.0}, "Riemannian Adam");
}

BOOST_AUTO_TEST_SUITE_END()
