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

// The nonlinearity following a layer, which sets calculate_gain's value.
enum class Nonlinearity { linear, relu, leaky_relu, tanh, sigmoid };
// Which fan Kaiming initialisation scales by: fan_in keeps forward variances, fan_out backward ones.
enum class FanMode { fan_in, fan_out };

// The recommended gain; `param` is leaky_relu's negative slope.
double calculate_gain(Nonlinearity nonlinearity, double param = 0.01);
// The fans of a weight tensor, as defined above.
struct Fans {
  // size(1) times the receptive field.
  std::int64_t fan_in;
  // size(0) times the receptive field.
  std::int64_t fan_out;
};
// Needs at least 2 dims (ValueError naming `op` otherwise).
Fans calculate_fans(const Tensor& tensor, std::string_view op = "init");

// Fills the tensor with 0; throws ValueError when undefined, DTypeError when not floating.
void zeros_(Tensor& tensor);
// Fills the tensor with 1; throws as zeros_ does.
void ones_(Tensor& tensor);
// Fills the tensor with `value`; throws ValueError when undefined, DTypeError when not floating.
void constant_(Tensor& tensor, double value);
// Draws from U(low, high); throws ValueError when low > high, as zeros_ on a bad tensor.
void uniform_(Tensor& tensor, double low = 0.0, double high = 1.0, Generator* generator = nullptr);
// Draws from N(mean, stddev^2); throws ValueError when stddev < 0, as zeros_ on a bad tensor.
void normal_(Tensor& tensor, double mean = 0.0, double stddev = 1.0, Generator* generator = nullptr);

// Draws from U(-b, b), b = gain sqrt(6 / (fan_in + fan_out)); needs at least 2 dims (ValueError).
void xavier_uniform_(Tensor& tensor, double gain = 1.0, Generator* generator = nullptr);
// Draws from N(0, s^2), s = gain sqrt(2 / (fan_in + fan_out)); needs at least 2 dims (ValueError).
void xavier_normal_(Tensor& tensor, double gain = 1.0, Generator* generator = nullptr);

// Options of kaiming_uniform_ and kaiming_normal_.
struct KaimingOptions {
  double a = 0.0;  // leaky_relu's negative slope
  // Scale by fan_in or fan_out.
  FanMode mode = FanMode::fan_in;
  // The nonlinearity whose gain is used.
  Nonlinearity nonlinearity = Nonlinearity::leaky_relu;
  // The generator to draw from; null means the default one.
  Generator* generator = nullptr;
};
// Draws from U(-b, b), b = gain sqrt(3 / fan); throws ValueError on fewer than 2 dims or a zero fan.
void kaiming_uniform_(Tensor& tensor, const KaimingOptions& options = {});
// Draws from N(0, s^2), s = gain / sqrt(fan); throws ValueError on fewer than 2 dims or a zero fan.
void kaiming_normal_(Tensor& tensor, const KaimingOptions& options = {});

// Fills with gain times a Haar-random orthogonal matrix [size(0), rest flattened]; needs at least 2 dims
// (ValueError).
void orthogonal_(Tensor& tensor, double gain = 1.0, Generator* generator = nullptr);

}  // namespace lg::nn::init
