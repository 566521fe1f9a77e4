// Closed-form checks of unfold/fold, the convolutions and pooling, beyond the registry's gradchecks.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <latentgeo.hpp>

#include "autograd/backend/kernels.hpp"

namespace {

double inner(const lg::Tensor& a, const lg::Tensor& b) { return (a * b).sum().item(); }

std::vector<double> values(const lg::Tensor& t) { return t.to_vector<double>(); }

lg::Tensor image(std::vector<double> values, const lg::Shape& shape) {
  return lg::from_vector(values, shape, lg::float64);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(conv)

BOOST_AUTO_TEST_CASE(unfold_and_fold_are_adjoint) {
  lg::Generator g(7);
  const lg::Pair kernel{3, 2}, stride{2, 1}, padding{1, 1}, dilation{1, 2};
  const auto x = lg::randn({2, 3, 6, 5}, lg::float64, &g);
  const auto columns = lg::unfold(x, kernel, stride, padding, dilation);
  const auto c = lg::randn(columns.shape(), lg::float64, &g);
  const double left = inner(columns, c);
  const double right = inner(x, lg::fold(c, {6, 5}, kernel, stride, padding, dilation));
  BOOST_TEST(std::abs(left - right) <= 1e-12 * std::abs(left));
}

BOOST_AUTO_TEST_CASE(fold_of_unfold_counts_the_windows_over_each_pixel) {
  const auto ones = lg::ones({1, 1, 4, 4}, lg::float64);
  const auto counts = lg::fold(lg::unfold(ones, {2, 2}), {4, 4}, {2, 2});
  const std::vector<double> expected{1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1};
  BOOST_TEST(values(counts) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(conv_transpose2d_is_the_input_gradient_of_conv2d) {
  lg::Generator g(3);
  const auto x = lg::randn({2, 3, 7, 6}, lg::float64, &g).requires_grad_();
  const auto w = lg::randn({4, 3, 3, 3}, lg::float64, &g);
  const auto y = lg::conv2d(x, w, {}, {2, 2}, {1, 1});  // [2, 4, 4, 3]
  const auto cotangent = lg::randn(y.shape(), lg::float64, &g);
  const auto gradient = lg::grad({y}, {x}, {cotangent})[0];
  // Heights 4 -> 7 need no output_padding, widths 3 -> 6 need 1.
  const auto transposed = lg::conv_transpose2d(cotangent, w, {}, {2, 2}, {1, 1}, {0, 1});
  BOOST_TEST(transposed.shape() == x.shape());
  const auto a = values(gradient), b = values(transposed);
  for (std::size_t i = 0; i < a.size(); ++i) BOOST_TEST(std::abs(a[i] - b[i]) <= 1e-12 * (1 + std::abs(a[i])));
}

BOOST_AUTO_TEST_CASE(one_by_one_conv2d_is_a_matrix_product_over_channels) {
  lg::Generator g(5);
  const auto x = lg::randn({2, 3, 4, 5}, lg::float64, &g);
  const auto w = lg::randn({6, 3, 1, 1}, lg::float64, &g);
  const auto b = lg::randn({6}, lg::float64, &g);
  const auto y = lg::conv2d(x, w, b);
  const auto expected = lg::matmul(lg::reshape(w, {6, 3}), lg::reshape(x, {2, 3, 20})) + lg::reshape(b, {6, 1});
  const auto a = values(y), e = values(expected);
  for (std::size_t i = 0; i < a.size(); ++i) BOOST_TEST(std::abs(a[i] - e[i]) <= 1e-12 * (1 + std::abs(e[i])));
}

BOOST_AUTO_TEST_CASE(pooling_known_values) {
  const auto x = lg::reshape(lg::arange(0.0, 16.0, 1.0, lg::float64), {1, 1, 4, 4});
  BOOST_TEST(values(lg::max_pool2d(x, {2, 2})) == (std::vector<double>{5, 7, 13, 15}), boost::test_tools::per_element());
  BOOST_TEST(values(lg::avg_pool2d(x, {2, 2})) == (std::vector<double>{2.5, 4.5, 10.5, 12.5}),
             boost::test_tools::per_element());
  // Padding: avg counts it as zeros; max never picks it, even over negative values.
  const auto small = image({1, 2, 3, 4}, {1, 1, 2, 2});
  BOOST_TEST(values(lg::avg_pool2d(small, {2, 2}, {2, 2}, {1, 1})) == (std::vector<double>{0.25, 0.5, 0.75, 1.0}),
             boost::test_tools::per_element());
  BOOST_TEST(values(lg::max_pool2d(-small, {2, 2}, {2, 2}, {1, 1})) == (std::vector<double>{-1, -2, -3, -4}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(max_pool_gradient_goes_to_the_arg_max) {
  const auto x = image({0.5, -1.0, 3.0, 2.0, 7.0, 1.0, 4.0, -2.0}, {1, 2, 2, 2}).requires_grad_();
  lg::max_pool2d(x, {2, 2}).sum().backward();
  BOOST_TEST(values(x.grad()) == (std::vector<double>{0, 0, 1, 0, 1, 0, 0, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(upsample_nearest_repeats_pixels_and_sums_gradients_over_blocks) {
  const auto x = image({1, 2, 3, 4}, {1, 1, 2, 2}).requires_grad_();
  const auto y = lg::upsample_nearest2d(x, {2, 3});
  BOOST_TEST(y.shape() == (lg::Shape{1, 1, 4, 6}));
  const std::vector<double> expected{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
  BOOST_TEST(values(y) == expected, boost::test_tools::per_element());
  (y * lg::reshape(lg::arange(0.0, 24.0, 1.0, lg::float64), {1, 1, 4, 6})).sum().backward();
  // Block sums of 0..23 laid out 4 x 6: rows {0, 1} x cols {0, 1, 2} and so on.
  BOOST_TEST(values(x.grad()) == (std::vector<double>{24, 42, 96, 114}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unfold_and_fold_bits_do_not_depend_on_the_thread_count) {
  lg::Generator g(11);
  const auto x = lg::randn({8, 16, 20, 20}, lg::float32, &g);  // far above the parallel threshold
  const int threads = lg::num_threads();
  lg::set_num_threads(1);
  const auto columns_one = lg::unfold(x, {3, 3}, {1, 1}, {1, 1});
  const auto image_one = lg::fold(columns_one, {20, 20}, {3, 3}, {1, 1}, {1, 1});
  lg::set_num_threads(2);
  const auto columns_two = lg::unfold(x, {3, 3}, {1, 1}, {1, 1});
  const auto image_two = lg::fold(columns_two, {20, 20}, {3, 3}, {1, 1}, {1, 1});
  lg::set_num_threads(threads);
  BOOST_TEST((values(columns_one) == values(columns_two)));
  BOOST_TEST((values(image_one) == values(image_two)));
}

// unfold copies each window row as one run, with fixed-size copies for runs of 16 to 64 bytes
// (cpu/conv.cpp): every run length from 1 to 20 values, in both float types, against the definition.
BOOST_AUTO_TEST_CASE(unfold_matches_its_definition_for_every_row_length) {
  lg::Generator g(13);
  struct Window {
    lg::Pair stride, padding, dilation;
  };
  for (const lg::DType dtype : {lg::float32, lg::float64})
    for (const Window w : {Window{{1, 1}, {0, 0}, {1, 1}}, Window{{2, 2}, {1, 1}, {1, 1}},
                           Window{{1, 3}, {2, 1}, {1, 1}}, Window{{2, 2}, {2, 3}, {2, 2}}})
      for (std::int64_t out_width = 1; out_width <= 20; ++out_width) {
        const lg::Pair kernel{3, 2};
        const std::int64_t height = 5;
        const std::int64_t width = (out_width - 1) * w.stride[1] + (kernel[1] - 1) * w.dilation[1] + 1 - 2 * w.padding[1];
        if (width < 1) continue;
        const auto x = lg::randn({2, 2, height, width}, dtype, &g);
        const auto columns = lg::unfold(x, kernel, w.stride, w.padding, w.dilation);
        const std::int64_t out_height =
            (height + 2 * w.padding[0] - w.dilation[0] * (kernel[0] - 1) - 1) / w.stride[0] + 1;
        BOOST_TEST_REQUIRE(columns.shape()[2] == out_height * out_width);
        const auto xv = values(x), cv = values(columns);
        std::int64_t mismatches = 0;
        for (std::int64_t plane = 0; plane < 4; ++plane)
          for (std::int64_t i = 0; i < kernel[0]; ++i)
            for (std::int64_t j = 0; j < kernel[1]; ++j)
              for (std::int64_t oy = 0; oy < out_height; ++oy)
                for (std::int64_t ox = 0; ox < out_width; ++ox) {
                  const std::int64_t y = oy * w.stride[0] - w.padding[0] + i * w.dilation[0];
                  const std::int64_t xx = ox * w.stride[1] - w.padding[1] + j * w.dilation[1];
                  const bool inside = y >= 0 && y < height && xx >= 0 && xx < width;
                  const double expected = inside ? xv[static_cast<std::size_t>((plane * height + y) * width + xx)] : 0.0;
                  const std::int64_t row = (plane * kernel[0] + i) * kernel[1] + j;
                  const std::int64_t at = row * out_height * out_width + oy * out_width + ox;
                  mismatches += cv[static_cast<std::size_t>(at)] != expected;
                }
        BOOST_TEST(mismatches == 0, "dtype " << lg::dtype_name(dtype) << " out_width " << out_width << " stride "
                                              << w.stride[1] << " padding " << w.padding[1] << " dilation "
                                              << w.dilation[1]);
      }
}

// A contractive-style penalty needs the derivative of a gradient: p(w) = |d/dx sum(tanh(conv2d(x, w)))|^2.
BOOST_AUTO_TEST_CASE(gradient_penalty_through_conv2d_passes_gradcheck) {
  lg::Generator g(13);
  const auto x = lg::randn({1, 2, 4, 4}, lg::float64, &g).requires_grad_();
  const auto w = lg::randn({2, 2, 3, 3}, lg::float64, &g).requires_grad_();
  const lg::TensorFunction penalty = [&x](const std::vector<lg::Tensor>& in) {
    lg::EnableGradGuard with_grad;  // gradcheck evaluates under no-grad; the inner gradient needs a graph
    const auto y = lg::tanh(lg::conv2d(x, in[0], {}, {1, 1}, {1, 1})).sum();
    const auto dx = lg::grad({y}, {x}, {}, {.create_graph = true})[0];
    return (dx * dx).sum();
  };
  const auto result = lg::gradcheck("conv2d gradient penalty", penalty, {w});
  BOOST_TEST(result.passed, result.report);
}

// With 128 positions or more per image, the fast kernels run their GEMMs image by image on the images
// in place (backend/cpu/fast/convolution_chunked.cpp); the plain ones always do. conv2d and conv_transpose2d on such images, and all their
// gradients (the weight's through conv2d_weight and the fused conv2d_and_weight), against the same
// maps written with unfold, fold and matmul, in float64.
BOOST_AUTO_TEST_CASE(convolutions_of_large_images_match_unfold_fold_and_matmul) {
  lg::Generator g(19);
  const std::int64_t batch = 16;  // two images per chunk: the per-image products add up within a chunk
  const auto x = lg::randn({batch, 2, 24, 24}, lg::float64, &g).requires_grad_();
  const auto w = lg::randn({3, 2, 4, 4}, lg::float64, &g).requires_grad_();
  const auto b = lg::randn({3}, lg::float64, &g).requires_grad_();
  const auto wt = lg::randn({3, 2, 4, 4}, lg::float64, &g).requires_grad_();
  const auto bt = lg::randn({2}, lg::float64, &g).requires_grad_();
  const auto ours = [&] {
    const auto y = lg::conv2d(x, w, b, {2, 2}, {1, 1});          // [16, 3, 12, 12]: 144 positions
    return lg::conv_transpose2d(y, wt, bt, {2, 2}, {1, 1});      // [16, 2, 24, 24]
  };
  const auto reference = [&] {
    const auto columns = lg::unfold(x, {4, 4}, {2, 2}, {1, 1});  // [16, 32, 144]
    const auto y = lg::matmul(lg::reshape(w, {3, 32}), columns) + lg::reshape(b, {1, 3, 1});
    const auto spread = lg::matmul(lg::transpose(lg::reshape(wt, {3, 32}), 0, 1), y);  // [16, 32, 144]
    return lg::fold(spread, {24, 24}, {4, 4}, {2, 2}, {1, 1}) + lg::reshape(bt, {1, 2, 1, 1});
  };
  const auto cotangent = lg::randn({batch, 2, 24, 24}, lg::float64, &g);
  const auto z = ours(), z_reference = reference();
  auto grads = lg::grad({(z * cotangent).sum()}, {x, w, b, wt, bt});
  auto grads_reference = lg::grad({(z_reference * cotangent).sum()}, {x, w, b, wt, bt});
  grads.insert(grads.begin(), z);
  grads_reference.insert(grads_reference.begin(), z_reference);
  for (std::size_t i = 0; i < grads.size(); ++i) {
    const double scale = lg::max(lg::abs(grads_reference[i])).item() + 1.0;
    const double gap = lg::max(lg::abs(grads[i] - grads_reference[i])).item();
    BOOST_TEST(gap <= 1e-12 * scale, "output " << i << ": gap " << gap);
  }
}

BOOST_AUTO_TEST_SUITE_END()
