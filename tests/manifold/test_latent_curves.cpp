// Lengths and energies of decoded curves against closed forms: the unit circle
// g(z) = (cos z, sin z), whose straight latent lines have decoded length
// 2 T sin(|b - a| / 2T) -> |b - a|; polylines by hand; length^2 <= energy with
// equality at constant speed; one decoder call per batch; gradients; errors.
#include <cmath>

#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

// The unit circle: z [P, 1] -> (cos z, sin z) [P, 2], an isometry of R onto the circle locally.
Tensor circle(const Tensor& z) { return lg::cat({lg::cos(z), lg::sin(z)}, 1); }

// The flat torus in R^4: (z1, z2) -> (cos z1, sin z1, cos z2, sin z2), locally isometric.
Tensor torus(const Tensor& z) {
  const Tensor z1 = lg::narrow(z, 1, 0, 1), z2 = lg::narrow(z, 1, 1, 1);
  return lg::cat({lg::cos(z1), lg::sin(z1), lg::cos(z2), lg::sin(z2)}, 1);
}

// N = 1 straight latent line [1, T + 1, 1] from a to b on the real line.
Tensor line(double a, double b, std::int64_t segments) {
  return lg::reshape(lg::linspace(a, b, segments + 1, lg::float64), {1, segments + 1, 1});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(latent_curves)

BOOST_AUTO_TEST_CASE(circle_lengths_converge_to_the_arc_length) {
  const double a = 0.3, b = 2.1, arc = b - a;
  double previous_error = 1.0;
  for (std::int64_t t : {4, 16, 64}) {
    const double length = mf::curve_length(circle, line(a, b, t)).item();
    // Each chord of the circle spans an angle arc / T: exactly 2 sin(arc / 2T) long.
    BOOST_TEST(length == 2.0 * static_cast<double>(t) * std::sin(arc / (2.0 * static_cast<double>(t))),
               boost::test_tools::tolerance(1e-12));
    const double error = std::abs(length - arc) / arc;
    BOOST_TEST(error < previous_error / 10.0);  // O(1/T^2): each 4x more segments divides it by about 16
    previous_error = error;
  }
  BOOST_TEST(previous_error < 1e-3);
  BOOST_TEST(previous_error > 0.0);  // chords are strictly shorter than arcs
}

BOOST_AUTO_TEST_CASE(polylines_by_hand) {
  // Points 0, 1, 3 on a line: length 3, energy T (1 + 4) = 10 >= 9.
  const Tensor x = lg::from_vector(std::vector<double>{0.0, 1.0, 3.0}, {1, 3, 1}, lg::float64);
  BOOST_TEST(mf::polyline_length(x).item() == 3.0);
  BOOST_TEST(mf::polyline_energy(x).item() == 10.0);
  // A unit square's four sides in R^2, N = 2 copies (one scaled by 2): lengths 4 and 8, energies 16 and 64.
  const std::vector<double> square{0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
  std::vector<double> both = square;
  for (double v : square) both.push_back(2.0 * v);
  const Tensor squares = lg::from_vector(both, {2, 5, 2}, lg::float64);
  BOOST_TEST(mf::latent_length(squares).to_vector<double>() == (std::vector<double>{4.0, 8.0}),
             boost::test_tools::per_element());
  BOOST_TEST(mf::latent_energy(squares).to_vector<double>() == (std::vector<double>{16.0, 64.0}),
             boost::test_tools::per_element());
  // The identity decoder gives the latent values.
  const auto identity = [](const Tensor& z) { return z; };
  BOOST_TEST(mf::curve_length(identity, squares).to_vector<double>() == (std::vector<double>{4.0, 8.0}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(length_squared_at_most_energy_equal_at_constant_speed) {
  lg::Generator g(5);
  // Random curves on the torus: length^2 <= energy, strictly for uneven steps.
  const Tensor z = lg::randn({6, 9, 2}, lg::float64, &g);
  const auto lengths = mf::curve_length(torus, z).to_vector<double>();
  const auto energies = mf::curve_energy(torus, z).to_vector<double>();
  for (std::size_t i = 0; i < lengths.size(); ++i) BOOST_TEST(lengths[i] * lengths[i] < energies[i]);
  // A straight latent line decodes at constant speed on the flat torus (every chord equally long): equality.
  const Tensor a = lg::tensor({{0.1, -0.4}, {1.0, 0.5}}, lg::float64);
  const Tensor b = lg::tensor({{1.2, 0.7}, {-0.3, 2.0}}, lg::float64);
  const Tensor s = lg::reshape(lg::linspace(0.0, 1.0, 17, lg::float64), {1, 17, 1});
  const Tensor straight = lg::unsqueeze(a, 1) * (1.0 - s) + lg::unsqueeze(b, 1) * s;
  const auto l = mf::curve_length(torus, straight).to_vector<double>();
  const auto e = mf::curve_energy(torus, straight).to_vector<double>();
  for (std::size_t i = 0; i < l.size(); ++i) BOOST_TEST(l[i] * l[i] == e[i], boost::test_tools::tolerance(1e-12));
  // In the latent metric too: |b - a| and |b - a|^2.
  const auto ll = mf::latent_length(straight).to_vector<double>();
  const auto le = mf::latent_energy(straight).to_vector<double>();
  BOOST_TEST(ll[0] == std::hypot(1.1, 1.1), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(le[1] == 1.3 * 1.3 + 1.5 * 1.5, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(one_decoder_call_per_batch_and_flattened_outputs) {
  int calls = 0;
  lg::Shape seen;
  // Outputs [P, 2, 3] (an "image" per point): flattened to 6 numbers per point.
  const mf::Decoder decoder = [&](const Tensor& z) {
    ++calls;
    seen = z.shape();
    return lg::reshape(lg::cat({z, z * 2.0, z * 3.0, z, z, z}, 1), {z.size(0), 2, 3});
  };
  lg::Generator g(6);
  const Tensor z = lg::randn({4, 5, 1}, lg::float64, &g);
  const Tensor decoded = mf::decode_curves(decoder, z);
  BOOST_TEST(calls == 1);
  BOOST_TEST((seen == lg::Shape{20, 1}));
  BOOST_TEST((decoded.shape() == lg::Shape{4, 5, 6}));
  // |g(z) - g(w)| = sqrt(1 + 4 + 9 + 1 + 1 + 1) |z - w|.
  const auto lengths = mf::curve_length(decoder, z).to_vector<double>();
  const auto latent = mf::latent_length(z).to_vector<double>();
  BOOST_TEST(calls == 2);
  for (std::size_t i = 0; i < lengths.size(); ++i)
    BOOST_TEST(lengths[i] == std::sqrt(17.0) * latent[i], boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(energy_gradients_by_finite_differences) {
  lg::Generator g(7);
  Tensor z = lg::randn({2, 4, 2}, lg::float64, &g);
  z.requires_grad_();
  const auto result = lg::gradcheck(
      "curve_energy", [](const std::vector<Tensor>& in) { return mf::curve_energy(torus, in[0]); }, {z});
  BOOST_TEST(result.passed, result.report);
}

BOOST_AUTO_TEST_CASE(errors) {
  using lg::testing::expect_error;
  const Tensor flat = lg::zeros({4, 2}, lg::float64);
  expect_error<lg::ShapeError>([&] { mf::curve_length(torus, flat); }, "curve_length: ", {"[4, 2]"});
  expect_error<lg::ShapeError>([&] { mf::latent_energy(lg::zeros({3, 1, 2}, lg::float64)); }, "latent_energy: ",
                               {"T >= 1", "[3, 1, 2]"});
  expect_error<lg::DTypeError>([&] { mf::polyline_length(lg::zeros({1, 3, 2}, lg::int64)); }, "polyline_length: ",
                               {"int64"});
  const auto drops_a_row = [](const Tensor& z) { return lg::narrow(z, 0, 0, z.size(0) - 1); };
  expect_error<lg::ShapeError>([&] { mf::curve_energy(drops_a_row, lg::zeros({2, 3, 2}, lg::float64)); },
                               "curve_energy: ", {"6 points", "[5, 2]"});
  expect_error<lg::ValueError>([&] { mf::decode_curves(mf::Decoder{}, lg::zeros({2, 3, 2}, lg::float64)); },
                               "decode_curves: ", {"decoder is empty"});
}

BOOST_AUTO_TEST_SUITE_END()
