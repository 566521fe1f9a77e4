// The instruction sets whose copies of a fast loop a test can run on this CPU (Note [vector width]):
// the others are named in the log as not run, so a CPU without AVX-512 says what it skipped.
#pragma once
#include <boost/test/unit_test.hpp>

#include <vector>

#include "autograd/backend/cpu/fast/vector_isa.hpp"

inline std::vector<lg::kernel::fast::VectorIsa> instruction_sets_this_cpu_runs() {
  using lg::kernel::fast::VectorIsa;
  std::vector<VectorIsa> runnable;
  for (const VectorIsa isa : {VectorIsa::baseline, VectorIsa::avx2, VectorIsa::avx512}) {
    if (lg::kernel::fast::cpu_has(isa)) runnable.push_back(isa);
    else BOOST_TEST_MESSAGE("this CPU has no " << lg::kernel::fast::vector_isa_name(isa) << ": its copy not run");
  }
  return runnable;
}
