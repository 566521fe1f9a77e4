// libFuzzer harness: arbitrary bytes into the in-memory IDX reader (raw, or
// gzip when they start with 1f 8b). Raw bytes go to the images reader, or to
// the labels reader when their rank byte says 1 (each reader rejects the
// other's rank on its fourth byte, so trying both would only halve the
// speed); gzip bytes go to both, since their rank is hidden. A rejection must
// be an lg::Error; any other exception escapes and crashes the run. A file
// that loads must keep the reader's promises (shape, value range).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "autograd/error.hpp"
#include "data/idx.hpp"

namespace {

void load_images(std::span<const std::uint8_t> bytes) {
  try {
    const lg::Tensor images = lg::data::parse_idx_images(bytes, "fuzz-input");
    if (images.dim() != 4 || images.size(1) != 1) std::abort();
    const float* pixels = images.data_ptr<float>();
    for (std::int64_t i = 0; i < images.numel(); ++i)
      if (!(pixels[i] >= 0.0f && pixels[i] <= 1.0f)) std::abort();
  } catch (const lg::Error&) {
  }
}

void load_labels(std::span<const std::uint8_t> bytes) {
  try {
    const lg::Tensor labels = lg::data::parse_idx_labels(bytes, "fuzz-input");
    if (labels.dim() != 1) std::abort();
    const std::int64_t* values = labels.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < labels.numel(); ++i)
      if (values[i] < 0 || values[i] > 9) std::abort();
  } catch (const lg::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  const bool rank_one = size >= 4 && data[3] == 1;
  if (gzip || !rank_one) load_images(bytes);
  if (gzip || rank_one) load_labels(bytes);
  return 0;
}
