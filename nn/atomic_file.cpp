#include "nn/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "autograd/error.hpp"

namespace lg::nn {

namespace detail {
FileFaults& file_faults() {
  static FileFaults faults;
  return faults;
}
}  // namespace detail

namespace {

[[noreturn]] void fail_io(const std::string& path, const std::string& what, int error) {
  fail<IOError>("save", "cannot write '", path, "': ", what, " failed: ", std::strerror(error));
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Closes the descriptor and removes the temporary file unless committed.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  int fd() const { return fd_; }
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }
  void commit() { committed_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

void write_file_atomically(const std::string& path, std::span<const std::uint8_t> bytes) {
  const detail::FileFaults& faults = detail::file_faults();
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  TemporaryFile file(temporary);
  if (file.fd() < 0) fail_io(path, "open of " + temporary, errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    std::size_t chunk = std::min<std::size_t>(bytes.size() - written, 1 << 20);
    if (faults.fail_write_after_bytes >= 0) {
      const auto budget = static_cast<std::size_t>(faults.fail_write_after_bytes);
      if (written >= budget) fail_io(path, "write", EIO);
      chunk = std::min(chunk, budget - written);
    }
    const ssize_t result = ::write(file.fd(), bytes.data() + written, chunk);
    if (result < 0) {
      if (errno == EINTR) continue;
      fail_io(path, "write", errno);
    }
    written += static_cast<std::size_t>(result);
  }
  if (faults.fail_fsync || ::fsync(file.fd()) != 0) fail_io(path, "fsync", faults.fail_fsync ? EIO : errno);
  if (file.close() != 0) fail_io(path, "close", errno);
  if (faults.fail_rename || ::rename(temporary.c_str(), path.c_str()) != 0)
    fail_io(path, "rename", faults.fail_rename ? EIO : errno);
  file.commit();
  const int folder = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {  // the rename is done; a failed folder fsync only weakens durability
    ::fsync(folder);
    ::close(folder);
  }
}

}  // namespace lg::nn
