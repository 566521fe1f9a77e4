// DataLoader: batches over a Dataset, shuffled by its own seeded generator.
//
//   lg::data::DataLoader loader(dataset, {.batch_size = 128, .seed = 1});
//   for (int epoch = 0; epoch < 10; ++epoch)
//     while (auto batch = loader.next()) train_step(batch->images, batch->labels);
//
// next() returns the batches of one epoch, then std::nullopt once; the call
// after that starts the next epoch with a fresh permutation (lg::randperm on
// the loader's generator). A batch is a new contiguous tensor whose rows are
// memcpy'd from the dataset, so holding on to a batch is safe.
//
// The optional transform sees each images batch and a second generator of its
// own (so adding noise does not change the order of the batches). state() and
// load_state() capture epoch, position, permutation and both generators, so a
// loader restored from a checkpoint yields bit-identical batches.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"
#include "data/dataset.hpp"

namespace lg::data {

// A function applied to each batch's images, drawing any randomness from the given generator.
using BatchTransform = std::function<Tensor(const Tensor& batch, Generator& generator)>;

// Options of DataLoader.
struct DataLoaderOptions {
  // Rows per batch, positive.
  std::int64_t batch_size = 64;
  // Whether each epoch visits the rows in a fresh random order (else in dataset order).
  bool shuffle = true;
  bool drop_last = false;  // drop a last batch smaller than batch_size
  // Seed of the shuffle generator; the transform generator's seed is derived from it.
  std::uint64_t seed = 0;
  BatchTransform transform = {};  // applied to the images of each batch when set
};

// One batch of rows from the dataset.
struct Batch {
  Tensor images;  // transformed when the loader has a transform
  // The labels of the batch's rows.
  Tensor labels;
  Tensor indices;  // int64 [B]: the dataset rows this batch holds
};

// Hands out a dataset's rows in batches, epoch after epoch, as described above.
class DataLoader {
 public:
  // Keeps contiguous handles to the dataset's tensors and seeds both generators; throws ValueError,
  // ShapeError or DeviceError on a dataset without matching CPU images and labels, or batch_size <= 0.
  DataLoader(const Dataset& dataset, DataLoaderOptions options = {});

  // The next batch of the current epoch, or std::nullopt when the epoch is over.
  std::optional<Batch> next();

  // The number of rows in the dataset.
  std::int64_t size() const { return size_; }
  // The number of batches in one epoch: ceil(size / batch_size), or floor with drop_last.
  std::int64_t batches_per_epoch() const;
  // Epochs finished so far (0 during the first).
  std::int64_t epoch() const { return epoch_; }
  // Rows of the current epoch handed out so far.
  std::int64_t position() const { return position_; }

  // int64 tensors: "epoch", "position", "size", "batch_size", "permutation"
  // [size] (empty before the first epoch starts), and "shuffle_generator",
  // "transform_generator": each generator's state text, one byte per element.
  std::map<std::string, Tensor> state() const;
  // Restores a state() from a loader over the same dataset and batch size;
  // throws ValueError naming the key that is missing or inconsistent.
  void load_state(const std::map<std::string, Tensor>& state);

 private:
  void start_epoch();

  Tensor images_;  // contiguous
  Tensor labels_;  // contiguous
  DataLoaderOptions options_;
  std::int64_t size_ = 0;
  Generator shuffle_generator_;
  Generator transform_generator_;
  Tensor permutation_;  // the current epoch's order; undefined before the first epoch
  std::int64_t epoch_ = 0;
  std::int64_t position_ = 0;
  bool epoch_open_ = false;
};

}  // namespace lg::data
