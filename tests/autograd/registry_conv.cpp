// Registry entries: unfold/fold, convolutions, pooling and upsampling, each against direct loops.
//
// The window settings travel with each sample as its arguments (OpSample::arguments), so one entry
// covers many strides, paddings and dilations: kernel, stride, padding, dilation and extra, a pair
// each, where extra is conv_transpose2d's output_padding, fold's output_size or upsample's scale.
// Convolutions take the inputs {x, weight, bias} or {x, weight}.
#include <limits>

#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

struct Settings {
  Pair kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1}, extra{0, 0};
};

// A sample's arguments, from the settings.
OpArguments window(Pair kernel, Pair stride = {1, 1}, Pair padding = {0, 0}, Pair dilation = {1, 1},
                   Pair extra = {0, 0}) {
  const auto shape = [](Pair pair) { return Shape{pair[0], pair[1]}; };
  return {{"kernel", shape(kernel)}, {"stride", shape(stride)}, {"padding", shape(padding)},
          {"dilation", shape(dilation)}, {"extra", shape(extra)}};
}

Settings settings_of(const OpArguments& arguments) {
  return {arguments.pair("kernel"), arguments.pair("stride"), arguments.pair("padding"), arguments.pair("dilation"),
          arguments.pair("extra")};
}

Tensor bias_of(const std::vector<Tensor>& in) { return in.size() == 3 ? in[2] : Tensor{}; }

// Distinct values 4/n apart in random order, so no max-pool window has a tie.
Tensor distinct_input(Generator& g, const Shape& shape) {
  const std::int64_t count = numel_of(shape);
  return reshape(randperm(count, &g).to(float64) * (4.0 / static_cast<double>(count)) - 2.0, shape).requires_grad_();
}

// A [N, C, H, W] view with H and W swapped in memory (non-contiguous in the spatial dims).
Tensor spatially_transposed(Generator& g, const Shape& shape) {
  return transpose(uniform({shape[0], shape[1], shape[3], shape[2]}, -2.0, 2.0, float64, &g), 2, 3).requires_grad_();
}

std::int64_t positions(std::int64_t size, std::int64_t k, std::int64_t s, std::int64_t p, std::int64_t d) {
  return (size + 2 * p - d * (k - 1) - 1) / s + 1;
}

// Calls body(tap, input_row, input_col, position) for every in-image tap of every window position
// over an H x W image (the definition of unfold, written out).
template <class Body>
void for_each_tap(const Settings& s, std::int64_t height, std::int64_t width, Body&& body) {
  const std::int64_t oh = positions(height, s.kernel[0], s.stride[0], s.padding[0], s.dilation[0]);
  const std::int64_t ow = positions(width, s.kernel[1], s.stride[1], s.padding[1], s.dilation[1]);
  for (std::int64_t oy = 0; oy < oh; ++oy)
    for (std::int64_t ox = 0; ox < ow; ++ox)
      for (std::int64_t i = 0; i < s.kernel[0]; ++i)
        for (std::int64_t j = 0; j < s.kernel[1]; ++j) {
          const std::int64_t y = oy * s.stride[0] - s.padding[0] + i * s.dilation[0];
          const std::int64_t x = ox * s.stride[1] - s.padding[1] + j * s.dilation[1];
          if (y >= 0 && y < height && x >= 0 && x < width) body(i * s.kernel[1] + j, y, x, oy * ow + ox);
        }
}

// --- references ----------------------------------------------------------------------------
Tensor unfold_reference(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  const auto xv = values_of(in[0]);
  const std::int64_t n = in[0].shape()[0], c = in[0].shape()[1], h = in[0].shape()[2], w = in[0].shape()[3];
  const std::int64_t taps = s.kernel[0] * s.kernel[1];
  const std::int64_t l = positions(h, s.kernel[0], s.stride[0], s.padding[0], s.dilation[0]) *
                         positions(w, s.kernel[1], s.stride[1], s.padding[1], s.dilation[1]);
  std::vector<double> out(static_cast<std::size_t>(n * c * taps * l), 0.0);
  for (std::int64_t b = 0; b < n * c; ++b)
    for_each_tap(s, h, w, [&](std::int64_t t, std::int64_t y, std::int64_t x, std::int64_t p) {
      out[(b * taps + t) * l + p] = xv[(b * h + y) * w + x];
    });
  return make(out, {n, c * taps, l});
}

Tensor fold_reference(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  const auto cv = values_of(in[0]);
  const std::int64_t taps = s.kernel[0] * s.kernel[1], h = s.extra[0], w = s.extra[1];
  const std::int64_t n = in[0].shape()[0], c = in[0].shape()[1] / taps, l = in[0].shape()[2];
  std::vector<double> out(static_cast<std::size_t>(n * c * h * w), 0.0);
  for (std::int64_t b = 0; b < n * c; ++b)
    for_each_tap(s, h, w, [&](std::int64_t t, std::int64_t y, std::int64_t x, std::int64_t p) {
      out[(b * h + y) * w + x] += cv[(b * taps + t) * l + p];
    });
  return make(out, {n, c, h, w});
}

// The direct 7-loop convolution: out[n, o, oy, ox] = b[o] + sum_{c, i, j} x[n, c, y, x] w[o, c, i, j].
Tensor conv2d_reference(const std::vector<Tensor>& in, const OpArguments& arguments) {
  Settings s = settings_of(arguments);
  const Tensor& x = in[0];
  const Tensor& weight = in[1];
  const auto xv = values_of(x), wv = values_of(weight);
  const auto bv = in.size() == 3 ? values_of(in[2]) : std::vector<double>(weight.shape()[0], 0.0);
  const std::int64_t n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], w = x.shape()[3];
  const std::int64_t outs = weight.shape()[0], kh = weight.shape()[2], kw = weight.shape()[3];
  s.kernel = {kh, kw};
  const std::int64_t oh = positions(h, kh, s.stride[0], s.padding[0], s.dilation[0]);
  const std::int64_t ow = positions(w, kw, s.stride[1], s.padding[1], s.dilation[1]);
  std::vector<double> out(static_cast<std::size_t>(n * outs * oh * ow));
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t o = 0; o < outs; ++o)
      for (std::int64_t oy = 0; oy < oh; ++oy)
        for (std::int64_t ox = 0; ox < ow; ++ox) {
          double total = bv[o];
          for (std::int64_t ch = 0; ch < c; ++ch)
            for (std::int64_t i = 0; i < kh; ++i)
              for (std::int64_t j = 0; j < kw; ++j) {
                const std::int64_t y = oy * s.stride[0] - s.padding[0] + i * s.dilation[0];
                const std::int64_t xx = ox * s.stride[1] - s.padding[1] + j * s.dilation[1];
                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                total += xv[((b * c + ch) * h + y) * w + xx] * wv[((o * c + ch) * kh + i) * kw + j];
              }
          out[((b * outs + o) * oh + oy) * ow + ox] = total;
        }
  return make(out, {n, outs, oh, ow});
}

// The direct transposed convolution, each input pixel scattered through the kernel:
// out[n, o, y sh - ph + i dh, x sw - pw + j dw] += x[n, c, y, x] w[c, o, i, j], plus b[o].
Tensor conv_transpose2d_reference(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  const Tensor& x = in[0];
  const Tensor& weight = in[1];
  const auto xv = values_of(x), wv = values_of(weight);
  const std::int64_t n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], w = x.shape()[3];
  const std::int64_t outs = weight.shape()[1], kh = weight.shape()[2], kw = weight.shape()[3];
  const std::int64_t oh = (h - 1) * s.stride[0] - 2 * s.padding[0] + s.dilation[0] * (kh - 1) + s.extra[0] + 1;
  const std::int64_t ow = (w - 1) * s.stride[1] - 2 * s.padding[1] + s.dilation[1] * (kw - 1) + s.extra[1] + 1;
  std::vector<double> out(static_cast<std::size_t>(n * outs * oh * ow), 0.0);
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t ch = 0; ch < c; ++ch)
      for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t xx = 0; xx < w; ++xx)
          for (std::int64_t o = 0; o < outs; ++o)
            for (std::int64_t i = 0; i < kh; ++i)
              for (std::int64_t j = 0; j < kw; ++j) {
                const std::int64_t oy = y * s.stride[0] - s.padding[0] + i * s.dilation[0];
                const std::int64_t ox = xx * s.stride[1] - s.padding[1] + j * s.dilation[1];
                if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                out[((b * outs + o) * oh + oy) * ow + ox] +=
                    xv[((b * c + ch) * h + y) * w + xx] * wv[((ch * outs + o) * kh + i) * kw + j];
              }
  if (in.size() == 3) {
    const auto bv = values_of(in[2]);
    for (std::int64_t b = 0; b < n; ++b)
      for (std::int64_t o = 0; o < outs; ++o)
        for (std::int64_t p = 0; p < oh * ow; ++p) out[(b * outs + o) * oh * ow + p] += bv[o];
  }
  return make(out, {n, outs, oh, ow});
}

// The weight gradient by direct loops: out[o, c, i, j] = sum_{n, oy, ox} g[n, o, oy, ox] x[n, c, y, x].
Tensor conv2d_weight_reference(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  const Tensor& x = in[0];
  const Tensor& g = in[1];
  const auto xv = values_of(x), gv = values_of(g);
  const std::int64_t n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], w = x.shape()[3];
  const std::int64_t outs = g.shape()[1], area = g.shape()[2] * g.shape()[3];
  const std::int64_t taps = s.kernel[0] * s.kernel[1];
  std::vector<double> out(static_cast<std::size_t>(outs * c * taps), 0.0);
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t o = 0; o < outs; ++o)
      for (std::int64_t ch = 0; ch < c; ++ch)
        for_each_tap(s, h, w, [&](std::int64_t tap, std::int64_t y, std::int64_t xx, std::int64_t p) {
          out[(o * c + ch) * taps + tap] += gv[(b * outs + o) * area + p] * xv[((b * c + ch) * h + y) * w + xx];
        });
  return make(out, {outs, c, s.kernel[0], s.kernel[1]});
}

// Pooling by direct loops: the max (take_max) over the in-image taps (padding never wins), or their sum over kh kw.
Tensor pool_reference(const std::vector<Tensor>& in, const OpArguments& arguments, bool take_max) {
  Settings s = settings_of(arguments);
  if (s.stride == Pair{0, 0}) s.stride = s.kernel;
  const auto xv = values_of(in[0]);
  const std::int64_t n = in[0].shape()[0], c = in[0].shape()[1], h = in[0].shape()[2], w = in[0].shape()[3];
  const std::int64_t oh = positions(h, s.kernel[0], s.stride[0], s.padding[0], 1);
  const std::int64_t ow = positions(w, s.kernel[1], s.stride[1], s.padding[1], 1);
  const double start = take_max ? -std::numeric_limits<double>::infinity() : 0.0;
  std::vector<double> out(static_cast<std::size_t>(n * c * oh * ow), start);
  for (std::int64_t b = 0; b < n * c; ++b)
    for_each_tap(s, h, w, [&](std::int64_t, std::int64_t y, std::int64_t x, std::int64_t p) {
      double& slot = out[b * oh * ow + p];
      const double value = xv[(b * h + y) * w + x];
      slot = take_max ? std::max(slot, value) : slot + value / static_cast<double>(s.kernel[0] * s.kernel[1]);
    });
  return make(out, {n, c, oh, ow});
}

Tensor upsample_reference(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  const auto xv = values_of(in[0]);
  const std::int64_t n = in[0].shape()[0], c = in[0].shape()[1], h = in[0].shape()[2], w = in[0].shape()[3];
  const std::int64_t oh = h * s.extra[0], ow = w * s.extra[1];
  std::vector<double> out;
  for (std::int64_t b = 0; b < n * c; ++b)
    for (std::int64_t y = 0; y < oh; ++y)
      for (std::int64_t x = 0; x < ow; ++x) out.push_back(xv[(b * h + y / s.extra[0]) * w + x / s.extra[1]]);
  return make(out, {n, c, oh, ow});
}

// --- the ops under test, reading their settings -------------------------------------------------
Tensor call_unfold(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  return unfold(in[0], s.kernel, s.stride, s.padding, s.dilation);
}
Tensor call_fold(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  return fold(in[0], s.extra, s.kernel, s.stride, s.padding, s.dilation);
}
Tensor call_conv2d(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  return conv2d(in[0], in[1], bias_of(in), s.stride, s.padding, s.dilation);
}
Tensor call_conv_transpose2d(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  return conv_transpose2d(in[0], in[1], bias_of(in), s.stride, s.padding, s.extra, s.dilation);
}

Tensor call_conv2d_weight(const std::vector<Tensor>& in, const OpArguments& arguments) {
  const Settings s = settings_of(arguments);
  return conv2d_weight(in[0], in[1], s.kernel, s.stride, s.padding, s.dilation);
}

Tensor f32(const Shape& shape) { return ones(shape, float32); }
Tensor f64(const Shape& shape) { return ones(shape, float64); }

// Errors every [N, C, H, W] op shares: wrong rank, int64.
std::vector<ErrorSample> image_errors(const std::string& op, std::function<void(const Tensor&)> call) {
  return {{"3-d input", [=] { call(f64({2, 3, 4})); }, "ShapeError", {op + ": ", "[N, C, H, W]", "[2, 3, 4]"}},
          {"int64 input", [=] { call(ones({1, 1, 4, 4}, int64)); }, "DTypeError", {op + ": ", "int64"}}};
}

std::vector<ErrorSample> conv2d_errors() {
  return with(image_errors("conv2d", [](const Tensor& x) { conv2d(x, ones({1, 1, 2, 2}, x.dtype())); }),
              {{"channel mismatch", [] { conv2d(f32({1, 3, 5, 5}), f32({2, 4, 3, 3})); }, "ShapeError",
                {"conv2d: ", "[1, 3, 5, 5]", "[2, 4, 3, 3]", "3 channels"}},
               {"3-d weight", [] { conv2d(f32({1, 3, 5, 5}), f32({2, 3, 3})); }, "ShapeError", {"conv2d: ", "[2, 3, 3]"}},
               {"dtype mismatch", [] { conv2d(f32({1, 1, 5, 5}), f64({1, 1, 3, 3})); }, "DTypeError",
                {"conv2d: ", "float32", "float64"}},
               {"bias shape", [] { conv2d(f32({1, 1, 5, 5}), f32({2, 1, 3, 3}), f32({3})); }, "ShapeError",
                {"conv2d: ", "[2]", "[3]"}},
               {"kernel larger than padded input", [] { conv2d(f32({1, 1, 3, 3}), f32({1, 1, 6, 6}), {}, {1, 1}, {1, 1}); },
                "ShapeError", {"conv2d: ", "[6, 6]", "[5, 5]", "[1, 1, 3, 3]"}},
               {"zero stride", [] { conv2d(f32({1, 1, 5, 5}), f32({1, 1, 3, 3}), {}, {0, 1}); }, "ValueError",
                {"conv2d: ", "stride", "[0, 1]"}},
               {"negative padding", [] { conv2d(f32({1, 1, 5, 5}), f32({1, 1, 3, 3}), {}, {1, 1}, {-1, 0}); },
                "ValueError", {"conv2d: ", "padding", "[-1, 0]"}}});
}

std::vector<ErrorSample> conv_transpose2d_errors() {
  auto call = [](const Tensor& x) { conv_transpose2d(x, ones({1, 1, 2, 2}, x.dtype())); };
  return with(image_errors("conv_transpose2d", call),
              {{"channel mismatch", [] { conv_transpose2d(f32({1, 3, 4, 4}), f32({2, 4, 3, 3})); }, "ShapeError",
                {"conv_transpose2d: ", "[1, 3, 4, 4]", "[2, 4, 3, 3]"}},
               {"dtype mismatch", [] { conv_transpose2d(f64({1, 2, 4, 4}), f32({2, 1, 3, 3})); }, "DTypeError",
                {"conv_transpose2d: ", "float32", "float64"}},
               {"bias shape", [] { conv_transpose2d(f32({1, 2, 4, 4}), f32({2, 3, 3, 3}), f32({2})); }, "ShapeError",
                {"conv_transpose2d: ", "[3]", "[2]"}},
               {"output_padding too large",
                [] { conv_transpose2d(f32({1, 1, 4, 4}), f32({1, 1, 3, 3}), {}, {2, 2}, {0, 0}, {2, 0}); },
                "ValueError", {"conv_transpose2d: ", "output_padding", "[2, 0]"}},
               {"zero stride", [] { conv_transpose2d(f32({1, 1, 4, 4}), f32({1, 1, 3, 3}), {}, {1, 0}); },
                "ValueError", {"conv_transpose2d: ", "stride", "[1, 0]"}},
               {"padding removes the output",
                [] { conv_transpose2d(f32({1, 1, 1, 1}), f32({1, 1, 2, 2}), {}, {1, 1}, {1, 1}); }, "ShapeError",
                {"conv_transpose2d: ", "padding", "[1, 1, 1, 1]"}}});
}

std::vector<ErrorSample> pool_errors(const std::string& op,
                                     std::function<Tensor(const Tensor&, Pair, Pair, Pair)> pool) {
  return with(image_errors(op, [=](const Tensor& x) { pool(x, {2, 2}, {0, 0}, {0, 0}); }),
              {{"kernel larger than input", [=] { pool(f32({1, 1, 3, 3}), {4, 4}, {0, 0}, {0, 0}); }, "ShapeError",
                {op + ": ", "[4, 4]", "[3, 3]"}},
               {"padding over half the kernel", [=] { pool(f32({1, 1, 6, 6}), {2, 2}, {0, 0}, {2, 0}); },
                "ValueError", {op + ": ", "padding", "[2, 0]", "[2, 2]"}},
               {"negative stride", [=] { pool(f32({1, 1, 6, 6}), {2, 2}, {-1, 1}, {0, 0}); }, "ValueError",
                {op + ": ", "stride", "[-1, 1]"}},
               {"zero kernel", [=] { pool(f32({1, 1, 6, 6}), {0, 2}, {1, 1}, {0, 0}); }, "ValueError",
                {op + ": ", "kernel", "[0, 2]"}}});
}

const RegisterOps register_conv({
    OpEntry{
        .name = "unfold",
        .function = call_unfold,
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[1, 2, 4, 4] k2", {input(g, {1, 2, 4, 4})}, window({2, 2})},
              {"[2, 1, 5, 5] k3 s2 p1", {input(g, {2, 1, 5, 5})}, window({3, 3}, {2, 2}, {1, 1})},
              {"[1, 2, 5, 5] k2 d2", {input(g, {1, 2, 5, 5})}, window({2, 2}, {1, 1}, {0, 0}, {2, 2})},
              {"[1, 1, 4, 6] k(2,3) s(1,2) p(1,0) d(1,2)",
               {input(g, {1, 1, 4, 6})}, window({2, 3}, {1, 2}, {1, 0}, {1, 2})},
              {"transposed N, C [2, 2, 3, 3] k2 p1", {transposed_input(g, {2, 2, 3, 3})},
               window({2, 2}, {1, 1}, {1, 1})},
              {"H, W swapped view [1, 2, 3, 5] k2 s2", {spatially_transposed(g, {1, 2, 3, 5})}, window({2, 2}, {2, 2})},
              {"step-2 batch view [2, 1, 4, 4] k3", {strided_input(g, {2, 1, 4, 4})}, window({3, 3})},
              {"zero batch [0, 2, 3, 3] k2", {input(g, {0, 2, 3, 3})}, window({2, 2})},
          };
        },
        .reference = unfold_reference,
        .errors = with(image_errors("unfold", [](const Tensor& x) { unfold(x, {2, 2}); }),
                       {{"kernel larger than padded input", [] { unfold(f32({1, 1, 3, 3}), {5, 5}); }, "ShapeError",
                         {"unfold: ", "[5, 5]", "[3, 3]"}},
                        {"zero dilation", [] { unfold(f32({1, 1, 3, 3}), {2, 2}, {1, 1}, {0, 0}, {0, 1}); },
                         "ValueError", {"unfold: ", "dilation", "[0, 1]"}}}),
    },
    OpEntry{
        .name = "fold",
        .function = call_fold,
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[1, 8, 9] -> [4, 4] k2", {input(g, {1, 8, 9})}, window({2, 2}, {1, 1}, {0, 0}, {1, 1}, {4, 4})},
              {"[2, 9, 4] -> [4, 4] k3 s2 p1",
               {input(g, {2, 9, 4})}, window({3, 3}, {2, 2}, {1, 1}, {1, 1}, {4, 4})},
              {"[1, 4, 9] -> [5, 5] k2 d2", {input(g, {1, 4, 9})}, window({2, 2}, {1, 1}, {0, 0}, {2, 2}, {5, 5})},
              {"[1, 8, 4] -> [5, 5] k2 s2 (last row uncovered)",
               {input(g, {1, 8, 4})}, window({2, 2}, {2, 2}, {0, 0}, {1, 1}, {5, 5})},
              {"transposed [2, 6, 4] -> [3, 4] k(2,3) p(0,1) s(1,2)",
               {transposed_input(g, {2, 6, 4})}, window({2, 3}, {1, 2}, {0, 1}, {1, 1}, {3, 4})},
          };
        },
        .reference = fold_reference,
        .errors = {{"2-d columns", [] { fold(f32({4, 9}), {4, 4}, {2, 2}); }, "ShapeError", {"fold: ", "[4, 9]"}},
                   {"int64 columns", [] { fold(ones({1, 4, 9}, int64), {4, 4}, {2, 2}); }, "DTypeError",
                    {"fold: ", "int64"}},
                   {"positions differ", [] { fold(f32({1, 4, 8}), {4, 4}, {2, 2}); }, "ShapeError",
                    {"fold: ", "[1, 4, 8]", "[4, 4]", "9 positions"}},
                   {"channels not a multiple of the kernel", [] { fold(f32({1, 5, 9}), {4, 4}, {2, 2}); }, "ShapeError",
                    {"fold: ", "[1, 5, 9]", "4"}},
                   {"zero output size", [] { fold(f32({1, 4, 9}), {0, 4}, {2, 2}); }, "ValueError",
                    {"fold: ", "[0, 4]"}}},
    },
    OpEntry{
        .name = "conv2d",
        .function = call_conv2d,
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[2, 2, 4, 4] * [3, 2, 2, 2] + b",
               {input(g, {2, 2, 4, 4}), input(g, {3, 2, 2, 2}), input(g, {3})}, window({})},
              {"[1, 2, 5, 5] * [2, 2, 3, 3] s2 p1 + b",
               {input(g, {1, 2, 5, 5}), input(g, {2, 2, 3, 3}), input(g, {2})}, window({}, {2, 2}, {1, 1})},
              {"[1, 1, 6, 6] * [2, 1, 2, 2] d2, no bias",
               {input(g, {1, 1, 6, 6}), input(g, {2, 1, 2, 2})}, window({}, {1, 1}, {0, 0}, {2, 2})},
              {"[1, 2, 4, 6] * [2, 2, 2, 3] s(2,1) p(0,1) d(1,2)",
               {input(g, {1, 2, 4, 6}), input(g, {2, 2, 2, 3}), input(g, {2})}, window({}, {2, 1}, {0, 1}, {1, 2})},
              {"transposed x and weight", {transposed_input(g, {2, 2, 3, 3}), transposed_input(g, {2, 2, 2, 2}),
                                           input(g, {2})}, window({}, {1, 1}, {1, 1})},
              {"H, W swapped x", {spatially_transposed(g, {1, 2, 4, 3}), input(g, {1, 2, 2, 2})}, window({})},
              {"zero batch", {input(g, {0, 2, 3, 3}), input(g, {2, 2, 2, 2}), input(g, {2})}, window({})},
          };
        },
        .reference = conv2d_reference,
        .errors = conv2d_errors(),
    },
    // docs/testing.md, G3 values: against the direct loops on bigger random inputs, gradients by
    // random projections (fast: the inputs are too large for a full Jacobian).
    OpEntry{
        .name = "conv2d",
        .function = call_conv2d,
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[3, 5, 7, 7] * [4, 5, 3, 3] + b",
               {input(g, {3, 5, 7, 7}), input(g, {4, 5, 3, 3}), input(g, {4})}, window({})},
              {"[3, 5, 7, 7] * [4, 5, 3, 3] s2 p(1,2) d(1,2) + b",
               {input(g, {3, 5, 7, 7}), input(g, {4, 5, 3, 3}), input(g, {4})}, window({}, {2, 2}, {1, 2}, {1, 2})},
          };
        },
        .reference = conv2d_reference,
        .fast = true,
        .errors = conv2d_errors(),
    },
    OpEntry{
        .name = "conv_transpose2d",
        .function = call_conv_transpose2d,
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[2, 2, 3, 3] * [2, 3, 2, 2] + b",
               {input(g, {2, 2, 3, 3}), input(g, {2, 3, 2, 2}), input(g, {3})}, window({})},
              {"[1, 2, 3, 3] * [2, 2, 3, 3] s2 p1 op1 + b",
               {input(g, {1, 2, 3, 3}), input(g, {2, 2, 3, 3}), input(g, {2})},
               window({}, {2, 2}, {1, 1}, {1, 1}, {1, 1})},
              {"[1, 1, 3, 3] * [1, 2, 2, 2] d2 op1 (output_padding below dilation)",
               {input(g, {1, 1, 3, 3}), input(g, {1, 2, 2, 2})}, window({}, {1, 1}, {0, 0}, {2, 2}, {1, 1})},
              {"[1, 2, 2, 3] * [2, 2, 2, 3] s(2,1) p(1,0) d(1,2) op(1,0)",
               {input(g, {1, 2, 2, 3}), input(g, {2, 2, 2, 3}), input(g, {2})},
               window({}, {2, 1}, {1, 0}, {1, 2}, {1, 0})},
              {"transposed x and weight", {transposed_input(g, {2, 2, 2, 2}), transposed_input(g, {2, 2, 2, 2}),
                                           input(g, {2})}, window({}, {2, 2})},
          };
        },
        .reference = conv_transpose2d_reference,
        .errors = conv_transpose2d_errors(),
    },
    OpEntry{
        .name = "conv_transpose2d",
        .function = call_conv_transpose2d,
        .samples = [](Generator& g) {
          return std::vector<OpSample>{{"[3, 5, 6, 6] * [5, 4, 3, 3] s2 p1 op1 + b",
                                        {input(g, {3, 5, 6, 6}), input(g, {5, 4, 3, 3}), input(g, {4})},
                                        window({}, {2, 2}, {1, 1}, {1, 1}, {1, 1})}};
        },
        .reference = conv_transpose2d_reference,
        .fast = true,
        .errors = conv_transpose2d_errors(),
    },
    OpEntry{
        .name = "conv2d_weight",
        .function = call_conv2d_weight,
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[2, 2, 4, 4], g [2, 3, 3, 3] k2", {input(g, {2, 2, 4, 4}), input(g, {2, 3, 3, 3})}, window({2, 2})},
              {"[1, 2, 5, 5], g [1, 2, 3, 3] k3 s2 p1",
               {input(g, {1, 2, 5, 5}), input(g, {1, 2, 3, 3})}, window({3, 3}, {2, 2}, {1, 1})},
              {"[1, 1, 6, 6], g [1, 2, 4, 4] k2 d2",
               {input(g, {1, 1, 6, 6}), input(g, {1, 2, 4, 4})}, window({2, 2}, {1, 1}, {0, 0}, {2, 2})},
              {"[1, 2, 5, 6], g [1, 2, 2, 4] k(2,3) s(2,1) p(0,1) d(1,2) (last row unused)",
               {input(g, {1, 2, 5, 6}), input(g, {1, 2, 2, 4})}, window({2, 3}, {2, 1}, {0, 1}, {1, 2})},
              {"transposed x and g", {transposed_input(g, {2, 2, 3, 3}), transposed_input(g, {2, 2, 4, 4})},
               window({2, 2}, {1, 1}, {1, 1})},
              {"zero batch", {input(g, {0, 2, 3, 3}), input(g, {0, 2, 2, 2})}, window({2, 2})},
          };
        },
        .reference = conv2d_weight_reference,
        .errors = with(image_errors("conv2d_weight",
                                    [](const Tensor& x) { conv2d_weight(x, ones({1, 1, 3, 3}, x.dtype()), {2, 2}); }),
                       {{"grad_output positions differ",
                         [] { conv2d_weight(f32({1, 2, 4, 4}), f32({1, 3, 2, 2}), {2, 2}); },
                         "ShapeError", {"conv2d_weight: ", "[1, Cout, 3, 3]", "[1, 2, 4, 4]", "[1, 3, 2, 2]"}},
                        {"batch differs", [] { conv2d_weight(f32({2, 2, 4, 4}), f32({1, 3, 3, 3}), {2, 2}); },
                         "ShapeError", {"conv2d_weight: ", "[2, Cout, 3, 3]", "[1, 3, 3, 3]"}},
                        {"dtype mismatch", [] { conv2d_weight(f32({1, 1, 4, 4}), f64({1, 1, 3, 3}), {2, 2}); },
                         "DTypeError", {"conv2d_weight: ", "float32", "float64"}},
                        {"zero stride", [] { conv2d_weight(f32({1, 1, 4, 4}), f32({1, 1, 3, 3}), {2, 2}, {0, 1}); },
                         "ValueError", {"conv2d_weight: ", "stride", "[0, 1]"}}}),
    },
    OpEntry{
        .name = "max_pool2d",
        .function = [](const std::vector<Tensor>& in, const OpArguments& arguments) {
          const Settings s = settings_of(arguments);
          return max_pool2d(in[0], s.kernel, s.stride, s.padding);
        },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[1, 2, 4, 4] k2", {distinct_input(g, {1, 2, 4, 4})}, window({2, 2}, {0, 0})},
              {"[2, 1, 5, 5] k3 s2 p1", {distinct_input(g, {2, 1, 5, 5})}, window({3, 3}, {2, 2}, {1, 1})},
              {"[1, 1, 4, 5] k(2,3) s(1,2) p(1,1) overlapping",
               {distinct_input(g, {1, 1, 4, 5})}, window({2, 3}, {1, 2}, {1, 1})},
              {"transposed N, C [2, 2, 4, 4] k2 s1",
               {transpose(distinct_input(g, {2, 2, 4, 4}).detach(), 0, 1).requires_grad_()}, window({2, 2})},
          };
        },
        .reference = [](const std::vector<Tensor>& in, const OpArguments& arguments) {
          return pool_reference(in, arguments, true);
        },
        .errors = pool_errors("max_pool2d",
                              [](const Tensor& x, Pair k, Pair s, Pair p) { return max_pool2d(x, k, s, p); }),
    },
    OpEntry{
        .name = "avg_pool2d",
        .function = [](const std::vector<Tensor>& in, const OpArguments& arguments) {
          const Settings s = settings_of(arguments);
          return avg_pool2d(in[0], s.kernel, s.stride, s.padding);
        },
        .samples = [](Generator& g) {
          return std::vector<OpSample>{
              {"[1, 2, 4, 4] k2", {input(g, {1, 2, 4, 4})}, window({2, 2}, {0, 0})},
              {"[2, 1, 5, 5] k3 s2 p1", {input(g, {2, 1, 5, 5})}, window({3, 3}, {2, 2}, {1, 1})},
              {"[1, 1, 4, 5] k(2,3) s(1,2) p(1,1)", {input(g, {1, 1, 4, 5})}, window({2, 3}, {1, 2}, {1, 1})},
              {"H, W swapped view [1, 2, 4, 3] k2 s1", {spatially_transposed(g, {1, 2, 4, 3})}, window({2, 2})},
          };
        },
        .reference = [](const std::vector<Tensor>& in, const OpArguments& arguments) {
          return pool_reference(in, arguments, false);
        },
        .errors = pool_errors("avg_pool2d",
                              [](const Tensor& x, Pair k, Pair s, Pair p) { return avg_pool2d(x, k, s, p); }),
    },
    OpEntry{
        .name = "upsample_nearest2d",
        .function = [](const std::vector<Tensor>& in, const OpArguments& arguments) {
          return upsample_nearest2d(in[0], settings_of(arguments).extra);
        },
        .samples = [](Generator& g) {
          const auto scale = [](Pair s) { return window({1, 1}, {1, 1}, {0, 0}, {1, 1}, s); };
          return std::vector<OpSample>{
              {"[1, 2, 3, 3] x(2,2)", {input(g, {1, 2, 3, 3})}, scale({2, 2})},
              {"[2, 1, 2, 3] x(1,3)", {input(g, {2, 1, 2, 3})}, scale({1, 3})},
              {"transposed [2, 2, 2, 2] x(3,2)", {transposed_input(g, {2, 2, 2, 2})}, scale({3, 2})},
          };
        },
        .reference = upsample_reference,
        .errors = with(image_errors("upsample_nearest2d", [](const Tensor& x) { upsample_nearest2d(x, {2, 2}); }),
                       {{"zero scale", [] { upsample_nearest2d(f32({1, 1, 2, 2}), {0, 2}); }, "ValueError",
                         {"upsample_nearest2d: ", "[0, 2]"}}}),
    },
});

}  // namespace
}  // namespace lg::testing
