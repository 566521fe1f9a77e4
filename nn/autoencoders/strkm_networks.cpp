// The St-RKM authors' encoder and decoder with a capacity parameter (strkm_networks.hpp).
#include "nn/autoencoders/strkm_networks.hpp"

#include "autograd/error.hpp"
#include "nn/activation.hpp"
#include "nn/conv.hpp"
#include "nn/flatten.hpp"
#include "nn/linear.hpp"

namespace lg::nn {
namespace {

constexpr double slope = 0.2;  // LeakyReLU's negative slope throughout

// The side after the third convolution: 5 for 28 x 28 images, 8 for 64 x 64.
std::int64_t last_side(std::int64_t image_size) { return image_size == 28 ? 5 : 8; }

}  // namespace

void check_strkm_network_options(const StrkmNetworkOptions& o, const char* op) {
  check<ValueError>(o.in_channels > 0, op, "in_channels must be positive, got ", o.in_channels);
  check<ValueError>(o.image_size == 28 || o.image_size == 64, op, "image_size must be 28 or 64, got ",
                    o.image_size);
  check<ValueError>(o.capacity > 0, op, "capacity must be positive, got ", o.capacity);
  check<ValueError>(o.hidden_size > 0, op, "hidden_size must be positive, got ", o.hidden_size);
}

std::shared_ptr<Sequential> strkm_encoder(const StrkmNetworkOptions& o, std::int64_t out_features) {
  check_strkm_network_options(o, "strkm_encoder");
  check<ValueError>(out_features > 0, "strkm_encoder", "out_features must be positive, got ", out_features);
  const std::int64_t c = o.capacity, side = last_side(o.image_size);
  const Conv2dOptions down{.stride = {2, 2}, .padding = {1, 1}, .dtype = o.dtype, .generator = o.generator};
  const Conv2dOptions valid{.dtype = o.dtype, .generator = o.generator};
  const LinearOptions linear{.bias = true, .dtype = o.dtype, .generator = o.generator};
  auto net = std::make_shared<Sequential>();
  net->push_back(std::make_shared<Conv2d>(o.in_channels, c, Pair{4, 4}, down));
  net->push_back(std::make_shared<LeakyReLU>(slope));
  net->push_back(std::make_shared<Conv2d>(c, 2 * c, Pair{4, 4}, down));
  net->push_back(std::make_shared<LeakyReLU>(slope));
  if (o.image_size == 28)
    net->push_back(std::make_shared<Conv2d>(2 * c, 4 * c, Pair{3, 3}, valid));
  else
    net->push_back(std::make_shared<Conv2d>(2 * c, 4 * c, Pair{4, 4}, down));
  net->push_back(std::make_shared<LeakyReLU>(slope));
  net->push_back(std::make_shared<Flatten>());
  net->push_back(std::make_shared<Linear>(4 * c * side * side, o.hidden_size, linear));
  net->push_back(std::make_shared<LeakyReLU>(slope));
  net->push_back(std::make_shared<Linear>(o.hidden_size, out_features, linear));
  return net;
}

std::shared_ptr<Sequential> strkm_decoder(const StrkmNetworkOptions& o, std::int64_t in_features) {
  check_strkm_network_options(o, "strkm_decoder");
  check<ValueError>(in_features > 0, "strkm_decoder", "in_features must be positive, got ", in_features);
  const std::int64_t c = o.capacity, side = last_side(o.image_size);
  const ConvTranspose2dOptions up{.stride = {2, 2}, .padding = {1, 1}, .dtype = o.dtype, .generator = o.generator};
  const ConvTranspose2dOptions valid{.dtype = o.dtype, .generator = o.generator};
  const LinearOptions linear{.bias = true, .dtype = o.dtype, .generator = o.generator};
  auto net = std::make_shared<Sequential>();
  net->push_back(std::make_shared<Linear>(in_features, o.hidden_size, linear));
  net->push_back(std::make_shared<LeakyReLU>(slope));
  net->push_back(std::make_shared<Linear>(o.hidden_size, 4 * c * side * side, linear));
  net->push_back(std::make_shared<LeakyReLU>(slope));
  net->push_back(std::make_shared<Unflatten>(1, Shape{4 * c, side, side}));
  if (o.image_size == 28)
    net->push_back(std::make_shared<ConvTranspose2d>(4 * c, 2 * c, Pair{3, 3}, valid));
  else
    net->push_back(std::make_shared<ConvTranspose2d>(4 * c, 2 * c, Pair{4, 4}, up));
  net->push_back(std::make_shared<LeakyReLU>(slope));
  net->push_back(std::make_shared<ConvTranspose2d>(2 * c, c, Pair{4, 4}, up));
  net->push_back(std::make_shared<LeakyReLU>(slope));
  net->push_back(std::make_shared<ConvTranspose2d>(c, o.in_channels, Pair{4, 4}, up));
  return net;
}

}  // namespace lg::nn
