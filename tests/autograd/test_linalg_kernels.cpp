// The linear-algebra kernels against their definitions: qr gives a = q r with
// orthonormal columns and an upper-triangular r, in both float types, for any
// layout of a, and the same bits on the test device as on the CPU.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>

#include <latentgeo.hpp>

#include "autograd/backend/kernels.hpp"

namespace lg::testing {

BOOST_AUTO_TEST_SUITE(linalg_kernels)

BOOST_AUTO_TEST_CASE(qr_factorises_with_orthonormal_columns) {
  Generator generator(17);
  for (DType dtype : {float64, float32}) {
    const double tolerance = dtype == float64 ? 1e-13 : 2e-5;
    for (const Shape& shape : {Shape{7, 4}, Shape{5, 5}, Shape{9, 1}}) {
      for (bool transposed : {false, true}) {
        const Tensor a = transposed ? randn({shape[1], shape[0]}, dtype, &generator).t()
                                    : randn(shape, dtype, &generator);
        const std::int64_t m = shape[0], n = shape[1];
        Tensor q = empty({m, n}, dtype), r = empty({n, n}, dtype);
        kernel::qr(a, q, r);
        const auto a64 = a.to_vector<double>(), q64 = q.to_vector<double>(), r64 = r.to_vector<double>();
        for (std::int64_t i = 0; i < n; ++i)
          for (std::int64_t j = 0; j < i; ++j) BOOST_TEST(r64[i * n + j] == 0.0);
        for (std::int64_t i = 0; i < m; ++i)
          for (std::int64_t j = 0; j < n; ++j) {
            double product = 0.0;
            for (std::int64_t k = 0; k < n; ++k) product += q64[i * n + k] * r64[k * n + j];
            BOOST_TEST(std::abs(product - a64[i * n + j]) <= tolerance * 10, "a = q r at " << i << ", " << j);
          }
        for (std::int64_t j = 0; j < n; ++j)
          for (std::int64_t k = 0; k < n; ++k) {
            double dot = 0.0;
            for (std::int64_t i = 0; i < m; ++i) dot += q64[i * n + j] * q64[i * n + k];
            BOOST_TEST(std::abs(dot - (j == k ? 1.0 : 0.0)) <= tolerance, "q^T q at " << j << ", " << k);
          }
        // The test device runs the same kernel on its own memory: the same bits.
        Tensor q_device = empty({m, n}, dtype, test_device), r_device = empty({n, n}, dtype, test_device);
        kernel::qr(a.to(test_device), q_device, r_device);
        const auto qd = q_device.to_vector<double>(), rd = r_device.to_vector<double>();
        BOOST_TEST(std::memcmp(qd.data(), q64.data(), q64.size() * sizeof(double)) == 0);
        BOOST_TEST(std::memcmp(rd.data(), r64.data(), r64.size() * sizeof(double)) == 0);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace lg::testing
