#include "autograd/shape.hpp"

#include <ostream>

#include "autograd/error.hpp"

namespace lg {

std::int64_t numel_of(const Shape& shape) {
  std::int64_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  std::int64_t stride = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i] > 1 ? shape[i] : 1;
  }
  return strides;
}

std::string ShapeText::str() const {
  const Shape& shape = this->shape();
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

std::ostream& operator<<(std::ostream& out, const ShapeText& text) { return out << text.str(); }
std::string operator+(const std::string& a, const ShapeText& b) { return a + b.str(); }
std::string operator+(const char* a, const ShapeText& b) { return a + b.str(); }
std::string operator+(const ShapeText& a, const std::string& b) { return a.str() + b; }
std::string operator+(const ShapeText& a, const char* b) { return a.str() + b; }
bool operator==(const ShapeText& a, const std::string& b) { return a.str() == b; }

Shape broadcast_shapes(std::string_view op, const Shape& a, const Shape& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t sa = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::int64_t sb = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (sa != sb && sa != 1 && sb != 1)
      fail<ShapeError>(op, "shapes ", shape_str(a), " and ", shape_str(b), " cannot be broadcast (dimension ", i,
                       ": ", sa, " vs ", sb, ")");
    out[i] = sa == 1 ? sb : sa;
  }
  return out;
}

std::int64_t wrap_dim(std::string_view op, std::int64_t dim, std::int64_t rank) {
  const std::int64_t bound = rank == 0 ? 1 : rank;  // a 0-d tensor accepts dim 0 and -1
  if (dim < -bound || dim >= bound)
    fail<ShapeError>(op, "dim ", dim, " is out of range for a tensor of rank ", rank);
  return dim < 0 ? dim + bound : dim;
}

}  // namespace lg
