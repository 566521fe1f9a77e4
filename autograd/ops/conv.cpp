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
// Each public op checks its arguments and packs kernel size, stride, padding and dilation into one
// kernel::Window2d (detail::window_of); the detail:: op with that window does the work, and its
// backward captures the window and calls the other detail:: ops with it.
//
// The kernels (backend/cpu/convolution.cpp) run im2col + GEMM over chunks of the batch. Measured on
// the conv AE (batch 128, 1 thread) against the earlier composites of unfold/fold and matmul: see
// Note [convolution kernels] in docs/notes.md.
//
// Forward rules. The same bilinearity gives d C(x, w) = C(dx, w) + C(x, dw) + db, and likewise for the
// others. The T tangents of an image batch [T, N, C, H, W] are folded into one batch of T N images; the
// T tangents of a weight [T, Cout, Cin, kh, kw] become T Cout output channels of one convolution.
#include "autograd/ops/conv.hpp"

#include "autograd/forward_mode.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/join.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/view.hpp"

namespace lg {

using kernel::Window2d;

std::string detail::pair_str(Pair pair) { return shape_str({pair[0], pair[1]}); }

namespace {

Pair kernel_of(const Window2d& window) { return {window.kernel_h, window.kernel_w}; }
Pair stride_of(const Window2d& window) { return {window.stride_h, window.stride_w}; }
Pair padding_of(const Window2d& window) { return {window.padding_h, window.padding_w}; }
Pair dilation_of(const Window2d& window) { return {window.dilation_h, window.dilation_w}; }

}  // namespace

Window2d detail::window_of(std::string_view op, Pair kernel, Pair stride, Pair padding, Pair dilation) {
  check<ValueError>(kernel[0] > 0 && kernel[1] > 0, op, "kernel size must be positive, got ", pair_str(kernel));
  check<ValueError>(stride[0] > 0 && stride[1] > 0, op, "stride must be positive, got ", pair_str(stride));
  check<ValueError>(padding[0] >= 0 && padding[1] >= 0, op, "padding must be non-negative, got ", pair_str(padding));
  check<ValueError>(dilation[0] > 0 && dilation[1] > 0, op, "dilation must be positive, got ", pair_str(dilation));
  return {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]};
}

Pair detail::sliding_positions(std::string_view op, const Shape& input_shape, const Window2d& window) {
  const Pair kernel = kernel_of(window), stride = stride_of(window), padding = padding_of(window),
             dilation = dilation_of(window);
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

Pair kernel_of_weight(const Tensor& weight) { return {weight.shape()[2], weight.shape()[3]}; }

// The output_padding that makes conv_transpose2d(., w) return `size` from the window positions over
// it: the rows and columns the windows never reached, fewer than the stride.
Pair leftover(Pair size, const Window2d& window) {
  const Pair kernel = kernel_of(window), stride = stride_of(window), padding = padding_of(window),
             dilation = dilation_of(window);
  Pair rest{};
  for (std::size_t d = 0; d < 2; ++d)
    rest[d] = (size[d] + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1) % stride[d];
  return rest;
}

Pair spatial_size(const Tensor& image) { return {image.shape()[2], image.shape()[3]}; }

// conv_transpose2d's sizes per spatial dim: `covered`, the rows some window reaches; `folded`, those
// whose windows are x's positions; `size`, the whole output.
struct TransposedSizes {
  Pair covered, folded, size;
};

TransposedSizes transposed_sizes(const Tensor& x, const Window2d& window, Pair output_padding) {
  const Pair kernel = kernel_of(window), stride = stride_of(window), padding = padding_of(window),
             dilation = dilation_of(window);
  TransposedSizes sizes{};
  for (std::size_t d = 0; d < 2; ++d) {
    sizes.covered[d] = (x.shape()[2 + d] - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernel[d] - 1) + 1;
    sizes.size[d] = sizes.covered[d] + output_padding[d];
    // Below the stride, the extra rows still have exactly x's window positions; at or above it (allowed
    // below the dilation) they would add positions, so the windows run over the covered part only and
    // the rest stays zero (plus the bias).
    sizes.folded[d] = output_padding[d] < stride[d] ? sizes.size[d] : sizes.covered[d];
  }
  return sizes;
}

// Tangents [T, N, rest...] of a batch, folded to [T N, rest...] so an op of batches applies to all.
Tensor fold_tangent_batch(const Tensor& tangent) {
  Shape shape{tangent.size(0) * tangent.size(1)};
  shape.insert(shape.end(), tangent.shape().begin() + 2, tangent.shape().end());
  return reshape(tangent, shape);
}

// The inverse of fold_tangent_batch: [T N, rest...] back to [T, N, rest...].
Tensor unfold_tangent_batch(const Tensor& folded, std::int64_t count) {
  Shape shape{count, folded.size(0) / count};
  shape.insert(shape.end(), folded.shape().begin() + 1, folded.shape().end());
  return reshape(folded, shape);
}

// The bias tangents [T, C] as [T, 1, C, 1, 1], broadcasting over a batch of images' tangents.
Tensor bias_tangent(const Tensor& tangent) {
  return reshape(tangent, {tangent.size(0), 1, tangent.size(1), 1, 1});
}

// [N, T C, H, W] (T tangents' channels side by side) as the tangents [T, N, C, H, W].
Tensor channels_to_tangents(const Tensor& side_by_side, std::int64_t count) {
  const std::int64_t batch = side_by_side.size(0), channels = side_by_side.size(1) / count;
  return permute(reshape(side_by_side, {batch, count, channels, side_by_side.size(2), side_by_side.size(3)}),
                 {1, 0, 2, 3, 4});
}

}  // namespace

Tensor detail::unfold(const Tensor& x, const Window2d& window) {
  const Pair positions = detail::sliding_positions("unfold", x.shape(), window);
  const std::int64_t taps = x.shape()[1] * window.kernel_h * window.kernel_w;
  // Laid out [C kh kw, N, L] in memory, so that conv2d's product is one GEMM over the whole batch.
  const Tensor buffer = empty({taps, x.shape()[0], positions[0] * positions[1]}, x.dtype(), x.device());
  const Tensor columns = permute(buffer, {1, 0, 2});
  kernel::im2col(x, window, columns);
  const auto forward = [&window](const Tangents& t, const Tensor&) {
    return unfold_tangent_batch(detail::unfold(fold_tangent_batch(t[0]), window), t[0].size(0));
  };
  return record("unfold", columns, {x}, forward, [size = spatial_size(x), window](const Tensor& g, const Tensor&,
                                                                          const NeedsGrad&) -> Grads {
    return {detail::fold(g, size, window)};
  });
}

Tensor unfold(const Tensor& x, Pair kernel_size, Pair stride, Pair padding, Pair dilation) {
  check_image("unfold", x);
  return detail::unfold(x, detail::window_of("unfold", kernel_size, stride, padding, dilation));
}

Tensor detail::fold(const Tensor& columns, Pair output_size, const Window2d& window) {
  const std::int64_t area = window.kernel_h * window.kernel_w;
  Tensor image = empty({columns.shape()[0], columns.shape()[1] / area, output_size[0], output_size[1]},
                       columns.dtype(), columns.device());
  kernel::col2im(columns, window, image);
  const auto forward = [&window, output_size](const Tangents& t, const Tensor&) {
    return unfold_tangent_batch(detail::fold(fold_tangent_batch(t[0]), output_size, window), t[0].size(0));
  };
  return record("fold", image, {columns}, forward, [window](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
    return {detail::unfold(g, window)};
  });
}

Tensor fold(const Tensor& columns, Pair output_size, Pair kernel_size, Pair stride, Pair padding, Pair dilation) {
  detail::check_defined("fold", columns);
  check<ShapeError>(columns.dim() == 3, "fold", "expected columns of shape [N, C*kh*kw, L], got ",
                    shape_str(columns.shape()));
  detail::check_floating("fold", columns);
  check<ValueError>(output_size[0] > 0 && output_size[1] > 0, "fold", "output_size must be positive, got ",
                    detail::pair_str(output_size));
  const Window2d window = detail::window_of("fold", kernel_size, stride, padding, dilation);
  const Pair positions = detail::sliding_positions("fold", {output_size[0], output_size[1]}, window);
  const std::int64_t area = kernel_size[0] * kernel_size[1];
  check<ShapeError>(columns.shape()[1] % area == 0, "fold", "columns ", shape_str(columns.shape()),
                    ": dim 1 is not a multiple of the kernel area ", area, " (kernel ",
                    detail::pair_str(kernel_size), ")");
  check<ShapeError>(columns.shape()[2] == positions[0] * positions[1], "fold", "columns ",
                    shape_str(columns.shape()), " have ", columns.shape()[2], " positions, but kernel ",
                    detail::pair_str(kernel_size), " slides over output_size ", detail::pair_str(output_size),
                    " at ", positions[0], " x ", positions[1], " = ", positions[0] * positions[1], " positions");
  return detail::fold(columns, output_size, window);
}

Tensor detail::conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window) {
  const Pair positions = detail::sliding_positions("conv2d", x.shape(), window);
  Tensor out = empty({x.shape()[0], weight.shape()[0], positions[0], positions[1]}, x.dtype(), x.device());
  kernel::conv2d(x, weight, bias, window, out);
  const auto forward = [&](const Tangents& t, const Tensor&) {
    Tensor tangent;
    if (t[0].defined())
      tangent = unfold_tangent_batch(detail::conv2d(fold_tangent_batch(t[0]), weight, {}, window), t[0].size(0));
    if (t[1].defined()) {
      // The T weight tangents as T Cout output channels of one convolution of x.
      const std::int64_t count = t[1].size(0);
      const Tensor stacked = reshape(t[1], {count * weight.size(0), weight.size(1), weight.size(2), weight.size(3)});
      tangent = add_tangents(tangent, channels_to_tangents(detail::conv2d(x, stacked, {}, window), count));
    }
    if (t.size() > 2 && t[2].defined()) tangent = add_tangents(tangent, bias_tangent(t[2]));
    return tangent;
  };
  return record("conv2d", out, {x, weight, bias}, forward,
                [sx = SavedTensor(x), sw = SavedTensor(weight), size = spatial_size(x), window](
                    const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
                  const Tensor& w = sw.get("conv2d");
                  // The bias gradient first, while g is still in cache from the op that made it.
                  Tensor db = needs.size() > 2 && needs[2] ? sum(g, {0, 2, 3}) : Tensor{};
                  return {needs[0] ? detail::conv_transpose2d(g, w, {}, window, leftover(size, window)) : Tensor{},
                          needs[1] ? detail::conv2d_weight(sx.get("conv2d"), g, window) : Tensor{}, db};
                });
}

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Pair stride, Pair padding, Pair dilation) {
  check_image("conv2d", x);
  check_weight_and_bias("conv2d", x, weight, bias, 1, "[Cout, Cin, kh, kw]");
  return detail::conv2d(x, weight, bias, detail::window_of("conv2d", kernel_of_weight(weight), stride, padding, dilation));
}

Tensor detail::conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window,
                                Pair output_padding) {
  const TransposedSizes sizes = transposed_sizes(x, window, output_padding);
  const Pair folded = sizes.folded, size = sizes.size;
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
  const auto forward = [&](const Tangents& t, const Tensor&) {
    Tensor tangent;
    if (t[0].defined())
      tangent = unfold_tangent_batch(
          detail::conv_transpose2d(fold_tangent_batch(t[0]), weight, {}, window, output_padding), t[0].size(0));
    if (t[1].defined()) {
      // The T weight tangents [T, Cin, Cout, kh, kw] as T Cout output channels: [Cin, T Cout, kh, kw].
      const std::int64_t count = t[1].size(0);
      const Tensor stacked = reshape(permute(t[1], {1, 0, 2, 3, 4}),
                                     {weight.size(0), count * weight.size(1), weight.size(2), weight.size(3)});
      tangent = add_tangents(
          tangent, channels_to_tangents(detail::conv_transpose2d(x, stacked, {}, window, output_padding), count));
    }
    if (t.size() > 2 && t[2].defined()) tangent = add_tangents(tangent, bias_tangent(t[2]));
    return tangent;
  };
  return record("conv_transpose2d", out, {x, weight, bias}, forward,
                [sx = SavedTensor(x), sw = SavedTensor(weight), folded, window](
                    const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
                  // Only the windows' part of the output depends on x and the weight.
                  const Tensor windows = narrow(narrow(g, 2, 0, folded[0]), 3, 0, folded[1]);
                  const Tensor& input = sx.get("conv_transpose2d");
                  const Tensor& w = sw.get("conv_transpose2d");
                  // The bias gradient first, while g is still in cache from the op that made it.
                  Tensor db = needs.size() > 2 && needs[2] ? sum(g, {0, 2, 3}) : Tensor{};
                  const bool tangents = has_tangents(windows) || has_tangents(input) || has_tangents(w);
                  if (!grad_mode_enabled() && !tangents && needs[0] && needs[1]) {
                    // No graph is being recorded and no tangents carried (forward over reverse): one kernel
                    // reads the windows' columns once for both.
                    Tensor dx = empty(input.shape(), input.dtype(), input.device());
                    Tensor dw = empty(w.shape(), w.dtype(), w.device());
                    kernel::conv2d_and_weight(windows, w, input, window, dx, dw);
                    return {dx, dw, db};
                  }
                  return {needs[0] ? detail::conv2d(windows, w, {}, window) : Tensor{},
                          needs[1] ? detail::conv2d_weight(windows, input, window) : Tensor{}, db};
                });
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Pair stride, Pair padding,
                        Pair output_padding, Pair dilation) {
  constexpr std::string_view op = "conv_transpose2d";
  check_image(op, x);
  check_weight_and_bias(op, x, weight, bias, 0, "[Cin, Cout, kh, kw]");
  const Window2d window = detail::window_of(op, kernel_of_weight(weight), stride, padding, dilation);
  for (std::size_t d = 0; d < 2; ++d)
    check<ValueError>(output_padding[d] >= 0 && (output_padding[d] < stride[d] || output_padding[d] < dilation[d]),
                      op, "output_padding ", detail::pair_str(output_padding), " must be non-negative and smaller ",
                      "than the stride ", detail::pair_str(stride), " or the dilation ", detail::pair_str(dilation));
  const TransposedSizes sizes = transposed_sizes(x, window, output_padding);
  check<ShapeError>(sizes.covered[0] > 0 && sizes.covered[1] > 0, op, "padding ", detail::pair_str(padding),
                    " leaves no output for input ", shape_str(x.shape()), " and weight ",
                    shape_str(weight.shape()), " (output size would be ", detail::pair_str(sizes.size), ")");
  return detail::conv_transpose2d(x, weight, bias, window, output_padding);
}

Tensor detail::conv2d_weight(const Tensor& x, const Tensor& grad_output, const Window2d& window) {
  Tensor out = empty({grad_output.shape()[1], x.shape()[1], window.kernel_h, window.kernel_w}, x.dtype(), x.device());
  kernel::conv2d_weight(x, grad_output, window, out);
  // Bilinear: d W(x, g) = W(dx, g) + W(x, dg), one weight-shaped result per tangent (rare in practice: a
  // forward-over-reverse pass through a convolution's backward), so a loop over the T tangents.
  const auto forward = [&](const Tangents& t, const Tensor&) {
    const std::int64_t count = (t[0].defined() ? t[0] : t[1]).size(0);
    std::vector<Tensor> each;
    for (std::int64_t i = 0; i < count; ++i) {
      Tensor d;
      if (t[0].defined()) d = detail::conv2d_weight(select(t[0], 0, i), grad_output, window);
      if (t[1].defined()) d = add_tangents(d, detail::conv2d_weight(x, select(t[1], 0, i), window));
      each.push_back(d);
    }
    return stack(each, 0);
  };
  return record("conv2d_weight", out, {x, grad_output}, forward,
                [sx = SavedTensor(x), sg = SavedTensor(grad_output), size = spatial_size(x), window](
                    const Tensor& h, const Tensor&, const NeedsGrad& needs) -> Grads {
                  // <conv2d_weight(x, g), h> = <conv2d(x, h), g>: bilinear, so each derivative is a convolution.
                  return {needs[0] ? detail::conv_transpose2d(sg.get("conv2d_weight"), h, {}, window,
                                                              leftover(size, window))
                                   : Tensor{},
                          needs[1] ? detail::conv2d(sx.get("conv2d_weight"), h, {}, window) : Tensor{}};
                });
}

Tensor conv2d_weight(const Tensor& x, const Tensor& grad_output, Pair kernel_size, Pair stride, Pair padding,
                     Pair dilation) {
  constexpr std::string_view op = "conv2d_weight";
  check_image(op, x);
  detail::check_defined(op, grad_output);
  detail::check_same_device(op, x, grad_output);
  detail::check_same_dtype(op, x, grad_output);
  const Window2d window = detail::window_of(op, kernel_size, stride, padding, dilation);
  const Pair positions = detail::sliding_positions(op, x.shape(), window);
  check<ShapeError>(grad_output.dim() == 4 && grad_output.shape()[0] == x.shape()[0] &&
                        grad_output.shape()[2] == positions[0] && grad_output.shape()[3] == positions[1],
                    op, "expected grad_output of shape [", x.shape()[0], ", Cout, ", positions[0], ", ", positions[1],
                    "] for input ", shape_str(x.shape()), " and kernel ", detail::pair_str(kernel_size), ", got ",
                    shape_str(grad_output.shape()));
  return detail::conv2d_weight(x, grad_output, window);
}

}  // namespace lg
