// Kernel PCA with the linear kernel against ordinary PCA (eigenvalues, training
// and new projections up to sign, principal angles), the orthonormality of the
// feature-space basis, the explained energy, and the errors.
#include <cmath>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;
using manifold_test::max_abs_difference;

namespace {

// Points [n, d] with decreasing spreads along the coordinates, shifted off the origin.
Tensor anisotropic(std::int64_t n, std::int64_t d, lg::Generator& g) {
  std::vector<double> scales(static_cast<std::size_t>(d));
  for (std::int64_t i = 0; i < d; ++i) scales[static_cast<std::size_t>(i)] = 3.0 / static_cast<double>(i + 1);
  return lg::randn({n, d}, lg::float64, &g) * lg::from_vector(scales, {d}, lg::float64) + 0.8;
}

// Ordinary PCA: the covariance's eigenvalues [d] and eigenvectors [d, d], both in descending order.
struct Pca {
  Tensor variances;
  Tensor axes;
};

Pca pca(const Tensor& x) {
  const lg::Eigh parts = lg::eigh(mf::covariance(x));
  const std::int64_t d = x.size(1);
  const Tensor reverse = lg::arange(static_cast<double>(d - 1), -1.0, -1.0, lg::int64);
  return {lg::index_select(parts.eigenvalues, 0, reverse), lg::index_select(parts.eigenvectors, 1, reverse)};
}

// Max |a - b s| over the columns, each column's sign s chosen to match.
double up_to_sign(const Tensor& a, const Tensor& b) {
  const Tensor signs = lg::sign(lg::sum(a * b, {0}, true));
  return max_abs_difference(a, b * signs);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kernel_pca)

BOOST_AUTO_TEST_CASE(with_the_linear_kernel_it_is_ordinary_pca) {
  lg::Generator g(41);
  const std::int64_t n = 20, d = 4;
  const Tensor x = anisotropic(n, d, g);
  const Tensor k = lg::matmul(x, lg::matrix_transpose(x));
  const mf::KernelPCA model = mf::kernel_pca(k);
  const Pca reference = pca(x);
  BOOST_TEST((model.eigenvalues.shape() == lg::Shape{d}));  // the centred K has rank d
  BOOST_TEST((model.coefficients.shape() == lg::Shape{n, d}));
  BOOST_TEST(max_abs_difference(model.eigenvalues, reference.variances * static_cast<double>(n - 1)) <= 1e-11);
  // Training projections: the centred points on the PCA axes, and sqrt(lambda_k) alpha_k.
  const Tensor centred = x - lg::mean(x, {0}, true);
  const Tensor train = mf::kernel_pca_transform(model, k);
  BOOST_TEST(up_to_sign(train, lg::matmul(centred, reference.axes)) <= 1e-11);
  // New points, through the cross-kernel K(new, train) centred with the training means.
  const Tensor fresh = anisotropic(5, d, g) * 1.3;
  const Tensor projected = mf::kernel_pca_transform(model, lg::matmul(fresh, lg::matrix_transpose(x)));
  const Tensor want = lg::matmul(fresh - lg::mean(x, {0}, true), reference.axes);
  BOOST_TEST((projected.shape() == lg::Shape{5, d}));
  // The sign of each component is fixed by the training points; the new points must follow it.
  const Tensor signs = lg::sign(lg::sum(train * lg::matmul(centred, reference.axes), {0}, true));
  BOOST_TEST(max_abs_difference(projected, want * signs) <= 1e-11);
}

BOOST_AUTO_TEST_CASE(the_feature_basis_is_orthonormal_and_the_energy_sums_to_one) {
  lg::Generator g(42);
  const std::int64_t n = 30;
  const Tensor x = anisotropic(n, 3, g);
  // A Gaussian RBF kernel: full rank, so the centred K keeps n - 1 components.
  const Tensor k = lg::exp(-mf::pairwise_squared_distances(x) / 8.0);
  const mf::KernelPCA model = mf::kernel_pca(k);
  const Tensor a = model.coefficients;
  const std::int64_t r = a.size(1);
  BOOST_TEST(r >= 10);
  BOOST_TEST(r <= n - 1);
  const Tensor basis_gram = lg::matmul(lg::matrix_transpose(a), lg::matmul(mf::centre_kernel(k), a));
  BOOST_TEST(max_abs_difference(basis_gram, lg::eye(r, lg::float64)) <= 1e-6);
  const auto explained = model.explained.to_vector<double>();
  const auto cumulative = model.cumulative.to_vector<double>();
  double total = 0.0;
  for (std::size_t i = 0; i < explained.size(); ++i) {
    total += explained[i];
    BOOST_TEST(std::abs(cumulative[i] - total) <= 1e-15);
    if (i > 0) BOOST_TEST(explained[i] <= explained[i - 1]);
  }
  BOOST_TEST(std::abs(total - 1.0) <= 1e-9);
  // The fewest components that hold 95% and 99%.
  for (const double fraction : {0.5, 0.95, 0.99}) {
    const std::int64_t count = mf::components_for_energy(model, fraction);
    BOOST_TEST(cumulative[static_cast<std::size_t>(count - 1)] >= fraction - 1e-12);
    if (count > 1) BOOST_TEST(cumulative[static_cast<std::size_t>(count - 2)] < fraction);
  }
  BOOST_TEST(mf::components_for_energy(model, 0.99) >= mf::components_for_energy(model, 0.95));
  // A known spectrum: centred linear kernel of points (+-3, 0) and (0, +-1): energies 18 and 2 of 20.
  const Tensor cross = lg::tensor({{3.0, 0.0}, {-3.0, 0.0}, {0.0, 1.0}, {0.0, -1.0}}, lg::float64);
  const mf::KernelPCA known = mf::kernel_pca(lg::matmul(cross, lg::matrix_transpose(cross)));
  BOOST_TEST(max_abs_difference(known.eigenvalues, lg::tensor({18.0, 2.0}, lg::float64)) <= 1e-13);
  BOOST_TEST(max_abs_difference(known.explained, lg::tensor({0.9, 0.1}, lg::float64)) <= 1e-15);
  BOOST_TEST(mf::components_for_energy(known, 0.9) == 1);
  BOOST_TEST(mf::components_for_energy(known, 0.95) == 2);
  // A fixed number of components: the leading ones, and their share of the whole energy.
  const mf::KernelPCA two = mf::kernel_pca(k, {.components = 2});
  BOOST_TEST((two.coefficients.shape() == lg::Shape{n, 2}));
  BOOST_TEST(max_abs_difference(two.explained, model.explained.narrow(0, 0, 2)) <= 1e-14);
}

BOOST_AUTO_TEST_CASE(principal_angles_between_kernel_subspaces) {
  lg::Generator g(43);
  const std::int64_t d = 5;
  const Tensor x1 = anisotropic(25, d, g);
  const Tensor x2 = lg::matmul(anisotropic(30, d, g), lg::qr(lg::randn({d, d}, lg::float64, &g)).q);  // rotated
  const auto linear = [](const Tensor& a, const Tensor& b) { return lg::matmul(a, lg::matrix_transpose(b)); };
  const mf::KernelPCA m1 = mf::kernel_pca(linear(x1, x1), {.components = 2});
  const mf::KernelPCA m2 = mf::kernel_pca(linear(x2, x2), {.components = 3});
  const Tensor angles = mf::kernel_principal_angles(m1, m2, linear(x1, x2));
  BOOST_TEST((angles.shape() == lg::Shape{2}));
  const Tensor want = mf::principal_angles(pca(x1).axes.narrow(1, 0, 2), pca(x2).axes.narrow(1, 0, 3));
  BOOST_TEST(max_abs_difference(angles, want) <= 1e-7);
  const auto values = angles.to_vector<double>();
  BOOST_TEST(values[0] <= values[1]);
  BOOST_TEST(values[0] > 1e-3);  // a real angle, not a trivial zero
  // A set against itself (RBF kernel): every angle is zero (to cosine accuracy, ~sqrt(eps)).
  const Tensor k = lg::exp(-mf::pairwise_squared_distances(x1) / 10.0);
  const mf::KernelPCA self = mf::kernel_pca(k, {.components = 6});
  BOOST_TEST(manifold_test::max_abs(mf::kernel_principal_angles(self, self, k)) <= 1e-7);
  // Clean against noisy: small angles that grow with the noise.
  double previous = 0.0;
  for (const double noise : {0.01, 0.1, 0.5}) {
    const Tensor noisy = x1 + noise * lg::randn({25, d}, lg::float64, &g);
    const mf::KernelPCA mn = mf::kernel_pca(linear(noisy, noisy), {.components = 2});
    const double largest = lg::max(mf::kernel_principal_angles(m1, mn, linear(x1, noisy))).item();
    BOOST_TEST(largest > previous);
    previous = largest;
  }
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  const Tensor k = lg::eye(4, lg::float64);
  lg::testing::expect_error<lg::ShapeError>([&] { mf::kernel_pca(lg::zeros({3, 4}, lg::float64)); }, "kernel_pca",
                                              {"square", "[3, 4]"});
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::kernel_pca(lg::tensor({{1.0, 0.5}, {0.0, 1.0}}, lg::float64)); }, "kernel_pca", {"symmetric"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::kernel_pca(lg::ones({3, 3}, lg::float64)); }, "kernel_pca",
                                              {"no eigenvalue above the tolerance"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::kernel_pca(k, {.components = 4}); }, "kernel_pca",
                                              {"asked for 4 components", "only 3"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::kernel_pca(k, {.tolerance = {.relative = -1.0}}); },
                                              "kernel_pca", {"tolerances", "-1"});
  const mf::KernelPCA model = mf::kernel_pca(k);
  lg::testing::expect_error<lg::ShapeError>([&] { mf::kernel_pca_transform(model, lg::zeros({2, 3}, lg::float64)); },
                                              "kernel_pca_transform", {"[M, 4]", "[2, 3]"});
  lg::testing::expect_error<lg::DTypeError>([&] { mf::kernel_pca_transform(model, lg::zeros({2, 4})); },
                                              "kernel_pca_transform", {"float32", "float64"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::components_for_energy(model, 0.0); }, "components_for_energy",
                                              {"(0, 1]"});
  const mf::KernelPCA one = mf::kernel_pca(lg::tensor({{2.0, 0.0, 0.0}, {0.0, 1.0, 0.0}, {0.0, 0.0, 1.0}},
                                                      lg::float64), {.components = 1});
  lg::testing::expect_error<lg::ValueError>([&] { mf::components_for_energy(one, 0.99); }, "components_for_energy",
                                              {"explain only"});
  lg::testing::expect_error<lg::ShapeError>(
      [&] { mf::kernel_principal_angles(model, one, lg::zeros({4, 4}, lg::float64)); }, "kernel_principal_angles",
      {"[4, 3]", "[4, 4]"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::kernel_pca_transform(mf::KernelPCA{}, k); },
                                              "kernel_pca_transform", {"not fitted"});
}

BOOST_AUTO_TEST_SUITE_END()
