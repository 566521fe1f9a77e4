// Closed forms (docs/testing.md, G3 values), second-order composites (G2: the
// contractive penalty, Hessian-vector products), plus factories and printing.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <utility>
#include <vector>

#include <latentgeo.hpp>

namespace {

using lg::Tensor;

// A tiny tanh encoder h = tanh(x W + b) and its contractive penalty
// ||dh/dx||_F^2, computed with create_graph so it can be differentiated again.
Tensor contractive_penalty(const Tensor& x, const Tensor& w, const Tensor& b) {
  const Tensor input = x.detach().requires_grad_();
  const Tensor h = lg::tanh(lg::matmul(input, w) + b);
  Tensor total = lg::zeros({}, lg::float64);
  for (std::int64_t j = 0; j < h.size(1); ++j) {  // one row of the Jacobian per hidden unit
    const Tensor row = lg::grad({lg::select(h, 1, j).sum()}, {input}, {}, {.create_graph = true})[0];
    total = total + (row * row).sum();
  }
  return total;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(values)

BOOST_AUTO_TEST_CASE(logsumexp_does_not_overflow_at_magnitude_1000) {
  auto x = lg::tensor({1000.0, 999.0, -1000.0}, lg::float64);
  const double expected = 1000.0 + std::log(1.0 + std::exp(-1.0) + std::exp(-2000.0));
  BOOST_TEST(std::abs(lg::logsumexp(x, {0}).item() - expected) <= 1e-12 * expected);
  auto all_negative_infinity = lg::full({3}, -INFINITY, lg::float64);
  BOOST_TEST(std::isinf(lg::logsumexp(all_negative_infinity, {0}).item()));
}

BOOST_AUTO_TEST_CASE(sum_of_squares_has_gradient_two_x_exactly) {
  lg::Generator g(2);
  auto x = lg::randn({17, 5}, lg::float64, &g).requires_grad_();
  (x * x).sum().backward();
  const auto got = x.grad().to_vector<double>(), values = x.to_vector<double>();
  for (std::size_t i = 0; i < got.size(); ++i) BOOST_TEST(got[i] == 2 * values[i]);
}

BOOST_AUTO_TEST_CASE(long_float32_sums_stay_accurate) {
  auto x = lg::full({10'000'000}, 0.1, lg::float32);
  const double expected = 10'000'000 * static_cast<double>(0.1f);
  BOOST_TEST(std::abs(x.sum().item() - expected) <= 1e-5 * expected);
}

BOOST_AUTO_TEST_CASE(var_std_and_norm_match_closed_forms) {
  auto x = lg::tensor({1.0, 2.0, 3.0, 4.0}, lg::float64);
  BOOST_TEST(lg::var(x).item() == 5.0 / 3.0, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(lg::var(x, {}, 0.0).item() == 1.25, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(lg::std(x).item() == std::sqrt(5.0 / 3.0), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(lg::norm(x).item() == std::sqrt(30.0), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(lg::norm(x - 2.5, 1.0).item() == 4.0, boost::test_tools::tolerance(1e-14));
  auto m = lg::tensor({{1.0, 5.0, 3.0}, {7.0, 2.0, 7.0}}, lg::float64);
  auto [values, indices] = lg::max(m, 1);
  BOOST_TEST(values.to_vector<double>() == (std::vector<double>{5, 7}), boost::test_tools::per_element());
  BOOST_TEST(indices.to_vector<std::int64_t>() == (std::vector<std::int64_t>{1, 0}), boost::test_tools::per_element());
  BOOST_TEST(lg::argmin(m, 0).to_vector<std::int64_t>() == (std::vector<std::int64_t>{0, 1, 0}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(contractive_penalty_gradient_matches_finite_differences) {
  lg::Generator g(4);
  const Tensor x = lg::randn({3, 4}, lg::float64, &g);
  auto w = lg::randn({4, 3}, lg::float64, &g).requires_grad_();
  auto b = lg::randn({3}, lg::float64, &g).requires_grad_();
  const auto result = lg::gradcheck(
      "contractive penalty", [&](const std::vector<Tensor>& in) { return contractive_penalty(x, in[0], in[1]); },
      {w, b});
  BOOST_TEST(result.passed, result.report);
}

BOOST_AUTO_TEST_CASE(hessian_vector_products_match_finite_differences_of_the_gradient) {
  lg::Generator g(5);
  auto x = lg::randn({6}, lg::float64, &g).requires_grad_();
  const Tensor v = lg::randn({6}, lg::float64, &g);
  auto loss = [](const Tensor& z) { return (lg::sin(z) * lg::exp(z * 0.3)).sum() + lg::logsumexp(z, {0}); };
  const Tensor gradient = lg::grad({loss(x)}, {x}, {}, {.create_graph = true})[0];
  const auto hvp = lg::grad({(gradient * v).sum()}, {x})[0].to_vector<double>();
  const double eps = 1e-6;
  auto gradient_at = [&](double t) {
    auto shifted = (x.detach() + v * t).requires_grad_();
    return lg::grad({loss(shifted)}, {shifted})[0].to_vector<double>();
  };
  const auto plus = gradient_at(eps), minus = gradient_at(-eps);
  for (std::size_t i = 0; i < hvp.size(); ++i) {
    const double numeric = (plus[i] - minus[i]) / (2 * eps);
    BOOST_TEST(std::abs(hvp[i] - numeric) <= 1e-6 + 1e-4 * std::abs(numeric));
  }
}

BOOST_AUTO_TEST_CASE(factories_make_what_they_say) {
  BOOST_TEST(lg::arange(0.0, 1.0, 0.25).to_vector<double>() == (std::vector<double>{0, 0.25, 0.5, 0.75}),
             boost::test_tools::per_element());
  BOOST_TEST(lg::linspace(-1, 1, 5).to_vector<double>() == (std::vector<double>{-1, -0.5, 0, 0.5, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(lg::eye(2, 3).to_vector<double>() == (std::vector<double>{1, 0, 0, 0, 1, 0}),
             boost::test_tools::per_element());
  BOOST_TEST(lg::full({2}, 7.0, lg::int64).to_vector<std::int64_t>() == (std::vector<std::int64_t>{7, 7}),
             boost::test_tools::per_element());
  BOOST_TEST(lg::zeros({0, 3}).numel() == 0);
  BOOST_TEST(lg::scalar_tensor(2.5).dim() == 0);
  BOOST_CHECK_THROW(lg::from_vector(std::vector<double>{1, 2, 3}, {2, 2}), lg::ShapeError);
  BOOST_CHECK_THROW(lg::tensor({{1.0, 2.0}, {3.0}}), lg::ShapeError);
}

BOOST_AUTO_TEST_CASE(printing_shows_dtype_shape_and_summarises_large_tensors) {
  std::ostringstream small, large;
  small << lg::tensor({{1.0, 2.0}, {3.0, 4.0}}, lg::float64);
  BOOST_TEST(small.str().find("float64, shape [2, 2]") != std::string::npos, small.str());
  BOOST_TEST(small.str().find("[[1, 2],\n [3, 4]]") != std::string::npos, small.str());
  large << lg::arange(0.0, 5000.0);
  BOOST_TEST(large.str().find("...") != std::string::npos);
  BOOST_TEST(large.str().size() < 200u);
}

BOOST_AUTO_TEST_SUITE_END()

// Note [threads]: at 2 threads a large product is split into blocks of rows, or of columns when it
// is wider than tall, each one OpenBLAS call. Every layout of operands, both split directions and
// accumulation, against a float64 triple loop.
BOOST_AUTO_TEST_CASE(split_gemm_matches_a_float64_loop) {
  const int threads = lg::num_threads();
  lg::set_num_threads(2);
  lg::Generator g(29);
  for (const auto& [m, k, n] : std::vector<std::array<std::int64_t, 3>>{{301, 123, 97}, {83, 211, 517}}) {
    const auto a = lg::randn({m, k}, lg::float32, &g), b = lg::randn({k, n}, lg::float32, &g);
    const auto at = lg::randn({k, m}, lg::float32, &g).t(), bt = lg::randn({n, k}, lg::float32, &g).t();
    for (const auto& [left, right] : std::vector<std::pair<lg::Tensor, lg::Tensor>>{{a, b}, {at, bt}, {a, bt}}) {
      const auto product = lg::mm(left, right);
      const auto l = left.to_vector<double>(), r = right.to_vector<double>(), p = product.to_vector<double>();
      double worst = 0.0;
      for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
          double exact = 0.0;
          for (std::int64_t q = 0; q < k; ++q) exact += l[i * k + q] * r[q * n + j];
          worst = std::max(worst, std::abs(p[i * n + j] - exact));
        }
      BOOST_TEST(worst < 1e-3, "[" << m << ", " << k << "] x [" << k << ", " << n << "]: error " << worst);
    }
    // linear: the bias written first, then the split product added to it (beta = 1).
    const auto weight = lg::randn({n, k}, lg::float32, &g), bias = lg::randn({n}, lg::float32, &g);
    const auto y = lg::linear(a, weight, bias).to_vector<double>();
    const auto av = a.to_vector<double>(), wv = weight.to_vector<double>(), bv = bias.to_vector<double>();
    double worst = 0.0;
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double exact = bv[j];
        for (std::int64_t q = 0; q < k; ++q) exact += av[i * k + q] * wv[j * k + q];
        worst = std::max(worst, std::abs(y[i * n + j] - exact));
      }
    BOOST_TEST(worst < 1e-3, "linear [" << m << ", " << k << "] -> " << n << ": error " << worst);
  }
  lg::set_num_threads(threads);
}

// A per-channel reduction over [N, C, H, W] (a convolution's bias gradient) keeps one block of dims
// between reduced ones; also a block of two ([2, 3, 4, 5] over {0, 3}). Against loops.
BOOST_AUTO_TEST_CASE(sums_keeping_a_middle_block_of_dims) {
  lg::Generator g(31);
  const auto x = lg::randn({5, 3, 4, 6}, lg::float64, &g);
  const auto v = x.to_vector<double>();
  const auto sums = lg::sum(x, {0, 2, 3}).to_vector<double>();
  for (std::int64_t c = 0; c < 3; ++c) {
    double total = 0.0;
    for (std::int64_t n = 0; n < 5; ++n)
      for (std::int64_t i = 0; i < 24; ++i) total += v[(n * 3 + c) * 24 + i];
    BOOST_TEST(std::abs(sums[c] - total) < 1e-12);
  }
  const auto y = lg::randn({2, 3, 4, 5}, lg::float64, &g);
  const auto w = y.to_vector<double>();
  const auto block = lg::sum(y, {0, 3}).to_vector<double>();
  for (std::int64_t k = 0; k < 12; ++k) {
    double total = 0.0;
    for (std::int64_t n = 0; n < 2; ++n)
      for (std::int64_t i = 0; i < 5; ++i) total += w[(n * 12 + k) * 5 + i];
    BOOST_TEST(std::abs(block[k] - total) < 1e-12);
  }
}
