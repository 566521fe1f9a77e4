// Small generated IDX files for the data tests: images and labels as bytes,
// gzip in memory, and a scratch folder that is removed when the test ends.
#pragma once
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace test_data {

using Bytes = std::vector<std::uint8_t>;

inline void append_u32(Bytes& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
}

// A well-mixed byte for position i (splitmix64), so the gzip fixtures do not
// shrink to a few bytes the way a periodic pattern would.
inline std::uint8_t mixed_byte(std::uint64_t i, std::uint64_t seed) {
  std::uint64_t z = i * 0x9E3779B97F4A7C15ull + seed + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return static_cast<std::uint8_t>((z ^ (z >> 31)) >> 56);
}

// An IDX image file: count images of rows x columns, pixel i = mixed_byte(i, seed).
inline Bytes make_images(std::uint32_t count, std::uint32_t rows, std::uint32_t columns, std::uint32_t seed = 0) {
  Bytes bytes = {0, 0, 0x08, 3};
  append_u32(bytes, count);
  append_u32(bytes, rows);
  append_u32(bytes, columns);
  const std::uint64_t payload = std::uint64_t{count} * rows * columns;
  for (std::uint64_t i = 0; i < payload; ++i) bytes.push_back(mixed_byte(i, seed));
  return bytes;
}

// An IDX label file: label i = mixed_byte(i, seed) mod 10.
inline Bytes make_labels(std::uint32_t count, std::uint32_t seed = 0) {
  Bytes bytes = {0, 0, 0x08, 1};
  append_u32(bytes, count);
  for (std::uint32_t i = 0; i < count; ++i) bytes.push_back(static_cast<std::uint8_t>(mixed_byte(i, seed) % 10));
  return bytes;
}

// A single gzip member holding `bytes`, as gzip(1) writes it.
inline Bytes gzip(const Bytes& bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  Bytes out(deflateBound(&stream, static_cast<uLong>(bytes.size())) + 32);
  stream.next_in = const_cast<Bytef*>(bytes.data());
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int code = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (code != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

// A fresh folder under the system temp folder, removed with everything in it on destruction.
class ScratchFolder {
 public:
  ScratchFolder() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("latentgeo-test-data-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  std::string path() const { return path_.string(); }
  // Writes `bytes` to `name` inside the folder (creating subfolders) and returns the full path.
  std::string write(const std::string& name, const Bytes& bytes) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace test_data
