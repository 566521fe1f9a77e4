// Every fast CPU kernel (autograd/backend/cpu/fast/) against the plain kernel of the same name, on
// the same inputs, in one process: copies (im2col) and sums in the same order (col2im, float64 GEMM)
// give the same bits; float32 math and GEMMs whose sums run in another order agree to float32
// rounding; the convolutions, whose chunked products add in another order, to a few ulps of their
// scale. Layouts the fast kernels do not take must fall back to the plain ones exactly.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "autograd/backend/cpu/cpu_backend.hpp"
#include "autograd/backend/cpu/fast/fast_kernels.hpp"

namespace {

using lg::Tensor;
using lg::kernel::Window2d;

lg::Backend& fast() { return lg::kernel::fast::fast_cpu_backend(); }
lg::Backend& plain() { return lg::plain_cpu_backend(); }

bool same_bits(const Tensor& a, const Tensor& b) {
  const auto x = a.to_vector<double>(), y = b.to_vector<double>();
  return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
}

// max |a - b| <= tolerance (max |b| + 1).
void check_close(const Tensor& a, const Tensor& b, double tolerance, const std::string& what) {
  const auto x = a.to_vector<double>(), y = b.to_vector<double>();
  BOOST_REQUIRE_EQUAL(x.size(), y.size());
  double gap = 0.0, scale = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    gap = std::max(gap, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  BOOST_TEST(gap <= tolerance * (scale + 1.0), what << ": gap " << gap << " at scale " << scale);
}

std::int64_t positions(std::int64_t size, std::int64_t kernel, std::int64_t stride, std::int64_t padding,
                       std::int64_t dilation) {
  return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}

struct Geometry {
  std::int64_t batch, channels, height, width, out_channels;
  Window2d window;
};

// Short and long rows, strides 1 to 3, padding, dilation, non-square windows.
const std::vector<Geometry> geometries{
    {2, 3, 7, 7, 4, {.kernel_h = 3, .kernel_w = 3, .stride_h = 1, .stride_w = 1, .padding_h = 1, .padding_w = 1}},
    {3, 2, 14, 14, 5, {.kernel_h = 4, .kernel_w = 4, .stride_h = 2, .stride_w = 2, .padding_h = 1, .padding_w = 1}},
    {2, 2, 28, 28, 3, {.kernel_h = 3, .kernel_w = 3, .stride_h = 1, .stride_w = 1, .padding_h = 1, .padding_w = 1}},
    {2, 3, 11, 9, 2, {.kernel_h = 2, .kernel_w = 3, .stride_h = 3, .stride_w = 3, .padding_h = 2, .padding_w = 0}},
    {1, 2, 9, 10, 3,
     {.kernel_h = 3, .kernel_w = 2, .stride_h = 1, .stride_w = 2, .padding_h = 0, .padding_w = 1, .dilation_h = 2,
      .dilation_w = 2}},
    {9, 2, 24, 24, 3, {.kernel_h = 4, .kernel_w = 4, .stride_h = 2, .stride_w = 2, .padding_h = 1, .padding_w = 1}},
};

std::string name_of(const Geometry& g, lg::DType dtype) {
  std::ostringstream out;
  out << dtype << " [" << g.batch << ", " << g.channels << ", " << g.height << ", " << g.width << "] k"
      << g.window.kernel_h << "x" << g.window.kernel_w << " s" << g.window.stride_h << "," << g.window.stride_w;
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fast_matches_plain)

BOOST_AUTO_TEST_CASE(float32_sigmoid_and_cross_entropy) {
  lg::Generator g(3);
  const Tensor x = lg::randn({64, 130}, lg::float32, &g) * 12.0, t = lg::rand({64, 130}, lg::float32, &g);
  for (const Tensor& input : {x, x.t().contiguous().t()}) {  // contiguous, and a transposed layout
    Tensor a = lg::empty(input.shape()), b = lg::empty(input.shape());
    fast().unary(lg::kernel::Unary::sigmoid, input, a, 0, 0);
    plain().unary(lg::kernel::Unary::sigmoid, input, b, 0, 0);
    check_close(a, b, 3e-7, "sigmoid");
    fast().binary(lg::kernel::Binary::bce_with_logits, input, t, a, 1);
    plain().binary(lg::kernel::Binary::bce_with_logits, input, t, b, 1);
    check_close(a, b, 3e-7, "bce_with_logits");
    // Everything else is the plain kernel itself.
    fast().unary(lg::kernel::Unary::tanh, input, a, 0, 0);
    plain().unary(lg::kernel::Unary::tanh, input, b, 0, 0);
    BOOST_TEST(same_bits(a, b));
  }
  const Tensor x64 = x.to(lg::float64);
  Tensor a = lg::empty(x.shape(), lg::float64), b = lg::empty(x.shape(), lg::float64);
  fast().unary(lg::kernel::Unary::sigmoid, x64, a, 0, 0);
  plain().unary(lg::kernel::Unary::sigmoid, x64, b, 0, 0);
  BOOST_TEST(same_bits(a, b));  // float64 keeps the C library
}

BOOST_AUTO_TEST_CASE(gemm_in_both_types_and_all_transposes) {
  lg::Generator g(5);
  for (const auto& [m, k, n] : std::vector<std::array<std::int64_t, 3>>{{7, 5, 3}, {130, 70, 90}, {300, 257, 40}})
    for (const bool transpose_a : {false, true})
      for (const bool transpose_b : {false, true})
        for (const lg::DType dtype : {lg::float32, lg::float64}) {
          const Tensor a = transpose_a ? lg::randn({k, m}, dtype, &g).t() : lg::randn({m, k}, dtype, &g);
          const Tensor b = transpose_b ? lg::randn({n, k}, dtype, &g).t() : lg::randn({k, n}, dtype, &g);
          Tensor c1 = lg::randn({m, n}, dtype, &g), c2 = c1.clone();
          fast().gemm(a, b, c1, true);
          plain().gemm(a, b, c2, true);
          if (dtype == lg::float64) BOOST_TEST(same_bits(c1, c2));  // both OpenBLAS, same blocks
          else check_close(c1, c2, 4e-6 * std::sqrt(double(k)), "float32 gemm");
        }
}

BOOST_AUTO_TEST_CASE(im2col_and_col2im_give_the_same_bits) {
  lg::Generator g(7);
  for (const Geometry& geo : geometries)
    for (const lg::DType dtype : {lg::float32, lg::float64}) {
      const Window2d& w = geo.window;
      const std::int64_t oh = positions(geo.height, w.kernel_h, w.stride_h, w.padding_h, w.dilation_h);
      const std::int64_t ow = positions(geo.width, w.kernel_w, w.stride_w, w.padding_w, w.dilation_w);
      const std::int64_t taps = geo.channels * w.kernel_h * w.kernel_w;
      const Tensor x = lg::randn({geo.batch, geo.channels, geo.height, geo.width}, dtype, &g);
      Tensor a = lg::empty({geo.batch, taps, oh * ow}, dtype), b = lg::empty({geo.batch, taps, oh * ow}, dtype);
      fast().im2col(x, w, a);
      plain().im2col(x, w, b);
      BOOST_TEST(same_bits(a, b), "im2col " << name_of(geo, dtype));
      const Tensor bias = lg::randn({geo.channels}, dtype, &g);
      Tensor y1 = lg::empty(x.shape(), dtype), y2 = lg::empty(x.shape(), dtype);
      fast().col2im(a, w, y1, bias);
      plain().col2im(a, w, y2, bias);
      BOOST_TEST(same_bits(y1, y2), "col2im " << name_of(geo, dtype));
    }
}

BOOST_AUTO_TEST_CASE(convolutions_agree_to_rounding) {
  lg::Generator g(11);
  for (const Geometry& geo : geometries)
    for (const lg::DType dtype : {lg::float32, lg::float64}) {
      const double tolerance = dtype == lg::float64 ? 1e-13 : 1e-5;
      const Window2d& w = geo.window;
      const std::int64_t oh = positions(geo.height, w.kernel_h, w.stride_h, w.padding_h, w.dilation_h);
      const std::int64_t ow = positions(geo.width, w.kernel_w, w.stride_w, w.padding_w, w.dilation_w);
      const Tensor x = lg::randn({geo.batch, geo.channels, geo.height, geo.width}, dtype, &g);
      const Tensor weight = lg::randn({geo.out_channels, geo.channels, w.kernel_h, w.kernel_w}, dtype, &g);
      const Tensor bias = lg::randn({geo.out_channels}, dtype, &g);
      const Tensor y = lg::randn({geo.batch, geo.out_channels, oh, ow}, dtype, &g);
      const Tensor input_bias = lg::randn({geo.channels}, dtype, &g);
      const std::string where = name_of(geo, dtype);
      Tensor a = lg::empty(y.shape(), dtype), b = lg::empty(y.shape(), dtype);
      fast().conv2d(x, weight, bias, w, a);
      plain().conv2d(x, weight, bias, w, b);
      check_close(a, b, tolerance, "conv2d " + where);
      Tensor dx1 = lg::empty(x.shape(), dtype), dx2 = lg::empty(x.shape(), dtype);
      fast().conv2d_adjoint(y, weight, input_bias, w, dx1);
      plain().conv2d_adjoint(y, weight, input_bias, w, dx2);
      check_close(dx1, dx2, tolerance, "conv2d_adjoint " + where);
      Tensor dw1 = lg::empty(weight.shape(), dtype), dw2 = lg::empty(weight.shape(), dtype);
      fast().conv2d_weight(x, y, w, dw1);
      plain().conv2d_weight(x, y, w, dw2);
      check_close(dw1, dw2, tolerance, "conv2d_weight " + where);
      Tensor both_out = lg::empty(y.shape(), dtype), both_weight = lg::empty(weight.shape(), dtype);
      fast().conv2d_and_weight(x, weight, y, w, both_out, both_weight);
      plain().conv2d(x, weight, {}, w, b);
      check_close(both_out, b, tolerance, "conv2d_and_weight, output " + where);
      check_close(both_weight, dw2, tolerance, "conv2d_and_weight, weight " + where);
    }
}

BOOST_AUTO_TEST_SUITE_END()
