// Convolution as sliding windows plus a matrix product. Two primitives, each the other's derivative:
//
//   unfold (im2col): U(x)[n, (c kh + i) kw + j, oy ow + ox] = x[n, c, oy sh - ph + i dh, ox sw - pw + j dw],
//                    0 where the window hangs over the padding.
//   fold (col2im):   F = U^T, so <U(x), c> = <x, F(c)>; entries that land on one pixel are summed.
//
// Both are linear, so the vector-Jacobian products are d/dx <g, U(x)> = F(g) and d/dc <g, F(c)> = U(g).
// Each backward is written with the other differentiable op, so derivatives of every order work.
//
// The convolutions are composites with no backward of their own (matmul, reshape and add carry it):
//   conv2d(x, w, b)           = reshape(w, [Cout, Cin kh kw]) @ U(x) + b           -> [N, Cout, oh, ow]
//   conv_transpose2d(x, w, b) = F(reshape(w, [Cin, Cout kh kw])^T @ reshape(x, [N, Cin, H W])) + b
// conv_transpose2d(., w) is the adjoint of conv2d(., w) in x. Sizes, rounding down:
//   oh = (H + 2 ph - dh (kh - 1) - 1) / sh + 1,   Ho = (H - 1) sh - 2 ph + dh (kh - 1) + output_padding_h + 1.
//
// GEMM layout (measured, 1 thread, x [256, 1, 28, 28], w [32, 1, 4, 4]): conv2d runs one GEMM over the
// whole batch, [Cout, Cin kh kw] @ [Cin kh kw, N L], which unfold's [C kh kw, N, L] memory layout
// makes a view. Forward + backward took ~8 ms against ~9.5 ms for one GEMM per image through a
// broadcast matmul, whose weight gradient also materialises [N, Cout, Cin kh kw] before summing it.
// conv_transpose2d keeps one GEMM per image (no copy of x); folding its batch measured no faster.
#include "autograd/ops/conv.hpp"

#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/matmul.hpp"
#include "autograd/ops/op_helpers.hpp"
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

Tensor add_bias(const Tensor& image, const Tensor& bias) {
  return bias.defined() ? image + reshape(bias, {1, bias.shape()[0], 1, 1}) : image;
}

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
  const std::int64_t batch = x.shape()[0], out_channels = weight.shape()[0];
  const Tensor columns = unfold(x, kernel_size, stride, padding, dilation);  // [N, Cin kh kw, L]
  const std::int64_t taps = columns.shape()[1], count = columns.shape()[2];
  // [Cout, Cin kh kw] @ [Cin kh kw, N L]: the batch folded into one GEMM, whose operands are views
  // thanks to unfold's layout. The bias is added there too, where its gradient is a row sum.
  Tensor product = mm(reshape(weight, {out_channels, taps}),
                      reshape(permute(columns, {1, 0, 2}), {taps, batch * count}));  // [Cout, N L]
  if (bias.defined()) product = product + reshape(bias, {out_channels, 1});
  return permute(reshape(product, {out_channels, batch, positions[0], positions[1]}), {1, 0, 2, 3});
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Pair stride, Pair padding,
                        Pair output_padding, Pair dilation) {
  constexpr std::string_view op = "conv_transpose2d";
  check_image(op, x);
  check_weight_and_bias(op, x, weight, bias, 0, "[Cin, Cout, kh, kw]");
  const Pair kernel_size{weight.shape()[2], weight.shape()[3]};
  check_window(op, kernel_size, stride, padding, dilation);
  Pair covered{}, folded{}, size{};  // reached by some window, given to fold, the whole output
  for (std::size_t d = 0; d < 2; ++d) {
    check<ValueError>(output_padding[d] >= 0 && (output_padding[d] < stride[d] || output_padding[d] < dilation[d]),
                      op, "output_padding ", detail::pair_str(output_padding), " must be non-negative and smaller ",
                      "than the stride ", detail::pair_str(stride), " or the dilation ", detail::pair_str(dilation));
    covered[d] = (x.shape()[2 + d] - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernel_size[d] - 1) + 1;
    size[d] = covered[d] + output_padding[d];
    // Below the stride, the extra rows still give exactly x's positions, so fold can write them
    // (as zeros); otherwise fold the covered part and pad with zeros.
    folded[d] = output_padding[d] < stride[d] ? size[d] : covered[d];
  }
  check<ShapeError>(covered[0] > 0 && covered[1] > 0, op, "padding ", detail::pair_str(padding),
                    " leaves no output for input ", shape_str(x.shape()), " and weight ",
                    shape_str(weight.shape()), " (output size would be ", detail::pair_str(size), ")");
  const std::int64_t batch = x.shape()[0], in_channels = x.shape()[1];
  const std::int64_t pixels = x.shape()[2] * x.shape()[3];
  // [Cout kh kw, Cin] @ [N, Cin, H W] -> [N, Cout kh kw, H W]; the transpose goes to BLAS as a flag.
  const Tensor columns = matmul(transpose(reshape(weight, {in_channels, -1}), 0, 1),
                                reshape(x, {batch, in_channels, pixels}));
  Tensor y = fold(columns, folded, kernel_size, stride, padding, dilation);
  for (std::size_t d = 0; d < 2; ++d)
    if (folded[d] != size[d]) {
      Shape padded = y.shape();
      padded[2 + d] = size[d];
      y = slice_scatter(y, padded, static_cast<std::int64_t>(2 + d), 0);
    }
  return add_bias(y, bias);
}

}  // namespace lg
