// k-means: recovers well-separated Gaussian blobs (centres, and labels up to a
// permutation); the same seed gives the same bits, float32 as float64; K = 1 and
// K = N; inertia and mean distances against loops; the errors.
#include <algorithm>
#include <cmath>
#include <set>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

// Three blobs of `per_blob` points each, standard deviation 0.5, at (0, 0), (10, 0) and (0, 10); the blob of row i
// is i / per_blob.
const std::vector<double> blob_centres = {0.0, 0.0, 10.0, 0.0, 0.0, 10.0};

Tensor blobs(std::int64_t per_blob, lg::DType dtype, std::uint64_t seed) {
  lg::Generator g(seed);
  std::vector<double> x;
  for (std::int64_t b = 0; b < 3; ++b)
    for (std::int64_t i = 0; i < per_blob; ++i)
      for (std::int64_t j = 0; j < 2; ++j)
        x.push_back(blob_centres[static_cast<std::size_t>(2 * b + j)] + 0.5 * g.next_normal());
  return lg::from_vector(x, {3 * per_blob, 2}, dtype);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kmeans)

BOOST_AUTO_TEST_CASE(recovers_separated_blobs) {
  for (const std::uint64_t seed : {0u, 1u, 2u, 3u}) {
    const std::int64_t per_blob = 60;
    const Tensor x = blobs(per_blob, lg::float64, 10 + seed);
    const auto result = mf::kmeans(x, 3, {.seed = seed});
    BOOST_TEST(result.converged);
    BOOST_TEST((result.centres.shape() == lg::Shape{3, 2}));
    BOOST_TEST((result.labels.shape() == lg::Shape{3 * per_blob}));
    const auto c = result.centres.to_vector<double>();
    const auto labels = result.labels.to_vector<std::int64_t>();
    std::set<std::int64_t> used;
    for (std::int64_t b = 0; b < 3; ++b) {
      // Every point of blob b carries the same label, and that cluster's centre is near the blob's.
      const std::int64_t label = labels[static_cast<std::size_t>(b * per_blob)];
      for (std::int64_t i = 0; i < per_blob; ++i)
        BOOST_TEST(labels[static_cast<std::size_t>(b * per_blob + i)] == label);
      used.insert(label);
      const double dx = c[static_cast<std::size_t>(2 * label)] - blob_centres[static_cast<std::size_t>(2 * b)];
      const double dy = c[static_cast<std::size_t>(2 * label + 1)] - blob_centres[static_cast<std::size_t>(2 * b + 1)];
      BOOST_TEST(std::hypot(dx, dy) < 0.2);  // the mean of 60 points of sd 0.5: about 0.065 off
    }
    BOOST_TEST(used.size() == 3u);  // a permutation of the blobs
    const auto counts = result.counts.to_vector<std::int64_t>();
    for (const auto count : counts) BOOST_TEST(count == per_blob);
  }
}

BOOST_AUTO_TEST_CASE(inertia_and_mean_distances_match_loops) {
  const Tensor x = blobs(20, lg::float64, 5);
  const auto result = mf::kmeans(x, 4, {.seed = 7});
  const auto xs = x.to_vector<double>(), c = result.centres.to_vector<double>();
  const auto labels = result.labels.to_vector<std::int64_t>();
  std::vector<double> sums(4, 0.0);
  std::vector<double> counts(4, 0.0);
  double inertia = 0.0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto l = static_cast<std::size_t>(labels[i]);
    const double dx = xs[2 * i] - c[2 * l], dy = xs[2 * i + 1] - c[2 * l + 1];
    inertia += dx * dx + dy * dy;
    sums[l] += std::hypot(dx, dy);
    counts[l] += 1.0;
    // Each point's label is its nearest centre.
    for (std::size_t k = 0; k < 4; ++k)
      BOOST_TEST(dx * dx + dy * dy <=
                 std::pow(xs[2 * i] - c[2 * k], 2) + std::pow(xs[2 * i + 1] - c[2 * k + 1], 2) + 1e-9);
  }
  BOOST_TEST(result.inertia == inertia, boost::test_tools::tolerance(1e-9));
  const auto mean_distances = result.mean_distances.to_vector<double>();
  for (std::size_t k = 0; k < 4; ++k) {
    BOOST_TEST(counts[k] >= 1.0);
    BOOST_TEST(mean_distances[k] == sums[k] / counts[k], boost::test_tools::tolerance(1e-9));
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_bits) {
  lg::Generator g(4);
  const Tensor y = lg::randn({200, 3}, lg::float64, &g);
  for (const lg::DType dtype : {lg::float64, lg::float32}) {
    const Tensor points = y.to(dtype);
    const auto a = mf::kmeans(points, 8, {.seed = 3}), b = mf::kmeans(points, 8, {.seed = 3});
    BOOST_TEST(a.centres.dtype() == dtype);
    BOOST_TEST((a.centres.to_vector<double>() == b.centres.to_vector<double>()));
    BOOST_TEST((a.labels.to_vector<std::int64_t>() == b.labels.to_vector<std::int64_t>()));
    BOOST_TEST(a.iterations == b.iterations);
    BOOST_TEST(a.inertia == b.inertia);
  }
  // Another seed starts elsewhere (on unstructured data it ends elsewhere too).
  const auto a = mf::kmeans(y, 8, {.seed = 3}), c = mf::kmeans(y, 8, {.seed = 4});
  BOOST_TEST((a.centres.to_vector<double>() != c.centres.to_vector<double>()));
}

BOOST_AUTO_TEST_CASE(one_cluster_and_one_per_point) {
  lg::Generator g(6);
  const Tensor x = lg::randn({9, 2}, lg::float64, &g);
  const auto one = mf::kmeans(x, 1);
  const auto mean = lg::mean(x, {0}).to_vector<double>(), c = one.centres.to_vector<double>();
  BOOST_TEST(c[0] == mean[0], boost::test_tools::tolerance(1e-12));
  BOOST_TEST(c[1] == mean[1], boost::test_tools::tolerance(1e-12));
  const Tensor centred = x - lg::mean(x, {0}, true);
  BOOST_TEST(one.inertia == lg::sum(centred * centred).item(), boost::test_tools::tolerance(1e-12));
  const auto all = mf::kmeans(x, 9);
  BOOST_TEST(all.inertia == 0.0);
  const auto labels = all.labels.to_vector<std::int64_t>();
  BOOST_TEST(std::set<std::int64_t>(labels.begin(), labels.end()).size() == 9u);
}

BOOST_AUTO_TEST_CASE(errors_name_kmeans_and_the_values) {
  const Tensor x = lg::zeros({5, 2}, lg::float64);
  lg::testing::expect_error<lg::ValueError>([&] { mf::kmeans(x, 0); }, "kmeans", {"K = 0"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::kmeans(x, 6); }, "kmeans", {"[1, 5]", "K = 6"});
  lg::testing::expect_error<lg::ValueError>([&] { mf::kmeans(x, 2, {.iterations = 0}); }, "kmeans", {"0"});
  lg::testing::expect_error<lg::ShapeError>([] { mf::kmeans(lg::zeros({5}, lg::float64), 2); }, "kmeans", {"[5]"});
  lg::testing::expect_error<lg::ShapeError>([] { mf::kmeans(lg::zeros({2, 5, 2}, lg::float64), 2); }, "kmeans",
                                            {"[2, 5, 2]"});
  lg::testing::expect_error<lg::DTypeError>([] { mf::kmeans(lg::zeros({5, 2}, lg::int64), 2); }, "kmeans",
                                            {"int64"});
}

BOOST_AUTO_TEST_SUITE_END()
