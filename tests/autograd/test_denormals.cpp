// Note [denormals]: latentgeo flushes denormal floats to zero (x86 FTZ + DAZ) on its threads, by
// default, switchable per process.
#include <boost/test/unit_test.hpp>

#include <limits>
#include <sstream>
#include <string>

#include <latentgeo.hpp>

#include "common/command_output.hpp"

#ifndef LATENTGEO_BLAS_CORE_WORKER
#error "LATENTGEO_BLAS_CORE_WORKER must name the blas_core_worker executable"
#endif

namespace {

// The smallest normal float times 0.25 is a denormal unless it flushes to 0. Large enough that 2
// threads split the product, so the pool's threads are checked too.
lg::Tensor tiny_products() {
  const float smallest = std::numeric_limits<float>::min();
  return lg::full({3 << 20}, smallest, lg::float32) * 0.25;
}

// The last field the worker prints: 1 when a fresh process flushes.
int worker_flushes(const std::string& environment) {
  std::istringstream fields(lg::testing::command_output("env -u LATENTGEO_KEEP_DENORMALS " + environment + " " +
                                                        LATENTGEO_BLAS_CORE_WORKER));
  std::string field, last;
  while (fields >> field) last = field;
  return std::stoi(last);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(denormals)

#if defined(__SSE__)
BOOST_AUTO_TEST_CASE(flushed_on_every_thread_and_switchable) {
  const int threads = lg::num_threads();
  lg::set_num_threads(2);
  lg::set_flush_denormals(true);
  BOOST_TEST(lg::flush_denormals());
  BOOST_TEST(lg::max(tiny_products()).item() == 0.0);

  lg::set_flush_denormals(false);
  BOOST_TEST(!lg::flush_denormals());
  const lg::Tensor kept = tiny_products();
  BOOST_TEST(lg::min(kept).item() > 0.0);  // every element, on both threads, kept its denormal
  BOOST_TEST(lg::min(kept).item() == double(std::numeric_limits<float>::min()) * 0.25);

  lg::set_flush_denormals(true);
  lg::set_num_threads(threads);
}

BOOST_AUTO_TEST_CASE(on_from_the_start_unless_the_environment_keeps_them) {
  BOOST_TEST(worker_flushes("") == 1);
  BOOST_TEST(worker_flushes("LATENTGEO_KEEP_DENORMALS=1") == 0);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
