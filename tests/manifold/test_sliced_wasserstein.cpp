// Sliced Wasserstein distances: the definition against a float64 loop over the
// same directions, exact zeros for identical sets, the closed form |m|^2 / D for
// a shift, gradients; the Laplacian pyramid against loops over pixels (cv2's
// pyrDown / pyrUp with mirror borders); the image protocol's levels, its zero on
// identical sets and its growth with noise.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

using Matrix = std::vector<std::vector<double>>;

// The rows of a [R, C] float64 tensor.
Matrix rows_of(const Tensor& t) {
  const auto v = t.to_vector<double>();
  const std::int64_t r = t.size(0), c = t.size(1);
  Matrix m(static_cast<std::size_t>(r));
  for (std::int64_t i = 0; i < r; ++i)
    m[static_cast<std::size_t>(i)].assign(v.begin() + i * c, v.begin() + (i + 1) * c);
  return m;
}

// The documented directions: normalised rows of randn({P, D}, float64) from Generator(seed).
Matrix directions(std::int64_t p, std::int64_t d, std::uint64_t seed) {
  lg::Generator g(seed);
  Matrix theta = rows_of(lg::randn({p, d}, lg::float64, &g));
  for (auto& row : theta) {
    double norm = 0.0;
    for (double v : row) norm += v * v;
    for (double& v : row) v /= std::sqrt(norm);
  }
  return theta;
}

// SW by the definition: per direction, sort both projections, pair in order.
double sliced_by_loop(const Tensor& x, const Tensor& y, const Matrix& theta, int order) {
  const Matrix xs = rows_of(x), ys = rows_of(y);
  double total = 0.0;
  for (const auto& direction : theta) {
    std::vector<double> a, b;
    for (const auto& row : xs) a.push_back(std::inner_product(row.begin(), row.end(), direction.begin(), 0.0));
    for (const auto& row : ys) b.push_back(std::inner_product(row.begin(), row.end(), direction.begin(), 0.0));
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    double w = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) w += order == 2 ? (a[i] - b[i]) * (a[i] - b[i]) : std::abs(a[i] - b[i]);
    total += w / static_cast<double>(a.size());
  }
  total /= static_cast<double>(theta.size());
  return order == 2 ? std::sqrt(total) : total;
}

// Mirror index of cv2's BORDER_REFLECT_101.
std::int64_t mirror(std::int64_t i, std::int64_t n) { return i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i); }

// One channel [h][w] filtered by outer([1,4,6,4,1])/256 times gain, mirror borders.
Matrix filter_loop(const Matrix& x, double gain) {
  const double taps[5] = {1, 4, 6, 4, 1};
  const auto h = static_cast<std::int64_t>(x.size()), w = static_cast<std::int64_t>(x[0].size());
  Matrix out(static_cast<std::size_t>(h), std::vector<double>(static_cast<std::size_t>(w), 0.0));
  for (std::int64_t i = 0; i < h; ++i)
    for (std::int64_t j = 0; j < w; ++j)
      for (std::int64_t a = -2; a <= 2; ++a)
        for (std::int64_t b = -2; b <= 2; ++b)
          out[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] +=
              gain * taps[a + 2] * taps[b + 2] / 256.0 *
              x[static_cast<std::size_t>(mirror(i + a, h))][static_cast<std::size_t>(mirror(j + b, w))];
  return out;
}

Matrix down_loop(const Matrix& x) {
  const Matrix f = filter_loop(x, 1.0);
  Matrix out;
  for (std::size_t i = 0; i < f.size(); i += 2) {
    out.emplace_back();
    for (std::size_t j = 0; j < f[0].size(); j += 2) out.back().push_back(f[i][j]);
  }
  return out;
}

Matrix up_loop(const Matrix& x, std::size_t h, std::size_t w) {
  Matrix wide(2 * x.size(), std::vector<double>(2 * x[0].size(), 0.0));
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = 0; j < x[0].size(); ++j) wide[2 * i][2 * j] = x[i][j];
  Matrix f = filter_loop(wide, 4.0);
  f.resize(h);
  for (auto& row : f) row.resize(w);
  return f;
}

// Smooth images [n, c, s, s]: each channel a sum of three random plane waves of low frequency.
Tensor smooth_images(std::int64_t n, std::int64_t c, std::int64_t s, lg::Generator& g) {
  std::vector<double> values;
  for (std::int64_t k = 0; k < n * c; ++k) {
    double fx[3], fy[3], phase[3];
    for (int t = 0; t < 3; ++t) {
      fx[t] = 0.4 * (g.next_double() - 0.5);
      fy[t] = 0.4 * (g.next_double() - 0.5);
      phase[t] = 2.0 * M_PI * g.next_double();
    }
    for (std::int64_t i = 0; i < s; ++i)
      for (std::int64_t j = 0; j < s; ++j) {
        double v = 0.0;
        for (int t = 0; t < 3; ++t)
          v += std::cos(fx[t] * static_cast<double>(i) + fy[t] * static_cast<double>(j) + phase[t]);
        values.push_back(v / 3.0);
      }
  }
  return lg::from_vector(values, {n, c, s, s}, lg::float64);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sliced_wasserstein)

BOOST_AUTO_TEST_CASE(matches_the_definition_over_the_same_directions) {
  lg::Generator g(1);
  const Tensor x = lg::randn({9, 4}, lg::float64, &g), y = lg::randn({9, 4}, lg::float64, &g) * 2.0 + 0.3;
  const Matrix theta = directions(6, 4, 17);
  for (int order : {1, 2}) {
    const double got = mf::sliced_wasserstein(x, y, {.directions = 6, .order = order, .seed = 17}).item();
    BOOST_TEST(got == sliced_by_loop(x, y, theta, order), boost::test_tools::tolerance(1e-12));
  }
  // float32: the same within float32 rounding.
  const double single = mf::sliced_wasserstein(x.to(lg::float32), y.to(lg::float32), {.directions = 6, .seed = 17})
                            .item();
  BOOST_TEST(single == sliced_by_loop(x, y, theta, 2), boost::test_tools::tolerance(1e-5));
  // A generator gives fresh directions at each call; a seed the same ones.
  lg::Generator stream(5);
  const double first = mf::sliced_wasserstein(x, y, {.directions = 6, .generator = &stream}).item();
  const double second = mf::sliced_wasserstein(x, y, {.directions = 6, .generator = &stream}).item();
  BOOST_TEST(first != second);
  BOOST_TEST(first == sliced_by_loop(x, y, directions(6, 4, 5), 2), boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(identical_sets_are_exactly_zero) {
  lg::Generator g(2);
  const Tensor x = lg::randn({50, 6}, lg::float64, &g);
  BOOST_TEST(mf::sliced_wasserstein(x, x.clone()).item() == 0.0);
  BOOST_TEST(mf::sliced_wasserstein(x, x, {.order = 1}).item() == 0.0);
  // The same points in another order: the same measure.
  const Tensor shuffled = lg::index_select(x, 0, lg::randperm(50, &g));
  BOOST_TEST(mf::sliced_wasserstein(x, shuffled).item() == 0.0);
}

// Y = X + m: each projection is shifted by theta.m, sorting keeps the order, so W_2^2 = (theta.m)^2 exactly per
// direction and SW_2^2 is their mean, whose expectation is |m|^2 / D. (theta.m)^2 = |m|^2 u with
// u = theta_1^2 ~ Beta(1/2, (D - 1)/2), of variance 2 (D - 1) / (D^2 (D + 2)): the mean over P directions is
// within 4 standard deviations |m|^2 sqrt(2 (D - 1) / (D^2 (D + 2) P)).
BOOST_AUTO_TEST_CASE(a_shift_gives_the_closed_form) {
  lg::Generator g(3);
  const std::int64_t n = 400, d = 5, p = 2000;
  const std::vector<double> shift = {1.0, 2.0, 0.0, -1.0, 0.5};
  const double m2 = 1.0 + 4.0 + 1.0 + 0.25;
  const Tensor x = lg::randn({n, d}, lg::float64, &g);
  const Tensor y = x + lg::from_vector(shift, {1, d}, lg::float64);
  const double sw = mf::sliced_wasserstein(x, y, {.directions = p, .seed = 4}).item();
  // Exactly the mean of (theta.m)^2 over the directions used ...
  double exact = 0.0;
  for (const auto& theta : directions(p, d, 4)) {
    const double dot = std::inner_product(theta.begin(), theta.end(), shift.begin(), 0.0);
    exact += dot * dot / static_cast<double>(p);
  }
  BOOST_TEST(sw * sw == exact, boost::test_tools::tolerance(1e-10));
  BOOST_TEST(mf::sliced_wasserstein(x, y, {.directions = p, .squared = true, .seed = 4}).item() == exact,
             boost::test_tools::tolerance(1e-10));
  // ... and |m|^2 / D within the Monte Carlo error over directions.
  const auto dd = static_cast<double>(d);
  const double tolerance = 4.0 * m2 * std::sqrt(2.0 * (dd - 1.0) / (dd * dd * (dd + 2.0) * static_cast<double>(p)));
  BOOST_TEST(std::abs(sw * sw - m2 / dd) <= tolerance, sw * sw << " vs " << m2 / dd << " +- " << tolerance);
}

// Independent samples of N(0, I) and N(m, I). In 1-D, W_2^2(a, b) = (mean a - mean b)^2 + W_2^2 of the centred
// sets, so per direction SW_2^2 = (theta.Delta)^2 + s_theta with Delta = mean(Y) - mean(X) (m plus sampling
// noise of size sqrt(2 D / N)) and s_theta >= 0 the shape term, the W_2^2 between two centred N-samples of N(0, 1):
// of order (log N) / N, under 0.01 for N = 2000 (measured 0.002). So over the same directions
//   0 <= SW_2^2 - mean_theta (theta.Delta)^2 <= 0.01,
// and mean_theta (theta.Delta)^2 is |Delta|^2 / D within the Monte Carlo error of the case above.
BOOST_AUTO_TEST_CASE(independent_gaussians_differing_by_a_shift) {
  lg::Generator g(5);
  const std::int64_t n = 2000, d = 5, p = 200;
  const std::vector<double> shift = {1.0, 2.0, 0.0, -1.0, 0.5};
  const Tensor x = lg::randn({n, d}, lg::float64, &g);
  const Tensor y = lg::randn({n, d}, lg::float64, &g) + lg::from_vector(shift, {1, d}, lg::float64);
  const double sw = mf::sliced_wasserstein(x, y, {.directions = p, .seed = 6}).item();
  const std::vector<double> delta = (lg::mean(y, {0}) - lg::mean(x, {0})).to_vector<double>();
  double shift_term = 0.0, delta2 = 0.0;
  for (const auto& theta : directions(p, d, 6)) {
    const double dot = std::inner_product(theta.begin(), theta.end(), delta.begin(), 0.0);
    shift_term += dot * dot / static_cast<double>(p);
  }
  for (double v : delta) delta2 += v * v;
  BOOST_TEST_MESSAGE("SW_2^2 " << sw * sw << ", shift term " << shift_term << ", |m|^2 / D " << 6.25 / 5.0);
  BOOST_TEST(sw * sw >= shift_term - 1e-12);
  BOOST_TEST(sw * sw <= shift_term + 0.01);
  const auto dd = static_cast<double>(d);
  const double tolerance = 4.0 * delta2 * std::sqrt(2.0 * (dd - 1.0) / (dd * dd * (dd + 2.0) * static_cast<double>(p)));
  BOOST_TEST(std::abs(shift_term - delta2 / dd) <= tolerance);
  // And Delta is m up to the sampling noise: |Delta - m| <= 4 sqrt(2 D / N).
  double error2 = 0.0;
  for (std::size_t i = 0; i < shift.size(); ++i) error2 += (delta[i] - shift[i]) * (delta[i] - shift[i]);
  BOOST_TEST(std::sqrt(error2) <= 4.0 * std::sqrt(2.0 * dd / static_cast<double>(n)));
}

BOOST_AUTO_TEST_CASE(gradients_by_finite_differences) {
  lg::Generator g(7);
  Tensor x = lg::randn({5, 3}, lg::float64, &g), y = lg::randn({5, 3}, lg::float64, &g) + 1.0;
  x.requires_grad_();
  y.requires_grad_();
  for (std::int64_t order : {1, 2}) {
    const auto result = lg::gradcheck(
        "sliced_wasserstein",
        [order](const std::vector<Tensor>& in) {
          return mf::sliced_wasserstein(in[0], in[1], {.directions = 4, .order = order, .seed = 8});
        },
        {x, y});
    BOOST_TEST(result.passed, result.report);
  }
  // SW_2^2 is smooth where the sets coincide: its gradient there is 0.
  Tensor z = lg::randn({5, 3}, lg::float64, &g).requires_grad_();
  const Tensor at_zero = mf::sliced_wasserstein(z, z.detach(), {.directions = 4, .squared = true});
  BOOST_TEST(at_zero.item() == 0.0);
  BOOST_TEST(lg::max(lg::abs(lg::grad({at_zero}, {z})[0])).item() == 0.0);
}

BOOST_AUTO_TEST_CASE(laplacian_pyramid_matches_loops_over_pixels) {
  lg::Generator g(9);
  // Odd sides (9 x 10): pyrDown keeps 5 x 5, pyrUp makes 10 x 10, cropped to 9 x 10.
  const Tensor images = lg::randn({2, 2, 9, 10}, lg::float64, &g);
  const std::vector<Tensor> pyramid = mf::laplacian_pyramid(images, 3);
  BOOST_TEST(pyramid.size() == 3u);
  BOOST_TEST((pyramid[0].shape() == lg::Shape{2, 2, 9, 10}));
  BOOST_TEST((pyramid[1].shape() == lg::Shape{2, 2, 5, 5}));
  BOOST_TEST((pyramid[2].shape() == lg::Shape{2, 2, 3, 3}));
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t c = 0; c < 2; ++c) {
      const Matrix g0 = rows_of(images.select(0, i).select(0, c));
      const Matrix g1 = down_loop(g0), g2 = down_loop(g1);
      const Matrix u1 = up_loop(g1, 9, 10), u2 = up_loop(g2, 5, 5);
      const Matrix l0 = rows_of(pyramid[0].select(0, i).select(0, c));
      const Matrix l1 = rows_of(pyramid[1].select(0, i).select(0, c));
      const Matrix l2 = rows_of(pyramid[2].select(0, i).select(0, c));
      for (std::size_t r = 0; r < 9; ++r)
        for (std::size_t s = 0; s < 10; ++s)
          BOOST_TEST(l0[r][s] == g0[r][s] - u1[r][s], boost::test_tools::tolerance(1e-12));
      for (std::size_t r = 0; r < 5; ++r)
        for (std::size_t s = 0; s < 5; ++s)
          BOOST_TEST(l1[r][s] == g1[r][s] - u2[r][s], boost::test_tools::tolerance(1e-12));
      for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t s = 0; s < 3; ++s) BOOST_TEST(l2[r][s] == g2[r][s], boost::test_tools::tolerance(1e-12));
    }
  // A constant image has no detail: its band-pass levels are 0 and its last level the constant.
  const std::vector<Tensor> flat = mf::laplacian_pyramid(lg::full({1, 1, 16, 16}, 0.75, lg::float64), 2);
  BOOST_TEST(lg::max(lg::abs(flat[0])).item() <= 1e-15);
  BOOST_TEST(lg::max(lg::abs(flat[1] - 0.75)).item() <= 1e-15);
}

BOOST_AUTO_TEST_CASE(image_protocol_levels_and_zero_on_identical_sets) {
  lg::Generator g(10);
  const mf::ImageSlicedWassersteinOptions fast = {.patches_per_image = 16, .directions = 64};
  // 28 x 28: one level, the images themselves (14 < 16).
  const Tensor mnist_like = lg::rand({20, 1, 28, 28}, lg::float64, &g);
  const auto one = mf::image_sliced_wasserstein(mnist_like, mnist_like.clone(), fast);
  BOOST_TEST((one.resolutions == std::vector<std::int64_t>{28}));
  BOOST_TEST((one.levels == std::vector<double>{0.0}));
  BOOST_TEST(one.mean == 0.0);
  // 64 x 64 x 3: 64, 32, 16.
  const Tensor colour = lg::rand({4, 3, 64, 64}, lg::float32, &g);
  const auto three = mf::image_sliced_wasserstein(colour, colour, fast);
  BOOST_TEST((three.resolutions == std::vector<std::int64_t>{64, 32, 16}));
  BOOST_TEST((three.levels == std::vector<double>{0.0, 0.0, 0.0}));
  // Different sets: positive at every level; the mean is the levels' mean.
  const auto other = mf::image_sliced_wasserstein(colour, lg::rand({4, 3, 64, 64}, lg::float32, &g) * 0.5, fast);
  for (double level : other.levels) BOOST_TEST(level > 0.0);
  BOOST_TEST(other.mean == (other.levels[0] + other.levels[1] + other.levels[2]) / 3.0,
             boost::test_tools::tolerance(1e-12));
}

// Constant 8 x 8 images (one level: 8 < 16) with 1 x 1 patches: every descriptor of image i is its value, the only
// directions are +-1, and the distance is the 1-d one between the values, whatever the positions:
// a = {0, 1, 2, 3, 4}, b = {0.5, 3, 1, 7, 2} sorted {0.5, 1, 2, 3, 7}: W_1 = (0.5 + 3) / 5, W_2^2 = (0.25 + 9) / 5.
BOOST_AUTO_TEST_CASE(image_protocol_on_constant_images_is_the_1d_distance) {
  const Tensor ones = lg::ones({1, 1, 8, 8}, lg::float64);
  const Tensor a = lg::from_vector(std::vector<double>{0, 1, 2, 3, 4}, {5, 1, 1, 1}, lg::float64) * ones;
  const Tensor b = lg::from_vector(std::vector<double>{0.5, 3, 1, 7, 2}, {5, 1, 1, 1}, lg::float64) * ones;
  const mf::ImageSlicedWassersteinOptions options = {
      .patch_size = 1, .patches_per_image = 3, .directions = 4, .normalisation = mf::PatchNormalisation::none};
  const auto w1 = mf::image_sliced_wasserstein(a, b, options);
  BOOST_TEST((w1.resolutions == std::vector<std::int64_t>{8}));
  BOOST_TEST(w1.mean == 3.5 / 5.0, boost::test_tools::tolerance(1e-12));
  mf::ImageSlicedWassersteinOptions second = options;
  second.order = 2;
  BOOST_TEST(mf::image_sliced_wasserstein(a, b, second).mean == std::sqrt(9.25 / 5.0),
             boost::test_tools::tolerance(1e-12));
}

// The normalisations' invariances: per channel, an affine change x -> alpha_c x + beta_c of each channel (alpha_c >
// 0) of both sets changes nothing (the pyramid is linear and keeps constants in the last level); per patch, a
// positive scale of each image pair; without normalisation the distance scales with alpha.
BOOST_AUTO_TEST_CASE(image_protocol_normalisations_remove_what_they_should) {
  lg::Generator g(13);
  const Tensor a = lg::rand({6, 3, 32, 32}, lg::float64, &g), b = lg::rand({6, 3, 32, 32}, lg::float64, &g).pow(2.0);
  const Tensor alpha = lg::from_vector(std::vector<double>{0.5, 2.0, 7.0}, {1, 3, 1, 1}, lg::float64);
  const Tensor beta = lg::from_vector(std::vector<double>{-1.0, 3.0, 0.25}, {1, 3, 1, 1}, lg::float64);
  const Tensor scale = lg::from_vector(std::vector<double>{1, 2, 3, 0.5, 0.25, 4}, {6, 1, 1, 1}, lg::float64);
  for (std::int64_t order : {1, 2}) {
    const mf::ImageSlicedWassersteinOptions channel = {.patches_per_image = 16, .directions = 32, .order = order};
    const auto base = mf::image_sliced_wasserstein(a, b, channel);
    const auto affine = mf::image_sliced_wasserstein(a * alpha + beta, b * alpha + beta, channel);
    for (std::size_t l = 0; l < 2; ++l)
      BOOST_TEST(affine.levels[l] == base.levels[l], boost::test_tools::tolerance(1e-9));
    mf::ImageSlicedWassersteinOptions patch = channel;
    patch.normalisation = mf::PatchNormalisation::per_patch;
    const auto patch_base = mf::image_sliced_wasserstein(a, b, patch);
    const auto scaled = mf::image_sliced_wasserstein(a * scale, b * scale, patch);
    for (std::size_t l = 0; l < 2; ++l)
      BOOST_TEST(scaled.levels[l] == patch_base.levels[l], boost::test_tools::tolerance(1e-9));
    mf::ImageSlicedWassersteinOptions raw = channel;
    raw.normalisation = mf::PatchNormalisation::none;
    const auto raw_base = mf::image_sliced_wasserstein(a, b, raw);
    const auto tripled = mf::image_sliced_wasserstein(a * 3.0, b * 3.0, raw);
    for (std::size_t l = 0; l < 2; ++l)
      BOOST_TEST(tripled.levels[l] == 3.0 * raw_base.levels[l], boost::test_tools::tolerance(1e-9));
    BOOST_TEST(base.levels[0] != patch_base.levels[0]);
  }
}

// 50 smooth 32 x 32 images (two levels, 32 and 16) against themselves plus noise of growing sigma: the distance
// grows at each level with every normalisation. A normalised band-pass level saturates once the noise dominates it
// (the band of a smooth image is small): measured per channel at level 0, 0.026, 0.12, 0.27, 0.32, 0.33 for sigma
// 0.003, 0.01, 0.03, 0.1, 0.3; per patch 0.12, 0.23, 0.271, 0.282, 0.284. So the sigmas stop at 0.1 (0.03 per
// patch). (Small sizes: the host sort of 1600 projections per direction is most of the time.)
BOOST_AUTO_TEST_CASE(image_protocol_grows_with_noise) {
  lg::Generator g(11);
  const Tensor clean = smooth_images(50, 1, 32, g);
  const Tensor noise = lg::randn({50, 1, 32, 32}, lg::float64, &g);
  for (const auto normalisation :
       {mf::PatchNormalisation::per_channel, mf::PatchNormalisation::per_patch, mf::PatchNormalisation::none}) {
    const mf::ImageSlicedWassersteinOptions options = {
        .patches_per_image = 32, .directions = 64, .normalisation = normalisation, .seed = 12};
    const std::vector<double> sigmas = normalisation == mf::PatchNormalisation::per_patch
                                           ? std::vector<double>{0.003, 0.01, 0.03}
                                           : std::vector<double>{0.003, 0.01, 0.03, 0.1};
    std::vector<double> previous = {0.0, 0.0};
    for (double sigma : sigmas) {
      const auto result = mf::image_sliced_wasserstein(clean, clean + noise * sigma, options);
      BOOST_TEST((result.resolutions == std::vector<std::int64_t>{32, 16}));
      for (std::size_t l = 0; l < 2; ++l) {
        BOOST_TEST(result.levels[l] > 1.1 * previous[l],
                   "sigma " << sigma << " level " << l << ": " << result.levels[l] << " after " << previous[l]);
        previous[l] = result.levels[l];
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  const Tensor x = lg::zeros({4, 3}, lg::float64);
  lg::testing::expect_error<lg::ShapeError>([&] { mf::sliced_wasserstein(x, lg::zeros({5, 3}, lg::float64)); },
                                              "sliced_wasserstein", {"[4, 3]", "[5, 3]", "equal sizes"});
  lg::testing::expect_error<lg::DTypeError>([&] { mf::sliced_wasserstein(x, lg::zeros({4, 3})); },
                                              "sliced_wasserstein", {"float64", "float32"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::sliced_wasserstein(x, x, {.directions = 0}); },
                                              "sliced_wasserstein", {"directions"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::sliced_wasserstein(x, x, {.order = 3}); }, "sliced_wasserstein",
                                              {"order must be 1 or 2, got 3"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::sliced_wasserstein(x, x, {.order = 1, .squared = true}); },
                                              "sliced_wasserstein", {"squared needs order 2"});
  const Tensor images = lg::zeros({2, 1, 20, 20}, lg::float64);
  lg::testing::expect_error<lg::ShapeError>(
      [&] { mf::image_sliced_wasserstein(lg::zeros({2, 20, 20}, lg::float64), lg::zeros({2, 20, 20}, lg::float64)); },
      "image_sliced_wasserstein", {"[N, C, H, W]", "[2, 20, 20]"});
  lg::testing::expect_error<lg::ShapeError>(
      [&] { mf::image_sliced_wasserstein(images, lg::zeros({3, 1, 20, 20}, lg::float64)); },
      "image_sliced_wasserstein", {"[2, 1, 20, 20]", "[3, 1, 20, 20]"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::image_sliced_wasserstein(images, images, {.patch_size = 4}); },
                                              "image_sliced_wasserstein", {"odd"});
  lg::testing::expect_error<lg::ValueError>(
      [&] { mf::image_sliced_wasserstein(images, images, {.min_resolution = 4, .patch_size = 7}); },
      "image_sliced_wasserstein", {"patch_size 7 exceeds level 2 of 5x5"});
  lg::testing::expect_error<lg::ShapeError>([&] { mf::laplacian_pyramid(lg::zeros({3, 8, 8}), 2); },
                                              "laplacian_pyramid", {"[3, 8, 8]"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::laplacian_pyramid(lg::zeros({1, 1, 8, 8}), 0); },
                                              "laplacian_pyramid", {"levels must be >= 1"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::laplacian_pyramid(lg::zeros({1, 1, 8, 8}), 4); },
                                              "laplacian_pyramid", {"too small"});
}

BOOST_AUTO_TEST_SUITE_END()
