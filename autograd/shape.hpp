// Shapes, strides and broadcasting. Strides count elements, not bytes.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

using Shape = std::vector<std::int64_t>;

// The number of elements of a tensor of this shape: the product of the sizes (1 for []).
std::int64_t numel_of(const Shape& shape);
// The row-major strides of shape: the last dim has stride 1, each other the product of the sizes after it.
Shape contiguous_strides(const Shape& shape);
// "[2, 3]", the form every error message uses. shape_str returns a ShapeText
// that formats only when printed or converted, so the checks that pass (all
// but one in a million) build no strings.
class ShapeText {
 public:
  // Refers to shape, which must outlive this ShapeText.
  explicit ShapeText(const Shape& shape) : shape_(&shape) {}
  // Owns shape.
  explicit ShapeText(Shape&& shape) : owned_(std::move(shape)), shape_(nullptr) {}
  // Copies the reference or the owned shape.
  ShapeText(const ShapeText& other) : owned_(other.owned_), shape_(other.shape_) {}
  ShapeText& operator=(const ShapeText&) = delete;
  // The shape shown.
  const Shape& shape() const { return shape_ ? *shape_ : owned_; }
  // The text "[2, 3]" (brackets, sizes separated by ", ").
  std::string str() const;
  // str(), so a ShapeText passes where a string is expected.
  operator std::string() const { return str(); }  // NOLINT: implicit, so it reads like a string

 private:
  Shape owned_;
  const Shape* shape_;
};
// A ShapeText referring to shape (formatted only when printed).
inline ShapeText shape_str(const Shape& shape) { return ShapeText(shape); }
// A ShapeText owning shape (formatted only when printed).
inline ShapeText shape_str(Shape&& shape) { return ShapeText(std::move(shape)); }
// Writes text.str().
std::ostream& operator<<(std::ostream& out, const ShapeText& text);
// a + b.str().
std::string operator+(const std::string& a, const ShapeText& b);
// a + b.str().
std::string operator+(const char* a, const ShapeText& b);
// a.str() + b.
std::string operator+(const ShapeText& a, const std::string& b);
// a.str() + b.
std::string operator+(const ShapeText& a, const char* b);
// Whether a.str() equals b.
bool operator==(const ShapeText& a, const std::string& b);
// NumPy broadcasting of two shapes; throws ShapeError naming `op` when they clash.
Shape broadcast_shapes(std::string_view op, const Shape& a, const Shape& b);
// Wraps a possibly negative dim into [0, rank); throws naming `op` when out of range.
std::int64_t wrap_dim(std::string_view op, std::int64_t dim, std::int64_t rank);

}  // namespace lg
