// command_output(command): runs a shell command (a worker program in a fresh process) and returns its
// standard output; requires that it starts and exits with status 0. Shared by the test programs that
// check what a new process does (resume, OpenBLAS core, denormal mode).
#pragma once
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>

namespace lg::testing {

inline std::string command_output(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  BOOST_REQUIRE_MESSAGE(pipe != nullptr, command << " did not start");
  char buffer[256] = {};
  std::string output;
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  BOOST_REQUIRE_MESSAGE(pclose(pipe) == 0, command << " failed");
  return output;
}

}  // namespace lg::testing
