// The latent-statistics tools at the sizes the paper programs use them:
//   pairwise squared distances of 10,000 codes of 16 dims (float32), against
//     the floor: cblas_sgemm of the same points plus one pass over its
//     [10000, 10000] output (the clamp); the target is ours <= 1.5x that floor;
//   the log-Euclidean Gaussian Gram matrix of 10,000 SPD 7 x 7 matrices (the
//     size of a 64 x 7 x 7 latent's row and column covariances), float64;
//   1,000 principal-angle computations on pairs of 64 x 10 bases, batched;
//   TwoNN on 10,000 points of a 5-sphere in R^16 (float64).
// Medians with min and max over the samples (bench_common.hpp); the thread
// count is set explicitly (default 2) and printed.
//
// Usage: bench_statistics [--threads T]
#include <cblas.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "autograd/backend/cpu/cpu_backend.hpp"
#include "bench_common.hpp"

namespace {

namespace mf = lg::manifold;
using lg::bench::format;

// The floor a pairwise-distance matrix cannot beat: the GEMM of the points with themselves, then one
// pass over the result (here the clamp at 0), on raw buffers.
void gemm_plus_one_pass(const std::vector<float>& x, std::vector<float>& out, int n, int d) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, -2.0f, x.data(), d, x.data(), d, 0.0f, out.data(), n);
  const std::int64_t count = static_cast<std::int64_t>(n) * n;
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < count; ++i) {
    float& value = out[static_cast<std::size_t>(i)];
    value = std::max(value, 0.0f);
  }
}

// Random SPD matrices A A^T / n + 0.1 I, [count, n, n].
lg::Tensor random_spd(std::int64_t count, std::int64_t n, lg::Generator& generator) {
  const lg::Tensor a = lg::randn({count, n, n}, lg::float64, &generator);
  return lg::matmul(a, lg::matrix_transpose(a)) / static_cast<double>(n) + lg::eye(n, lg::float64) * 0.1;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::string(argv[i]) == "--threads") threads = std::max(1, std::atoi(argv[i + 1]));
  lg::set_num_threads(threads);
  std::printf("bench_statistics: %d threads, load average %s\n", threads, lg::bench::load_average().c_str());
  std::printf("latentgeo kernels %s\n\n", lg::cpu_kernels_in_use().c_str());
  lg::Generator generator(7);
  lg::NoGradGuard no_grad;
  const lg::bench::Table table({{"what", 46}, {"ms: median (min-max)", 26}, {"beside it", 34}});
  table.print_header();

  // Pairwise distances, against GEMM + one pass.
  const int n = 10000, d = 16;
  const lg::Tensor codes = lg::randn({n, d}, lg::float32, &generator);
  const std::vector<float> raw = codes.to_vector<float>();
  std::vector<float> out(static_cast<std::size_t>(n) * n);
  const auto distances = lg::bench::measure(
      {[&] { lg::bench::keep(mf::pairwise_squared_distances(codes).numel()); },
       [&] {
         gemm_plus_one_pass(raw, out, n, d);
         lg::bench::keep(out[1]);
       }},
      {.samples = 21, .warmup_calls = 2, .min_sample_ms = 1.0});
  table.print_row({"pairwise distances, 10000 x 16 (float32)", lg::bench::spread(distances[0]),
                   format("floor %s, ratio %.2f", lg::bench::milliseconds(distances[1].median_ms).c_str(),
                          distances[0].median_ms / distances[1].median_ms)});

  // The log-Euclidean Gaussian Gram matrix of 10,000 SPD 7 x 7 matrices.
  const lg::Tensor spd = random_spd(10000, 7, generator);
  const auto kernel = lg::bench::measure_one(
      [&] { lg::bench::keep(mf::log_euclidean_gaussian_gram({spd}, {.bandwidth = 1.0}).numel()); },
      {.samples = 21, .warmup_calls = 1, .min_sample_ms = 1.0});
  table.print_row({"log-Euclidean Gram, 10000 SPD 7 x 7 (float64)", lg::bench::spread(kernel), "logm + one GEMM"});

  // 1,000 principal-angle computations on 64 x 10 bases, one batched call.
  const lg::Tensor a = lg::randn({1000, 64, 10}, lg::float64, &generator);
  const lg::Tensor b = lg::randn({1000, 64, 10}, lg::float64, &generator);
  const auto angles = lg::bench::measure_one([&] { lg::bench::keep(mf::principal_angles(a, b).numel()); },
                                             {.samples = 21, .warmup_calls = 1, .min_sample_ms = 1.0});
  table.print_row({"principal angles, 1000 pairs of 64 x 10", lg::bench::spread(angles), "batched QR + SVD"});

  // TwoNN on 10,000 points of a 5-sphere in R^16.
  lg::Tensor sphere = lg::randn({n, 6}, lg::float64, &generator);
  sphere = sphere / lg::norm(sphere, 2.0, {1}, true);
  const lg::Tensor points = lg::matmul(sphere, lg::randn({6, 16}, lg::float64, &generator));
  double estimate = 0.0;
  const auto twonn = lg::bench::measure_one([&] { estimate = mf::twonn_dimension(points); },
                                            {.samples = 21, .warmup_calls = 1, .min_sample_ms = 1.0});
  table.print_row({"TwoNN, 10000 points of S^5 in R^16 (float64)", lg::bench::spread(twonn),
                   format("estimate %.2f (true 5)", estimate)});
  std::printf("\nload average at the end %s\n", lg::bench::load_average().c_str());
  return 0;
}
