// The Jacobian of an MLP decoder 32 -> 256 -> 512 -> 784 (ReLU, sigmoid output,
// float32), latentgeo against libtorch in one run, at one point and per sample
// for a batch of 256:
//   latentgeo   lg::jacobian (autograd/functional.hpp), automatic mode: 784 outputs
//               > 32 inputs, so by columns: forward mode, all 32 tangents e_j
//               (copied to every example) through the decoder in one pass
//   libtorch    the best of what libtorch 1.13's C++ API offers, each timed:
//               columns  J^T u recorded once (create_graph), one reverse pass per
//                        column with e_j copied to every example (the same trick
//                        as ours; at one point: 32 passes);
//               rows     one reverse pass per output (784), retaining the graph;
//               loop     (batch only) the columns method per sample, one by one,
//                        since there is no vmap in C++.
// Both sides start from the same weights and point(s); their Jacobians must agree
// to 1e-5 (max abs), checked before timing. Medians with min and max
// (bench_common.hpp), the thread count set explicitly on both sides.
//   bench_jacobian [--threads T] [--samples N]
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "bench/bench_common.hpp"
#include "torch_models.hpp"

extern "C" void openblas_set_num_threads(int threads);

namespace {

using lg::bench::format;
using lg::bench::max_difference;
using lg::bench::to_torch;

// The decoder in libtorch, with our weights.
struct TorchDecoder {
  std::vector<torch::Tensor> weights, biases;
  torch::Tensor operator()(const torch::Tensor& z) const {
    torch::Tensor h = z;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      h = torch::nn::functional::linear(h, weights[i], biases[i]);
      h = i + 1 < weights.size() ? torch::relu(h) : torch::sigmoid(h);
    }
    return h;
  }
};

// Per-sample Jacobians [B, 784, 32] by columns: J^T u recorded once, then one pass per e_j over the batch.
torch::Tensor torch_columns(const TorchDecoder& decoder, const torch::Tensor& z0) {
  torch::Tensor z = z0.detach().requires_grad_(true);
  const torch::Tensor y = decoder(z);
  torch::Tensor u = torch::zeros_like(y).requires_grad_(true);
  const torch::Tensor g = torch::autograd::grad({y}, {z}, {u}, /*retain_graph=*/true, /*create_graph=*/true)[0];
  std::vector<torch::Tensor> columns;
  for (std::int64_t j = 0; j < z.size(1); ++j) {
    torch::Tensor e = torch::zeros_like(z);
    e.select(1, j).fill_(1.0);
    columns.push_back(torch::autograd::grad({g}, {u}, {e}, /*retain_graph=*/true)[0]);  // J e_j, [B, 784]
  }
  return torch::stack(columns, 2);
}

// Per-sample Jacobians by rows: one reverse pass per output with e_k over the batch.
torch::Tensor torch_rows(const TorchDecoder& decoder, const torch::Tensor& z0) {
  torch::Tensor z = z0.detach().requires_grad_(true);
  const torch::Tensor y = decoder(z);
  std::vector<torch::Tensor> rows;
  for (std::int64_t k = 0; k < y.size(1); ++k) {
    torch::Tensor e = torch::zeros_like(y);
    e.select(1, k).fill_(1.0);
    rows.push_back(torch::autograd::grad({y}, {z}, {e}, /*retain_graph=*/true)[0]);  // e_k^T J, [B, 32]
  }
  return torch::stack(rows, 1);
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1, samples = 21;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--threads") threads = std::max(1, std::atoi(argv[i + 1]));
    else if (flag == "--samples") samples = std::max(20, std::atoi(argv[i + 1]));
  }
  lg::set_num_threads(threads);
  at::set_num_threads(threads);
  openblas_set_num_threads(threads);
  std::printf("bench_jacobian: decoder 32 -> 256 -> 512 -> 784, float32, %d threads on both sides, load %s\n\n",
              threads, lg::bench::load_average().c_str());

  lg::Generator generator(3);
  auto decoder = std::make_shared<lg::nn::Sequential>();
  const std::vector<std::int64_t> sizes = {32, 256, 512, 784};
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    decoder->push_back(std::make_shared<lg::nn::Linear>(sizes[i], sizes[i + 1],
                                                        lg::nn::LinearOptions{.generator = &generator}));
    if (i + 2 < sizes.size()) decoder->push_back(std::make_shared<lg::nn::ReLU>());
    else decoder->push_back(std::make_shared<lg::nn::Sigmoid>());
  }
  TorchDecoder theirs;
  for (const auto& [name, parameter] : decoder->named_parameters())
    (name.find("weight") != std::string::npos ? theirs.weights : theirs.biases).push_back(to_torch(parameter.tensor));
  const lg::Function ours = [&](const lg::Tensor& z) { return decoder->forward(z); };

  const lg::bench::Table table({{"case", 22}, {"method", 30}, {"ms: median (min-max)", 24}, {"vs ours", 8}});
  table.print_header();
  for (const std::int64_t batch : {std::int64_t{1}, std::int64_t{256}}) {
    const lg::Tensor z = lg::randn({batch, 32}, lg::float32, &generator);
    const torch::Tensor tz = to_torch(z);
    const double columns_error = max_difference(lg::jacobian(ours, z), torch_columns(theirs, tz));
    const double rows_error = max_difference(lg::jacobian(ours, z), torch_rows(theirs, tz));
    std::printf("%s check: max |ours - torch| %.1e (columns), %.1e (rows)%s\n",
                batch == 1 ? "one point" : "batch 256", columns_error, rows_error,
                columns_error <= 1e-5 && rows_error <= 1e-5 ? "" : "  MISMATCH");
    std::vector<std::function<void()>> candidates = {
        [&] { lg::bench::keep(lg::jacobian(ours, z).numel()); },
        [&] { lg::bench::keep(torch_columns(theirs, tz).numel()); },
        [&] { lg::bench::keep(torch_rows(theirs, tz).numel()); }};
    std::vector<std::string> names = {"latentgeo jacobian (columns)", "libtorch columns (J^T u trick)",
                                      "libtorch rows (784 passes)"};
    if (batch > 1) {
      candidates.push_back([&] {
        for (std::int64_t b = 0; b < batch; ++b) lg::bench::keep(torch_columns(theirs, tz.narrow(0, b, 1)).numel());
      });
      names.push_back("libtorch loop over samples");
    }
    const auto stats = lg::bench::measure(candidates, {.samples = samples, .warmup_calls = 1, .min_sample_ms = 1.0});
    double best = stats[1].median_ms;
    for (std::size_t i = 1; i < stats.size(); ++i) best = std::min(best, stats[i].median_ms);
    for (std::size_t i = 0; i < stats.size(); ++i)
      table.print_row({batch == 1 ? "one point" : "batch 256, per sample", names[i], lg::bench::spread(stats[i]),
                       i == 0 ? format("%.2fx", stats[0].median_ms / best) : ""});
  }
  std::printf("\nvs ours = latentgeo median / libtorch's best median (below 1: we are faster)\n");
  std::printf("load average at the end %s\n", lg::bench::load_average().c_str());
  return 0;
}
