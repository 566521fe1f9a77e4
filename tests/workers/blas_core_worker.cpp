// Prints "<source> <requested> <active> <sum> <OPENBLAS_CORETYPE now>" for this process's OpenBLAS kernels, after one GEMM,
// for tests/autograd/test_blas_core.cpp, which runs it under different environments.
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
  std::printf("%s %s %s %g %s\n", source, core.requested.empty() ? "-" : core.requested.c_str(), core.active.c_str(),
              sum, variable != nullptr ? variable : "-");
  return 0;
}
