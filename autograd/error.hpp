// Errors thrown by latentgeo. Every message starts with the op (or file) that
// rejected the input, then names the offending shapes, dtypes, devices or values,
// so a user can fix the call without reading our source.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

namespace lg {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class ShapeError : public Error { public: using Error::Error; };
class DTypeError : public Error { public: using Error::Error; };
class DeviceError : public Error { public: using Error::Error; };
class ValueError : public Error { public: using Error::Error; };
class IOError : public Error { public: using Error::Error; };
// Reserved for broken invariants of the library itself, never for user input.
class InternalError : public Error { public: using Error::Error; };

namespace detail {
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

// Throws ErrorType with the message "<op>: <parts...>".
template <class ErrorType = Error, class... Parts>
[[noreturn]] void fail(std::string_view op, const Parts&... parts) {
  throw ErrorType(detail::concat(op, ": ", parts...));
}

template <class ErrorType = Error, class... Parts>
// Throws ErrorType with the message "op: parts..." (as fail) when condition is false.
void check(bool condition, std::string_view op, const Parts&... parts) {
  if (!condition) fail<ErrorType>(op, parts...);
}

}  // namespace lg
