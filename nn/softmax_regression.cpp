#include "nn/softmax_regression.hpp"

#include <algorithm>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/indexing.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/random.hpp"
#include "nn/loss.hpp"
#include "optim/adam.hpp"

namespace lg::nn {

SoftmaxRegression train_softmax_regression(const Tensor& features, const Tensor& labels, std::int64_t classes,
                                           const SoftmaxRegressionOptions& options) {
  constexpr const char* op = "train_softmax_regression";
  check<ValueError>(options.epochs > 0, op, "epochs must be positive, got ", options.epochs);
  check<ValueError>(options.batch_size > 0, op, "batch_size must be positive, got ", options.batch_size);
  check<ValueError>(options.lr > 0.0, op, "lr must be positive, got ", options.lr);
  check<ValueError>(options.weight_decay >= 0.0, op, "weight_decay must not be negative, got ",
                    options.weight_decay);
  check<ValueError>(classes >= 2, op, "at least 2 classes are needed, got ", classes);
  check<ShapeError>(features.dim() == 2 && features.size(0) > 0, op, "features must be [N, D] with N > 0, got ",
                    features.dim(), " dims");
  check<ShapeError>(labels.dim() == 1 && labels.size(0) == features.size(0), op, "labels must be [N] with N = ",
                    features.size(0));
  check<ValueError>(labels.dtype() == int64, op, "labels must be int64");
  const std::vector<std::int64_t> values = labels.to_vector<std::int64_t>();
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  check<ValueError>(*low >= 0 && *high < classes, op, "labels must lie in [0, ", classes, "), got ", *low, " to ",
                    *high);

  const EnableGradGuard recording;  // the fit needs its backward passes even when called under no_grad
  Generator generator(options.seed);
  SoftmaxRegression result;
  result.linear = std::make_shared<Linear>(features.size(1), classes,
                                           LinearOptions{.dtype = features.dtype(), .generator = &generator});
  optim::Adam optimizer(result.linear->named_parameters(),
                        {.lr = options.lr, .weight_decay = options.weight_decay});
  const std::int64_t n = features.size(0);
  for (std::int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    const Tensor order = randperm(n, &generator);
    double sum = 0.0;
    std::int64_t batches = 0;
    for (std::int64_t start = 0; start < n; start += options.batch_size) {
      const Tensor rows = order.narrow(0, start, std::min(options.batch_size, n - start));
      const Tensor loss = cross_entropy(result.linear->forward(index_select(features, 0, rows)),
                                        index_select(labels, 0, rows));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      sum += loss.item<double>();
      ++batches;
    }
    result.epoch_losses.push_back(sum / static_cast<double>(batches));
  }
  return result;
}

double classification_error(const Tensor& logits, const Tensor& labels) {
  constexpr const char* op = "classification_error";
  check<ShapeError>(logits.dim() == 2 && labels.dim() == 1 && labels.size(0) == logits.size(0), op,
                    "logits must be [N, C] and labels [N]");
  check<ValueError>(logits.size(0) > 0, op, "no examples");
  NoGradGuard no_grad;
  const std::vector<std::int64_t> predicted = argmax(logits, 1).to_vector<std::int64_t>();
  const std::vector<std::int64_t> truth = labels.to_vector<std::int64_t>();
  std::int64_t wrong = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) wrong += predicted[i] != truth[i];
  return static_cast<double>(wrong) / static_cast<double>(truth.size());
}

}  // namespace lg::nn
