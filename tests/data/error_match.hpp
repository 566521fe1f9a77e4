// A check that a call throws the expected lg error type with a message that
// contains every given fragment (path, field, expected, found...).
#pragma once
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

namespace test_data {

template <class ErrorType>
void check_throws_with(const std::function<void()>& call, const std::vector<std::string>& fragments) {
  try {
    call();
    BOOST_ERROR("expected an exception containing \"" << (fragments.empty() ? "" : fragments.front())
                                                       << "\", nothing was thrown");
  } catch (const ErrorType& error) {
    const std::string message = error.what();
    for (const std::string& fragment : fragments)
      BOOST_TEST(message.find(fragment) != std::string::npos, "\"" << fragment << "\" in \"" << message << "\"");
  }
}

}  // namespace test_data
