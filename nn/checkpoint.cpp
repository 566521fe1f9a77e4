#include "nn/checkpoint.hpp"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "autograd/backend/kernels.hpp"
#include "autograd/factory.hpp"
#include "nn/atomic_file.hpp"

namespace lg::nn {
namespace {

constexpr char kMagic[8] = {'L', 'G', 'C', 'K', 'P', 'T', '\r', '\n'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint64_t kMaxHeaderBytes = 64ull << 20;
constexpr std::uint32_t kMaxRank = 8;

std::uint32_t crc_of(const std::uint8_t* data, std::size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (size > 0) {  // zlib takes uInt lengths
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc = crc32(crc, data, chunk);
    data += chunk;
    size -= chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

class Writer {
 public:
  template <class T>
  void put(T value) {
    std::uint8_t bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // x86-64 and aarch64 are little-endian
    out.insert(out.end(), bytes, bytes + sizeof(T));
  }
  void put_string(const std::string& s) {
    put(static_cast<std::uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  std::vector<std::uint8_t> out;
};

class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  template <class T>
  T get(const char* field) {
    need(sizeof(T), field);
    T value;
    std::memcpy(&value, bytes_.data() + position_, sizeof(T));
    position_ += sizeof(T);
    return value;
  }
  std::string get_string(const char* field, std::uint64_t limit) {
    const auto length = get<std::uint32_t>(field);
    if (length > limit) reject(field, "length ", length, " is larger than the space left (", limit, ")");
    need(length, field);
    std::string s(reinterpret_cast<const char*>(bytes_.data() + position_), length);
    position_ += length;
    return s;
  }
  const std::uint8_t* here() const { return bytes_.data() + position_; }
  std::size_t position() const { return position_; }
  std::size_t remaining() const { return bytes_.size() - position_; }
  void skip(std::size_t n, const char* field) {
    need(n, field);
    position_ += n;
  }

  template <class... Parts>
  [[noreturn]] void reject(const char* field, const Parts&... parts) const {
    fail<IOError>("load", "'", name_, "': ", field, ": ", parts...);
  }

 private:
  void need(std::size_t n, const char* field) const {
    if (bytes_.size() - position_ < n)
      reject(field, "file is truncated (needs ", n, " more bytes at offset ", position_, ", has ",
             bytes_.size() - position_, ")");
  }
  std::span<const std::uint8_t> bytes_;
  std::string name_;
  std::size_t position_ = 0;
};

struct EntryHeader {
  std::string name;
  DType dtype;
  Shape shape;
  std::uint64_t payload_bytes;
  std::uint32_t payload_crc;
};

}  // namespace

std::vector<std::uint8_t> encode_checkpoint(const Checkpoint& checkpoint) {
  Writer header;
  header.put(static_cast<std::uint32_t>(checkpoint.tensors.size()));
  // Each tensor's values, row-major, copied to the host from whatever device holds them.
  std::vector<std::vector<std::uint8_t>> payloads;
  for (const auto& [name, tensor] : checkpoint.tensors) {
    check<ValueError>(tensor.defined(), "save", "tensor '", name, "' is undefined");
    const Tensor& t = tensor;
    const auto payload = static_cast<std::size_t>(t.numel()) * dtype_size(t.dtype());
    payloads.emplace_back(payload);
    if (payload > 0) kernel::copy_to_host(t, payloads.back().data());
    header.put_string(name);
    header.put(static_cast<std::uint8_t>(t.dtype()));
    header.put(static_cast<std::uint8_t>(t.dim()));
    for (auto s : t.shape()) header.put(static_cast<std::int64_t>(s));
    header.put(static_cast<std::uint64_t>(payload));
    header.put(crc_of(payloads.back().data(), payload));
  }
  header.put(static_cast<std::uint32_t>(checkpoint.metadata.size()));
  for (const auto& [key, value] : checkpoint.metadata) {
    header.put_string(key);
    header.put_string(value);
  }
  Writer file;
  for (char c : kMagic) file.put(static_cast<std::uint8_t>(c));
  file.put(kVersion);
  file.put(static_cast<std::uint64_t>(header.out.size()));
  file.out.insert(file.out.end(), header.out.begin(), header.out.end());
  file.put(crc_of(file.out.data(), file.out.size()));
  for (const auto& payload : payloads) file.out.insert(file.out.end(), payload.begin(), payload.end());
  return std::move(file.out);
}

Checkpoint decode_checkpoint(std::span<const std::uint8_t> bytes, const std::string& name) {
  Reader in(bytes, name);
  char magic[sizeof kMagic];
  for (char& c : magic) c = static_cast<char>(in.get<std::uint8_t>("magic"));
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) in.reject("magic", "not a latentgeo checkpoint");
  const auto version = in.get<std::uint32_t>("format version");
  if (version != kVersion) in.reject("format version", "expected ", kVersion, ", found ", version);
  const auto header_bytes = in.get<std::uint64_t>("header length");
  if (header_bytes > kMaxHeaderBytes || header_bytes > in.remaining())
    in.reject("header length", header_bytes, " bytes is larger than the file allows (", in.remaining(), " left)");
  const std::size_t header_end = in.position() + header_bytes;
  {  // the header CRC covers everything before it, so check it before trusting any field
    Reader probe = in;
    probe.skip(header_bytes, "header");
    const auto stored = probe.get<std::uint32_t>("header CRC");
    if (stored != crc_of(bytes.data(), header_end))
      in.reject("header CRC", "mismatch (stored ", stored, ", computed ", crc_of(bytes.data(), header_end), ")");
  }
  auto left_in_header = [&] { return header_end > in.position() ? header_end - in.position() : 0; };
  const auto count = in.get<std::uint32_t>("tensor count");
  std::vector<EntryHeader> entries;
  for (std::uint32_t i = 0; i < count; ++i) {
    EntryHeader entry;
    entry.name = in.get_string("tensor name", left_in_header());
    const auto dtype_code = in.get<std::uint8_t>("dtype");
    if (dtype_code > 2) in.reject("dtype", "code ", int{dtype_code}, " of tensor '", entry.name, "' is not 0, 1 or 2");
    entry.dtype = static_cast<DType>(dtype_code);
    const auto rank = in.get<std::uint8_t>("rank");
    if (rank > kMaxRank) in.reject("rank", int{rank}, " of tensor '", entry.name, "' is above ", kMaxRank);
    std::uint64_t numel = 1;
    for (int d = 0; d < rank; ++d) {
      const auto size = in.get<std::int64_t>("dimension");
      if (size < 0 || size > (std::int64_t{1} << 40)) in.reject("dimension", size, " of tensor '", entry.name, "'");
      entry.shape.push_back(size);
      numel = numel * static_cast<std::uint64_t>(size);
      if (numel > (std::uint64_t{1} << 40)) in.reject("shape", "tensor '", entry.name, "' is too large");
    }
    entry.payload_bytes = in.get<std::uint64_t>("payload length");
    if (entry.payload_bytes != numel * dtype_size(entry.dtype))
      in.reject("payload length", "tensor '", entry.name, "' ", shape_str(entry.shape), " ", entry.dtype, " needs ",
                numel * dtype_size(entry.dtype), " bytes, header says ", entry.payload_bytes);
    entry.payload_crc = in.get<std::uint32_t>("payload CRC");
    if (in.position() > header_end) in.reject("header", "entries run past the header length");
    entries.push_back(std::move(entry));
  }
  Checkpoint checkpoint;
  const auto metadata_count = in.get<std::uint32_t>("metadata count");
  for (std::uint32_t i = 0; i < metadata_count; ++i) {
    std::string key = in.get_string("metadata key", left_in_header());
    checkpoint.metadata[key] = in.get_string("metadata value", left_in_header());
  }
  if (in.position() != header_end) in.reject("header length", "header ends at ", in.position(), ", expected ", header_end);
  in.skip(sizeof(std::uint32_t), "header CRC");
  for (const EntryHeader& entry : entries) {
    if (entry.payload_bytes > in.remaining())
      in.reject("payload", "tensor '", entry.name, "' needs ", entry.payload_bytes, " bytes, ", in.remaining(), " left");
    const std::uint8_t* data = in.here();
    if (crc_of(data, entry.payload_bytes) != entry.payload_crc)
      in.reject("payload CRC", "mismatch for tensor '", entry.name, "'");
    Tensor t = empty(entry.shape, entry.dtype);  // on the CPU; load_state_dict copies to the module's device
    if (entry.payload_bytes > 0) kernel::copy_from_host(data, t);
    in.skip(entry.payload_bytes, "payload");
    if (!checkpoint.tensors.emplace(entry.name, t).second) in.reject("tensor name", "'", entry.name, "' appears twice");
  }
  if (in.remaining() != 0) in.reject("file length", in.remaining(), " trailing bytes after the last payload");
  return checkpoint;
}

void save_checkpoint(const Checkpoint& checkpoint, const std::string& path) {
  const auto bytes = encode_checkpoint(checkpoint);
  write_file_atomically(path, bytes);
}

Checkpoint load_checkpoint(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) fail<IOError>("load", "cannot open '", path, "': ", std::strerror(errno));
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) fail<IOError>("load", "cannot read '", path, "'");
  return decode_checkpoint(bytes, path);
}

}  // namespace lg::nn

namespace lg {

void save(const nn::StateDict& state, const std::string& path) { nn::save_checkpoint({state, {}}, path); }
void save(const nn::Module& module, const std::string& path) { save(module.state_dict(), path); }
nn::StateDict load(const std::string& path) { return nn::load_checkpoint(path).tensors; }
void load(nn::Module& module, const std::string& path) { module.load_state_dict(load(path)); }

}  // namespace lg
