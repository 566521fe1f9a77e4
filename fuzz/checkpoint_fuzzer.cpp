// libFuzzer harness: arbitrary bytes into the checkpoint decoder. A rejection
// must be an lg::Error (anything else escapes and crashes the run). A file that
// decodes must encode back to the very same bytes: the format has exactly one
// spelling of each checkpoint, so anything else is a bug in one direction.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "autograd/error.hpp"
#include "nn/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  lg::nn::Checkpoint checkpoint;
  try {
    checkpoint = lg::nn::decode_checkpoint(bytes, "fuzz-input");
  } catch (const lg::Error&) {
    return 0;
  }
  const auto again = lg::nn::encode_checkpoint(checkpoint);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  return 0;
}
