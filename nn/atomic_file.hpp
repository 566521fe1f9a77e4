// Writing a file so that an interrupted write never destroys the old one
// (docs/testing.md, G12 atomic saves): the bytes go to "<path>.tmp.<pid>" in
// the same folder, which is fsync'ed, closed and renamed over <path>; then the
// folder itself is fsync'ed so the rename survives a power cut. On any error
// the temporary file is removed and an lg::IOError names the path and the
// system's reason.
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace lg::nn {

// Replaces the file at `path` by `bytes` all at once, as described above; throws IOError on failure.
void write_file_atomically(const std::string& path, std::span<const std::uint8_t> bytes);

namespace detail {
// Test hooks to inject failures (the fault-injection test of docs/testing.md, G12 atomic saves).
// Not for users.
struct FileFaults {
  std::int64_t fail_write_after_bytes = -1;  // >= 0: write() fails once this many bytes are written
  bool fail_fsync = false;
  bool fail_rename = false;
};
FileFaults& file_faults();
}  // namespace detail

}  // namespace lg::nn
