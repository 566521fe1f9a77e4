// vjp, jvp, hvp, jacobian, full_jacobian and jacobian_svd (autograd/functional.hpp) against
// closed forms in float64: affine maps (J = A), elementwise tanh (a diagonal), quartic and
// quadratic Hessians; an MLP's Jacobian by rows and by columns against each other, central finite
// differences and a loop over the examples; recorded Jacobians differentiated again; the errors.
// Forward mode: batched tangents against one jvp per tangent and against the double-vjp construction;
// forward-over-reverse hvp against reverse over reverse; no graph is built without create_graph.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <vector>

#include <latentgeo.hpp>

#include "common/expect_error.hpp"

namespace {

using lg::Tensor;
using lg::testing::expect_error;

double max_abs_diff(const Tensor& a, const Tensor& b) {
  BOOST_REQUIRE_MESSAGE(a.shape() == b.shape(), "shapes " << lg::shape_str(a.shape()) << " and "
                                                          << lg::shape_str(b.shape()) << " differ");
  return lg::max(lg::abs(a.detach() - b.detach())).item();
}

Tensor random64(const lg::Shape& shape, lg::Generator& generator) { return lg::randn(shape, lg::float64, &generator); }

// Per-sample Jacobians [B, m, n] by central differences: column j of every example from f(x +- eps e_j).
Tensor finite_difference_jacobian(const lg::Function& f, const Tensor& x, double eps = 1e-6) {
  const lg::NoGradGuard no_grad;
  const std::int64_t batch = x.size(0), n = x.numel() / batch;
  const Tensor basis = lg::eye(n, x.dtype());
  std::vector<Tensor> columns;
  for (std::int64_t j = 0; j < n; ++j) {
    const Tensor step = lg::reshape(lg::expand(basis.select(0, j), {batch, n}), x.shape()) * eps;
    const Tensor difference = (f(x + step) - f(x - step)) / (2.0 * eps);
    columns.push_back(lg::reshape(difference, {batch, -1}));
  }
  return lg::stack(columns, 2);
}

// A float64 MLP 4 -> 6 -> 3 (tanh, sigmoid), fixed weights.
lg::nn::Sequential small_mlp() {
  lg::Generator generator(11);
  const lg::nn::LinearOptions options{.dtype = lg::float64, .generator = &generator};
  return lg::nn::Sequential(std::make_shared<lg::nn::Linear>(4, 6, options), std::make_shared<lg::nn::Tanh>(),
                            std::make_shared<lg::nn::Linear>(6, 3, options), std::make_shared<lg::nn::Sigmoid>());
}

const lg::JacobianOptions kReverse{.mode = lg::JacobianMode::reverse};
const lg::JacobianOptions kForward{.mode = lg::JacobianMode::forward};

}  // namespace

BOOST_AUTO_TEST_SUITE(functional)

BOOST_AUTO_TEST_CASE(an_affine_map_has_jacobian_a_in_both_modes) {
  lg::Generator generator(1);
  for (const auto& [m, n] : std::vector<std::pair<std::int64_t, std::int64_t>>{{3, 4}, {6, 2}}) {
    const Tensor a = random64({m, n}, generator), b = random64({m}, generator);
    const lg::Function f = [&](const Tensor& x) { return lg::matmul(x, lg::matrix_transpose(a)) + b; };
    const Tensor x = random64({5, n}, generator);
    const Tensor expected = lg::expand(a, {5, m, n});
    for (const auto& options : {kReverse, kForward, lg::JacobianOptions{}}) {
      const Tensor j = lg::jacobian(f, x, options);
      BOOST_TEST((j.shape() == lg::Shape{5, m, n}));
      BOOST_TEST(max_abs_diff(j, expected) < 1e-14);
      BOOST_TEST(!j.requires_grad());
      BOOST_TEST(max_abs_diff(lg::full_jacobian(f, x.select(0, 2), options), a) < 1e-14);
    }
    const Tensor point = random64({n}, generator), v = random64({n}, generator), u = random64({m}, generator);
    BOOST_TEST(max_abs_diff(lg::jvp(f, point, v), lg::matmul(a, v)) < 1e-14);   // J v = A v
    BOOST_TEST(max_abs_diff(lg::vjp(f, point, u), lg::matmul(u, a)) < 1e-14);   // u^T J = u^T A
  }
}

BOOST_AUTO_TEST_CASE(elementwise_tanh_has_a_diagonal_jacobian_flattened_row_major) {
  lg::Generator generator(2);
  const Tensor x = random64({2, 2, 3}, generator);  // each example is a 2 x 3 block: n = m = 6
  const lg::Function f = [](const Tensor& t) { return lg::tanh(t); };
  const Tensor slope = 1.0 - lg::tanh(x) * lg::tanh(x);
  const Tensor expected = lg::diag_embed(lg::reshape(slope, {2, 6}));
  for (const auto& options : {kReverse, kForward})
    BOOST_TEST(max_abs_diff(lg::jacobian(f, x, options), expected) < 1e-15);
  const Tensor v = random64({2, 2, 3}, generator);
  BOOST_TEST(max_abs_diff(lg::jvp(f, x, v), slope * v) < 1e-15);
  BOOST_TEST(max_abs_diff(lg::vjp(f, x, v), slope * v) < 1e-15);
  // The whole batch as one map: block diagonal, 12 x 12.
  BOOST_TEST(max_abs_diff(lg::full_jacobian(f, x), lg::diag_embed(lg::reshape(slope, {12}))) < 1e-15);
}

BOOST_AUTO_TEST_CASE(an_mlp_jacobian_by_rows_and_by_columns_matches_finite_differences_and_a_loop) {
  lg::nn::Sequential mlp = small_mlp();
  mlp.eval();
  const lg::Function f = [&](const Tensor& t) { return mlp.forward(t); };
  lg::Generator generator(3);
  const Tensor x = random64({5, 4}, generator);
  const Tensor rows = lg::jacobian(f, x, kReverse), columns = lg::jacobian(f, x, kForward);
  BOOST_TEST((rows.shape() == lg::Shape{5, 3, 4}));
  BOOST_TEST(max_abs_diff(rows, columns) < 1e-12);
  const Tensor numeric = finite_difference_jacobian(f, x);
  BOOST_TEST(lg::max(lg::abs(rows - numeric) / (lg::abs(numeric) + 1e-3)).item() < 1e-6);
  for (std::int64_t b = 0; b < 5; ++b)  // each example alone gives the same Jacobian
    BOOST_TEST(max_abs_diff(lg::jacobian(f, x.narrow(0, b, 1)).select(0, 0), rows.select(0, b)) < 1e-14);
  // jvp and vjp are J v and u^T J of each example.
  const Tensor v = random64({5, 4}, generator), u = random64({5, 3}, generator);
  BOOST_TEST(max_abs_diff(lg::jvp(f, x, v), lg::squeeze(lg::matmul(rows, lg::unsqueeze(v, -1)), -1)) < 1e-13);
  BOOST_TEST(max_abs_diff(lg::vjp(f, x, u), lg::squeeze(lg::matmul(lg::unsqueeze(u, -2), rows), -2)) < 1e-13);
}

BOOST_AUTO_TEST_CASE(hessian_vector_products_of_a_quartic_and_a_quadratic) {
  lg::Generator generator(4);
  const Tensor x = random64({2, 3}, generator), v = random64({2, 3}, generator);
  const lg::Function quartic = [](const Tensor& t) { return lg::sum(t * t * t * t); };
  BOOST_TEST(max_abs_diff(lg::hvp(quartic, x, v), 12.0 * x * x * v) < 1e-13);
  const Tensor a = random64({5, 5}, generator), point = random64({5}, generator), w = random64({5}, generator);
  const lg::Function quadratic = [&](const Tensor& t) { return lg::sum(t * lg::matmul(a, t)); };  // x^T A x
  BOOST_TEST(max_abs_diff(lg::hvp(quadratic, point, w), lg::matmul(a + lg::matrix_transpose(a), w)) < 1e-13);
  // A linear f has H = 0.
  const lg::Function linear = [&](const Tensor& t) { return lg::sum(t * w); };
  BOOST_TEST(max_abs_diff(lg::hvp(linear, point, w), lg::zeros({5}, lg::float64)) == 0.0);
}

BOOST_AUTO_TEST_CASE(jacobian_svd_of_a_linear_map_and_a_reconstruction) {
  lg::Generator generator(5);
  const Tensor a = random64({3, 5}, generator);
  const lg::Function f = [&](const Tensor& t) { return lg::matmul(t, lg::matrix_transpose(a)); };
  const Tensor x = random64({4, 5}, generator);
  const lg::JacobianSVD d = lg::jacobian_svd(f, x, 2);
  BOOST_TEST((d.singular_values.shape() == lg::Shape{4, 3}));
  BOOST_TEST((d.input_directions.shape() == lg::Shape{4, 5, 2}));
  BOOST_TEST((d.output_directions.shape() == lg::Shape{4, 3, 2}));
  BOOST_TEST(max_abs_diff(d.singular_values, lg::expand(lg::svdvals(a), {4, 3})) < 1e-13);
  const Tensor eye2 = lg::expand(lg::eye(2, lg::float64), {4, 2, 2});
  BOOST_TEST(max_abs_diff(lg::matmul(lg::matrix_transpose(d.input_directions), d.input_directions), eye2) < 1e-13);
  BOOST_TEST(max_abs_diff(lg::matmul(lg::matrix_transpose(d.output_directions), d.output_directions), eye2) < 1e-13);
  // A v_i = s_i u_i.
  const Tensor leading = lg::unsqueeze(d.singular_values.narrow(1, 0, 2), 1);
  BOOST_TEST(max_abs_diff(lg::matmul(lg::expand(a, {4, 3, 5}), d.input_directions), d.output_directions * leading) <
             1e-13);
  // A nonlinear map at full rank: U diag(s) V^T is the Jacobian.
  lg::nn::Sequential mlp = small_mlp();
  mlp.eval();
  const lg::Function g = [&](const Tensor& t) { return mlp.forward(t); };
  const Tensor points = random64({6, 4}, generator);
  for (const auto& options : {kReverse, kForward}) {
    const lg::JacobianSVD full = lg::jacobian_svd(g, points, 3, options);
    const Tensor rebuilt = lg::matmul(full.output_directions * lg::unsqueeze(full.singular_values, 1),
                                      lg::matrix_transpose(full.input_directions));
    BOOST_TEST(max_abs_diff(rebuilt, lg::jacobian(g, points)) < 1e-13);
  }
}

BOOST_AUTO_TEST_CASE(recorded_derivatives_differentiate_again) {
  lg::Generator generator(6);
  // sum over the batch of J = B A: its gradient with respect to A is B everywhere, in both modes.
  Tensor a = random64({3, 2}, generator);
  a.requires_grad_();
  const lg::Function f = [&](const Tensor& t) { return lg::matmul(t, lg::matrix_transpose(a)); };
  const Tensor x = random64({4, 2}, generator);
  for (auto options : {kReverse, kForward}) {
    options.create_graph = true;
    const Tensor j = lg::jacobian(f, x, options);
    BOOST_REQUIRE(j.requires_grad());
    BOOST_TEST(max_abs_diff(lg::grad({lg::sum(j)}, {a})[0], lg::full({3, 2}, 4.0, lg::float64)) < 1e-14);
  }
  // d/dx sum(J v) for tanh, J v = (1 - tanh^2 x) v: -2 tanh(x) (1 - tanh^2 x) v, through both reverse passes.
  Tensor point = random64({5}, generator);
  point.requires_grad_();
  const Tensor v = random64({5}, generator);
  const lg::Function tanh = [](const Tensor& t) { return lg::tanh(t); };
  const Tensor derivative = lg::jvp(tanh, point, v, {.create_graph = true});
  const Tensor th = lg::tanh(point.detach());
  BOOST_TEST(max_abs_diff(lg::grad({lg::sum(derivative)}, {point})[0], -2.0 * th * (1.0 - th * th) * v) < 1e-14);
  // Without create_graph nothing is recorded; under no_grad the derivatives are still computed.
  BOOST_TEST(!lg::jvp(tanh, point, v).requires_grad());
  const lg::NoGradGuard no_grad;
  BOOST_TEST(max_abs_diff(lg::jvp(tanh, point, v), (1.0 - th * th) * v) < 1e-15);
}

BOOST_AUTO_TEST_CASE(errors_name_the_function) {
  lg::Generator generator(7);
  const Tensor x = random64({4, 3}, generator);
  const lg::Function identity = [](const Tensor& t) { return t * 1.0; };
  const lg::Function first_half = [](const Tensor& t) { return t.narrow(0, 0, 2); };
  expect_error<lg::ShapeError>([&] { lg::jacobian(first_half, x); }, "jacobian: ", {"batch", "[4, 3]", "[2, 3]"});
  expect_error<lg::ShapeError>([&] { lg::jacobian_svd(first_half, x, 1); }, "jacobian_svd: ", {"[2, 3]"});
  expect_error<lg::ShapeError>([&] { lg::jvp(identity, x, random64({3, 4}, generator)); }, "jvp: ",
                               {"tangent", "[3, 4]", "[4, 3]"});
  expect_error<lg::ShapeError>([&] { lg::vjp(identity, x, random64({4}, generator)); }, "vjp: ",
                               {"cotangent", "[4]", "[4, 3]"});
  expect_error<lg::DTypeError>([&] { lg::jvp(identity, x, lg::ones({4, 3})); }, "jvp: ", {"float32", "float64"});
  expect_error<lg::ShapeError>([&] { lg::hvp(identity, x, x); }, "hvp: ", {"scalar", "[4, 3]"});
  const Tensor integers = lg::ones({4, 3}, lg::int64);
  expect_error<lg::DTypeError>([&] { lg::jacobian(identity, integers); }, "jacobian: ", {"int64"});
  expect_error<lg::DTypeError>([&] { lg::full_jacobian(identity, integers); }, "full_jacobian: ", {"int64"});
  expect_error<lg::ShapeError>([&] { lg::jacobian(identity, lg::scalar_tensor(1.0, lg::float64)); }, "jacobian: ",
                               {"batch"});
  expect_error<lg::ValueError>([&] { lg::jacobian_svd(identity, x, 4); }, "jacobian_svd: ", {"k", "3"});
  expect_error<lg::ValueError>([&] { lg::jacobian_svd(identity, x, 0); }, "jacobian_svd: ", {"k"});
  expect_error<lg::ValueError>([&] { lg::vjp(lg::Function{}, x, x); }, "vjp: ", {"empty"});
  expect_error<lg::ValueError>([&] { lg::jacobian([](const Tensor&) { return Tensor{}; }, x); }, "jacobian: ",
                               {"undefined"});
  expect_error<lg::DTypeError>([&] { lg::jacobian([](const Tensor& t) { return t.to(lg::int64); }, x); },
                               "jacobian: ", {"int64"});
}

BOOST_AUTO_TEST_CASE(a_function_that_ignores_its_input_has_a_zero_jacobian) {
  lg::Generator generator(8);
  const Tensor x = random64({3, 2}, generator), c = random64({3, 4}, generator);
  const lg::Function constant = [&](const Tensor&) { return c; };
  for (const auto& options : {kReverse, kForward})
    BOOST_TEST(max_abs_diff(lg::jacobian(constant, x, options), lg::zeros({3, 4, 2}, lg::float64)) == 0.0);
  BOOST_TEST(max_abs_diff(lg::jvp(constant, x, x), lg::zeros({3, 4}, lg::float64)) == 0.0);
}

BOOST_AUTO_TEST_CASE(the_identity_returned_as_is_has_jacobian_i) {
  lg::Generator generator(9);
  const Tensor x = random64({3, 4}, generator);
  const lg::Function identity = [](const Tensor& t) { return t; };  // f(x) is x itself, a leaf
  for (const auto& options : {kReverse, kForward})
    BOOST_TEST(max_abs_diff(lg::jacobian(identity, x, options), lg::expand(lg::eye(4, lg::float64), {3, 4, 4})) == 0.0);
  BOOST_TEST(max_abs_diff(lg::jvp(identity, x, 2.0 * x), 2.0 * x) == 0.0);
  BOOST_TEST(max_abs_diff(lg::vjp(identity, x, 2.0 * x), 2.0 * x) == 0.0);
}

// T tangents in one pass equal T separate jvps, and the double-vjp construction J v = d/du <J^T u, v>.
BOOST_AUTO_TEST_CASE(batched_jvp_equals_one_jvp_per_tangent_and_the_double_vjp) {
  lg::nn::Sequential mlp = small_mlp();
  const lg::Function f = [&](const Tensor& x) { return mlp.forward(x); };
  lg::Generator generator(21);
  const Tensor x = random64({5, 4}, generator);
  const Tensor tangents = random64({3, 5, 4}, generator);
  const Tensor together = lg::batched_jvp(f, x, tangents);
  BOOST_TEST(together.shape() == (lg::Shape{3, 5, 3}));
  for (std::int64_t t = 0; t < 3; ++t) {
    const Tensor v = tangents.select(0, t);
    BOOST_TEST(max_abs_diff(together.select(0, t), lg::jvp(f, x, v)) == 0.0);
    const lg::EnableGradGuard recording;
    const Tensor input = x.detach().requires_grad_();
    const Tensor y = f(input);
    Tensor u = lg::zeros_like(y);
    u.requires_grad_();
    const Tensor transposed = lg::grad({y}, {input}, {u}, {.create_graph = true})[0];
    const Tensor double_vjp = lg::grad({lg::sum(transposed * v)}, {u})[0];
    BOOST_TEST(max_abs_diff(together.select(0, t), double_vjp) < 1e-15);
  }
}

// Forward mode without create_graph records nothing: no node outlives the call, none is made for x.
BOOST_AUTO_TEST_CASE(jvp_builds_no_graph_unless_asked) {
  lg::nn::Sequential mlp = small_mlp();
  const lg::Function f = [&](const Tensor& x) { return mlp.forward(x); };
  lg::Generator generator(22);
  const Tensor x = random64({2, 4}, generator).requires_grad_();
  const std::int64_t nodes = lg::debug::live_nodes();
  const Tensor plain = lg::jvp(f, x, lg::ones_like(x));
  BOOST_TEST(!plain.requires_grad());
  BOOST_TEST(lg::debug::live_nodes() == nodes);
  const Tensor recorded = lg::jvp(f, x, lg::ones_like(x), {.create_graph = true});
  BOOST_TEST(recorded.requires_grad());
  BOOST_TEST(max_abs_diff(plain, recorded) == 0.0);
}

// hvp by forward over reverse equals reverse over reverse (create_graph), through an MLP's tanh and
// sigmoid (their backward formulas carry the tangents), and a loss of the output.
BOOST_AUTO_TEST_CASE(forward_over_reverse_hvp_equals_reverse_over_reverse) {
  lg::nn::Sequential mlp = small_mlp();
  const lg::Function loss = [&](const Tensor& x) { return lg::sum(lg::pow(mlp.forward(x), 3.0)); };
  lg::Generator generator(23);
  const Tensor x = random64({3, 4}, generator), v = random64({3, 4}, generator);
  const Tensor forward_over_reverse = lg::hvp(loss, x, v);
  const Tensor reverse_over_reverse = lg::hvp(loss, x, v, {.create_graph = true});
  BOOST_TEST(max_abs_diff(forward_over_reverse, reverse_over_reverse) < 1e-14);
  BOOST_TEST(lg::max(lg::abs(forward_over_reverse)).item() > 1e-3);  // not trivially zero
}

// Jacobian columns split over several forward passes equal one pass.
BOOST_AUTO_TEST_CASE(forward_jacobian_in_chunks_equals_one_pass) {
  lg::nn::Sequential mlp = small_mlp();
  const lg::Function f = [&](const Tensor& x) { return mlp.forward(x); };
  lg::Generator generator(24);
  const Tensor x = random64({6, 4}, generator);
  const Tensor one_pass = lg::jacobian(f, x, kForward);
  const Tensor chunks = lg::jacobian(f, x, {.mode = lg::JacobianMode::forward, .tangents_per_pass = 3});
  BOOST_TEST(max_abs_diff(one_pass, chunks) == 0.0);
  BOOST_TEST(max_abs_diff(one_pass, lg::jacobian(f, x, kReverse)) < 1e-15);
  expect_error<lg::ValueError>([&] { lg::jacobian(f, x, {.tangents_per_pass = 0}); }, "jacobian: ",
                               {"tangents_per_pass", "0"});
  expect_error<lg::ShapeError>([&] { lg::batched_jvp(f, x, x); }, "batched_jvp: ", {"[6, 4]"});
}

BOOST_AUTO_TEST_SUITE_END()
