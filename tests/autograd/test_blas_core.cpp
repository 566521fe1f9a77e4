// Note [OpenBLAS core]: before main, a fast build of latentgeo has OpenBLAS switch to the kernels of
// the CPU's features when its own detection fell back to older ones; a plain build keeps them. Each case starts a fresh process
// (blas_core_worker), since the choice is made once, at start-up.
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

#include "common/command_output.hpp"

#ifndef LATENTGEO_BLAS_CORE_WORKER
#error "LATENTGEO_BLAS_CORE_WORKER must name the blas_core_worker executable"
#endif

namespace {

struct WorkerReport {
  std::string source, requested, active;
  double sum = 0.0;
  std::string variable_after;  // OPENBLAS_CORETYPE as main sees it
};

// Runs the worker with `environment` ("NAME=value ...") in front, through env -u to start clean.
WorkerReport run_worker(const std::string& environment) {
  const std::string output = lg::testing::command_output("env -u OPENBLAS_CORETYPE -u LATENTGEO_OPENBLAS_CORE " +
                                                         environment + " " + LATENTGEO_BLAS_CORE_WORKER);
  WorkerReport report;
  std::istringstream(output) >> report.source >> report.requested >> report.active >> report.sum >> report.variable_after;
  BOOST_TEST_MESSAGE("worker [" << environment << "]: " << output);
  return report;
}

std::string core_for_this_cpu() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(blas_core)

BOOST_AUTO_TEST_CASE(generic_kernels_are_upgraded_to_the_cpus_features) {
  const WorkerReport detected = run_worker("LATENTGEO_OPENBLAS_CORE=keep");  // OpenBLAS's own choice
  const WorkerReport report = run_worker("");
  BOOST_TEST(report.sum == 512.0);
  BOOST_TEST(report.variable_after == "-");  // the variable is removed again
  const std::string wanted = core_for_this_cpu();
  const bool already_good = detected.active == "SkylakeX" || detected.active == "Cooperlake" ||
                            detected.active == "SapphireRapids" ||
                            (wanted == "Haswell" && (detected.active == "Haswell" || detected.active == "Zen"));
  // A plain build (LATENTGEO_FAST_KERNELS=OFF) never upgrades: OpenBLAS's own choice stands.
  if (wanted.empty() || already_good || !LATENTGEO_FAST_KERNELS) {
    BOOST_TEST(report.source == "openblas");
    BOOST_TEST(report.active == detected.active);
    return;
  }
  BOOST_TEST(report.source == "latentgeo");
  BOOST_TEST(report.requested == wanted);
  BOOST_TEST(report.active == wanted);  // OpenBLAS switched, and the GEMM above ran on it
}

BOOST_AUTO_TEST_CASE(a_core_the_user_set_is_kept) {
  const WorkerReport report = run_worker("OPENBLAS_CORETYPE=Nehalem");
  BOOST_TEST(report.sum == 512.0);
  BOOST_TEST(report.source == "environment");
  BOOST_TEST(report.requested == "Nehalem");
  BOOST_TEST(report.active == "Nehalem");
  BOOST_TEST(report.variable_after == "Nehalem");
}

BOOST_AUTO_TEST_CASE(keep_leaves_detection_to_openblas) {
  const WorkerReport report = run_worker("LATENTGEO_OPENBLAS_CORE=keep");
  BOOST_TEST(report.sum == 512.0);
  BOOST_TEST(report.source == "openblas");
  BOOST_TEST(report.requested == "-");
  BOOST_TEST(!report.active.empty());
}

BOOST_AUTO_TEST_SUITE_END()
