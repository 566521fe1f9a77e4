// DataLoader: per-epoch permutations, row gathers by the index_select kernel
// (on whatever device the dataset lives), and the state round trip
// (all-or-nothing: a rejected state leaves the loader unchanged).
#include "data/dataloader.hpp"

#include <algorithm>
#include <vector>

#include "autograd/backend/kernels.hpp"
#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/ops/view.hpp"

namespace lg::data {
namespace {

// The transform's generator is seeded apart from the shuffle's, so the two
// streams never overlap in a way a reader would have to think about.
constexpr std::uint64_t transform_seed_offset = 0x9E3779B97F4A7C15ull;

// Copies rows `indices` (int64, any device) of `source` (rows along dim 0) into a new tensor on
// source's device.
Tensor gather_rows(const Tensor& source, const Tensor& indices) {
  Shape shape = source.shape();
  shape[0] = indices.numel();
  Tensor out = empty(shape, source.dtype(), source.device());
  kernel::index_select(source, 0, to_device(indices, source.device()), out);
  return out;
}

Tensor text_to_tensor(const std::string& text) {
  std::vector<std::int64_t> bytes(text.begin(), text.end());
  for (auto& byte : bytes) byte &= 0xff;
  return from_vector(bytes, {static_cast<std::int64_t>(bytes.size())});
}

const Tensor& state_entry(const std::map<std::string, Tensor>& state, const std::string& key, bool scalar) {
  const auto found = state.find(key);
  check<ValueError>(found != state.end() && found->second.defined(), "DataLoader::load_state", "missing key \"", key,
                    "\"");
  const Tensor& value = found->second;
  check<ValueError>(value.dtype() == int64, "DataLoader::load_state", "key \"", key, "\": expected int64, found ",
                    value.dtype());
  check<ValueError>(!scalar || value.numel() == 1, "DataLoader::load_state", "key \"", key,
                    "\": expected one value, found shape ", shape_str(value.shape()));
  return value;
}

std::int64_t state_scalar(const std::map<std::string, Tensor>& state, const std::string& key) {
  return state_entry(state, key, true).item<std::int64_t>();
}

std::string tensor_to_text(const std::map<std::string, Tensor>& state, const std::string& key) {
  std::string text;
  for (const std::int64_t byte : state_entry(state, key, false).to_vector<std::int64_t>()) {
    check<ValueError>(byte >= 0 && byte <= 255, "DataLoader::load_state", "key \"", key,
                      "\": expected bytes in [0, 255], found ", byte);
    text.push_back(static_cast<char>(byte));
  }
  return text;
}

}  // namespace

DataLoader::DataLoader(const Dataset& dataset, DataLoaderOptions options)
    : options_(std::move(options)),
      shuffle_generator_(options_.seed),
      transform_generator_(options_.seed + transform_seed_offset) {
  check<ValueError>(dataset.images.defined() && dataset.labels.defined(), "DataLoader",
                    "dataset \"", dataset.name, "\" has no images or no labels");
  check<ValueError>(options_.batch_size > 0, "DataLoader", "batch_size must be positive, got ", options_.batch_size);
  check<ShapeError>(dataset.images.dim() >= 1 && dataset.labels.dim() >= 1 &&
                        dataset.images.size(0) == dataset.labels.size(0),
                    "DataLoader", "images ", shape_str(dataset.images.shape()), " and labels ",
                    shape_str(dataset.labels.shape()), " of \"", dataset.name, "\" differ in their first dimension");
  check<DeviceError>(dataset.images.device() == cpu && dataset.labels.device() == cpu, "DataLoader",
                     "expected a dataset on cpu, found images on ", dataset.images.device(), " and labels on ",
                     dataset.labels.device());
  images_ = dataset.images.contiguous();
  labels_ = dataset.labels.contiguous();
  size_ = images_.size(0);
}

std::int64_t DataLoader::batches_per_epoch() const {
  return options_.drop_last ? size_ / options_.batch_size : (size_ + options_.batch_size - 1) / options_.batch_size;
}

void DataLoader::start_epoch() {
  permutation_ = options_.shuffle ? randperm(size_, &shuffle_generator_) : arange(size_, int64);
  position_ = 0;
  epoch_open_ = true;
}

std::optional<Batch> DataLoader::next() {
  if (!epoch_open_) start_epoch();
  const std::int64_t remaining = size_ - position_;
  if (remaining == 0 || (options_.drop_last && remaining < options_.batch_size)) {
    epoch_open_ = false;
    ++epoch_;
    return std::nullopt;
  }
  const std::int64_t count = std::min(remaining, options_.batch_size);
  Batch batch;
  batch.indices = empty({count}, int64, permutation_.device());
  kernel::copy(permutation_.narrow(0, position_, count), batch.indices);
  batch.images = gather_rows(images_, batch.indices);
  batch.labels = gather_rows(labels_, batch.indices);
  position_ += count;
  if (options_.transform) {
    batch.images = options_.transform(batch.images, transform_generator_);
    check<ValueError>(batch.images.defined(), "DataLoader::next", "the transform returned an undefined tensor");
  }
  return batch;
}

std::map<std::string, Tensor> DataLoader::state() const {
  std::map<std::string, Tensor> state;
  state["epoch"] = scalar_tensor(static_cast<double>(epoch_), int64);
  state["position"] = scalar_tensor(static_cast<double>(position_), int64);
  state["epoch_open"] = scalar_tensor(epoch_open_ ? 1.0 : 0.0, int64);
  state["size"] = scalar_tensor(static_cast<double>(size_), int64);
  state["batch_size"] = scalar_tensor(static_cast<double>(options_.batch_size), int64);
  state["permutation"] = permutation_.defined() ? permutation_.clone() : empty({0}, int64);
  state["shuffle_generator"] = text_to_tensor(shuffle_generator_.state());
  state["transform_generator"] = text_to_tensor(transform_generator_.state());
  return state;
}

void DataLoader::load_state(const std::map<std::string, Tensor>& state) {
  constexpr std::string_view op = "DataLoader::load_state";
  const std::int64_t saved_size = state_scalar(state, "size");
  check<ValueError>(saved_size == size_, op, "key \"size\": expected ", size_, " rows (this loader's dataset), found ",
                    saved_size);
  const std::int64_t saved_batch_size = state_scalar(state, "batch_size");
  check<ValueError>(saved_batch_size == options_.batch_size, op, "key \"batch_size\": expected ",
                    options_.batch_size, ", found ", saved_batch_size);
  const std::int64_t epoch = state_scalar(state, "epoch");
  check<ValueError>(epoch >= 0, op, "key \"epoch\": expected >= 0, found ", epoch);
  const std::int64_t position = state_scalar(state, "position");
  check<ValueError>(position >= 0 && position <= size_, op, "key \"position\": expected a value in [0, ", size_,
                    "], found ", position);
  const std::int64_t open = state_scalar(state, "epoch_open");
  check<ValueError>(open == 0 || open == 1, op, "key \"epoch_open\": expected 0 or 1, found ", open);

  const Tensor& saved_permutation = state_entry(state, "permutation", false);
  Tensor permutation;
  if (open == 1 || saved_permutation.numel() > 0) {
    check<ValueError>(saved_permutation.dim() == 1 && saved_permutation.numel() == size_, op,
                      "key \"permutation\": expected shape [", size_, "], found ",
                      shape_str(saved_permutation.shape()));
    permutation = saved_permutation.contiguous().clone();
    std::vector<bool> seen(static_cast<std::size_t>(size_), false);
    for (const std::int64_t row : permutation.to_vector<std::int64_t>()) {
      check<ValueError>(row >= 0 && row < size_ && !seen[static_cast<std::size_t>(row)], op,
                        "key \"permutation\": expected a permutation of [0, ", size_, "), found row ", row,
                        " out of range or repeated");
      seen[static_cast<std::size_t>(row)] = true;
    }
  }
  Generator shuffle_generator, transform_generator;
  shuffle_generator.set_state(tensor_to_text(state, "shuffle_generator"));
  transform_generator.set_state(tensor_to_text(state, "transform_generator"));

  // Every check passed: commit.
  epoch_ = epoch;
  position_ = position;
  epoch_open_ = open == 1;
  permutation_ = permutation;
  shuffle_generator_ = shuffle_generator;
  transform_generator_ = transform_generator;
}

}  // namespace lg::data
