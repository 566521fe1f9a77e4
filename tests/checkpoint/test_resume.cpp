// docs/testing.md, G13 bit-exact resume and G14 determinism, across
// processes, with tests/workers/train_worker:
//  - 200 steps in one process equal 100 steps, a checkpoint, and 100 more in a
//    new process, bit for bit (every loss, the parameters, Adam's moments and
//    step counts, the data order);
//  - two processes with the same seed and thread count print the same hashes,
//    at 1 and at 2 threads.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

#include "common/command_output.hpp"

#ifndef LATENTGEO_TRAIN_WORKER
#error "the build passes the worker's path"
#endif

namespace {

std::string run_worker(const std::string& arguments) {
  return lg::testing::command_output(std::string(LATENTGEO_TRAIN_WORKER) + " " + arguments);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resume)

BOOST_AUTO_TEST_CASE(resume_in_a_new_process_is_bit_exact) {
  for (int threads : {1, 2}) {
    const std::string checkpoint = "resume_test_" + std::to_string(threads) + ".ckpt";
    const std::string straight = run_worker("run 200 " + std::to_string(threads) + " 100");
    run_worker("save 100 " + std::to_string(threads) + " " + checkpoint);
    const std::string resumed = run_worker("resume 100 " + std::to_string(threads) + " " + checkpoint);
    BOOST_TEST(straight == resumed, "threads " << threads << ": " << straight << " vs " << resumed);
    std::remove(checkpoint.c_str());
  }
}

BOOST_AUTO_TEST_CASE(same_seed_and_threads_give_the_same_bits_in_two_processes) {
  const std::string steps = std::getenv("LATENTGEO_SANITIZED") ? "100 " : "1000 ";  // ASan: ~20x slower steps
  for (int threads : {1, 2}) {
    const std::string first = run_worker("run " + steps + std::to_string(threads));
    const std::string second = run_worker("run " + steps + std::to_string(threads));
    BOOST_TEST(first == second, "threads " << threads);
    BOOST_TEST(first.size() == 34u, first);  // two 16-digit hashes, a space and a newline
  }
}

BOOST_AUTO_TEST_SUITE_END()
