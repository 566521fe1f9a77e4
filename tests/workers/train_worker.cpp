// A training process for the resume and determinism tests (docs/testing.md, G13
// and G14), which run it several times and compare what it prints: a hash of
// every step's loss bits and of the final parameters and optimiser state.
//
//   train_worker run    <steps> <threads> [first]         train from scratch; hash losses from step `first`
//   train_worker save   <steps> <threads> <checkpoint>    train, then save everything
//   train_worker resume <steps> <threads> <checkpoint>    load, then train on
//
// "run" and "resume" print "<hash of the losses> <hash of the final state>".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <latentgeo.hpp>

namespace {

struct Hash {
  std::uint64_t value = 1469598103934665603ull;  // FNV-1a
  void add(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) value = (value ^ bytes[i]) * 1099511628211ull;
  }
  void add(const lg::Tensor& t) {
    const auto dense = t.contiguous();
    add(static_cast<const char*>(dense.impl()->storage->data()) + dense.offset() * lg::dtype_size(dense.dtype()),
        static_cast<std::size_t>(dense.numel()) * lg::dtype_size(dense.dtype()));
  }
};

struct Run {
  lg::data::Dataset data;
  lg::Generator init{7};
  lg::nn::MlpAutoencoder model{{.input_size = 784, .hidden_sizes = {64}, .code_size = 8, .generator = &init}};
  lg::optim::Adam optimizer{model.named_parameters(), {.lr = 1e-3}};
  lg::data::DataLoader loader;

  Run() : data(make_data()), loader(data, {.batch_size = 32, .shuffle = true, .seed = 3}) {}

  static lg::data::Dataset make_data() {
    lg::Generator g(11);
    return {lg::rand({320, 1, 28, 28}, lg::float32, &g), lg::randint(0, 10, {320}, &g), "synthetic"};
  }

  void train(int steps, Hash& losses, int first_hashed = 0) {
    for (int step = 0; step < steps; ++step) {
      auto batch = loader.next();
      if (!batch) batch = loader.next();  // a new epoch
      const auto output = model.forward(batch->images);
      const auto loss = model.loss(batch->images, output);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      const float value = loss.item<float>();
      if (step >= first_hashed) losses.add(&value, sizeof value);
    }
  }

  lg::nn::Checkpoint checkpoint() const {
    lg::nn::Checkpoint c;
    for (auto& [k, v] : model.state_dict()) c.tensors["model." + k] = v;
    for (auto& [k, v] : optimizer.state_dict()) c.tensors["optimizer." + k] = v;
    for (auto& [k, v] : loader.state()) c.tensors["loader." + k] = v;
    return c;
  }

  void restore(const lg::nn::Checkpoint& c) {
    lg::nn::StateDict model_state, optimizer_state, loader_state;
    for (auto& [k, v] : c.tensors) {
      if (k.rfind("model.", 0) == 0) model_state[k.substr(6)] = v;
      if (k.rfind("optimizer.", 0) == 0) optimizer_state[k.substr(10)] = v;
      if (k.rfind("loader.", 0) == 0) loader_state[k.substr(7)] = v;
    }
    model.load_state_dict(model_state);
    optimizer.load_state_dict(optimizer_state);
    loader.load_state(loader_state);
  }

  std::uint64_t state_hash() const {
    Hash h;
    for (auto& [k, v] : checkpoint().tensors) {
      h.add(k.data(), k.size());
      h.add(v);
    }
    return h.value;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: train_worker run|save|resume <steps> <threads> [checkpoint]\n");
    return 2;
  }
  const std::string mode = argv[1];
  const int steps = std::atoi(argv[2]);
  lg::set_num_threads(std::atoi(argv[3]));
  Run run;
  Hash losses;
  if (mode == "resume") run.restore(lg::nn::load_checkpoint(argv[4]));
  run.train(steps, losses, mode == "run" && argc > 4 ? std::atoi(argv[4]) : 0);
  if (mode == "save") {
    lg::nn::save_checkpoint(run.checkpoint(), argv[4]);
    return 0;
  }
  std::printf("%016llx %016llx\n", static_cast<unsigned long long>(losses.value),
              static_cast<unsigned long long>(run.state_hash()));
  return 0;
}
