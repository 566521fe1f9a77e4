// Printing: dtype, shape, then the values, with only the first and last three
// entries of long dims (as NumPy does above 1000 elements).
#include <iomanip>
#include <ostream>

#include "autograd/tensor.hpp"

namespace lg {
namespace {

constexpr std::int64_t kEdge = 3;

void print_values(std::ostream& out, const std::vector<double>& values, const Shape& shape, std::size_t dim,
                  std::int64_t offset, bool summarise, bool integral) {
  if (shape.empty()) {
    out << values[0];
    return;
  }
  std::int64_t block = 1;
  for (std::size_t d = dim + 1; d < shape.size(); ++d) block *= shape[d];
  out << '[';
  const std::int64_t size = shape[dim];
  for (std::int64_t i = 0; i < size; ++i) {
    if (summarise && size > 2 * kEdge && i == kEdge) {
      out << "...";
      i = size - kEdge - 1;
      out << (dim + 1 < shape.size() ? ",\n " : ", ");
      continue;
    }
    if (dim + 1 == shape.size()) {
      const double v = values[static_cast<std::size_t>(offset + i)];
      if (integral) out << static_cast<std::int64_t>(v);
      else out << std::setprecision(6) << v;
    } else {
      print_values(out, values, shape, dim + 1, offset + i * block, summarise, integral);
    }
    if (i + 1 < size) out << (dim + 1 < shape.size() ? ",\n " : ", ");
  }
  out << ']';
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Tensor& tensor) {
  if (!tensor.defined()) return out << "Tensor(undefined)";
  out << "Tensor(" << tensor.dtype() << ", shape " << shape_str(tensor.shape());
  if (tensor.device() != cpu) out << ", " << tensor.device().str();
  if (tensor.requires_grad()) out << ", requires_grad";
  out << ")\n";
  const std::vector<double> values = tensor.to_vector<double>();
  print_values(out, values, tensor.shape(), 0, 0, tensor.numel() > 1000, tensor.dtype() == DType::int64);
  return out;
}

}  // namespace lg
