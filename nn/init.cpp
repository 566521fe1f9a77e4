// Initialisers (formulas in init.hpp). Values are drawn in float64 and copied
// in, so a float32 and a float64 tensor get the same numbers up to rounding.
#include "nn/init.hpp"

#include <cmath>
#include <lapacke.h>
#include <vector>

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/view.hpp"

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
  // Factor the tall orientation: m >= n, column-major A (m x n) = Q R.
  const bool tall = rows >= cols;
  const std::int64_t m = tall ? rows : cols, n = tall ? cols : rows;
  std::vector<double> a = normal({m * n}, 0.0, 1.0, float64, generator).to_vector<double>();
  std::vector<double> tau(static_cast<std::size_t>(n));
  const auto lm = static_cast<lapack_int>(m), ln = static_cast<lapack_int>(n);
  check<InternalError>(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, lm, ln, a.data(), lm, tau.data()) == 0, "orthogonal_",
                       "internal error: dgeqrf failed");
  std::vector<double> sign(static_cast<std::size_t>(n));
  for (std::int64_t j = 0; j < n; ++j) sign[j] = a[j * m + j] < 0.0 ? -1.0 : 1.0;  // sign of diag(R)
  check<InternalError>(LAPACKE_dorgqr(LAPACK_COL_MAJOR, lm, ln, ln, a.data(), lm, tau.data()) == 0, "orthogonal_",
                       "internal error: dorgqr failed");
  // Q (m x n, column-major) with column j times sign[j]. Tall: the result is Q
  // in row-major [rows, cols]; wide: the result is Q^T, i.e. Q read column-major.
  std::vector<double> values(static_cast<std::size_t>(rows * cols));
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      const double q = gain * sign[j] * a[j * m + i];
      if (tall) values[i * n + j] = q;
      else values[j * m + i] = q;
    }
  assign(tensor, from_vector(values, tensor.shape(), float64));
}

}  // namespace lg::nn::init
