// Finding and loading MNIST and Fashion-MNIST (search order in dataset.hpp).
#include "data/dataset.hpp"

#include <cstdlib>
#include <filesystem>

#include "autograd/error.hpp"
#include "data/idx.hpp"

namespace lg::data {
namespace {

namespace fs = std::filesystem;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

// `folder/name`, else `folder/name.gz`; empty when neither is a file.
std::string find_file(const std::string& folder, const std::string& name) {
  std::error_code error;
  for (const std::string& candidate : {folder + "/" + name, folder + "/" + name + ".gz"})
    if (fs::is_regular_file(candidate, error)) return candidate;
  return {};
}

Dataset load_set(std::string_view set, std::string_view loader, Split split, const std::string& data_dir) {
  const std::string prefix = split == Split::train ? "train" : "t10k";
  const std::string images_name = prefix + "-images-idx3-ubyte";
  const std::string labels_name = prefix + "-labels-idx1-ubyte";
  std::string tried;
  for (const std::string& folder : dataset_search_folders(set, data_dir)) {
    const std::string images_path = find_file(folder, images_name);
    const std::string labels_path = find_file(folder, labels_name);
    if (images_path.empty() || labels_path.empty()) {
      tried += "\n  " + folder + " (no " + (images_path.empty() ? images_name : labels_name) + "[.gz])";
      continue;
    }
    Dataset dataset{read_idx_images(images_path), read_idx_labels(labels_path),
                    std::string(set) + "-" + std::string(split_name(split))};
    const Shape& shape = dataset.images.shape();
    if (shape[2] != 28 || shape[3] != 28)
      fail<IOError>(images_path, "dimensions 1, 2 (rows, columns): expected 28 x 28, found ", shape[2], " x ",
                    shape[3]);
    check_idx_counts(dataset.images, images_path, dataset.labels, labels_path);
    return dataset;
  }
  fail<IOError>(loader, "the ", split_name(split), " split of ", set, " was not found; tried:", tried,
                "\ninstall it with: bash scripts/fetch_data.sh (or pass a data folder, or set LATENTGEO_DATA)");
}

}  // namespace

Split parse_split(std::string_view text) {
  if (text == "train") return Split::train;
  if (text == "test") return Split::test;
  fail<ValueError>("parse_split", "expected \"train\" or \"test\", found \"", text, "\"");
}

std::string_view split_name(Split split) { return split == Split::train ? "train" : "test"; }

std::vector<std::string> dataset_search_folders(std::string_view set, const std::string& data_dir) {
  std::vector<std::string> folders;
  if (!data_dir.empty()) {
    folders.push_back(data_dir + "/" + std::string(set));
    folders.push_back(data_dir);
  }
  const std::string data_root = environment("LATENTGEO_DATA");
  if (!data_root.empty()) folders.push_back(data_root + "/" + std::string(set));
  if (set == "fashion-mnist") {
    folders.push_back("/usr/share/datasets/fashion-mnist");
  } else {
    const std::string cache = environment("XDG_CACHE_HOME");
    const std::string home = environment("HOME");
    if (!cache.empty()) folders.push_back(cache + "/latentgeo/" + std::string(set));
    if (!home.empty()) folders.push_back(home + "/.cache/latentgeo/" + std::string(set));
  }
  return folders;
}

Dataset load_mnist(Split split, const std::string& data_dir) { return load_set("mnist", "load_mnist", split, data_dir); }

Dataset load_fashion_mnist(Split split, const std::string& data_dir) {
  return load_set("fashion-mnist", "load_fashion_mnist", split, data_dir);
}

std::vector<std::string> fashion_mnist_class_names() {
  // As the dataset's authors list them (Xiao, Rasul and Vollgraf 2017).
  return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
}

}  // namespace lg::data
