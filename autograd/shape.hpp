// Shapes, strides and broadcasting. Strides count elements, not bytes.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

using Shape = std::vector<std::int64_t>;

std::int64_t numel_of(const Shape& shape);
Shape contiguous_strides(const Shape& shape);
// "[2, 3]", the form every error message uses. shape_str returns a ShapeText
// that formats only when printed or converted, so the checks that pass (all
// but one in a million) build no strings.
class ShapeText {
 public:
  explicit ShapeText(const Shape& shape) : shape_(&shape) {}
  explicit ShapeText(Shape&& shape) : owned_(std::move(shape)), shape_(nullptr) {}
  ShapeText(const ShapeText& other) : owned_(other.owned_), shape_(other.shape_) {}
  ShapeText& operator=(const ShapeText&) = delete;
  const Shape& shape() const { return shape_ ? *shape_ : owned_; }
  std::string str() const;
  operator std::string() const { return str(); }  // NOLINT: implicit, so it reads like a string

 private:
  Shape owned_;
  const Shape* shape_;
};
inline ShapeText shape_str(const Shape& shape) { return ShapeText(shape); }
inline ShapeText shape_str(Shape&& shape) { return ShapeText(std::move(shape)); }
std::ostream& operator<<(std::ostream& out, const ShapeText& text);
std::string operator+(const std::string& a, const ShapeText& b);
std::string operator+(const char* a, const ShapeText& b);
std::string operator+(const ShapeText& a, const std::string& b);
std::string operator+(const ShapeText& a, const char* b);
bool operator==(const ShapeText& a, const std::string& b);
// NumPy broadcasting of two shapes; throws ShapeError naming `op` when they clash.
Shape broadcast_shapes(std::string_view op, const Shape& a, const Shape& b);
// Wraps a possibly negative dim into [0, rank); throws naming `op` when out of range.
std::int64_t wrap_dim(std::string_view op, std::int64_t dim, std::int64_t rank);

}  // namespace lg
