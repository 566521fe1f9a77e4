// Byte sources for the file readers: a raw file, a gzip file (zlib's gzread),
// bytes in memory, or gzip bytes in memory (zlib's inflate). Gzip is told
// apart by its magic bytes 1f 8b, never by a file name. The IDX reader's
// validation sees only this interface, so files on disk and the fuzz harness's
// byte buffers go through the same checks.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace lg::data {

// A readable stream of bytes with a name for error messages; see open_file_source and open_memory_source.
class ByteSource {
 public:
  // Stores the name that error messages start with.
  explicit ByteSource(std::string name) : name_(std::move(name)) {}
  virtual ~ByteSource() = default;
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Reads up to `count` bytes and returns how many it read: fewer than `count`
  // only at the end of the data. A read error, or any zlib error (a truncated
  // or corrupt gzip stream included), throws IOError naming the source.
  virtual std::size_t read(std::uint8_t* destination, std::size_t count) = 0;
  // The bytes left: exact for raw data; for gzip data an upper bound from the
  // compressed size (deflate expands at most 1032-fold). Lets a reader reject a
  // header whose sizes the data cannot hold before it allocates anything.
  virtual std::uint64_t remaining_bound() const = 0;
  // Whether remaining_bound() is exact (raw data) rather than an upper bound (gzip data).
  virtual bool remaining_is_exact() const = 0;
  // Whether the data is gzip-compressed (it starts with 1f 8b).
  virtual bool is_gzip() const = 0;

  // The path, or the name given to a memory buffer; errors start with it.
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// Opens `path` (raw or gzip); throws IOError naming the path when it cannot be opened.
std::unique_ptr<ByteSource> open_file_source(const std::string& path);
// Reads `bytes` (raw or gzip) without copying them; they must outlive the source.
std::unique_ptr<ByteSource> open_memory_source(std::span<const std::uint8_t> bytes, std::string name);

// Deflate's largest expansion factor, used for remaining_bound() of gzip data.
inline constexpr std::uint64_t max_deflate_ratio = 1032;

}  // namespace lg::data
