// latentgeo's own float32 GEMM (autograd/backend/cpu/fast/sgemm_avx512.cpp, Note [own sgemm]) against a
// float64 triple loop: every edge of its 12 x 32 tiles and of its cache blocks, all four transposes,
// accumulation, padded leading dimensions (whose padding must stay untouched), and the same bits for
// a product computed whole or in blocks of rows and columns. On a CPU without AVX-512 the kernel
// never runs, and these cases are reported skipped.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "autograd/backend/cpu/fast/sgemm.hpp"

namespace {

using lg::kernel::fast::sgemm;
using lg::kernel::fast::sgemm_available;

struct Case {
  std::int64_t m, n, k;
};

// Operand storage for op(X) of shape [rows, cols] with `pad` spare columns per stored row.
struct Operand {
  bool transpose;
  std::int64_t rows, cols, leading;
  std::vector<float> values;

  Operand(bool t, std::int64_t r, std::int64_t c, std::int64_t pad, std::mt19937& g) : transpose(t), rows(r), cols(c) {
    const std::int64_t stored_rows = t ? c : r, stored_cols = t ? r : c;
    leading = stored_cols + pad;
    values.resize(static_cast<std::size_t>(stored_rows * leading));
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (float& v : values) v = u(g);
  }
  double at(std::int64_t i, std::int64_t j) const {
    return transpose ? values[static_cast<std::size_t>(j * leading + i)] : values[static_cast<std::size_t>(i * leading + j)];
  }
};

constexpr float kSentinel = 12345.0f;

// Runs one product into a C with 3 spare columns per row and one spare row, all holding kSentinel
// where the product must not write, and checks every element against float64 within the float32
// error bound (k + 2) 2^-24 sum |a| |b| (twice it, for margin).
void check_product(const Case& shape, bool transpose_a, bool transpose_b, bool accumulate, std::mt19937& g) {
  const auto [m, n, k] = shape;
  const Operand a(transpose_a, m, k, 5, g), b(transpose_b, k, n, 7, g);
  const std::int64_t ldc = n + 3;
  std::vector<float> c(static_cast<std::size_t>((m + 1) * ldc), kSentinel);
  std::vector<float> start(static_cast<std::size_t>(m * n));
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) c[i * ldc + j] = start[i * n + j] = u(g);
  sgemm(transpose_a, transpose_b, m, n, k, a.values.data(), a.leading, b.values.data(), b.leading, accumulate, c.data(),
        ldc);
  std::int64_t wrong = 0, overwritten = 0;
  double worst = 0.0;
  for (std::int64_t i = 0; i <= m; ++i)
    for (std::int64_t j = 0; j < ldc; ++j) {
      const float got = c[i * ldc + j];
      if (i == m || j >= n) {
        overwritten += got != kSentinel;
        continue;
      }
      double exact = accumulate ? start[i * n + j] : 0.0, scale = std::abs(exact);
      for (std::int64_t p = 0; p < k; ++p) {
        exact += a.at(i, p) * b.at(p, j);
        scale += std::abs(a.at(i, p) * b.at(p, j));
      }
      const double error = std::abs(got - exact), bound = 2.0 * (k + 2) * std::ldexp(scale, -24);
      worst = std::max(worst, error / std::max(bound, 1e-30));
      wrong += !(error <= bound);
    }
  BOOST_TEST(wrong == 0, "[" << m << ", " << k << "] x [" << k << ", " << n << "] transposes " << transpose_a
                             << transpose_b << " accumulate " << accumulate << ": " << wrong
                             << " elements outside the bound, worst error/bound " << worst);
  BOOST_TEST(overwritten == 0, "[" << m << ", " << n << "]: " << overwritten << " padding values written");
}

}  // namespace

// The kernel runs only on a CPU with AVX-512: elsewhere (or with LATENTGEO_GEMM=openblas) these cases
// are skipped, and Boost.Test's summary counts them as skipped.
static boost::test_tools::assertion_result runs_here(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result result(sgemm_available());
  result.message() << "no AVX-512 here (or LATENTGEO_GEMM=openblas): float32 GEMM runs on OpenBLAS";
  return result;
}

BOOST_AUTO_TEST_SUITE(own_sgemm)

BOOST_AUTO_TEST_CASE(matches_float64_at_every_tile_and_block_edge, *boost::unit_test::precondition(runs_here)) {
  std::mt19937 g(41);
  // Tiles are 12 x 32; A blocks 144 rows, slices 384 deep, B blocks 3072 columns; and no depth at all.
  const std::vector<Case> cases{{1, 1, 1},     {11, 15, 7},   {12, 16, 8},   {13, 17, 9},   {12, 32, 384},
                                {13, 33, 385}, {24, 31, 769}, {145, 64, 40}, {150, 95, 1}, {5, 3075, 20},
                                {290, 70, 400}, {7, 9, 0}};  // k = 0: C is zeroed, or kept
  for (const Case& shape : cases)
    for (const bool transpose_a : {false, true})
      for (const bool transpose_b : {false, true})
        for (const bool accumulate : {false, true}) check_product(shape, transpose_a, transpose_b, accumulate, g);
}

// Note [threads] splits a product into blocks of rows or columns, one call each: every element must
// come out with the same bits as in the whole product.
BOOST_AUTO_TEST_CASE(blocks_of_a_product_have_the_whole_products_bits, *boost::unit_test::precondition(runs_here)) {
  std::mt19937 g(43);
  const std::int64_t m = 157, n = 203, k = 530;
  const Operand a(false, m, k, 0, g), b(true, k, n, 0, g);
  std::vector<float> whole(static_cast<std::size_t>(m * n)), pieces(whole.size());
  sgemm(false, true, m, n, k, a.values.data(), a.leading, b.values.data(), b.leading, false, whole.data(), n);
  // Rows [0, 61) and [61, m); then columns [0, 77) and [77, n) of the bottom rows again.
  sgemm(false, true, 61, n, k, a.values.data(), a.leading, b.values.data(), b.leading, false, pieces.data(), n);
  sgemm(false, true, m - 61, n, k, a.values.data() + 61 * a.leading, a.leading, b.values.data(), b.leading, false,
        pieces.data() + 61 * n, n);
  BOOST_TEST(std::memcmp(whole.data(), pieces.data(), whole.size() * sizeof(float)) == 0);
  std::fill(pieces.begin() + 61 * n, pieces.end(), 0.0f);
  sgemm(false, true, m - 61, 77, k, a.values.data() + 61 * a.leading, a.leading, b.values.data(), b.leading, false,
        pieces.data() + 61 * n, n);
  sgemm(false, true, m - 61, n - 77, k, a.values.data() + 61 * a.leading, a.leading, b.values.data() + 77 * b.leading,
        b.leading, false, pieces.data() + 61 * n + 77, n);
  BOOST_TEST(std::memcmp(whole.data(), pieces.data(), whole.size() * sizeof(float)) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
