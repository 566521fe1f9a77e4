// libFuzzer harness: arbitrary bytes are read as a recipe for a small
// checkpoint (names, dtypes, shapes, values and metadata taken from the bytes),
// which is encoded, decoded and compared bit for bit with the original.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "autograd/factory.hpp"
#include "nn/checkpoint.hpp"

namespace {

class Recipe {
 public:
  Recipe(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return position_ < size_ ? data_[position_++] : 0; }
  std::string text(std::size_t limit) {
    std::string s;
    for (std::size_t n = byte() % limit; n > 0; --n) s.push_back(static_cast<char>(byte()));
    return s;
  }
  bool done() const { return position_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
};

bool same_bits(const lg::Tensor& a, const lg::Tensor& b) {
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
  const auto n = static_cast<std::size_t>(a.numel()) * lg::dtype_size(a.dtype());
  return n == 0 || std::memcmp(a.impl()->storage->data(), b.impl()->storage->data(), n) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Recipe recipe(data, size);
  lg::nn::Checkpoint original;
  for (int tensors = recipe.byte() % 4; tensors > 0 && !recipe.done(); --tensors) {
    const std::string name = recipe.text(12);
    const auto dtype = static_cast<lg::DType>(recipe.byte() % 3);
    lg::Shape shape;
    for (int rank = recipe.byte() % 4; rank > 0; --rank) shape.push_back(recipe.byte() % 5);
    lg::Tensor t = lg::empty(shape, dtype);  // every byte is set below
    auto* bytes = static_cast<std::uint8_t*>(t.impl()->storage->data());
    for (std::size_t i = 0; i < static_cast<std::size_t>(t.numel()) * lg::dtype_size(dtype); ++i) bytes[i] = recipe.byte();
    original.tensors[name] = t;
  }
  for (int entries = recipe.byte() % 3; entries > 0; --entries) original.metadata[recipe.text(8)] = recipe.text(32);
  const auto decoded = lg::nn::decode_checkpoint(lg::nn::encode_checkpoint(original), "round-trip");
  if (decoded.metadata != original.metadata || decoded.tensors.size() != original.tensors.size()) std::abort();
  for (const auto& [name, tensor] : original.tensors) {
    auto it = decoded.tensors.find(name);
    if (it == decoded.tensors.end() || !same_bits(tensor, it->second)) std::abort();
  }
  return 0;
}
