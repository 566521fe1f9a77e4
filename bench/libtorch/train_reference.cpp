// The quickstart's quality floor, side by side: the same MLP autoencoder
// (784-512-256-32-256-512-784, ReLU, sigmoid, MSE, Adam 1e-3, batch 128) trained
// for 5 epochs on Fashion-MNIST by libtorch and by latentgeo, from the same
// initial weights and the same batch order; prints each epoch's test MSE per
// pixel for both.
//   train_reference [epochs] [threads]
#include <cstdio>
#include <cstdlib>

#include "torch_models.hpp"

namespace {

double torch_test_mse(lg::bench::TorchMlpAutoencoder& model, const torch::Tensor& test) {
  torch::NoGradGuard no_grad;
  const auto out = model.decoder->forward(model.encoder->forward(test));
  return torch::mse_loss(out, test).item<double>();
}

double ours_test_mse(const lg::nn::MlpAutoencoder& model, const lg::Tensor& test) {
  lg::NoGradGuard no_grad;
  const auto out = model.forward(test).reconstruction;
  return lg::mean((out - test) * (out - test)).item();
}

}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 5;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  lg::set_num_threads(threads);
  torch::set_num_threads(threads);
  const auto train = lg::data::load_fashion_mnist(lg::data::Split::train);
  const auto test = lg::data::load_fashion_mnist(lg::data::Split::test);
  const lg::Tensor train_flat = lg::reshape(train.images, {-1, 784});
  const lg::Tensor test_flat = lg::reshape(test.images, {-1, 784});
  const torch::Tensor torch_train = lg::bench::to_torch(train_flat);
  const torch::Tensor torch_test = lg::bench::to_torch(test_flat);

  lg::Generator init(0);
  lg::nn::MlpAutoencoder ours({.generator = &init});
  lg::bench::TorchMlpAutoencoder theirs;
  lg::bench::copy_parameters(ours, theirs);
  lg::optim::Adam ours_optimizer(ours.named_parameters(), {.lr = 1e-3});
  torch::optim::Adam theirs_optimizer(theirs.parameters(), torch::optim::AdamOptions(1e-3));

  const std::int64_t batch = 128, n = train_flat.size(0);
  lg::Generator order(1);
  std::printf("epoch  latentgeo test MSE  libtorch test MSE\n");
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const auto permutation = lg::randperm(n, &order);
    const auto torch_permutation = torch::from_blob(permutation.data_ptr<std::int64_t>(), {n}, torch::kLong).clone();
    for (std::int64_t start = 0; start < n; start += batch) {
      const std::int64_t size = std::min(batch, n - start);
      const auto rows = permutation.narrow(0, start, size);
      const lg::Tensor x = lg::index_select(train_flat, 0, rows);
      const auto output = ours.forward(x);
      const auto loss = ours.loss(x, output);
      ours_optimizer.zero_grad();
      loss.backward();
      ours_optimizer.step();

      const torch::Tensor tx = torch_train.index_select(0, torch_permutation.narrow(0, start, size));
      theirs_optimizer.zero_grad();
      theirs.loss(tx).backward();
      theirs_optimizer.step();
    }
    std::printf("%5d  %18.5f  %17.5f\n", epoch, ours_test_mse(ours, test_flat), torch_test_mse(theirs, torch_test));
    std::fflush(stdout);
  }
  return 0;
}
