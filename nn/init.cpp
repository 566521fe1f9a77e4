// Initialisers (formulas in init.hpp). Values are drawn in float64 and copied
// in, so a float32 and a float64 tensor get the same numbers up to rounding.
#include "nn/init.hpp"

#include <cmath>
#include <vector>

#include "autograd/backend/kernels.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::nn::init {
namespace {

void check_floating_defined(const Tensor& tensor, std::string_view op) {
  check<ValueError>(tensor.defined(), op, "tensor is undefined");
  check<DTypeError>(tensor.is_floating_point(), op, "expected a float32 or float64 tensor, got ", tensor.dtype());
}

void assign(Tensor& tensor, const Tensor& values) {
  NoGradGuard no_grad;
  tensor.copy_(values);
}

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, double param) {
  switch (nonlinearity) {
    case Nonlinearity::linear:
    case Nonlinearity::sigmoid: return 1.0;
    case Nonlinearity::relu: return std::sqrt(2.0);
    case Nonlinearity::leaky_relu: return std::sqrt(2.0 / (1.0 + param * param));
    case Nonlinearity::tanh: return 5.0 / 3.0;
  }
  return 1.0;
}

Fans calculate_fans(const Tensor& tensor, std::string_view op) {
  check<ValueError>(tensor.dim() >= 2, op, "fan in and fan out need a tensor with at least 2 dims, got shape ",
                    shape_str(tensor.shape()));
  std::int64_t receptive = 1;
  for (std::int64_t d = 2; d < tensor.dim(); ++d) receptive *= tensor.size(d);
  return {tensor.size(1) * receptive, tensor.size(0) * receptive};
}

void zeros_(Tensor& tensor) { constant_(tensor, 0.0); }
void ones_(Tensor& tensor) { constant_(tensor, 1.0); }

void constant_(Tensor& tensor, double value) {
  check_floating_defined(tensor, "constant_");
  NoGradGuard no_grad;
  tensor.fill_(value);
}

void uniform_(Tensor& tensor, double low, double high, Generator* generator) {
  check_floating_defined(tensor, "uniform_");
  check<ValueError>(low <= high, "uniform_", "low ", low, " is above high ", high);
  assign(tensor, uniform(tensor.shape(), low, high, float64, generator));
}

void normal_(Tensor& tensor, double mean, double stddev, Generator* generator) {
  check_floating_defined(tensor, "normal_");
  check<ValueError>(stddev >= 0.0, "normal_", "stddev must be non-negative, got ", stddev);
  assign(tensor, normal(tensor.shape(), mean, stddev, float64, generator));
}

void xavier_uniform_(Tensor& tensor, double gain, Generator* generator) {
  check_floating_defined(tensor, "xavier_uniform_");
  const Fans fans = calculate_fans(tensor, "xavier_uniform_");
  const double bound = gain * std::sqrt(6.0 / static_cast<double>(fans.fan_in + fans.fan_out));
  uniform_(tensor, -bound, bound, generator);
}

void xavier_normal_(Tensor& tensor, double gain, Generator* generator) {
  check_floating_defined(tensor, "xavier_normal_");
  const Fans fans = calculate_fans(tensor, "xavier_normal_");
  normal_(tensor, 0.0, gain * std::sqrt(2.0 / static_cast<double>(fans.fan_in + fans.fan_out)), generator);
}

namespace {
double kaiming_std(const Tensor& tensor, const KaimingOptions& options, std::string_view op) {
  check_floating_defined(tensor, op);
  const Fans fans = calculate_fans(tensor, op);
  const std::int64_t fan = options.mode == FanMode::fan_in ? fans.fan_in : fans.fan_out;
  check<ValueError>(fan > 0, op, "fan is zero for shape ", shape_str(tensor.shape()));
  return calculate_gain(options.nonlinearity, options.a) / std::sqrt(static_cast<double>(fan));
}
}  // namespace

void kaiming_uniform_(Tensor& tensor, const KaimingOptions& options) {
  const double bound = std::sqrt(3.0) * kaiming_std(tensor, options, "kaiming_uniform_");
  uniform_(tensor, -bound, bound, options.generator);
}

void kaiming_normal_(Tensor& tensor, const KaimingOptions& options) {
  normal_(tensor, 0.0, kaiming_std(tensor, options, "kaiming_normal_"), options.generator);
}

void orthogonal_(Tensor& tensor, double gain, Generator* generator) {
  check_floating_defined(tensor, "orthogonal_");
  check<ValueError>(tensor.dim() >= 2, "orthogonal_", "needs a tensor with at least 2 dims, got shape ",
                    shape_str(tensor.shape()));
  if (tensor.numel() == 0) return;
  const std::int64_t rows = tensor.size(0);
  const std::int64_t cols = tensor.numel() / rows;
  // Factor the tall orientation, m >= n: A [m, n] = Q R, on the tensor's device. A is drawn as
  // [n, m] and transposed: the order the values have always been drawn in, so a seed keeps its weights.
  const bool tall = rows >= cols;
  const std::int64_t m = tall ? rows : cols, n = tall ? cols : rows;
  NoGradGuard no_grad;
  const Tensor a = transpose(normal({n, m}, 0.0, 1.0, float64, generator).to(tensor.device()), 0, 1);
  const Tensor q = empty({m, n}, float64, tensor.device()), r = empty({n, n}, float64, tensor.device());
  kernel::qr(a, q, r);
  // kernel::qr makes R's diagonal positive, which makes Q unique, hence Haar-distributed.
  const Tensor scaled = q * gain;
  // Tall: Q is the [rows, cols] result; wide: Q^T is.
  assign(tensor, reshape(tall ? scaled : transpose(scaled, 0, 1), tensor.shape()));
}

}  // namespace lg::nn::init
