// Initialisers: fill a tensor in place (under NoGradGuard, so parameters can be
// initialised) from the given generator, or the default one when null.
//
//   fan_in = size(1) * receptive, fan_out = size(0) * receptive, where
//   receptive is the product of dims 2.. (conv kernels); as PyTorch.
//   gain: linear 1, relu sqrt(2), leaky_relu sqrt(2 / (1 + a^2)), tanh 5/3.
//   xavier_uniform  U(-b, b), b = gain sqrt(6 / (fan_in + fan_out))
//   xavier_normal   N(0, s^2), s = gain sqrt(2 / (fan_in + fan_out))
//   kaiming_uniform U(-b, b), b = gain sqrt(3 / fan)
//   kaiming_normal  N(0, s^2), s = gain / sqrt(fan)
//   orthogonal      Q of the QR of a Gaussian matrix (rows = size(0), the rest
//                   flattened), columns' signs fixed by diag(R) so the law is
//                   Haar; rows < cols is done on the transpose. Times gain.
#pragma once
#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace lg::nn::init {

enum class Nonlinearity { linear, relu, leaky_relu, tanh, sigmoid };
enum class FanMode { fan_in, fan_out };

// The recommended gain; `param` is leaky_relu's negative slope.
double calculate_gain(Nonlinearity nonlinearity, double param = 0.01);
struct Fans {
  std::int64_t fan_in;
  std::int64_t fan_out;
};
// Needs at least 2 dims (ValueError naming `op` otherwise).
Fans calculate_fans(const Tensor& tensor, std::string_view op = "init");

void zeros_(Tensor& tensor);
void ones_(Tensor& tensor);
void constant_(Tensor& tensor, double value);
void uniform_(Tensor& tensor, double low = 0.0, double high = 1.0, Generator* generator = nullptr);
void normal_(Tensor& tensor, double mean = 0.0, double stddev = 1.0, Generator* generator = nullptr);

void xavier_uniform_(Tensor& tensor, double gain = 1.0, Generator* generator = nullptr);
void xavier_normal_(Tensor& tensor, double gain = 1.0, Generator* generator = nullptr);

struct KaimingOptions {
  double a = 0.0;  // leaky_relu's negative slope
  FanMode mode = FanMode::fan_in;
  Nonlinearity nonlinearity = Nonlinearity::leaky_relu;
  Generator* generator = nullptr;
};
void kaiming_uniform_(Tensor& tensor, const KaimingOptions& options = {});
void kaiming_normal_(Tensor& tensor, const KaimingOptions& options = {});

void orthogonal_(Tensor& tensor, double gain = 1.0, Generator* generator = nullptr);

}  // namespace lg::nn::init
