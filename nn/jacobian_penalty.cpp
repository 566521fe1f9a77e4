#include "nn/jacobian_penalty.hpp"

#include "autograd/engine.hpp"
#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::nn {
namespace {

// x itself when it already requires grad (so the penalty stays differentiable in x), otherwise a
// copy that does: the Jacobian is taken with respect to it.
Tensor differentiable_input(const Tensor& x) {
  if (x.requires_grad()) return x;
  Tensor input = x.detach();
  input.requires_grad_();
  return input;
}

// The encoder's codes flattened to [B, K]; ShapeError unless they keep the batch dim.
// The code as [B, K]; checks it kept the batch dim and was computed from an input that requires grad.
Tensor flat_code(const Tensor& code, const Tensor& input, const char* caller) {
  check<ValueError>(code.defined() && input.defined() && input.requires_grad() && code.requires_grad(), caller,
                    "the code must be computed, with its graph, from an input that requires grad");
  check<ShapeError>(code.dim() >= 1 && input.dim() >= 1 && code.size(0) == input.size(0), caller,
                    "the encoder must keep the batch dim: input ", shape_str(input.shape()), " gave code ",
                    shape_str(code.shape()));
  return reshape(code, {code.size(0), code.numel() / code.size(0)});
}

// ||J^T v||^2 summed over the batch, with the backward recorded: J^T v is the vjp of the code with v.
Tensor squared_vjp_norm(const Tensor& code, const Tensor& input, const Tensor& v) {
  return sum_of_squares(grad({code}, {input}, {v}, {.create_graph = true})[0]);
}

}  // namespace

Tensor sigmoid_layer_jacobian_penalty(const Tensor& code, const Tensor& weight) {
  check<ShapeError>(code.dim() == 2 && weight.dim() == 2 && code.size(1) == weight.size(0),
                    "sigmoid_layer_jacobian_penalty", "expected code [B, K] and weight [K, N], got code ",
                    shape_str(code.shape()), " and weight ", shape_str(weight.shape()));
  const Tensor slope = code * (1.0 - code);              // sigmoid'(a_j) = h_j (1 - h_j)
  const Tensor row_norms = sum_of_squares(weight, {1});  // sum_i W_ji^2, [K]
  // sum_j (sum_b slope_bj^2) row_norms_j: the products over the batch shrink to [K] before meeting W.
  return sum(sum_of_squares(slope, {0}) * row_norms) / static_cast<double>(code.size(0));
}

Tensor jacobian_penalty_by_double_backward(const EncoderFunction& encoder, const Tensor& x) {
  const EnableGradGuard recording;  // a penalty evaluated under no_grad still needs its vjps
  const Tensor input = differentiable_input(x);
  return jacobian_penalty_by_double_backward(encoder(input), input);
}

Tensor jacobian_penalty_by_double_backward(const Tensor& encoded, const Tensor& input) {
  const EnableGradGuard recording;
  const Tensor code = flat_code(encoded, input, "jacobian_penalty_by_double_backward");
  const std::int64_t batch = code.size(0), code_dims = code.size(1);
  const Tensor basis = to_device(eye(code_dims, code.dtype()), code.device());
  Tensor total = zeros({}, code.dtype(), code.device());
  for (std::int64_t k = 0; k < code_dims; ++k) {
    // e_k for every example: the vjp is row k of each example's Jacobian.
    const Tensor unit = contiguous(expand(select(basis, 0, k), {batch, code_dims}));
    total = total + squared_vjp_norm(code, input, unit);
  }
  return total / static_cast<double>(batch);
}

Tensor jacobian_penalty_by_hutchinson(const EncoderFunction& encoder, const Tensor& x,
                                      const HutchinsonOptions& options) {
  const EnableGradGuard recording;
  const Tensor input = differentiable_input(x);
  return jacobian_penalty_by_hutchinson(encoder(input), input, options);
}

Tensor jacobian_penalty_by_hutchinson(const Tensor& encoded, const Tensor& input, const HutchinsonOptions& options) {
  check<ValueError>(options.draws > 0, "jacobian_penalty_by_hutchinson", "draws must be positive, got ",
                    options.draws);
  check<ValueError>(options.generator != nullptr, "jacobian_penalty_by_hutchinson",
                    "generator must be given, so that the probes repeat");
  const EnableGradGuard recording;
  const Tensor code = flat_code(encoded, input, "jacobian_penalty_by_hutchinson");
  Tensor total = zeros({}, code.dtype(), code.device());
  for (int draw = 0; draw < options.draws; ++draw) {
    Tensor probe = options.distribution == ProbeDistribution::gaussian
                       ? randn(code.shape(), code.dtype(), options.generator)
                       : bernoulli(code.shape(), 0.5, code.dtype(), options.generator) * 2.0 - 1.0;
    total = total + squared_vjp_norm(code, input, to_device(probe, code.device()));
  }
  return total / static_cast<double>(options.draws * code.size(0));
}

}  // namespace lg::nn
