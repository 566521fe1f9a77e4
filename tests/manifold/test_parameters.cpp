// A parameter put on a manifold must be shaped as its points: Module::set_manifold
// checks it with Manifold::check_point.
#include "manifold_cases.hpp"

namespace mf = lg::manifold;

BOOST_AUTO_TEST_SUITE(parameters_on_manifolds)

BOOST_AUTO_TEST_CASE(set_manifold_checks_the_parameter_shape) {
  lg::nn::Linear layer(3, 5, {.bias = true, .dtype = lg::float64});  // weight [5, 3], bias [5]
  layer.set_manifold("weight", std::make_shared<mf::Stiefel>(5, 3));
  layer.set_manifold("bias", std::make_shared<mf::Sphere>(5));
  const auto named = layer.named_parameters();
  BOOST_TEST(named[0].second.manifold->name() == mf::Stiefel(5, 3).name());
  lg::testing::expect_error<lg::ShapeError>(
      [&] { layer.set_manifold("weight", std::make_shared<mf::Stiefel>(3, 3)); }, "Module::set_manifold: ",
      {"Stiefel(3, 3)", "[3, 3]", "[5, 3]"});
  lg::testing::expect_error<lg::ShapeError>([&] { layer.set_manifold("bias", std::make_shared<mf::SPD>(5)); },
                                            "Module::set_manifold: ", {"SPD(5)", "[5]"});
  // A refused manifold leaves the parameter where it was.
  BOOST_TEST(layer.named_parameters()[0].second.manifold->name() == mf::Stiefel(5, 3).name());
}

BOOST_AUTO_TEST_SUITE_END()
