// The maps are written in differentiable ops, so a cost can be differentiated
// through them: gradcheck and gradgradcheck (float64, every element, a random
// cotangent) through atan2 and one map of each kind, at generic inputs (distinct
// eigenvalues and singular values, no repeated angles).
#include "manifold_cases.hpp"

namespace mf = lg::manifold;
using lg::Tensor;

namespace {

void check_both(const std::string& name, const lg::TensorFunction& function, const std::vector<Tensor>& inputs) {
  const lg::GradcheckResult first = lg::gradcheck(name, function, inputs);
  BOOST_TEST(first.passed, first.report);
  const lg::GradcheckResult second = lg::gradgradcheck(name, function, inputs);
  BOOST_TEST(second.passed, second.report);
}

Tensor leaf(const Tensor& t) { return t.detach().clone().requires_grad_(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(differentiable_maps)

BOOST_AUTO_TEST_CASE(atan2_in_every_quadrant) {
  const Tensor y = leaf(lg::tensor({0.3, -1.2, 2.0, -0.4}, lg::float64));
  const Tensor x = leaf(lg::tensor({1.5, 0.7, -0.9, -2.2}, lg::float64));
  const auto angles = lg::atan2(y, x).to_vector<double>();
  const auto ys = y.to_vector<double>(), xs = x.to_vector<double>();
  for (std::size_t i = 0; i < angles.size(); ++i) BOOST_TEST(angles[i] == std::atan2(ys[i], xs[i]));
  check_both("atan2", [](const std::vector<Tensor>& in) { return lg::atan2(in[0], in[1]); }, {y, x});
}

BOOST_AUTO_TEST_CASE(maps_of_each_manifold) {
  lg::Generator g(41);
  const mf::Sphere sphere(4);
  const Tensor p = sphere.random_point(g), q = sphere.random_point(g);
  check_both("Sphere::log", [&](const std::vector<Tensor>& in) { return sphere.log(in[0], in[1]); },
             {leaf(p), leaf(q)});

  const mf::Stiefel stiefel(5, 2, mf::StiefelMetric::canonical, mf::StiefelRetraction::polar);
  const Tensor x = stiefel.random_point(g);
  const Tensor v = stiefel.random_tangent(x, g) * 0.5;
  check_both("Stiefel::polar_retract", [&](const std::vector<Tensor>& in) { return stiefel.retract(in[0], in[1]); },
             {leaf(x), leaf(v)});
  check_both("Stiefel::exp", [&](const std::vector<Tensor>& in) { return stiefel.exp(in[0], in[1]); },
             {leaf(x), leaf(v)});

  const mf::SPD spd(3);
  const Tensor a = spd.random_point(g), b = spd.random_point(g);
  // eigh reads one triangle, so an SPD point is a function of its symmetric part here (a perturbation
  // of one off-diagonal entry alone would leave the manifold).
  check_both(
      "SPD::distance",
      [&](const std::vector<Tensor>& in) { return spd.distance(lg::symmetric_part(in[0]), lg::symmetric_part(in[1])); },
      {leaf(a), leaf(b)});
  check_both(
      "SPD::exp",
      [&](const std::vector<Tensor>& in) { return spd.exp(lg::symmetric_part(in[0]), lg::symmetric_part(in[1])); },
      {leaf(a), leaf(spd.random_tangent(a, g))});

  const Tensor c = lg::randn({6, 2}, lg::float64, &g), d = lg::randn({6, 3}, lg::float64, &g);
  check_both("principal_angles", [](const std::vector<Tensor>& in) { return mf::principal_angles(in[0], in[1]); },
             {leaf(c), leaf(d)});
}

BOOST_AUTO_TEST_SUITE_END()
