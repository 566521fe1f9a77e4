// float32 GEMM: lg::matmul / lg::mm against cblas_sgemm called directly on the
// same buffers. Ours adds validation, an output allocation (from the caching
// allocator) and the grad-mode check on top of the same BLAS call, so the ratio
// raw/ours measures that overhead (target >= 0.95). The MLP rows use the shapes
// of one 784-512 layer at batch 256 and its two gradients, which reach BLAS
// through transposed views; "allocs" counts system allocations of one call from
// an empty cache, and must be 1 (the output): a transposed operand goes to BLAS
// as a transpose flag, never as a copy. At 2 threads ours splits the product between our OpenMP
// threads, each block one single-threaded OpenBLAS call (Note [threads]); raw is OpenBLAS with 2
// threads of its own. On a CPU with AVX-512 ours calls our own float32 GEMM instead of OpenBLAS
// (Note [own sgemm]; printed), so there the ratio compares the two GEMMs too;
// LATENTGEO_GEMM=openblas measures the overhead alone.
//
// Usage: bench_matmul [--quick]   (--quick: sizes up to 256, for profilers)
#include <cblas.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "autograd/backend/cpu/cpu_backend.hpp"
#include "bench_common.hpp"

namespace {

struct Case {
  std::string label;
  std::int64_t m, k, n;
  bool transpose_a = false;  // a is stored [k, m] and used through its transposed view
  bool transpose_b = false;  // b is stored [n, k] likewise
};

struct Row {
  std::string label;
  int threads;
  lg::bench::Stats ours, raw;
  double gflops;
  std::uint64_t allocations;
  double max_error;
};

double max_relative_error(const lg::Tensor& ours, const lg::Tensor& raw) {
  const float* a = ours.data_ptr<float>();
  const float* b = raw.data_ptr<float>();
  double worst = 0.0, scale = 1e-30;
  for (std::int64_t i = 0; i < ours.numel(); ++i) {
    worst = std::max(worst, static_cast<double>(std::abs(a[i] - b[i])));
    scale = std::max(scale, static_cast<double>(std::abs(b[i])));
  }
  return worst / scale;
}

Row run_case(const Case& c, int threads, const lg::bench::MeasureOptions& options) {
  lg::set_num_threads(threads);
  const lg::Tensor a_stored = c.transpose_a ? lg::randn({c.k, c.m}) : lg::randn({c.m, c.k});
  const lg::Tensor b_stored = c.transpose_b ? lg::randn({c.n, c.k}) : lg::randn({c.k, c.n});
  const lg::Tensor a = c.transpose_a ? a_stored.t() : a_stored;
  const lg::Tensor b = c.transpose_b ? b_stored.t() : b_stored;
  const bool plain = !c.transpose_a && !c.transpose_b;
  const lg::Tensor raw_out = lg::empty({c.m, c.n});

  const auto ours = [&] { return plain ? lg::matmul(a, b) : lg::mm(a, b); };
  const auto raw = [&] {
    cblas_sgemm(CblasRowMajor, c.transpose_a ? CblasTrans : CblasNoTrans, c.transpose_b ? CblasTrans : CblasNoTrans,
                static_cast<int>(c.m), static_cast<int>(c.n), static_cast<int>(c.k), 1.0f, a_stored.data_ptr<float>(),
                static_cast<int>(a_stored.shape()[1]), b_stored.data_ptr<float>(),
                static_cast<int>(b_stored.shape()[1]), 0.0f, raw_out.data_ptr<float>(), static_cast<int>(c.n));
  };

  Row row{c.label, threads, {}, {}, 0.0, 0, 0.0};
  raw();
  row.max_error = max_relative_error(ours(), raw_out);
  lg::empty_cache();
  const std::uint64_t before = lg::allocator_stats().system_allocations;
  { const lg::Tensor once = ours(); }
  row.allocations = lg::allocator_stats().system_allocations - before;

  // Measured one after the other, not in turns: ours runs on our OpenMP pool, raw on OpenBLAS's
  // own threads (as a program calling BLAS directly gets them), and alternating the two pools would
  // have each one's idle spinning slow the other (Note [threads]).
  row.ours = lg::bench::measure_one([&] { ours(); }, options);
  openblas_set_num_threads(threads);
  row.raw = lg::bench::measure_one(raw, options);
  openblas_set_num_threads(1);  // back to latentgeo's setting
  row.gflops = 2.0 * static_cast<double>(c.m) * static_cast<double>(c.n) * static_cast<double>(c.k) /
               (row.ours.median_ms * 1e-3) / 1e9;
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  lg::manual_seed(0);
  std::vector<Case> cases;
  for (std::int64_t size : {64, 128, 256, 512, 1024, 2048})
    if (!quick || size <= 256)
      cases.push_back({std::to_string(size) + "x" + std::to_string(size) + " @ " + std::to_string(size) + "x" +
                           std::to_string(size),
                       size, size, size});
  cases.push_back({"mlp fwd X[256x784] @ W[784x512]", 256, 784, 512});
  cases.push_back({"grad_input G[256x512] @ W^T", 256, 512, 784, false, true});
  cases.push_back({"grad_weight X^T[784x256] @ G", 784, 256, 512, true, false});

  lg::bench::MeasureOptions options;
  if (quick) options.min_sample_ms = 0.5;
  std::printf("bench_matmul: float32, %d samples per cell after warm-up, each >= %.1f ms of calls; "
              "load average %s\n",
              std::max(options.samples, 20), options.min_sample_ms, lg::bench::load_average().c_str());
  std::printf("OpenBLAS: %s\nours:     %s\n\n", openblas_get_config(), lg::cpu_kernels_in_use().c_str());

  const lg::bench::Table table({{"shape", 34},
                                {"threads", 7},
                                {"ours median (min-max) ms", 28},
                                {"raw median ms", 13},
                                {"GFLOP/s", 8},
                                {"raw/ours", 8},
                                {"min ratio", 9},
                                {"allocs", 6},
                                {"max rel err", 11}});
  table.print_header();
  int misses = 0, copies = 0;
  for (const Case& c : cases) {
    for (int threads : {1, 2}) {
      const Row row = run_case(c, threads, options);
      const double ratio = row.raw.median_ms / row.ours.median_ms;
      misses += ratio < 0.95;
      copies += row.allocations != 1;
      table.print_row({row.label, std::to_string(row.threads), lg::bench::spread(row.ours),
                       lg::bench::milliseconds(row.raw.median_ms), lg::bench::format("%.1f", row.gflops),
                       lg::bench::format("%.3f%s", ratio, ratio < 0.95 ? "*" : ""),
                       lg::bench::format("%.3f", row.raw.min_ms / row.ours.min_ms),
                       std::to_string(row.allocations), lg::bench::format("%.1e", row.max_error)});
    }
  }
  std::printf("\n* below the 0.95 target: %d row(s). allocs != 1 (an operand was copied): %d row(s).\n"
              "min ratio: raw min / ours min, less sensitive to load bursts than the medians.\n",
              misses, copies);
  std::printf("load average at the end: %s\n", lg::bench::load_average().c_str());
  return 0;
}
