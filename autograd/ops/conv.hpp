// Convolution over [N, C, H, W] images: sliding windows (unfold, fold) and the convolutions.
// Spatial arguments are {height, width} pairs.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "autograd/tensor.hpp"

namespace lg {

namespace kernel {
struct Window2d;  // autograd/backend/kernels.hpp
}  // namespace kernel

using Pair = std::array<std::int64_t, 2>;

// x [N, C, H, W] -> columns [N, C*kh*kw, L], L = number of sliding positions (im2col). Row
// (c kh + i) kw + j of the columns holds kernel tap (i, j) of channel c; zero padding. The result is
// a view of [C*kh*kw, N, L] memory (not contiguous when N > 1).
Tensor unfold(const Tensor& x, Pair kernel, Pair stride = {1, 1}, Pair padding = {0, 0}, Pair dilation = {1, 1});
// The adjoint of unfold (col2im, overlapping entries summed): columns [N, C*kh*kw, L] -> [N, C, H, W],
// {H, W} = output_size; L must be the number of window positions over output_size.
Tensor fold(const Tensor& columns, Pair output_size, Pair kernel, Pair stride = {1, 1}, Pair padding = {0, 0},
            Pair dilation = {1, 1});
// weight [Cout, Cin, kh, kw], bias [Cout] or an undefined Tensor{}. Output [N, Cout, oh, ow] (contiguous)
// with oh = (H + 2 ph - dh (kh - 1) - 1) / sh + 1 (rounded down), likewise ow.
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = {}, Pair stride = {1, 1},
              Pair padding = {0, 0}, Pair dilation = {1, 1});
// weight [Cin, Cout, kh, kw] (PyTorch's layout), bias [Cout] or undefined. Output [N, Cout, Ho, Wo] with
// Ho = (H - 1) sh - 2 ph + dh (kh - 1) + output_padding_h + 1; output_padding < stride or < dilation.
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias = {}, Pair stride = {1, 1},
                        Pair padding = {0, 0}, Pair output_padding = {0, 0}, Pair dilation = {1, 1});
// The gradient of conv2d(x, w) with respect to w for the output cotangent grad_output [N, Cout, oh, ow]:
// [Cout, Cin, kh, kw], the sum over images and positions of grad_output times x's windows. Also a
// differentiable op of its own (conv2d's double backward needs it).
Tensor conv2d_weight(const Tensor& x, const Tensor& grad_output, Pair kernel, Pair stride = {1, 1},
                     Pair padding = {0, 0}, Pair dilation = {1, 1});

namespace detail {
// Kernel size, stride, padding and dilation as one window, in the kernels' form: checked once by
// the public op (ValueError, naming `op`, on a non-positive kernel, stride or dilation or a negative
// padding), then passed whole to the kernels and to the detail:: ops below, and captured by their
// backwards.
kernel::Window2d window_of(std::string_view op, Pair kernel, Pair stride, Pair padding, Pair dilation);
// The window positions {oh, ow} over the last two dims of `input_shape`. ShapeError, naming `op`,
// when the window is larger than the padded input.
Pair sliding_positions(std::string_view op, const Shape& input_shape, const kernel::Window2d& window);
// The ops above with a checked window and checked tensors: what the public ops call after their
// checks, and what the backwards call. conv2d's and conv_transpose2d's window has the weight's
// kernel size.
Tensor unfold(const Tensor& x, const kernel::Window2d& window);
Tensor fold(const Tensor& columns, Pair output_size, const kernel::Window2d& window);
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const kernel::Window2d& window);
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const kernel::Window2d& window,
                        Pair output_padding);
Tensor conv2d_weight(const Tensor& x, const Tensor& grad_output, const kernel::Window2d& window);
// "[a, b]", as shape_str.
std::string pair_str(Pair pair);
}  // namespace detail

}  // namespace lg
