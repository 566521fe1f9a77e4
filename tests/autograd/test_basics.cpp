#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

BOOST_AUTO_TEST_SUITE(basics)

BOOST_AUTO_TEST_CASE(square_sum_gradient_is_two_x) {
  auto x = lg::tensor({1.0, -2.0, 3.0}, lg::float64).requires_grad_();
  auto y = (x * x).sum();
  y.backward();
  const auto g = x.grad().to_vector<double>();
  BOOST_TEST(g == (std::vector<double>{2.0, -4.0, 6.0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
