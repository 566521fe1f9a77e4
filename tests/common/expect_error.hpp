// expect_error<ErrorType>(call, prefix, parts): requires `call` to throw
// ErrorType whose message starts with `prefix` ("op: ") and contains each of
// `parts` (shapes, dtypes...). Shared by the test programs.
#pragma once
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace lg::testing {

template <class Error, class Call>
void expect_error(Call&& call, const std::string& prefix, const std::vector<std::string>& parts = {}) {
  bool thrown = false;
  try {
    call();
  } catch (const Error& error) {
    thrown = true;
    const std::string message = error.what();
    BOOST_TEST(message.rfind(prefix, 0) == 0u, "message '" << message << "' does not start with '" << prefix << "'");
    for (const std::string& part : parts)
      BOOST_TEST(message.find(part) != std::string::npos, "message '" << message << "' lacks '" << part << "'");
  }
  BOOST_TEST(thrown, "expected an exception starting with '" << prefix << "'");
}

}  // namespace lg::testing
