// What a fresh process starts with, after one GEMM: "<source> <requested> <active> <sum>
// <OPENBLAS_CORETYPE now> <flushes denormals: 1/0>" (its OpenBLAS kernels and its denormal mode), for
// tests/autograd/test_blas_core.cpp and test_denormals.cpp, which run it under different environments.
#include <cstdio>
#include <cstdlib>

#include <latentgeo.hpp>

int main() {
  const lg::Tensor a = lg::ones({8, 8});
  const double sum = a.matmul(a).sum().item<double>();  // 8 * 64 = 512
  const lg::BlasCoreChoice core = lg::blas_core();
  const char* source = core.source == lg::BlasCoreChoice::Source::latentgeo     ? "latentgeo"
                       : core.source == lg::BlasCoreChoice::Source::environment ? "environment"
                                                                                : "openblas";
  const char* variable = std::getenv("OPENBLAS_CORETYPE");
  std::printf("%s %s %s %g %s %d\n", source, core.requested.empty() ? "-" : core.requested.c_str(),
              core.active.c_str(), sum, variable != nullptr ? variable : "-", lg::flush_denormals() ? 1 : 0);
  return 0;
}
