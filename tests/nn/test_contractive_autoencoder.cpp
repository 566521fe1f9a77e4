// ContractiveAutoencoder and the contractive penalty's three computations: the
// closed form and double backward agree to 1e-10 in float64; Hutchinson's mean
// over 2000 draws lies within 4 of its own standard errors of the exact value,
// and so does the mean of its gradient w.r.t. the weights;
// the penalty's gradient (second derivatives of the network's ops) and its
// gradient's gradient (third derivatives) pass gradcheck; double backward through
// a conv encoder equals a central-difference Jacobian; and the model: shapes,
// the loss terms by hand, tied weights as one parameter, training, seeds, errors.
// The conv body (ConvAutoencoder's stacks): shapes for flat and image inputs, its
// exact penalty against central differences of the whole encoder (a piecewise
// linear map, so the differences are exact up to rounding), Hutchinson's mean,
// training, seeds, and closed_form refused.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

// A float64 model on [batch, inputs] uniform data, with weights scaled up so the sigmoid
// slopes h (1 - h) differ across units (the default initialisation keeps them all near 1/4).
struct Float64Model {
  lg::Generator generator;
  nn::ContractiveAutoencoder model;
  lg::Tensor x;
  Float64Model(std::int64_t inputs, std::int64_t code, std::int64_t batch, std::uint64_t seed,
               nn::ContractiveAutoencoderOptions options = {})
      : generator(seed), model([&] {
          options.input_size = inputs;
          options.code_size = code;
          options.dtype = lg::float64;
          options.generator = &generator;
          return options;
        }()) {
    x = lg::rand({batch, inputs}, lg::float64, &generator);
    lg::NoGradGuard no_grad;
    lg::Tensor weight = model.encoder_weight();
    weight.mul_(4.0);
  }
};

double relative_difference(double a, double b) { return std::abs(a - b) / std::max(std::abs(a), std::abs(b)); }

// A tiny conv body: [B, 1, 8, 8] -> Conv2d(1 -> 2) -> [B, 2, 4, 4] -> Conv2d(2 -> 3) -> [B, 3, 2, 2] -> code [B, 3].
using Method = nn::JacobianPenaltyMethod;
nn::ContractiveAutoencoderOptions tiny_conv(lg::Generator* generator, lg::DType dtype = lg::float32,
                                            Method method = Method::double_backward) {
  return {.body = nn::ContractiveBody::conv,
          .penalty_weight = 0.5,
          .penalty_method = method,
          .hutchinson_draws = 2,
          .conv = {.image_size = 8, .channels = {2, 3}, .code_size = 3, .dtype = dtype, .generator = generator}};
}

// Images [batch, 1, side, side] that look a little like strokes: a Gaussian blob at a random place per example.
lg::Tensor blobs(std::int64_t batch, std::int64_t side, lg::Generator& generator, lg::DType dtype = lg::float32) {
  std::vector<double> values(static_cast<std::size_t>(batch * side * side));
  for (std::int64_t n = 0; n < batch; ++n) {
    const double cy = 1.0 + (side - 2.0) * generator.next_double(), cx = 1.0 + (side - 2.0) * generator.next_double();
    const double width = 0.8 + 1.2 * generator.next_double();
    for (std::int64_t y = 0; y < side; ++y)
      for (std::int64_t x = 0; x < side; ++x)
        values[static_cast<std::size_t>((n * side + y) * side + x)] =
            std::exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2.0 * width * width));
  }
  return lg::from_vector(values, {batch, 1, side, side}, dtype);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(contractive_autoencoder)

BOOST_AUTO_TEST_CASE(closed_form_and_double_backward_agree_to_1e_10) {
  struct Size { std::int64_t inputs, code, batch; };
  for (const Size size : {Size{4, 3, 2}, Size{10, 7, 5}, Size{30, 16, 3}, Size{1, 1, 4}}) {
    Float64Model m(size.inputs, size.code, size.batch, 100 + static_cast<std::uint64_t>(size.inputs));
    const double closed = m.model.jacobian_penalty(m.x, nn::JacobianPenaltyMethod::closed_form).item<double>();
    const double exact = m.model.jacobian_penalty(m.x, nn::JacobianPenaltyMethod::double_backward).item<double>();
    BOOST_TEST(closed > 0.0);
    BOOST_TEST_MESSAGE("[" << size.inputs << " -> " << size.code << "], batch " << size.batch
                           << ": relative difference " << relative_difference(closed, exact));
    BOOST_TEST(relative_difference(closed, exact) <= 1e-10,
               "[" << size.inputs << " -> " << size.code << "], batch " << size.batch << ": closed form " << closed
                   << ", double backward " << exact);
  }
}

BOOST_AUTO_TEST_CASE(hutchinson_mean_is_within_4_standard_errors) {
  Float64Model m(8, 5, 3, 200);
  const nn::EncoderFunction encoder = [&](const lg::Tensor& input) { return m.model.encode(input); };
  const double exact = nn::jacobian_penalty_by_double_backward(encoder, m.x).item<double>();
  for (const auto distribution : {nn::ProbeDistribution::gaussian, nn::ProbeDistribution::rademacher}) {
    lg::Generator probes(201);
    const int draws = 2000;
    double sum = 0.0, sum_of_squares = 0.0;
    for (int draw = 0; draw < draws; ++draw) {
      const double value =
          nn::jacobian_penalty_by_hutchinson(encoder, m.x, {.draws = 1, .distribution = distribution, .generator = &probes})
              .item<double>();
      sum += value;
      sum_of_squares += value * value;
    }
    const double mean = sum / draws;
    const double variance = (sum_of_squares - draws * mean * mean) / (draws - 1);
    const double standard_error = std::sqrt(variance / draws);
    BOOST_TEST(standard_error > 0.0);
    BOOST_TEST_MESSAGE("Hutchinson: mean " << mean << ", exact " << exact << ", " << std::abs(mean - exact) / standard_error
                                           << " standard errors (" << standard_error << ")");
    BOOST_TEST(std::abs(mean - exact) <= 4.0 * standard_error,
               "mean " << mean << ", exact " << exact << ", standard error " << standard_error);
  }
}

BOOST_AUTO_TEST_CASE(hutchinson_gradient_is_unbiased) {
  // Training on the estimate descends the exact penalty in expectation: the mean over draws of the
  // estimate's gradient w.r.t. W and b lies within 4 standard errors of the exact gradient, element by element.
  const lg::Tensor x = random64({3, 5}, 250, false);
  const lg::Tensor weight = random64({4, 5}, 251);
  const lg::Tensor bias = random64({4}, 252);
  const nn::EncoderFunction encoder = [&](const lg::Tensor& input) {
    return lg::sigmoid(lg::linear(input, weight, bias));
  };
  const auto flat_gradient = [&](const lg::Tensor& penalty) {
    const auto grads = lg::grad({penalty}, {weight, bias});
    std::vector<double> values = grads[0].to_vector<double>();
    const std::vector<double> bias_values = grads[1].to_vector<double>();
    values.insert(values.end(), bias_values.begin(), bias_values.end());
    return values;
  };
  const std::vector<double> exact = flat_gradient(nn::jacobian_penalty_by_double_backward(encoder, x));
  lg::Generator probes(253);
  const int draws = 2000;
  std::vector<double> sum(exact.size()), sum_of_squares(exact.size());
  for (int draw = 0; draw < draws; ++draw) {
    const auto g = flat_gradient(nn::jacobian_penalty_by_hutchinson(encoder, x, {.draws = 1, .generator = &probes}));
    for (std::size_t i = 0; i < g.size(); ++i) {
      sum[i] += g[i];
      sum_of_squares[i] += g[i] * g[i];
    }
  }
  double worst = 0.0;
  for (std::size_t i = 0; i < exact.size(); ++i) {
    const double mean = sum[i] / draws;
    const double standard_error = std::sqrt((sum_of_squares[i] - draws * mean * mean) / (draws - 1) / draws);
    worst = std::max(worst, std::abs(mean - exact[i]) / standard_error);
    BOOST_TEST(std::abs(mean - exact[i]) <= 4.0 * standard_error,
               "element " << i << ": mean " << mean << ", exact " << exact[i] << ", standard error " << standard_error);
  }
  BOOST_TEST_MESSAGE("Hutchinson gradient: worst element " << worst << " standard errors from the exact one");
}

BOOST_AUTO_TEST_CASE(penalty_gradcheck_and_gradgradcheck_float64) {
  // 4 inputs, 3 code dims, batch 2; the input is a constant, W and b are checked.
  const lg::Tensor x = random64({2, 4}, 300, false);
  const lg::Tensor weight = random64({3, 4}, 301);
  const lg::Tensor bias = random64({3}, 302);
  const lg::TensorFunction closed_form = [&](const std::vector<lg::Tensor>& args) {
    return nn::sigmoid_layer_jacobian_penalty(lg::sigmoid(lg::linear(x, args[0], args[1])), args[0]);
  };
  const lg::TensorFunction double_backward = [&](const std::vector<lg::Tensor>& args) {
    const nn::EncoderFunction encoder = [&](const lg::Tensor& input) {
      return lg::sigmoid(lg::linear(input, args[0], args[1]));
    };
    return nn::jacobian_penalty_by_double_backward(encoder, x);
  };
  check_function("sigmoid_layer_jacobian_penalty", closed_form, {weight, bias});
  check_function("jacobian_penalty_by_double_backward", double_backward, {weight, bias});
}

BOOST_AUTO_TEST_CASE(model_loss_gradcheck_and_gradgradcheck_float64) {
  // The whole objective w.r.t. every parameter, tied and untied, with the penalty by either exact method.
  for (const bool tied : {true, false})
    for (const auto method : {nn::JacobianPenaltyMethod::closed_form, nn::JacobianPenaltyMethod::double_backward}) {
      Float64Model m(4, 3, 2, 350, {.tied_weights = tied, .penalty_weight = 0.5, .penalty_method = method});
      const lg::TensorFunction objective = [&](const std::vector<lg::Tensor>&) {
        return m.model.loss(m.x, m.model.forward(m.x)).total;
      };
      check_function(std::string("ContractiveAutoencoder::loss, ") + (tied ? "tied" : "untied") +
                         (method == nn::JacobianPenaltyMethod::closed_form ? ", closed form" : ", double backward"),
                     objective, m.model.parameters());
    }
}

BOOST_AUTO_TEST_CASE(double_backward_through_a_conv_encoder_matches_finite_differences) {
  // Conv2d(1 -> 2, 3x3, padding 1) + tanh, flatten, Linear(32 -> 3): [2, 1, 4, 4] -> [2, 3].
  const lg::Tensor conv_weight = random64({2, 1, 3, 3}, 400, false);
  const lg::Tensor conv_bias = random64({2}, 401, false);
  const lg::Tensor linear_weight = random64({3, 32}, 402, false) * 0.3;
  const lg::Tensor linear_bias = random64({3}, 403, false);
  const nn::EncoderFunction encoder = [&](const lg::Tensor& input) {
    const lg::Tensor features = lg::tanh(lg::conv2d(input, conv_weight, conv_bias, {1, 1}, {1, 1}));
    return lg::linear(lg::flatten(features, 1), linear_weight, linear_bias);
  };
  const lg::Shape shape{2, 1, 4, 4};
  const std::vector<double> x = random64(shape, 404, false).to_vector<double>();
  const double exact = nn::jacobian_penalty_by_double_backward(encoder, lg::from_vector(x, shape, lg::float64))
                           .item<double>();

  // Central differences: perturbing one input value moves only its own example's code.
  const double eps = 1e-5;
  double sum_of_squares = 0.0;
  lg::NoGradGuard no_grad;
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::vector<double> plus = x, minus = x;
    plus[i] += eps;
    minus[i] -= eps;
    const auto up = encoder(lg::from_vector(plus, shape, lg::float64)).to_vector<double>();
    const auto down = encoder(lg::from_vector(minus, shape, lg::float64)).to_vector<double>();
    for (std::size_t k = 0; k < up.size(); ++k) {
      const double derivative = (up[k] - down[k]) / (2 * eps);
      sum_of_squares += derivative * derivative;
    }
  }
  const double numeric = sum_of_squares / 2.0;
  BOOST_TEST_MESSAGE("conv encoder: relative difference " << relative_difference(exact, numeric));
  BOOST_TEST(relative_difference(exact, numeric) <= 1e-7, "double backward " << exact << ", finite differences " << numeric);
}

BOOST_AUTO_TEST_CASE(shapes_and_tied_weights_are_one_parameter) {
  lg::Generator generator(500);
  nn::ContractiveAutoencoder model({.input_size = 64, .code_size = 12, .generator = &generator});
  const lg::Tensor x = lg::rand({5, 1, 8, 8}, lg::float32, &generator);
  const nn::ContractiveAutoencoderOutput out = model.forward(x);
  BOOST_TEST(out.code.shape() == (lg::Shape{5, 12}));
  BOOST_TEST(out.reconstruction.shape() == x.shape());
  BOOST_TEST(model.decode(out.code).shape() == (lg::Shape{5, 64}));
  std::set<std::string> names;
  for (const auto& [name, parameter] : model.named_parameters()) names.insert(name);
  BOOST_TEST((names == std::set<std::string>{"encoder.weight", "encoder.bias", "decoder_bias"}));

  // Tied: W's gradient is the encoder's plus the transposed decoder's, as in an untied model holding W^T.
  nn::ContractiveAutoencoder untied({.input_size = 64, .code_size = 12, .tied_weights = false});
  nn::StateDict state = model.state_dict();
  state["decoder.weight"] = lg::contiguous(lg::matrix_transpose(state["encoder.weight"]));
  state["decoder.bias"] = state["decoder_bias"];
  state.erase("decoder_bias");
  untied.load_state_dict(state);
  BOOST_TEST(lg::max(lg::abs(untied.forward(x).reconstruction - out.reconstruction)).item<double>() <= 1e-6);
  model.loss(x, out).total.backward();
  untied.loss(x, untied.forward(x)).total.backward();
  lg::Tensor encoder_grad, decoder_grad;
  for (const auto& [name, parameter] : untied.named_parameters()) {
    if (name == "encoder.weight") encoder_grad = parameter.tensor.grad();
    if (name == "decoder.weight") decoder_grad = parameter.tensor.grad();
  }
  const lg::Tensor expected = encoder_grad + lg::matrix_transpose(decoder_grad);
  const double error = lg::max(lg::abs(model.encoder_weight().grad() - expected)).item<double>();
  BOOST_TEST(error <= 1e-6 * (1.0 + lg::max(lg::abs(expected)).item<double>()));
  BOOST_TEST(lg::max(lg::abs(decoder_grad)).item<double>() > 0.0);
}

BOOST_AUTO_TEST_CASE(loss_terms_equal_a_hand_computation) {
  for (const auto reconstruction : {nn::ReconstructionLoss::binary_cross_entropy, nn::ReconstructionLoss::squared_error}) {
    Float64Model m(3, 2, 2, 600, {.penalty_weight = 0.7, .reconstruction_loss = reconstruction});
    const nn::ContractiveAutoencoderLoss loss = m.model.loss(m.x, m.model.forward(m.x));
    std::map<std::string, std::vector<double>> p;
    for (const auto& [name, parameter] : m.model.named_parameters()) p[name] = parameter.tensor.to_vector<double>();
    const auto& w = p["encoder.weight"];  // [2, 3]
    const auto x = m.x.to_vector<double>();
    double rec = 0.0, pen = 0.0;
    for (int n = 0; n < 2; ++n) {
      double h[2];
      for (int j = 0; j < 2; ++j) {
        double a = p["encoder.bias"][j];
        for (int i = 0; i < 3; ++i) a += w[j * 3 + i] * x[n * 3 + i];
        h[j] = 1.0 / (1.0 + std::exp(-a));
        const double slope = h[j] * (1.0 - h[j]);
        for (int i = 0; i < 3; ++i) pen += slope * slope * w[j * 3 + i] * w[j * 3 + i];
      }
      for (int i = 0; i < 3; ++i) {
        double a = p["decoder_bias"][i];
        for (int j = 0; j < 2; ++j) a += w[j * 3 + i] * h[j];  // W^T h
        const double r = 1.0 / (1.0 + std::exp(-a)), t = x[n * 3 + i];
        rec += reconstruction == nn::ReconstructionLoss::binary_cross_entropy
                   ? -(t * std::log(r) + (1.0 - t) * std::log(1.0 - r))
                   : (t - r) * (t - r);
      }
    }
    rec /= 2.0;
    pen /= 2.0;
    BOOST_TEST(std::abs(loss.reconstruction.item<double>() - rec) <= 1e-12 * rec);
    BOOST_TEST(std::abs(loss.penalty.item<double>() - pen) <= 1e-12 * pen);
    BOOST_TEST(std::abs(loss.total.item<double>() - (rec + 0.7 * pen)) <= 1e-12 * (rec + pen));
  }
}

BOOST_AUTO_TEST_CASE(adam_reduces_the_loss_for_each_penalty_method) {
  for (const auto method : {nn::JacobianPenaltyMethod::closed_form, nn::JacobianPenaltyMethod::double_backward,
                            nn::JacobianPenaltyMethod::hutchinson}) {
    lg::Generator generator(700);
    nn::ContractiveAutoencoder model(
        {.input_size = 36, .code_size = 8, .penalty_weight = 0.5, .penalty_method = method, .generator = &generator});
    // Random pixels cubed: mostly dark (mean 1/4), as in digit images.
    const lg::Tensor u = lg::rand({16, 36}, lg::float32, &generator);
    const lg::Tensor x = u * u * u;
    lg::optim::Adam adam(model.named_parameters(), {.lr = 1e-2});
    double first = 0.0, last = 0.0;
    for (int step = 0; step < 30; ++step) {
      adam.zero_grad();
      const nn::ContractiveAutoencoderLoss loss = model.loss(x, model.forward(x), &generator);
      loss.total.backward();
      adam.step();
      (step == 0 ? first : last) = loss.total.item<double>();
    }
    BOOST_TEST(std::isfinite(last));
    BOOST_TEST(last < 0.9 * first, "loss went from " << first << " to " << last);
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_bits) {
  const auto run = [](nn::JacobianPenaltyMethod method) {
    lg::Generator generator(800);
    nn::ContractiveAutoencoder model(
        {.input_size = 20, .code_size = 6, .penalty_method = method, .hutchinson_draws = 3, .generator = &generator});
    const lg::Tensor x = lg::rand({4, 20}, lg::float32, &generator);
    lg::optim::Adam adam(model.named_parameters(), {.lr = 1e-2});
    for (int step = 0; step < 3; ++step) {
      adam.zero_grad();
      model.loss(x, model.forward(x), &generator).total.backward();
      adam.step();
    }
    return state_bytes(model);
  };
  for (const auto method : {nn::JacobianPenaltyMethod::closed_form, nn::JacobianPenaltyMethod::hutchinson})
    BOOST_TEST((run(method) == run(method)));
}

// The generic penalties differentiate the code with respect to a leaf forward() makes when x does not
// require grad; loss() turns it off, so backward() computes no gradient for it. The weights' gradients
// are the ones of the same step with x itself requiring grad (which does get its gradient).
BOOST_AUTO_TEST_CASE(own_input_leaf_gets_no_gradient_and_the_weights_gradients_are_unchanged) {
  for (const auto method : {Method::double_backward, Method::hutchinson}) {
    const auto gradients = [method](bool x_requires_grad) {
      lg::Generator generator(41);
      nn::ContractiveAutoencoder model({.input_size = 12,
                                        .code_size = 5,
                                        .penalty_method = method,
                                        .dtype = lg::float64,
                                        .generator = &generator});
      lg::Tensor x = lg::rand({3, 12}, lg::float64, &generator);
      if (x_requires_grad) x.requires_grad_();
      lg::Generator probes(7);
      const nn::ContractiveAutoencoderOutput output = model.forward(x);
      BOOST_TEST(output.input_is_own_leaf == !x_requires_grad);
      model.loss(x, output, &probes).total.backward();
      BOOST_TEST(output.input.requires_grad() == x_requires_grad);
      if (!x_requires_grad) BOOST_TEST(!output.input.grad().defined());  // the own leaf gets none
      BOOST_TEST(x.grad().defined() == x_requires_grad);
      std::vector<double> values;
      for (const auto& [name, parameter] : model.named_parameters())
        for (const double v : parameter.tensor.grad().to_vector<double>()) values.push_back(v);
      return values;
    };
    BOOST_TEST((gradients(false) == gradients(true)));
  }
}

BOOST_AUTO_TEST_CASE(bad_options_and_shapes_name_the_problem) {
  expect_error<lg::ValueError>([] { nn::ContractiveAutoencoder bad({.penalty_weight = -1.0}); },
                               "ContractiveAutoencoder: ", {"penalty_weight", "-1"});
  expect_error<lg::ValueError>([] { nn::ContractiveAutoencoder bad({.hutchinson_draws = 0}); },
                               "ContractiveAutoencoder: ", {"hutchinson_draws", "0"});
  expect_error<lg::ValueError>([] { nn::ContractiveAutoencoder bad({.code_size = 0}); }, "ContractiveAutoencoder: ",
                               {"code_size"});
  nn::ContractiveAutoencoder model({.input_size = 6, .code_size = 2, .penalty_method = nn::JacobianPenaltyMethod::hutchinson});
  const lg::Tensor x = lg::zeros({2, 6});
  expect_error<lg::ShapeError>([&] { model.forward(lg::zeros({2, 5})); }, "ContractiveAutoencoder: ", {"[2, 5]"});
  expect_error<lg::ShapeError>([&] { model.decode(lg::zeros({2, 3})); }, "ContractiveAutoencoder: ", {"[2, 3]"});
  expect_error<lg::ValueError>([&] { model.loss(x, model.forward(x)); }, "ContractiveAutoencoder: ", {"generator"});
  lg::Generator generator(900);
  const nn::EncoderFunction encoder = [&](const lg::Tensor& input) { return model.encode(input); };
  expect_error<lg::ValueError>(
      [&] { nn::jacobian_penalty_by_hutchinson(encoder, x, {.draws = 0, .generator = &generator}); },
      "jacobian_penalty_by_hutchinson: ", {"draws", "0"});
  expect_error<lg::ShapeError>([&] { nn::sigmoid_layer_jacobian_penalty(lg::zeros({2, 3}), lg::zeros({2, 6})); },
                               "sigmoid_layer_jacobian_penalty: ", {"[2, 3]", "[2, 6]"});
}

BOOST_AUTO_TEST_CASE(conv_body_shapes_names_and_defaults) {
  lg::Generator generator(1000);
  nn::ContractiveAutoencoder model(
      {.body = nn::ContractiveBody::conv,
       .conv = {.image_size = 8, .channels = {2, 3}, .code_size = 3, .generator = &generator}});
  BOOST_TEST((model.options().penalty_method == Method::double_backward));  // the conv default
  BOOST_TEST(model.input_size() == 64);
  BOOST_TEST(model.code_size() == 3);
  const lg::Tensor images = lg::rand({5, 1, 8, 8}, lg::float32, &generator);
  const lg::Tensor flat = lg::reshape(images, {5, 64});
  const nn::ContractiveAutoencoderOutput from_images = model.forward(images), from_flat = model.forward(flat);
  BOOST_TEST(from_images.code.shape() == (lg::Shape{5, 3}));
  BOOST_TEST(from_images.reconstruction.shape() == images.shape());
  BOOST_TEST(from_flat.reconstruction.shape() == flat.shape());
  BOOST_TEST(same_bits(from_images.code, from_flat.code));
  BOOST_TEST(model.decode(from_images.code).shape() == (lg::Shape{5, 64}));
  BOOST_TEST(model.decode_logits(from_images.code).shape() == (lg::Shape{5, 64}));
  BOOST_TEST(lg::min(from_images.reconstruction).item<double>() >= 0.0);
  BOOST_TEST(lg::max(from_images.reconstruction).item<double>() <= 1.0);
  for (const auto& [name, parameter] : model.named_parameters()) BOOST_TEST(name.rfind("conv.", 0) == 0, name);
  const nn::ContractiveAutoencoderLoss loss = model.loss(images, from_images);
  BOOST_TEST(loss.total.dim() == 0);
  BOOST_TEST(loss.penalty.item<double>() > 0.0);
  const double total = loss.reconstruction.item<double>() + 0.1 * loss.penalty.item<double>();
  BOOST_TEST(std::abs(loss.total.item<double>() - total) <= 1e-5 * total);
  // The sigmoid layer keeps its closed form by default.
  nn::ContractiveAutoencoder sigmoid_layer({.input_size = 6, .code_size = 2});
  BOOST_TEST((sigmoid_layer.options().penalty_method == Method::closed_form));
}

BOOST_AUTO_TEST_CASE(conv_body_double_backward_equals_finite_difference_jacobian_float64) {
  // The encoder is piecewise linear (conv, ReLU, conv, ReLU, linear), so central differences are exact up to
  // rounding unless a step crosses a kink; the inputs are moved one value at a time, the whole model run each time.
  lg::Generator generator(1100);
  nn::ContractiveAutoencoder model(tiny_conv(&generator, lg::float64));
  const lg::Shape shape{2, 1, 8, 8};
  const std::vector<double> x = blobs(2, 8, generator, lg::float64).to_vector<double>();
  const double exact = model.jacobian_penalty(lg::from_vector(x, shape, lg::float64),
                                              Method::double_backward)
                           .item<double>();
  const double eps = 1e-6;
  double sum_of_squares = 0.0;
  lg::NoGradGuard no_grad;
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::vector<double> plus = x, minus = x;
    plus[i] += eps;
    minus[i] -= eps;
    const auto up = model.encode(lg::from_vector(plus, shape, lg::float64)).to_vector<double>();
    const auto down = model.encode(lg::from_vector(minus, shape, lg::float64)).to_vector<double>();
    for (std::size_t k = 0; k < up.size(); ++k) {
      const double derivative = (up[k] - down[k]) / (2 * eps);
      sum_of_squares += derivative * derivative;
    }
  }
  const double numeric = sum_of_squares / 2.0;
  BOOST_TEST(exact > 0.0);
  BOOST_TEST_MESSAGE("conv body: double backward " << exact << ", finite differences " << numeric
                                                   << ", relative difference " << relative_difference(exact, numeric));
  BOOST_TEST(relative_difference(exact, numeric) <= 1e-7,
             "double backward " << exact << ", finite differences " << numeric);
}

BOOST_AUTO_TEST_CASE(conv_body_hutchinson_mean_is_within_4_standard_errors) {
  lg::Generator generator(1200);
  nn::ContractiveAutoencoder model(tiny_conv(&generator, lg::float64, Method::hutchinson));
  const lg::Tensor x = blobs(3, 8, generator, lg::float64);
  const double exact = model.jacobian_penalty(x, Method::double_backward).item<double>();
  lg::Generator probes(1201);
  const int draws = 1000;  // each value is the mean of hutchinson_draws = 2 probes per example
  double sum = 0.0, sum_of_squares = 0.0;
  for (int draw = 0; draw < draws; ++draw) {
    const double value = model.jacobian_penalty(x, Method::hutchinson, &probes).item<double>();
    sum += value;
    sum_of_squares += value * value;
  }
  const double mean = sum / draws;
  const double standard_error = std::sqrt((sum_of_squares - draws * mean * mean) / (draws - 1) / draws);
  BOOST_TEST(standard_error > 0.0);
  BOOST_TEST_MESSAGE("conv body, Hutchinson: mean " << mean << ", exact " << exact << ", "
                                                   << std::abs(mean - exact) / standard_error << " standard errors");
  BOOST_TEST(std::abs(mean - exact) <= 4.0 * standard_error,
             "mean " << mean << ", exact " << exact << ", standard error " << standard_error);
}

BOOST_AUTO_TEST_CASE(conv_body_refuses_closed_form_and_encoder_weight) {
  lg::Generator generator(1300);
  expect_error<lg::ValueError>(
      [&] { nn::ContractiveAutoencoder bad(tiny_conv(&generator, lg::float32, Method::closed_form)); },
      "ContractiveAutoencoder: ", {"penalty_method", "closed_form", "sigmoid_layer", "one sigmoid layer"});
  nn::ContractiveAutoencoder model(tiny_conv(&generator));
  const lg::Tensor x = lg::rand({2, 64}, lg::float32, &generator);
  expect_error<lg::ValueError>([&] { model.jacobian_penalty(x, Method::closed_form); },
                               "ContractiveAutoencoder: ", {"closed_form", "sigmoid_layer"});
  expect_error<lg::ValueError>([&] { model.encoder_weight(); }, "ContractiveAutoencoder: ", {"encoder_weight", "conv"});
  expect_error<lg::ShapeError>([&] { model.forward(lg::zeros({2, 1, 7, 7})); }, "ContractiveAutoencoder: ",
                               {"[2, 1, 7, 7]", "64"});
  expect_error<lg::ShapeError>([&] { model.decode(lg::zeros({2, 4})); }, "ContractiveAutoencoder: ", {"[2, 4]"});
  expect_error<lg::ValueError>(
      [&] { nn::ContractiveAutoencoder bad({.body = nn::ContractiveBody::conv, .conv = {.image_size = 6}}); },
      "ConvAutoencoder: ", {"image_size"});
}

BOOST_AUTO_TEST_CASE(conv_body_adam_reduces_the_loss) {
  for (const auto method : {Method::double_backward, Method::hutchinson})
    for (const auto reconstruction :
         {nn::ReconstructionLoss::binary_cross_entropy, nn::ReconstructionLoss::squared_error}) {
      lg::Generator generator(1400);
      nn::ContractiveAutoencoderOptions options = tiny_conv(&generator, lg::float32, method);
      options.reconstruction_loss = reconstruction;
      nn::ContractiveAutoencoder model(options);
      const lg::Tensor x = blobs(16, 8, generator);
      lg::optim::Adam adam(model.named_parameters(), {.lr = 1e-2});
      double first = 0.0, last = 0.0;
      for (int step = 0; step < 30; ++step) {
        adam.zero_grad();
        const nn::ContractiveAutoencoderLoss loss = model.loss(x, model.forward(x), &generator);
        loss.total.backward();
        adam.step();
        (step == 0 ? first : last) = loss.total.item<double>();
      }
      BOOST_TEST(std::isfinite(last));
      BOOST_TEST(last < 0.9 * first, "loss went from " << first << " to " << last);
    }
}

BOOST_AUTO_TEST_CASE(conv_body_same_seed_same_bits) {
  const auto run = [](nn::JacobianPenaltyMethod method) {
    lg::Generator generator(1500);
    nn::ContractiveAutoencoder model(tiny_conv(&generator, lg::float32, method));
    const lg::Tensor x = blobs(4, 8, generator);
    lg::optim::Adam adam(model.named_parameters(), {.lr = 1e-2});
    for (int step = 0; step < 3; ++step) {
      adam.zero_grad();
      model.loss(x, model.forward(x), &generator).total.backward();
      adam.step();
    }
    return state_bytes(model);
  };
  for (const auto method : {Method::double_backward, Method::hutchinson})
    BOOST_TEST((run(method) == run(method)));
}

BOOST_AUTO_TEST_SUITE_END()
