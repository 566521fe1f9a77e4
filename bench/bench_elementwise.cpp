// Elementwise ops and a reduction, in GB/s, against a plain C++ loop over raw
// pointers (OpenMP-parallel at 2 threads, like our kernels). On contiguous
// float32 the target is ours >= 0.8x of the loop: the difference is our
// per-call overhead (checks, allocation, the strided-walk set-up). The same ops
// on a transposed [3162, 3162] view show the strided path against the naive
// loop that walks the output in row-major order. Last, anomaly mode: a 5-op
// graph, forward and backward, with AnomalyModeGuard on and off
// (docs/testing.md, G15 anomaly detection: at most 2x on; off, the only cost is
// one thread-local flag read per op).
//
// Usage: bench_elementwise [--quick]   (--quick: 1e6 only, for profilers)
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "bench_common.hpp"

namespace {

// The same two-branch sigmoid our kernel uses, so the comparison is about the
// loop around it, not the formula.
inline float plain_sigmoid(float v) {
  if (v >= 0) return 1.0f / (1.0f + std::exp(-v));
  const float e = std::exp(v);
  return e / (1.0f + e);
}

// --- the plain loops: out[i] = f(a[i], b[i]), in the output's row-major order -------------
// `stride` is the input's step along a row of the output: 1 for contiguous,
// `side` for a transposed square matrix (then i = row * side + column).
struct Layout {
  std::int64_t numel;
  std::int64_t side;  // 0 for contiguous 1-d
};

inline std::int64_t input_index(const Layout& layout, std::int64_t i) {
  return layout.side == 0 ? i : (i % layout.side) * layout.side + i / layout.side;
}

void loop_add(const float* a, const float* b, float* out, const Layout& layout) {
  const bool parallel = omp_get_max_threads() > 1;
  if (layout.side == 0) {
#pragma omp parallel for simd schedule(static) if (parallel)
    for (std::int64_t i = 0; i < layout.numel; ++i) out[i] = a[i] + b[i];
    return;
  }
  const std::int64_t n = layout.side;
#pragma omp parallel for schedule(static) if (parallel)
  for (std::int64_t row = 0; row < n; ++row)
    for (std::int64_t column = 0; column < n; ++column) out[row * n + column] = a[column * n + row] + b[column * n + row];
}

void loop_mul(const float* a, const float* b, float* out, const Layout& layout) {
  const bool parallel = omp_get_max_threads() > 1;
  if (layout.side == 0) {
#pragma omp parallel for simd schedule(static) if (parallel)
    for (std::int64_t i = 0; i < layout.numel; ++i) out[i] = a[i] * b[i];
    return;
  }
  const std::int64_t n = layout.side;
#pragma omp parallel for schedule(static) if (parallel)
  for (std::int64_t row = 0; row < n; ++row)
    for (std::int64_t column = 0; column < n; ++column) out[row * n + column] = a[column * n + row] * b[column * n + row];
}

void loop_sigmoid(const float* a, float* out, const Layout& layout) {
  const bool parallel = omp_get_max_threads() > 1;
#pragma omp parallel for schedule(static) if (parallel)
  for (std::int64_t i = 0; i < layout.numel; ++i) out[i] = plain_sigmoid(a[input_index(layout, i)]);
}

float loop_sum(const float* a, const Layout& layout) {
  const bool parallel = omp_get_max_threads() > 1;
  float total = 0.0f;
  if (layout.side == 0) {
#pragma omp parallel for simd schedule(static) reduction(+ : total) if (parallel)
    for (std::int64_t i = 0; i < layout.numel; ++i) total += a[i];
    return total;
  }
  const std::int64_t n = layout.side;
#pragma omp parallel for schedule(static) reduction(+ : total) if (parallel)
  for (std::int64_t row = 0; row < n; ++row)
    for (std::int64_t column = 0; column < n; ++column) total += a[column * n + row];
  return total;
}

// --- one table row ------------------------------------------------------------------
struct OpCase {
  std::string op;
  int tensors_touched;  // float32 arrays read or written per element
  std::function<lg::Tensor(const lg::Tensor&, const lg::Tensor&)> ours;
  std::function<void(const float*, const float*, float*, const Layout&)> loop;
};

std::vector<OpCase> op_cases() {
  return {
      {"add", 3, [](const lg::Tensor& a, const lg::Tensor& b) { return lg::add(a, b); }, loop_add},
      {"mul", 3, [](const lg::Tensor& a, const lg::Tensor& b) { return lg::mul(a, b); }, loop_mul},
      {"sigmoid", 2, [](const lg::Tensor& a, const lg::Tensor&) { return lg::sigmoid(a); },
       [](const float* a, const float*, float* out, const Layout& layout) { loop_sigmoid(a, out, layout); }},
      {"sum", 1, [](const lg::Tensor& a, const lg::Tensor&) { return lg::sum(a); },
       [](const float* a, const float*, float* out, const Layout& layout) { out[0] = loop_sum(a, layout); }},
  };
}

double gigabytes_per_second(double bytes, double ms) { return bytes / (ms * 1e-3) / 1e9; }

void elementwise_table(bool quick) {
  const lg::bench::Table table({{"op", 8},
                                {"layout", 24},
                                {"threads", 7},
                                {"ours median (min-max) ms", 28},
                                {"loop median ms", 14},
                                {"ours GB/s", 9},
                                {"loop GB/s", 9},
                                {"ours/loop", 9},
                                {"min ratio", 9}});
  table.print_header();
  struct Input {
    std::string label;
    lg::Tensor a, b;
    Layout layout;
  };
  std::vector<Input> inputs;
  for (std::int64_t n : {std::int64_t{1000000}, std::int64_t{10000000}})
    if (!quick || n == 1000000)
      inputs.push_back({lg::bench::format("contiguous %.0e", static_cast<double>(n)), lg::randn({n}), lg::randn({n}),
                        {n, 0}});
  if (!quick) {
    const std::int64_t side = 3162;
    inputs.push_back({"transposed [3162, 3162]", lg::randn({side, side}).t(), lg::randn({side, side}).t(),
                      {side * side, side}});
  }
  int misses = 0;
  for (const OpCase& op : op_cases()) {
    for (const Input& input : inputs) {
      const lg::Tensor loop_out = lg::empty({input.layout.numel});
      const float* a = static_cast<const float*>(input.a.impl()->storage->data());
      const float* b = static_cast<const float*>(input.b.impl()->storage->data());
      for (int threads : {1, 2}) {
        lg::set_num_threads(threads);
        const auto stats = lg::bench::measure(
            {[&] { lg::bench::keep(op.ours(input.a, input.b).numel()); },
             [&] { op.loop(a, b, loop_out.data_ptr<float>(), input.layout); }});
        const double bytes = 4.0 * static_cast<double>(op.tensors_touched) * static_cast<double>(input.layout.numel);
        const double ratio = stats[1].median_ms / stats[0].median_ms;
        const bool target = input.layout.side == 0;
        misses += target && ratio < 0.8;
        table.print_row({op.op, input.label, std::to_string(threads), lg::bench::spread(stats[0]),
                         lg::bench::milliseconds(stats[1].median_ms),
                         lg::bench::format("%.2f", gigabytes_per_second(bytes, stats[0].median_ms)),
                         lg::bench::format("%.2f", gigabytes_per_second(bytes, stats[1].median_ms)),
                         lg::bench::format("%.3f%s", ratio, target && ratio < 0.8 ? "*" : ""),
                         lg::bench::format("%.3f", stats[1].min_ms / stats[0].min_ms)});
      }
    }
  }
  std::printf("\n* contiguous rows below the 0.8 target: %d. Transposed rows have no target: they show the "
              "strided path.\nmin ratio: loop min / ours min, less sensitive to load bursts than the medians.\n\n",
              misses);
}

// --- anomaly mode -----------------------------------------------------------------------
// Five recorded ops (mul, add, tanh, mul, sum) and their backward.
void five_op_step(const lg::Tensor& x, const lg::Tensor& w, const lg::Tensor& b) {
  const lg::Tensor h = lg::tanh(x * w + b);
  lg::Tensor loss = lg::sum(h * h);
  loss.backward();
  w.set_grad({});
  b.set_grad({});
}

void anomaly_table() {
  const lg::bench::Table table({{"graph: 5 ops + backward", 24},
                                {"threads", 7},
                                {"off median (min-max) ms", 28},
                                {"on median (min-max) ms", 28},
                                {"on/off", 7}});
  table.print_header();
  int misses = 0;
  for (const lg::Shape& shape : {lg::Shape{64, 64}, lg::Shape{512, 1024}}) {
    const lg::Tensor x = lg::randn(shape);
    lg::Tensor w = lg::randn(shape).requires_grad_();
    lg::Tensor b = lg::randn({shape[1]}).requires_grad_();
    for (int threads : {1, 2}) {
      lg::set_num_threads(threads);
      const auto stats = lg::bench::measure({[&] { five_op_step(x, w, b); },
                                             [&] {
                                               lg::AnomalyModeGuard anomaly;
                                               five_op_step(x, w, b);
                                             }});
      const double ratio = stats[1].median_ms / stats[0].median_ms;
      misses += ratio > 2.0;
      table.print_row({"float32 " + lg::shape_str(shape), std::to_string(threads), lg::bench::spread(stats[0]),
                       lg::bench::spread(stats[1]), lg::bench::format("%.2f%s", ratio, ratio > 2.0 ? "*" : "")});
    }
  }
  std::printf("\n* above the 2x target: %d row(s).\n", misses);
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  lg::manual_seed(0);
  std::printf("bench_elementwise: float32, >= 20 samples per cell after warm-up; load average %s\n\n",
              lg::bench::load_average().c_str());
  elementwise_table(quick);
  anomaly_table();
  std::printf("load average at the end: %s\n", lg::bench::load_average().c_str());
  return 0;
}
