// The IDX reader: header checks, size checks before allocation, a chunked
// payload read that converts bytes as it goes (no second full-size buffer),
// and the end-of-data check. Files and memory share all of it through
// ByteSource.
#include "data/idx.hpp"

#include <array>
#include <cstdio>
#include <string_view>
#include <vector>

#include "autograd/backend/kernels.hpp"
#include "autograd/factory.hpp"
#include "data/byte_source.hpp"

namespace lg::data {
namespace {

enum class IdxKind { images, labels };

constexpr std::size_t chunk_bytes = std::size_t{1} << 16;

struct IdxHeader {
  Shape dims;                       // as in the file: [count] or [count, rows, columns]
  std::uint64_t header_bytes = 0;   // 4 + 4 * rank
  std::uint64_t payload_bytes = 0;  // product of dims
};

std::string hex_bytes(const std::uint8_t* bytes, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    char byte[4];
    std::snprintf(byte, sizeof byte, "%02x", bytes[i]);
    if (i > 0) text += ' ';
    text += byte;
  }
  return text;
}

std::string_view dtype_code_name(std::uint8_t code) {
  switch (code) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return "not an IDX dtype";
  }
}

std::string_view dimension_name(IdxKind kind, std::size_t index) {
  if (kind == IdxKind::labels) return "count";
  constexpr std::array<std::string_view, 3> names = {"count", "rows", "columns"};
  return names[index];
}

std::string dims_text(const Shape& dims) {
  std::string text;
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? " x " : "") + std::to_string(dims[i]);
  return text;
}

IdxHeader read_header(ByteSource& source, IdxKind kind) {
  const std::string& path = source.name();
  const std::size_t expected_rank = kind == IdxKind::images ? 3 : 1;
  std::array<std::uint8_t, 4> magic{};
  const std::size_t magic_got = source.read(magic.data(), magic.size());
  if (magic_got < magic.size())
    fail<IOError>(path, "header: expected at least 4 bytes (magic, dtype code, rank), found ", magic_got,
                  magic_got == 1 ? " byte" : " bytes");
  if (magic[0] != 0 || magic[1] != 0)
    fail<IOError>(path, "magic: expected the bytes 00 00 that open an IDX file, found ", hex_bytes(magic.data(), 2));
  if (magic[2] != 0x08)
    fail<IOError>(path, "dtype code (byte 3): expected 0x08 (unsigned byte), found 0x", hex_bytes(&magic[2], 1), " (",
                  dtype_code_name(magic[2]), ")");
  if (magic[3] != expected_rank)
    fail<IOError>(path, "rank (byte 4): expected ", expected_rank,
                  kind == IdxKind::images ? " (images: count, rows, columns)" : " (labels: count)", ", found ",
                  static_cast<int>(magic[3]));

  IdxHeader header;
  header.header_bytes = 4 + 4 * expected_rank;
  std::array<std::uint8_t, 12> dim_bytes{};
  const std::size_t dims_got = source.read(dim_bytes.data(), 4 * expected_rank);
  if (dims_got < 4 * expected_rank)
    fail<IOError>(path, "header: expected ", header.header_bytes, " bytes, found ", 4 + dims_got);
  for (std::size_t i = 0; i < expected_rank; ++i) {
    const std::uint8_t* b = &dim_bytes[4 * i];
    const std::uint32_t dim = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                              (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
    if (dim == 0)
      fail<IOError>(path, "dimension ", i, " (", dimension_name(kind, i), "): expected at least 1, found 0");
    header.dims.push_back(dim);
  }
  // Step by step against the cap, so the product never overflows.
  header.payload_bytes = 1;
  double claimed_bytes = 1.0;
  bool over_cap = false;
  for (const std::int64_t dim : header.dims) {
    const auto unsigned_dim = static_cast<std::uint64_t>(dim);
    claimed_bytes *= static_cast<double>(dim);
    if (over_cap || header.payload_bytes > idx_max_payload_bytes / unsigned_dim) over_cap = true;
    else header.payload_bytes *= unsigned_dim;
  }
  if (over_cap || header.payload_bytes > idx_max_payload_bytes)
    fail<IOError>(path, "dimension product: expected at most ", idx_max_payload_bytes, " bytes of payload, found ",
                  dims_text(header.dims), " = ", claimed_bytes, " bytes");
  return header;
}

// Size checks that run before the payload is allocated.
void check_payload_fits(ByteSource& source, const IdxHeader& header) {
  const std::string& path = source.name();
  const std::uint64_t available = source.remaining_bound();
  if (source.remaining_is_exact()) {
    if (available < header.payload_bytes)
      fail<IOError>(path, "payload: expected ", header.payload_bytes, " bytes after the ", header.header_bytes,
                    "-byte header (dimensions ", dims_text(header.dims), "), found ", available, " (short payload)");
    if (available > header.payload_bytes)
      fail<IOError>(path, "trailing bytes: expected the data to end after ", header.header_bytes + header.payload_bytes,
                    " bytes (dimensions ", dims_text(header.dims), "), found ", available - header.payload_bytes,
                    " more");
  } else if (available < header.payload_bytes) {
    fail<IOError>(path, "dimension product: expected a payload the gzip data can hold (at most ", available,
                  " bytes), found dimensions ", dims_text(header.dims), " = ", header.payload_bytes, " bytes");
  }
}

// Reads the payload chunk by chunk, handing each chunk and its offset to `consume`.
template <class Consume>
void read_payload(ByteSource& source, const IdxHeader& header, Consume&& consume) {
  std::vector<std::uint8_t> chunk(static_cast<std::size_t>(std::min<std::uint64_t>(header.payload_bytes, chunk_bytes)));
  std::uint64_t offset = 0;
  while (offset < header.payload_bytes) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(header.payload_bytes - offset, chunk.size()));
    const std::size_t got = source.read(chunk.data(), want);
    consume(chunk.data(), got, offset);
    offset += got;
    if (got < want)
      fail<IOError>(source.name(), "payload: expected ", header.payload_bytes, " bytes after the ",
                    header.header_bytes, "-byte header (dimensions ", dims_text(header.dims), "), found ", offset,
                    " (short payload)");
  }
  std::uint8_t extra[4096];
  const std::size_t extra_got = source.read(extra, sizeof extra);
  if (extra_got > 0)
    fail<IOError>(source.name(), "trailing bytes: expected the data to end after ",
                  header.header_bytes + header.payload_bytes, " bytes (dimensions ", dims_text(header.dims),
                  "), found ", extra_got == sizeof extra ? "at least " : "", extra_got, " more");
}

Tensor read_images(ByteSource& source) {
  const IdxHeader header = read_header(source, IdxKind::images);
  check_payload_fits(source, header);
  static const std::array<float, 256> byte_to_unit = [] {
    std::array<float, 256> table{};
    for (int k = 0; k < 256; ++k) table[static_cast<std::size_t>(k)] = static_cast<float>(k) / 255.0f;
    return table;
  }();
  // Decoded on the host, then handed to the tensor's backend.
  Tensor images = empty({header.dims[0], 1, header.dims[1], header.dims[2]}, float32);
  std::vector<float> out(static_cast<std::size_t>(images.numel()));
  read_payload(source, header, [&](const std::uint8_t* bytes, std::size_t count, std::uint64_t offset) {
    for (std::size_t i = 0; i < count; ++i) out[offset + i] = byte_to_unit[bytes[i]];
  });
  kernel::copy_from_host(out.data(), images);
  return images;
}

Tensor read_labels(ByteSource& source) {
  const IdxHeader header = read_header(source, IdxKind::labels);
  check_payload_fits(source, header);
  Tensor labels = empty({header.dims[0]}, int64);
  std::vector<std::int64_t> out(static_cast<std::size_t>(labels.numel()));
  read_payload(source, header, [&](const std::uint8_t* bytes, std::size_t count, std::uint64_t offset) {
    for (std::size_t i = 0; i < count; ++i) {
      if (bytes[i] > 9)
        fail<IOError>(source.name(), "label at index ", offset + i, ": expected a class in [0, 9], found ",
                      static_cast<int>(bytes[i]));
      out[offset + i] = bytes[i];
    }
  });
  kernel::copy_from_host(out.data(), labels);
  return labels;
}

}  // namespace

Tensor read_idx_images(const std::string& path) { return read_images(*open_file_source(path)); }
Tensor read_idx_labels(const std::string& path) { return read_labels(*open_file_source(path)); }

Tensor parse_idx_images(std::span<const std::uint8_t> bytes, const std::string& name) {
  return read_images(*open_memory_source(bytes, name));
}
Tensor parse_idx_labels(std::span<const std::uint8_t> bytes, const std::string& name) {
  return read_labels(*open_memory_source(bytes, name));
}

void check_idx_counts(const Tensor& images, const std::string& images_path, const Tensor& labels,
                      const std::string& labels_path) {
  if (images.size(0) != labels.size(0))
    fail<IOError>(labels_path, "count: expected ", images.size(0), " labels, one per image in ", images_path,
                  ", found ", labels.size(0));
}

}  // namespace lg::data
