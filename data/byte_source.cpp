// The four byte sources behind open_file_source and open_memory_source.
// zlib reports a truncated gzip file only through gzerror (gzread returns 0,
// like a clean end of file), so every gzread is followed by a gzerror check.
#include "data/byte_source.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "autograd/error.hpp"

namespace lg::data {
namespace {

bool starts_with_gzip_magic(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::uint64_t saturating_bound(std::uint64_t compressed_bytes, std::uint64_t consumed) {
  const std::uint64_t bound = compressed_bytes > UINT64_MAX / max_deflate_ratio ? UINT64_MAX
                                                                                 : compressed_bytes * max_deflate_ratio;
  return bound > consumed ? bound - consumed : 0;
}

[[noreturn]] void fail_gzip(const std::string& name, const std::string& zlib_message, int code) {
  fail<IOError>(name, "gzip stream: expected complete, valid compressed data, found zlib error '", zlib_message,
                "' (code ", code, ")");
}

class RawFileSource final : public ByteSource {
 public:
  RawFileSource(std::string path, std::FILE* file, std::uint64_t size)
      : ByteSource(std::move(path)), file_(file), size_(size) {}
  ~RawFileSource() override { std::fclose(file_); }

  std::size_t read(std::uint8_t* destination, std::size_t count) override {
    const std::size_t got = std::fread(destination, 1, count, file_);
    if (got < count && std::ferror(file_))
      fail<IOError>(name(), "read: expected ", count, " more bytes, found a read error: ", std::strerror(errno));
    consumed_ += got;
    return got;
  }
  std::uint64_t remaining_bound() const override { return size_ > consumed_ ? size_ - consumed_ : 0; }
  bool remaining_is_exact() const override { return true; }
  bool is_gzip() const override { return false; }

 private:
  std::FILE* file_;
  std::uint64_t size_;
  std::uint64_t consumed_ = 0;
};

class GzipFileSource final : public ByteSource {
 public:
  GzipFileSource(std::string path, gzFile file, std::uint64_t compressed_size)
      : ByteSource(std::move(path)), file_(file), compressed_size_(compressed_size) {}
  ~GzipFileSource() override { gzclose_r(file_); }

  std::size_t read(std::uint8_t* destination, std::size_t count) override {
    std::size_t total = 0;
    while (total < count) {
      const auto chunk = static_cast<unsigned>(std::min<std::size_t>(count - total, 1u << 30));
      const int got = gzread(file_, destination + total, chunk);
      int code = Z_OK;
      const char* message = gzerror(file_, &code);
      if (got < 0 || code != Z_OK) fail_gzip(name(), message, code);
      if (got == 0) break;
      total += static_cast<std::size_t>(got);
    }
    consumed_ += total;
    return total;
  }
  std::uint64_t remaining_bound() const override { return saturating_bound(compressed_size_, consumed_); }
  bool remaining_is_exact() const override { return false; }
  bool is_gzip() const override { return true; }

 private:
  gzFile file_;
  std::uint64_t compressed_size_;
  std::uint64_t consumed_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::span<const std::uint8_t> bytes, std::string name) : ByteSource(std::move(name)), bytes_(bytes) {}

  std::size_t read(std::uint8_t* destination, std::size_t count) override {
    const std::size_t got = std::min(count, bytes_.size() - position_);
    if (got > 0) std::memcpy(destination, bytes_.data() + position_, got);
    position_ += got;
    return got;
  }
  std::uint64_t remaining_bound() const override { return bytes_.size() - position_; }
  bool remaining_is_exact() const override { return true; }
  bool is_gzip() const override { return false; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
};

// Inflates gzip members back to back and, like gzread, ignores anything after
// the last member that does not start with the gzip magic.
class GzipMemorySource final : public ByteSource {
 public:
  GzipMemorySource(std::span<const std::uint8_t> bytes, std::string name)
      : ByteSource(std::move(name)), bytes_(bytes) {
    stream_.next_in = const_cast<Bytef*>(bytes_.data());  // zlib's API is not const-correct
    stream_.avail_in = static_cast<uInt>(std::min<std::size_t>(bytes_.size(), UINT_MAX));
    const int code = inflateInit2(&stream_, 16 + MAX_WBITS);  // 16: gzip wrapper only
    if (code != Z_OK) fail_gzip(this->name(), stream_.msg ? stream_.msg : "inflateInit2 failed", code);
  }
  ~GzipMemorySource() override { inflateEnd(&stream_); }

  std::size_t read(std::uint8_t* destination, std::size_t count) override {
    std::size_t total = 0;
    while (total < count && !finished_) {
      if (member_ended_) {
        const std::span<const std::uint8_t> rest(stream_.next_in, stream_.avail_in);
        if (!starts_with_gzip_magic(rest)) {
          finished_ = true;
          break;
        }
        inflateReset(&stream_);
        member_ended_ = false;
      }
      const auto chunk = static_cast<uInt>(std::min<std::size_t>(count - total, 1u << 30));
      stream_.next_out = destination + total;
      stream_.avail_out = chunk;
      const int code = inflate(&stream_, Z_NO_FLUSH);
      total += chunk - stream_.avail_out;
      if (code == Z_STREAM_END) {
        member_ended_ = true;
      } else if (code == Z_BUF_ERROR || (code == Z_OK && stream_.avail_in == 0 && stream_.avail_out > 0)) {
        fail_gzip(name(), "unexpected end of file", Z_BUF_ERROR);
      } else if (code != Z_OK) {
        fail_gzip(name(), stream_.msg ? stream_.msg : zError(code), code);
      }
    }
    consumed_ += total;
    return total;
  }
  std::uint64_t remaining_bound() const override { return saturating_bound(bytes_.size(), consumed_); }
  bool remaining_is_exact() const override { return false; }
  bool is_gzip() const override { return true; }

 private:
  std::span<const std::uint8_t> bytes_;
  z_stream stream_{};
  bool member_ended_ = false;
  bool finished_ = false;
  std::uint64_t consumed_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    fail<IOError>(path, "open: expected a file, found a directory");
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) fail<IOError>(path, "open: cannot open the file: ", std::strerror(errno));
  std::uint8_t magic[2] = {0, 0};
  const std::size_t magic_bytes = std::fread(magic, 1, 2, file);
  const bool read_failed = std::ferror(file) != 0;
  const bool sized = std::fseek(file, 0, SEEK_END) == 0;
  const long size = sized ? std::ftell(file) : -1;
  if (read_failed || size < 0 || std::fseek(file, 0, SEEK_SET) != 0) {
    const int saved_errno = errno;
    std::fclose(file);
    fail<IOError>(path, "read: expected a readable, seekable file, found an error: ", std::strerror(saved_errno));
  }
  if (!starts_with_gzip_magic(std::span<const std::uint8_t>(magic, magic_bytes)))
    return std::make_unique<RawFileSource>(path, file, static_cast<std::uint64_t>(size));
  std::fclose(file);
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) fail<IOError>(path, "open: cannot open the gzip file: ", std::strerror(errno));
  gzbuffer(gz, 1u << 17);
  return std::make_unique<GzipFileSource>(path, gz, static_cast<std::uint64_t>(size));
}

std::unique_ptr<ByteSource> open_memory_source(std::span<const std::uint8_t> bytes, std::string name) {
  if (starts_with_gzip_magic(bytes)) return std::make_unique<GzipMemorySource>(bytes, std::move(name));
  return std::make_unique<MemorySource>(bytes, std::move(name));
}

}  // namespace lg::data
