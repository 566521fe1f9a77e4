// Saving any autoencoder together with what it is, so a program can load a
// trained model without being told its kind or sizes. The checkpoint
// (nn/checkpoint.hpp's format, written atomically) holds
//   tensors   "model.<parameter name>"  the model's state dict
//   metadata  "model.kind"              autoencoder_kind(model)
//             "model.<option>"          every option the model was built with, as text:
//                                       numbers exactly (they read back to the same bits),
//                                       lists as "512,256", enums and dtypes by name
//             anything else the caller adds (seed, epochs, ...), kept as given.
// Other tensors (an optimiser's state, a data loader's position) may sit beside
// the model's under other prefixes; load_autoencoder ignores them, so it reads
// examples/train_autoencoder's checkpoints too.
//
// Options that do not describe the model are not recorded: the generator for
// the initial weights (the weights come from the file).
#pragma once
#include <map>
#include <string>

#include "nn/autoencoders/any_autoencoder.hpp"

namespace lg::nn {

// Text metadata entries, key -> value.
using ModelDescription = std::map<std::string, std::string>;

// The "model.kind" and "model.<option>" entries describing the model.
ModelDescription describe_autoencoder(const AnyAutoencoder& model);
// A new model (untrained weights) of the kind and options the entries describe; entries not starting with
// "model." are ignored. Throws ValueError naming the entry that is missing or does not parse, or the option
// the model's own checks reject.
AnyAutoencoder build_autoencoder(const ModelDescription& description);

// Writes the model's weights, its description and `extra` metadata to `path` atomically.
void save_autoencoder(const AnyAutoencoder& model, const std::string& path, const ModelDescription& extra = {});

// A model loaded from disk and every metadata entry of its file.
struct SavedAutoencoder {
  AnyAutoencoder model;                 // built from the description, weights loaded
  std::map<std::string, std::string> metadata = {};  // the file's metadata, the description included
};

// Reads `path`, builds the model it describes and loads its weights; IOError naming the file when it is
// unreadable, corrupt, lacks a description or its weights do not fit the described model.
SavedAutoencoder load_autoencoder(const std::string& path);

}  // namespace lg::nn
