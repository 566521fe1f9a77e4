// Convolution as sliding windows plus a matrix product. Two primitives, each the other's derivative:
//
//   unfold (im2col): U(x)[n, (c kh + i) kw + j, oy ow + ox] = x[n, c, oy sh - ph + i dh, ox sw - pw + j dw],
//                    0 where the window hangs over the padding.
//   fold (col2im):   F = U^T, so <U(x), c> = <x, F(c)>; entries that land on one pixel are summed.
//
// Both are linear, so the vector-Jacobian products are d/dx <g, U(x)> = F(g) and d/dc <g, F(c)> = U(g).
// Each backward is written with the other differentiable op, so derivatives of every order work.
//
// The convolutions are three more primitives, closed under differentiation. Write C(x, w) for
// conv2d, T(y, w) for conv_transpose2d (the adjoint of C(., w) in x) and W(x, g) for conv2d_weight
// (the adjoint of C(x, .) in w). All three are bilinear, and one identity gives every derivative:
//   <C(x, w), g> = <x, T(g, w)> = <w, W(x, g)>
//   conv2d:           dx = T(g, w)     dw = W(x, g)      db = sum of g over N, H, W
//   conv_transpose2d: dy = C(g, w)     dw = W(g, y)      db = likewise
//   conv2d_weight:    dx = T(g, h)     dg = C(x, h)      (h: the cotangent of the weight)
// Each backward calls the differentiable ops, so derivatives of every order work. Sizes, rounding down:
//   oh = (H + 2 ph - dh (kh - 1) - 1) / sh + 1,   Ho = (H - 1) sh - 2 ph + dh (kh - 1) + output_padding_h + 1.
// T back to x's size needs output_padding = the rows the windows never reached, (H + 2p - d(k-1) - 1) mod s.
//
// The kernels (backend/cpu/convolution.cpp) run im2col + GEMM over chunks of the batch. Measured on
// the conv AE (batch 128, 1 thread) against the earlier composites of unfold/fold and matmul: see
// Note [convolution kernels] in docs/notes.md.
#include "autograd/ops/conv.hpp"

#include "autograd/grad_mode.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/view.hpp"

namespace lg {

std::string detail::pair_str(Pair pair) { return shape_str({pair[0], pair[1]}); }

namespace {

void check_window(std::string_view op, Pair kernel, Pair stride, Pair padding, Pair dilation) {
  using detail::pair_str;
  check<ValueError>(kernel[0] > 0 && kernel[1] > 0, op, "kernel size must be positive, got ", pair_str(kernel));
  check<ValueError>(stride[0] > 0 && stride[1] > 0, op, "stride must be positive, got ", pair_str(stride));
  check<ValueError>(padding[0] >= 0 && padding[1] >= 0, op, "padding must be non-negative, got ", pair_str(padding));
  check<ValueError>(dilation[0] > 0 && dilation[1] > 0, op, "dilation must be positive, got ", pair_str(dilation));
}

}  // namespace

Pair detail::sliding_positions(std::string_view op, const Shape& input_shape, Pair kernel, Pair stride,
                               Pair padding, Pair dilation) {
  check_window(op, kernel, stride, padding, dilation);
  const std::size_t rank = input_shape.size();
  const Pair padded{input_shape[rank - 2] + 2 * padding[0], input_shape[rank - 1] + 2 * padding[1]};
  const Pair extent{dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1};
  check<ShapeError>(extent[0] <= padded[0] && extent[1] <= padded[1], op, "kernel ", pair_str(kernel),
                    " with dilation ", pair_str(dilation), " spans ", pair_str(extent),
                    ", larger than the padded input ", pair_str(padded), " (input ", shape_str(input_shape),
                    ", padding ", pair_str(padding), ")");
  Pair positions{};
  for (std::size_t d = 0; d < 2; ++d) positions[d] = (padded[d] - extent[d]) / stride[d] + 1;
  return positions;
}

namespace {

kernel::Window2d window_of(Pair kernel_size, Pair stride, Pair padding, Pair dilation) {
  return {kernel_size[0], kernel_size[1], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]};
}

void check_image(std::string_view op, const Tensor& x) {
  detail::check_defined(op, x);
  check<ShapeError>(x.dim() == 4, op, "expected an input of shape [N, C, H, W], got ", shape_str(x.shape()));
  detail::check_floating(op, x);
}

// weight's dim `in_dim` must match x's channels; bias, when given, is [weight.shape()[out_dim]].
void check_weight_and_bias(std::string_view op, const Tensor& x, const Tensor& weight, const Tensor& bias,
                           std::int64_t in_dim, std::string_view layout) {
  detail::check_defined(op, weight);
  detail::check_same_device(op, x, weight);
  detail::check_same_dtype(op, x, weight);
  check<ShapeError>(weight.dim() == 4, op, "expected a weight of shape ", layout, ", got ", shape_str(weight.shape()));
  check<ShapeError>(weight.shape()[in_dim] == x.shape()[1], op, "input ", shape_str(x.shape()), " has ",
                    x.shape()[1], " channels but weight ", shape_str(weight.shape()), " (", layout, ") expects ",
                    weight.shape()[in_dim]);
  if (!bias.defined()) return;
  detail::check_same_device(op, x, bias);
  detail::check_same_dtype(op, x, bias);
  const std::int64_t out_channels = weight.shape()[1 - in_dim];
  check<ShapeError>(bias.shape() == Shape{out_channels}, op, "expected a bias of shape ",
                    shape_str({out_channels}), " for weight ", shape_str(weight.shape()), ", got ",
                    shape_str(bias.shape()));
}

// The output_padding that makes conv_transpose2d(., w) return `size` from the window positions over
// it: the rows and columns the windows never reached, fewer than the stride.
Pair leftover(Pair size, Pair kernel_size, Pair stride, Pair padding, Pair dilation) {
  Pair rest{};
  for (std::size_t d = 0; d < 2; ++d)
    rest[d] = (size[d] + 2 * padding[d] - dilation[d] * (kernel_size[d] - 1) - 1) % stride[d];
  return rest;
}

Pair spatial_size(const Tensor& image) { return {image.shape()[2], image.shape()[3]}; }

}  // namespace

Tensor unfold(const Tensor& x, Pair kernel_size, Pair stride, Pair padding, Pair dilation) {
  check_image("unfold", x);
  const Pair positions = detail::sliding_positions("unfold", x.shape(), kernel_size, stride, padding, dilation);
  const std::int64_t taps = x.shape()[1] * kernel_size[0] * kernel_size[1];
  // Laid out [C kh kw, N, L] in memory, so that conv2d's product is one GEMM over the whole batch.
  const Tensor buffer = empty({taps, x.shape()[0], positions[0] * positions[1]}, x.dtype(), x.device());
  const Tensor columns = permute(buffer, {1, 0, 2});
  kernel::im2col(x, window_of(kernel_size, stride, padding, dilation), columns);
  return record("unfold", columns, {x},
                [size = Pair{x.shape()[2], x.shape()[3]}, kernel_size, stride, padding, dilation](
                    const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {fold(g, size, kernel_size, stride, padding, dilation)};
                });
}

Tensor fold(const Tensor& columns, Pair output_size, Pair kernel_size, Pair stride, Pair padding, Pair dilation) {
  detail::check_defined("fold", columns);
  check<ShapeError>(columns.dim() == 3, "fold", "expected columns of shape [N, C*kh*kw, L], got ",
                    shape_str(columns.shape()));
  detail::check_floating("fold", columns);
  check<ValueError>(output_size[0] > 0 && output_size[1] > 0, "fold", "output_size must be positive, got ",
                    detail::pair_str(output_size));
  const Pair positions =
      detail::sliding_positions("fold", {output_size[0], output_size[1]}, kernel_size, stride, padding, dilation);
  const std::int64_t area = kernel_size[0] * kernel_size[1];
  check<ShapeError>(columns.shape()[1] % area == 0, "fold", "columns ", shape_str(columns.shape()),
                    ": dim 1 is not a multiple of the kernel area ", area, " (kernel ",
                    detail::pair_str(kernel_size), ")");
  check<ShapeError>(columns.shape()[2] == positions[0] * positions[1], "fold", "columns ",
                    shape_str(columns.shape()), " have ", columns.shape()[2], " positions, but kernel ",
                    detail::pair_str(kernel_size), " slides over output_size ", detail::pair_str(output_size),
                    " at ", positions[0], " x ", positions[1], " = ", positions[0] * positions[1], " positions");
  Tensor image = empty({columns.shape()[0], columns.shape()[1] / area, output_size[0], output_size[1]},
                       columns.dtype(), columns.device());
  kernel::col2im(columns, window_of(kernel_size, stride, padding, dilation), image);
  return record("fold", image, {columns},
                [kernel_size, stride, padding, dilation](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
                  return {unfold(g, kernel_size, stride, padding, dilation)};
                });
}

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Pair stride, Pair padding, Pair dilation) {
  check_image("conv2d", x);
  check_weight_and_bias("conv2d", x, weight, bias, 1, "[Cout, Cin, kh, kw]");
  const Pair kernel_size{weight.shape()[2], weight.shape()[3]};
  const Pair positions = detail::sliding_positions("conv2d", x.shape(), kernel_size, stride, padding, dilation);
  Tensor out = empty({x.shape()[0], weight.shape()[0], positions[0], positions[1]}, x.dtype(), x.device());
  kernel::conv2d(x, weight, bias, window_of(kernel_size, stride, padding, dilation), out);
  return record("conv2d", out, {x, weight, bias},
                [sx = SavedTensor(x), sw = SavedTensor(weight), size = spatial_size(x), kernel_size, stride, padding,
                 dilation](const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
                  const Tensor& w = sw.get("conv2d");
                  // The bias gradient first, while g is still in cache from the op that made it.
                  Tensor db = needs.size() > 2 && needs[2] ? sum(g, {0, 2, 3}) : Tensor{};
                  return {needs[0] ? conv_transpose2d(g, w, {}, stride, padding,
                                                      leftover(size, kernel_size, stride, padding, dilation), dilation)
                                   : Tensor{},
                          needs[1] ? conv2d_weight(sx.get("conv2d"), g, kernel_size, stride, padding, dilation) : Tensor{},
                          db};
                });
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Pair stride, Pair padding,
                        Pair output_padding, Pair dilation) {
  constexpr std::string_view op = "conv_transpose2d";
  check_image(op, x);
  check_weight_and_bias(op, x, weight, bias, 0, "[Cin, Cout, kh, kw]");
  const Pair kernel_size{weight.shape()[2], weight.shape()[3]};
  check_window(op, kernel_size, stride, padding, dilation);
  Pair covered{}, folded{}, size{};  // reached by some window, whose windows are x's positions, the whole output
  for (std::size_t d = 0; d < 2; ++d) {
    check<ValueError>(output_padding[d] >= 0 && (output_padding[d] < stride[d] || output_padding[d] < dilation[d]),
                      op, "output_padding ", detail::pair_str(output_padding), " must be non-negative and smaller ",
                      "than the stride ", detail::pair_str(stride), " or the dilation ", detail::pair_str(dilation));
    covered[d] = (x.shape()[2 + d] - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernel_size[d] - 1) + 1;
    size[d] = covered[d] + output_padding[d];
    // Below the stride, the extra rows still have exactly x's window positions; at or above it (allowed
    // below the dilation) they would add positions, so the windows run over the covered part only and
    // the rest stays zero (plus the bias).
    folded[d] = output_padding[d] < stride[d] ? size[d] : covered[d];
  }
  check<ShapeError>(covered[0] > 0 && covered[1] > 0, op, "padding ", detail::pair_str(padding),
                    " leaves no output for input ", shape_str(x.shape()), " and weight ",
                    shape_str(weight.shape()), " (output size would be ", detail::pair_str(size), ")");
  const kernel::Window2d window = window_of(kernel_size, stride, padding, dilation);
  const std::int64_t batch = x.shape()[0], out_channels = weight.shape()[1];
  Tensor out = empty({batch, out_channels, size[0], size[1]}, x.dtype(), x.device());
  if (folded == size) {
    kernel::conv2d_adjoint(x, weight, bias, window, out);
  } else {
    const Tensor part = empty({batch, out_channels, folded[0], folded[1]}, x.dtype(), x.device());
    kernel::conv2d_adjoint(x, weight, {}, window, part);
    kernel::fill(out, 0.0);
    NoGradGuard no_grad;
    kernel::copy(part, narrow(narrow(out, 2, 0, folded[0]), 3, 0, folded[1]));
    if (bias.defined()) kernel::binary(kernel::Binary::add, out, reshape(bias, {1, out_channels, 1, 1}), out);
  }
  return record(op, out, {x, weight, bias},
                [sx = SavedTensor(x), sw = SavedTensor(weight), folded, kernel_size, stride, padding, dilation](
                    const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
                  // Only the windows' part of the output depends on x and the weight.
                  const Tensor windows = narrow(narrow(g, 2, 0, folded[0]), 3, 0, folded[1]);
                  const Tensor& input = sx.get("conv_transpose2d");
                  const Tensor& w = sw.get("conv_transpose2d");
                  // The bias gradient first, while g is still in cache from the op that made it.
                  Tensor db = needs.size() > 2 && needs[2] ? sum(g, {0, 2, 3}) : Tensor{};
                  if (!grad_mode_enabled() && needs[0] && needs[1]) {
                    // No graph is being recorded: one kernel reads the windows' columns once for both.
                    Tensor dx = empty(input.shape(), input.dtype(), input.device());
                    Tensor dw = empty(w.shape(), w.dtype(), w.device());
                    kernel::conv2d_and_weight(windows, w, input, window_of(kernel_size, stride, padding, dilation), dx,
                                              dw);
                    return {dx, dw, db};
                  }
                  return {needs[0] ? conv2d(windows, w, {}, stride, padding, dilation) : Tensor{},
                          needs[1] ? conv2d_weight(windows, input, kernel_size, stride, padding, dilation) : Tensor{},
                          db};
                });
}

Tensor conv2d_weight(const Tensor& x, const Tensor& grad_output, Pair kernel_size, Pair stride, Pair padding,
                     Pair dilation) {
  constexpr std::string_view op = "conv2d_weight";
  check_image(op, x);
  detail::check_defined(op, grad_output);
  detail::check_same_device(op, x, grad_output);
  detail::check_same_dtype(op, x, grad_output);
  const Pair positions = detail::sliding_positions(op, x.shape(), kernel_size, stride, padding, dilation);
  check<ShapeError>(grad_output.dim() == 4 && grad_output.shape()[0] == x.shape()[0] &&
                        grad_output.shape()[2] == positions[0] && grad_output.shape()[3] == positions[1],
                    op, "expected grad_output of shape [", x.shape()[0], ", Cout, ", positions[0], ", ", positions[1],
                    "] for input ", shape_str(x.shape()), " and kernel ", detail::pair_str(kernel_size), ", got ",
                    shape_str(grad_output.shape()));
  Tensor out = empty({grad_output.shape()[1], x.shape()[1], kernel_size[0], kernel_size[1]}, x.dtype(), x.device());
  kernel::conv2d_weight(x, grad_output, window_of(kernel_size, stride, padding, dilation), out);
  return record(op, out, {x, grad_output},
                [sx = SavedTensor(x), sg = SavedTensor(grad_output), size = spatial_size(x), kernel_size, stride,
                 padding, dilation](const Tensor& h, const Tensor&, const NeedsGrad& needs) -> Grads {
                  // <conv2d_weight(x, g), h> = <conv2d(x, h), g>: bilinear, so each derivative is a convolution.
                  return {needs[0] ? conv_transpose2d(sg.get("conv2d_weight"), h, {}, stride, padding,
                                                      leftover(size, kernel_size, stride, padding, dilation), dilation)
                                   : Tensor{},
                          needs[1] ? conv2d(sx.get("conv2d_weight"), h, {}, stride, padding, dilation) : Tensor{}};
                });
}

}  // namespace lg
