// IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST:
//
//   bytes 0-1   00 00            magic
//   byte  2     08               dtype code (08 = unsigned byte; the only one read)
//   byte  3     rank             3 for images (count, rows, columns), 1 for labels
//   then        rank big-endian uint32 dimensions, then the payload, row-major.
//
// Raw or gzip (told apart by the bytes 1f 8b, not by the name). Every check
// runs before the payload is allocated where it can, and a rejected file throws
// IOError "<path>: <field>: expected ..., found ...".
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "autograd/tensor.hpp"

namespace lg::data {

// Largest payload a header may claim (2^31 bytes), whatever the file size.
inline constexpr std::uint64_t idx_max_payload_bytes = std::uint64_t{1} << 31;

// Images as float32 [count, 1, rows, columns] in [0, 1] (byte k becomes k/255).
Tensor read_idx_images(const std::string& path);
// Labels as int64 [count], each a class in [0, 9].
Tensor read_idx_labels(const std::string& path);

// The same from bytes in memory (raw or gzip), with the same checks; `name`
// stands for the path in error messages. The fuzz harness enters here.
Tensor parse_idx_images(std::span<const std::uint8_t> bytes, const std::string& name = "<memory>");
// Labels as int64 [count] from bytes in memory, with read_idx_labels' checks.
Tensor parse_idx_labels(std::span<const std::uint8_t> bytes, const std::string& name = "<memory>");

// Throws IOError naming both files when images and labels differ in count.
void check_idx_counts(const Tensor& images, const std::string& images_path, const Tensor& labels,
                      const std::string& labels_path);

}  // namespace lg::data
