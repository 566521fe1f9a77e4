// The factorisation kernels below the ops: lu_factor's factors and pivots give
// back P A = L U, and each kernel's FactorStatus names the first matrix of a
// batch that LAPACK refused, with LAPACK's info for it.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include <latentgeo.hpp>

#include "autograd/backend/kernels.hpp"

namespace lg::testing {

BOOST_AUTO_TEST_SUITE(linalg_factor_kernels)

BOOST_AUTO_TEST_CASE(lu_factor_gives_back_a_from_its_factors_and_pivots) {
  Generator generator(21);
  const std::int64_t n = 5;
  for (DType dtype : {float64, float32}) {
    const Tensor a = randn({3, n, n}, dtype, &generator).transpose(1, 2);  // any layout
    Tensor lu = empty({3, n, n}, dtype), pivots = empty({3, n}, int64);
    const kernel::FactorStatus status = kernel::lu_factor(a, lu, pivots);
    BOOST_TEST(status.matrix == -1);
    const Tensor lower = tril(lu, -1) + eye(n, dtype), upper = triu(lu);
    const auto swaps = pivots.to_vector<std::int64_t>();
    for (std::int64_t p = 0; p < 3; ++p) {
      // Apply the row interchanges to A in order: row i <-> row pivots[i] - 1.
      auto rows = select(a, 0, p).to_vector<double>();
      for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t other = swaps[p * n + i] - 1;
        BOOST_TEST((other >= i && other < n));
        for (std::int64_t j = 0; j < n; ++j) std::swap(rows[i * n + j], rows[other * n + j]);
      }
      const auto product = matmul(select(lower, 0, p), select(upper, 0, p)).to_vector<double>();
      const double tolerance = dtype == float64 ? 1e-13 : 1e-5;
      for (std::size_t k = 0; k < rows.size(); ++k) BOOST_TEST(std::abs(product[k] - rows[k]) <= tolerance);
    }
  }
}

BOOST_AUTO_TEST_CASE(statuses_name_the_first_refused_matrix) {
  // Matrices 1 and 3 of four are refused; the status names 1, with LAPACK's 1-based info.
  Tensor a = eye(3, float64).expand({4, 3, 3}).contiguous();
  select(select(select(a, 0, 1), 0, 1), 0, 1).fill_(-1.0);  // not positive definite from minor 2; U[1, 1] < 0
  select(select(select(a, 0, 3), 0, 2), 0, 2).fill_(0.0);   // singular: U[2, 2] = 0
  Tensor l = empty({4, 3, 3}, float64);
  const kernel::FactorStatus not_definite = kernel::cholesky(a, l);
  BOOST_TEST(not_definite.matrix == 1);
  BOOST_TEST(not_definite.info == 2);
  Tensor lu = empty({4, 3, 3}, float64), pivots = empty({4, 3}, int64);
  const kernel::FactorStatus singular = kernel::lu_factor(a, lu, pivots);
  BOOST_TEST(singular.matrix == 3);
  BOOST_TEST(singular.info == 3);
  Tensor x = empty({4, 3, 1}, float64);
  const kernel::FactorStatus triangular = kernel::triangular_solve(a, ones({4, 3, 1}, float64), x, false, false);
  BOOST_TEST(triangular.matrix == 3);
  BOOST_TEST(triangular.info == 3);
  // With a unit diagonal nothing is singular.
  BOOST_TEST(kernel::triangular_solve(a, ones({4, 3, 1}, float64), x, false, true).matrix == -1);
}

BOOST_AUTO_TEST_CASE(lu_slogdet_counts_swaps_and_negative_pivots) {
  // [[0, 2], [3, 0]]: one swap, pivots 3 and 2, det = -6.
  const Tensor a = tensor({{0.0, 2.0}, {3.0, 0.0}}, float64);
  Tensor lu = empty({2, 2}, float64), pivots = empty({2}, int64);
  kernel::lu_factor(a, lu, pivots);
  Tensor sign = empty({}, float64), logabsdet = empty({}, float64);
  kernel::lu_slogdet(lu, pivots, sign, logabsdet);
  BOOST_TEST(sign.item() == -1.0);
  BOOST_TEST(std::abs(logabsdet.item() - std::log(6.0)) <= 1e-15);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace lg::testing
