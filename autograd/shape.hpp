// Shapes, strides and broadcasting. Strides count elements, not bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

using Shape = std::vector<std::int64_t>;

std::int64_t numel_of(const Shape& shape);
Shape contiguous_strides(const Shape& shape);
// "[2, 3]", the form every error message uses.
std::string shape_str(const Shape& shape);
// NumPy broadcasting of two shapes; throws ShapeError naming `op` when they clash.
Shape broadcast_shapes(std::string_view op, const Shape& a, const Shape& b);
// Wraps a possibly negative dim into [0, rank); throws naming `op` when out of range.
std::int64_t wrap_dim(std::string_view op, std::int64_t dim, std::int64_t rank);

}  // namespace lg
