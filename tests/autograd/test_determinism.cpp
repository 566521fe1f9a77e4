// docs/testing.md, G14 determinism: the same seed gives the same numbers, and
// our own kernels give the same bits at any thread count (a split GEMM does
// not, so matmul is left out; the convolutions, whose GEMMs are never split,
// are in).
#include <boost/test/unit_test.hpp>

#include <cstring>

#include <latentgeo.hpp>

namespace {

std::vector<double> bits_of(const lg::Tensor& t) { return t.to_vector<double>(); }

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Sums, means, reductions over leading and trailing dims, softmax, elementwise maps
// and a backward, all on tensors big enough to be split across threads.
std::vector<std::vector<double>> kernel_results(int threads) {
  lg::set_num_threads(threads);
  lg::Generator g(3);
  // All above kernel::kParallelThreshold (2^20 elements), so 2 threads really split them.
  const auto big = lg::randn({3 << 20}, lg::float32, &g);
  const auto matrix = lg::randn({1024, 1100}, lg::float32, &g);
  auto x = lg::randn({1024, 1050}, lg::float32, &g).requires_grad_();
  auto loss = (lg::softmax(x, 1) * lg::sigmoid(x)).sum();
  loss.backward();
  // Convolutions: several chunks (Note [convolution kernels]) shared among the threads.
  const auto image = lg::randn({48, 8, 16, 16}, lg::float32, &g).requires_grad_();
  const auto kernel = lg::randn({16, 8, 4, 4}, lg::float32, &g).requires_grad_();
  const auto back = lg::randn({16, 4, 4, 4}, lg::float32, &g).requires_grad_();
  const auto decoded = lg::conv_transpose2d(lg::relu(lg::conv2d(image, kernel, {}, {2, 2}, {1, 1})), back, {},
                                            {2, 2}, {1, 1});
  const auto conv_grads = lg::grad({(decoded * decoded).sum()}, {image, kernel, back});
  std::vector<std::vector<double>> results = {
      bits_of(big.sum()),
      bits_of(lg::mean(matrix, {0})),
      bits_of(lg::sum(matrix, {1})),
      bits_of(lg::sum(matrix.t(), {0})),
      bits_of(lg::logsumexp(matrix, {0, 1})),
      bits_of(lg::exp(matrix) * matrix + 1.0),
      bits_of(loss),
      bits_of(x.grad()),
      bits_of(decoded),
      bits_of(conv_grads[0]),
      bits_of(conv_grads[1]),
      bits_of(conv_grads[2]),
  };
  lg::set_num_threads(2);
  return results;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(determinism)

BOOST_AUTO_TEST_CASE(first_normals_for_seed_42_are_fixed) {
  const std::vector<double> expected = {
      -1.0771745442782885, -1.2860634502166481, 1.0945198485006107,  1.2616856516484893,
      1.7947316657951717,  1.2044003699942827,  -0.91212515564414098, 0.93666367698040354,
      -0.61730835003414464, 0.50891466101034144, -0.15611333502489516, -0.023426044850126834,
      -0.98869704714717099, -1.1552344466798428, 1.7639299211125585,  -0.6263227832111613};
  lg::Generator g(42);
  for (double value : expected) BOOST_TEST(g.next_normal() == value);
}

BOOST_AUTO_TEST_CASE(same_seed_same_tensors_and_generator_state_round_trips) {
  lg::manual_seed(11);
  const auto a = lg::randn({100}).to_vector<double>();
  lg::manual_seed(11);
  const auto b = lg::randn({100}).to_vector<double>();
  BOOST_TEST(same_bits(a, b));

  lg::Generator g(5);
  lg::randn({3}, lg::float64, &g);  // leaves a cached normal behind
  const std::string state = g.state();
  const auto next = lg::randn({7}, lg::float64, &g).to_vector<double>();
  lg::Generator restored;
  restored.set_state(state);
  BOOST_TEST(same_bits(next, lg::randn({7}, lg::float64, &restored).to_vector<double>()));
  BOOST_CHECK_THROW(restored.set_state("not a state"), lg::ValueError);
}

BOOST_AUTO_TEST_CASE(random_streams_do_not_depend_on_the_thread_count) {
  lg::set_num_threads(1);
  lg::manual_seed(9);
  const auto one = lg::rand({50000}).to_vector<double>();
  lg::set_num_threads(2);
  lg::manual_seed(9);
  const auto two = lg::rand({50000}).to_vector<double>();
  BOOST_TEST(same_bits(one, two));
}

// randn draws its uniforms in stream order and transforms the pairs in parallel: the same bits as one
// next_normal() per element, at any thread count, with an odd count and a cached normal at the start.
BOOST_AUTO_TEST_CASE(randn_equals_one_next_normal_per_element_at_any_thread_count) {
  for (const int threads : {1, 2})
    for (const std::int64_t count : {std::int64_t{1}, std::int64_t{9}, std::int64_t{10}, std::int64_t{20001}}) {
      lg::set_num_threads(threads);
      lg::Generator batched(31), one_by_one(31);
      batched.next_normal();  // a cached normal waits in both
      one_by_one.next_normal();
      const auto drawn = lg::randn({count}, lg::float64, &batched).to_vector<double>();
      std::vector<double> expected;
      for (std::int64_t i = 0; i < count; ++i) expected.push_back(one_by_one.next_normal());
      BOOST_TEST(same_bits(drawn, expected), "threads " << threads << ", count " << count);
      BOOST_TEST(batched.next_normal() == one_by_one.next_normal());  // the cache is left the same
    }
  lg::set_num_threads(1);
}

BOOST_AUTO_TEST_CASE(our_kernels_give_the_same_bits_at_one_and_two_threads) {
  const auto one = kernel_results(1);
  const auto two = kernel_results(2);
  BOOST_REQUIRE(one.size() == two.size());
  for (std::size_t i = 0; i < one.size(); ++i) BOOST_TEST(same_bits(one[i], two[i]), "result " << i);
}

BOOST_AUTO_TEST_CASE(random_factories_have_the_right_distribution_and_validate) {
  lg::Generator g(1);
  const auto u = lg::rand({100000}, lg::float64, &g);
  BOOST_TEST(std::abs(u.mean().item() - 0.5) < 0.01);
  const auto n = lg::randn({100000}, lg::float64, &g);
  BOOST_TEST(std::abs(lg::std(n).item() - 1.0) < 0.01);
  const auto p = lg::randperm(10, &g).to_vector<std::int64_t>();
  std::vector<std::int64_t> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  for (std::int64_t i = 0; i < 10; ++i) BOOST_TEST(sorted[i] == i);
  const auto r = lg::randint(3, 7, {1000}, &g);
  BOOST_TEST(lg::min(r).item() >= 3.0);
  BOOST_TEST(lg::max(r).item() <= 6.0);
  BOOST_TEST(std::abs(lg::bernoulli({100000}, 0.3, lg::float64, &g).mean().item() - 0.3) < 0.01);
  BOOST_CHECK_THROW(lg::randint(3, 3, {1}), lg::ValueError);
  BOOST_CHECK_THROW(lg::bernoulli({1}, 1.5), lg::ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
