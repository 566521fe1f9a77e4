// docs/testing.md, G11 flat memory: a training loop's memory stays flat. 10,000
// forward/backward/update steps of a small MLP (written with raw tensors: this
// is the autograd layer's test) keep live heap growth <= 1 MiB and RSS growth
// <= 8 MiB between step 500 and the end, and the live node and tensor counts
// return to their step-start values after every backward.
#include <boost/test/unit_test.hpp>

#include <malloc.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include <latentgeo.hpp>

namespace {

std::int64_t live_heap_bytes() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<std::int64_t>(info.uordblks + info.hblkhd);
}

std::int64_t resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(memory)

BOOST_AUTO_TEST_CASE(ten_thousand_training_steps_keep_memory_flat) {
  lg::Generator g(0);
  std::vector<lg::Tensor> params = {
      (lg::randn({64, 32}, lg::float32, &g) * 0.1).requires_grad_(), lg::zeros({32}).requires_grad_(),
      (lg::randn({32, 64}, lg::float32, &g) * 0.1).requires_grad_(), lg::zeros({64}).requires_grad_()};
  const lg::Tensor data = lg::rand({16, 64}, lg::float32, &g);
  const int steps = std::getenv("LATENTGEO_SANITIZED") ? 2000 : 10000;  // ASan makes each step ~20x slower
  std::int64_t heap_at_500 = 0, rss_at_500 = 0;
  for (int step = 0; step < steps; ++step) {
    const std::int64_t tensors_before = lg::debug::live_tensors();
    {
      const auto hidden = lg::relu(lg::matmul(data, params[0]) + params[1]);
      const auto output = lg::sigmoid(lg::matmul(hidden, params[2]) + params[3]);
      const auto loss = lg::mean((output - data) * (output - data));
      loss.backward();
    }
    {
      lg::NoGradGuard no_grad;
      for (auto& p : params) {
        p.add_(p.grad(), -0.1);
        p.set_grad({});
      }
    }
    if (lg::debug::live_nodes() != 0 || lg::debug::live_tensors() != tensors_before) {
      BOOST_ERROR("step " << step << ": live nodes " << lg::debug::live_nodes() << ", live tensors "
                          << lg::debug::live_tensors() << " (was " << tensors_before << ")");
      break;
    }
    if (step == 500) {
      heap_at_500 = live_heap_bytes();
      rss_at_500 = resident_bytes();
    }
  }
  const std::int64_t heap_growth = live_heap_bytes() - heap_at_500;
  const std::int64_t rss_growth = resident_bytes() - rss_at_500;
  BOOST_TEST_MESSAGE("heap growth " << heap_growth << " B, RSS growth " << rss_growth << " B over " << steps
                                    << " steps");
  if (std::getenv("LATENTGEO_SANITIZED")) {
    // ASan keeps freed blocks in quarantine and replaces malloc, so RSS and
    // mallinfo say nothing there; the live counters above and LeakSanitizer do.
    BOOST_TEST_MESSAGE("heap and RSS limits not checked under the sanitizers");
    return;
  }
  BOOST_TEST(heap_growth <= (1 << 20));
  BOOST_TEST(rss_growth <= (8 << 20));
}

BOOST_AUTO_TEST_CASE(double_backward_loops_keep_memory_flat) {
  lg::Generator g(1);
  auto w = (lg::randn({8, 4}, lg::float64, &g) * 0.3).requires_grad_();
  const auto x = lg::randn({5, 8}, lg::float64, &g);
  std::int64_t heap_at_100 = 0;
  for (int step = 0; step < 2000; ++step) {
    {
      const auto input = x.detach().requires_grad_();
      const auto h = lg::tanh(lg::matmul(input, w));
      const auto jacobian_row = lg::grad({h.sum()}, {input}, {}, {.create_graph = true})[0];
      const auto penalty = (jacobian_row * jacobian_row).sum();
      penalty.backward();
    }
    {
      lg::NoGradGuard no_grad;
      w.add_(w.grad(), -0.01);
      w.set_grad({});
    }
    BOOST_REQUIRE_EQUAL(lg::debug::live_nodes(), 0);
    if (step == 100) heap_at_100 = live_heap_bytes();
  }
  BOOST_TEST(live_heap_bytes() - heap_at_100 <= (1 << 20));
}

BOOST_AUTO_TEST_CASE(the_caching_allocator_stops_calling_malloc_in_a_steady_loop) {
  auto x = lg::randn({256, 256});
  for (int i = 0; i < 3; ++i) lg::exp(x * 2.0).sum();
  const auto before = lg::allocator_stats().system_allocations;
  for (int i = 0; i < 100; ++i) lg::exp(x * 2.0).sum();
  if (!std::getenv("LATENTGEO_SANITIZED")) BOOST_TEST(lg::allocator_stats().system_allocations == before);
}

BOOST_AUTO_TEST_SUITE_END()
