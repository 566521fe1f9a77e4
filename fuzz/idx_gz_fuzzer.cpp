// libFuzzer harness for the gzip path: the input, read as IDX bytes, is
// gzip-compressed here and handed to the in-memory reader, so mutations
// explore the reader's checks behind zlib rather than dying in zlib's CRC.
// A last input byte of 0xF0 + k also cuts k + 1 bytes off the end of the
// compressed stream, covering truncated gzip files. The same
// promises as idx_fuzzer.cpp: lg::Error or a well-formed tensor.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "autograd/error.hpp"
#include "data/idx.hpp"

namespace {

std::vector<std::uint8_t> gzip(std::span<const std::uint8_t> bytes) {
  z_stream stream{};
  // A small window and hash table: inputs are at most a few KB, and a big
  // deflate state per execution would cost more than the reader under test.
  if (deflateInit2(&stream, 1, Z_DEFLATED, 16 + 9, 1, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::vector<std::uint8_t> out(deflateBound(&stream, static_cast<uLong>(bytes.size())) + 32);
  stream.next_in = const_cast<Bytef*>(bytes.data());  // zlib's API is not const-correct
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> compressed = gzip(std::span<const std::uint8_t>(data, size));
  const std::uint8_t last = size > 0 ? data[size - 1] : 0;
  const std::size_t cut = last >= 0xF0 ? last - 0xEFu : 0;
  compressed.resize(compressed.size() > cut ? compressed.size() - cut : 0);
  // The plain bytes' rank byte picks the reader, as in idx_fuzzer.cpp.
  const bool rank_one = size >= 4 && data[3] == 1;
  try {
    if (!rank_one) {
      const lg::Tensor images = lg::data::parse_idx_images(compressed, "fuzz-input.gz");
      if (images.dim() != 4 || images.size(1) != 1) std::abort();
    } else {
      const lg::Tensor labels = lg::data::parse_idx_labels(compressed, "fuzz-input.gz");
      const std::int64_t* values = labels.data_ptr<std::int64_t>();
      for (std::int64_t i = 0; i < labels.numel(); ++i)
        if (values[i] < 0 || values[i] > 9) std::abort();
    }
  } catch (const lg::Error&) {
  }
  return 0;
}
