// Per-image MSE and PSNR against hand-computed values: a uniform offset of 0.1
// is 20 dB at peak 1 and 20 + 20 log10(255) dB at peak 255, halving the error
// adds 6.02 dB, equal images give +infinity, each image of a batch is scored
// alone, float32 and float64 agree; and the errors.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "common/expect_error.hpp"

BOOST_AUTO_TEST_SUITE(image_metrics)

BOOST_AUTO_TEST_CASE(psnr_of_a_uniform_offset_is_closed_form) {
  const auto reference = lg::full({2, 1, 4, 4}, 0.5, lg::float64);
  const auto offset = reference + 0.1;
  const auto value = lg::data::psnr(offset, reference).to_vector<double>();
  BOOST_TEST(value.size() == 2u);
  BOOST_TEST(std::abs(value[0] - 20.0) < 1e-9);
  const auto bytes = lg::data::psnr(offset * 255.0, reference * 255.0, {.peak = 255.0}).to_vector<double>()[1];
  BOOST_TEST(std::abs(bytes - 20.0) < 1e-9);  // the same relative error at a different peak
  const auto mse = lg::data::mean_squared_error_per_image(offset, reference).to_vector<double>();
  BOOST_TEST(std::abs(mse[1] - 0.01) < 1e-12);
  const auto half = lg::data::psnr(reference + 0.05, reference).to_vector<double>()[0];
  BOOST_TEST(std::abs(half - value[0] - 20.0 * std::log10(2.0)) < 1e-9);
}

BOOST_AUTO_TEST_CASE(each_image_is_scored_alone) {
  // Image 0 equal, image 1 off by 0.2 in one pixel of four: MSE 0.01, 20 dB.
  const auto reference = lg::zeros({2, 4}, lg::float32);
  const auto images = lg::from_vector(std::vector<double>{0, 0, 0, 0, 0.2, 0, 0, 0}, {2, 4}, lg::float32);
  const auto value = lg::data::psnr(images, reference).to_vector<double>();
  BOOST_TEST(std::isinf(value[0]));
  BOOST_TEST(value[0] > 0.0);
  BOOST_TEST(std::abs(value[1] - 20.0) < 1e-5);  // float32 0.2 is not exactly 0.2
  const auto as_double = lg::data::psnr(images.to(lg::float64), reference.to(lg::float64)).to_vector<double>();
  BOOST_TEST(std::abs(as_double[1] - value[1]) < 1e-12);
}

BOOST_AUTO_TEST_CASE(errors_name_the_op) {
  using lg::testing::expect_error;
  const auto a = lg::zeros({2, 4}, lg::float32);
  expect_error<lg::ShapeError>(
      [&] {
        lg::data::psnr(a, lg::zeros({2, 5}, lg::float32));
      },
      "psnr: ", {"[2, 4]", "[2, 5]"});
  expect_error<lg::DTypeError>(
      [&] {
        lg::data::psnr(lg::zeros({2, 4}, lg::int64), lg::zeros({2, 4}, lg::int64));
      },
      "psnr: ");
  expect_error<lg::ValueError>([&] { lg::data::psnr(a, a, {.peak = 0.0}); }, "psnr: ", {"peak"});
  expect_error<lg::ValueError>([&] { lg::data::psnr(lg::zeros({0, 4}), lg::zeros({0, 4})); }, "psnr: ");
  expect_error<lg::ShapeError>(
      [&] {
        lg::data::mean_squared_error_per_image(a, lg::zeros({3, 4}, lg::float32));
      },
      "mean_squared_error_per_image: ");
}

BOOST_AUTO_TEST_SUITE_END()
