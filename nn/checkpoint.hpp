// Checkpoints: a StateDict (tensors by name) plus text metadata (seed, thread
// count, generator state...), in our own versioned binary format:
//
//   magic "LGCKPT\r\n" | u32 version | u64 header bytes | header | u32 header CRC | payloads
//   header = u32 tensor count, per tensor: u32 name length, name, u8 dtype, u8 rank,
//            i64 dims[rank], u64 payload bytes, u32 payload CRC;
//            u32 metadata count, per entry: u32 key length, key, u32 value length, value
//
// All integers little-endian; payloads are the row-major values, one after
// another in header order. CRC-32 (zlib) covers the header and every payload,
// so a flipped bit anywhere is detected. Saving is atomic (nn/atomic_file.hpp);
// loading validates everything before returning anything (all-or-nothing), and
// every rejection is an lg::IOError naming the file and what is wrong.
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "nn/module.hpp"
#include "nn/state_dict.hpp"

namespace lg::nn {

// What a checkpoint file holds.
struct Checkpoint {
  // The tensors by name.
  StateDict tensors;
  // Text entries by key (seed, thread count, generator state, ...).
  std::map<std::string, std::string> metadata;
};

// The checkpoint in the binary format above; throws ValueError on an undefined tensor.
std::vector<std::uint8_t> encode_checkpoint(const Checkpoint& checkpoint);
// `name` is used in error messages (the path, or "<memory>").
Checkpoint decode_checkpoint(std::span<const std::uint8_t> bytes, const std::string& name = "<memory>");

// Writes the checkpoint to `path` atomically; throws ValueError on an undefined tensor, IOError when writing fails.
void save_checkpoint(const Checkpoint& checkpoint, const std::string& path);
// Reads and fully validates the checkpoint at `path`; throws IOError naming the file on any problem.
Checkpoint load_checkpoint(const std::string& path);

}  // namespace lg::nn

namespace lg {

// The short forms: a module's state dict, or any StateDict.
void save(const nn::StateDict& state, const std::string& path);
// Saves the module's state dict to `path`, as save_checkpoint with no metadata.
void save(const nn::Module& module, const std::string& path);
// The tensors of the checkpoint at `path`; throws IOError on any problem.
nn::StateDict load(const std::string& path);
// Loads into the module; on any error the module is left unchanged.
void load(nn::Module& module, const std::string& path);

}  // namespace lg
