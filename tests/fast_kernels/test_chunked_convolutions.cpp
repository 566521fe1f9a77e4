// The fast convolutions (autograd/backend/cpu/fast/convolution_chunked.cpp) cut the batch into
// chunks sized to the cache.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include "autograd/backend/cpu/fast/fast_kernels.hpp"

BOOST_AUTO_TEST_SUITE(chunked_convolutions)

// The fast convolution kernels cut the batch into chunks. One image per
// chunk, and two per chunk with a partial last one, must give what one chunk gives: values and all
// three gradients of conv2d and conv_transpose2d, in float64.
BOOST_AUTO_TEST_CASE(chunked_convolutions_match_one_chunk) {
  lg::Generator g(17);
  const auto x = lg::randn({5, 3, 7, 7}, lg::float64, &g).requires_grad_();
  const auto w = lg::randn({4, 3, 3, 3}, lg::float64, &g).requires_grad_();
  const auto b = lg::randn({4}, lg::float64, &g).requires_grad_();
  const auto wt = lg::randn({4, 2, 4, 4}, lg::float64, &g).requires_grad_();
  const auto bt = lg::randn({2}, lg::float64, &g).requires_grad_();
  const auto run = [&] {
    const auto y = lg::relu(lg::conv2d(x, w, b, {2, 2}, {1, 1}));                  // [5, 4, 4, 4]
    const auto z = lg::conv_transpose2d(y, wt, bt, {2, 2}, {1, 1}, {1, 1});        // [5, 2, 9, 9]
    const auto loss = (z * z).sum();
    auto grads = lg::grad({loss}, {x, w, b, wt, bt});
    grads.insert(grads.begin(), z);
    return grads;
  };
  const auto one_chunk = run();
  const std::int64_t image_bytes = 3 * 3 * 3 * 4 * 4 * 8;  // conv2d's columns per image, the largest buffer
  for (const std::int64_t budget : {std::int64_t{1}, 2 * image_bytes}) {
    lg::kernel::fast::set_convolution_chunk_bytes(budget);
    const auto chunked = run();
    lg::kernel::fast::set_convolution_chunk_bytes(0);
    for (std::size_t i = 0; i < chunked.size(); ++i) {
      const double scale = lg::max(lg::abs(one_chunk[i])).item() + 1.0;
      const double gap = lg::max(lg::abs(chunked[i] - one_chunk[i])).item();
      BOOST_TEST(gap <= 1e-12 * scale, "budget " << budget << ", output " << i << ": gap " << gap);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
