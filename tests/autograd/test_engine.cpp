// The engine: graph lifetime, errors, hooks, unused inputs, DOT output,
// anomaly mode, and the gradcheck canaries (a checker that cannot fail is a defect).
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

namespace {

using lg::Tensor;

template <class ErrorType, class Call>
std::string message_of(Call&& call) {
  try {
    call();
  } catch (const ErrorType& e) {
    return e.what();
  }
  return "(no exception)";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Canaries: ops with deliberately wrong backwards, recorded with lg::record.
Tensor off_by_a_little(const Tensor& x) {
  return lg::record("canary_off", lg::exp(x.detach()), {x},
                    [](const Tensor& g, const Tensor& y, const lg::NeedsGrad&) -> lg::Grads { return {g * y * 1.001}; },
                    true);
}

Tensor transposed_gradient(const Tensor& a, const Tensor& b) {
  return lg::record("canary_transposed", lg::mm(a.detach(), b.detach()), {a, b},
                    [a, b](const Tensor& g, const Tensor&, const lg::NeedsGrad&) -> lg::Grads {
                      // right shapes for square inputs, wrong maths: G^T B instead of G B^T
                      return {lg::mm(g.t(), b.detach()), lg::mm(a.detach().t(), g)};
                    });
}

Tensor no_broadcast_reduction(const Tensor& a, const Tensor& b) {
  return lg::record("canary_broadcast", lg::add(a.detach(), b.detach()), {a, b},
                    [](const Tensor& g, const Tensor&, const lg::NeedsGrad&) -> lg::Grads {
                      return {g, lg::select(g, 0, 0)};  // takes one row instead of summing over the broadcast dim
                    });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(gradcheck_rejects_the_three_canaries) {
  lg::Generator g(7);
  auto x = lg::uniform({3}, -1, 1, lg::float64, &g).requires_grad_();
  auto off = lg::gradcheck("canary_off", [](const std::vector<Tensor>& in) { return off_by_a_little(in[0]); }, {x});
  BOOST_TEST(!off.passed);
  BOOST_TEST(contains(off.report, "canary_off"));

  auto a = lg::uniform({3, 3}, -1, 1, lg::float64, &g).requires_grad_();
  auto b = lg::uniform({3, 3}, -1, 1, lg::float64, &g).requires_grad_();
  auto transposed = lg::gradcheck(
      "canary_transposed", [](const std::vector<Tensor>& in) { return transposed_gradient(in[0], in[1]); }, {a, b});
  BOOST_TEST(!transposed.passed);

  auto row = lg::uniform({3}, -1, 1, lg::float64, &g).requires_grad_();
  bool rejected = false;
  try {
    rejected = !lg::gradcheck("canary_broadcast",
                              [](const std::vector<Tensor>& in) { return no_broadcast_reduction(in[0], in[1]); },
                              {a, row})
                    .passed;
  } catch (const lg::Error&) {
    rejected = true;  // the engine's shape check caught it first: also a rejection
  }
  BOOST_TEST(rejected);
}

BOOST_AUTO_TEST_CASE(gradcheck_fails_when_no_input_requires_grad) {
  // A sample of constants checks nothing, so it must not pass.
  const Tensor constant = lg::tensor({0.3, -0.7}, lg::float64);
  const lg::TensorFunction square = [](const std::vector<Tensor>& in) { return in[0] * in[0]; };
  for (const auto& inputs : {std::vector<Tensor>{constant}, std::vector<Tensor>{Tensor{}}, std::vector<Tensor>{}}) {
    const auto first = lg::gradcheck("square", square, inputs);
    BOOST_TEST(!first.passed);
    BOOST_TEST(contains(first.report, "square: no input requires grad"), first.report);
    const auto second = lg::gradgradcheck("square", square, inputs);
    BOOST_TEST(!second.passed);
    BOOST_TEST(contains(second.report, "square: no input requires grad"), second.report);
  }
}

BOOST_AUTO_TEST_CASE(a_correct_op_passes_with_its_report_empty) {
  auto x = lg::tensor({0.3, -0.7, 1.1}, lg::float64).requires_grad_();
  auto result = lg::gradcheck("tanh", [](const std::vector<Tensor>& in) { return lg::tanh(in[0]); }, {x});
  BOOST_TEST(result.passed);
  BOOST_TEST(result.report.empty());
}

BOOST_AUTO_TEST_CASE(a_100000_op_chain_runs_backward_and_tears_down_without_recursion) {
  auto x = lg::tensor({1.0}, lg::float64).requires_grad_();
  {
    Tensor y = x;
    for (int i = 0; i < 100000; ++i) y = y * 1.0;
    y.sum().backward();
  }  // the chain is destroyed here
  BOOST_TEST(x.grad().item() == 1.0);
  BOOST_TEST(lg::debug::live_nodes() == 0);
}

// A leaf whose requires_grad is turned off after the graph was recorded gets no gradient from
// backward(), and the op that feeds it is not asked for it (NeedsGrad false for that input).
BOOST_AUTO_TEST_CASE(a_leaf_turned_off_after_recording_gets_nothing_and_costs_nothing) {
  auto a = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  auto b = lg::tensor({3.0, 4.0}, lg::float64).requires_grad_();
  std::vector<bool> asked;
  const Tensor y = lg::record("spy_mul", lg::mul(a.detach(), b.detach()), {a, b},
                              [a, b, &asked](const Tensor& g, const Tensor&, const lg::NeedsGrad& needs) -> lg::Grads {
                                asked = {needs[0], needs[1]};
                                return {needs[0] ? g * b.detach() : Tensor{}, needs[1] ? g * a.detach() : Tensor{}};
                              });
  b.requires_grad_(false);
  y.sum().backward();
  BOOST_TEST((asked == std::vector<bool>{true, false}));
  BOOST_TEST((a.grad().to_vector<double>() == std::vector<double>{3.0, 4.0}));
  BOOST_TEST(!b.grad().defined());
}

// Two gradients meeting at a node are summed into the first one's memory when the engine holds the
// only reference to it (not while recording), and into a new tensor when anything else can see it.
BOOST_AUTO_TEST_CASE(gradients_meeting_at_a_node_are_summed_in_place_only_when_nobody_else_sees_them) {
  auto x = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  std::vector<const lg::Storage*> returned;  // what the spies handed back, by address only
  const auto spy = [&returned](const Tensor& input, double factor) {
    return lg::record("spy_scale", input.detach() * factor, {input},
                      [&returned, factor](const Tensor& g, const Tensor&, const lg::NeedsGrad&) -> lg::Grads {
                        Tensor fresh = g * factor;
                        returned.push_back(fresh.impl()->storage.get());
                        return {fresh};
                      });
  };
  (spy(x, 2.0) + spy(x, 3.0)).sum().backward();
  BOOST_TEST((x.grad().to_vector<double>() == std::vector<double>{5.0, 5.0}));
  BOOST_REQUIRE(returned.size() == 2);
  // Out of place, the sum would be new memory allocated while both were alive: neither address.
  const lg::Storage* sum_memory = x.grad().impl()->storage.get();
  BOOST_TEST((sum_memory == returned[0] || sum_memory == returned[1]));

  // A gradient the op also keeps (here: the test holds it) is never written into.
  auto w = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  const Tensor kept = lg::tensor({7.0, 8.0}, lg::float64);
  const auto keeper = [&kept](const Tensor& input) {
    return lg::record("spy_kept", input.detach() * 1.0, {input},
                      [&kept](const Tensor&, const Tensor&, const lg::NeedsGrad&) -> lg::Grads { return {kept}; });
  };
  (keeper(w) + keeper(w) + spy(w, 1.0)).sum().backward();
  BOOST_TEST((kept.to_vector<double>() == std::vector<double>{7.0, 8.0}));
  BOOST_TEST((w.grad().to_vector<double>() == std::vector<double>{15.0, 17.0}));

  // While recording (create_graph), the sum is an op of the graph: its own derivative is right.
  auto z = lg::tensor({3.0}, lg::float64).requires_grad_();
  const Tensor dz = lg::grad({(z * z + z * z * z).sum()}, {z}, {}, {.create_graph = true, .retain_graph = true})[0];
  BOOST_TEST(dz.item() == 2 * 3.0 + 3 * 9.0);
  BOOST_TEST(lg::grad({dz}, {z})[0].item() == 2.0 + 6 * 3.0);
}

BOOST_AUTO_TEST_CASE(second_backward_through_a_freed_graph_is_a_clear_error) {
  auto x = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  auto y = lg::exp(x).sum();
  y.backward();
  const auto message = message_of<lg::Error>([&] { y.backward(); });
  BOOST_TEST(contains(message, "retain_graph"), message);

  auto z = lg::exp(x).sum();
  z.backward({}, true);
  BOOST_CHECK_NO_THROW(z.backward());
}

BOOST_AUTO_TEST_CASE(in_place_change_of_a_saved_tensor_is_caught_at_backward) {
  auto x = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  auto h = x * 2.0;           // not a leaf
  auto y = (h * h).sum();     // saves h
  {
    lg::NoGradGuard no_grad;
    h.add_(lg::ones({2}, lg::float64));
  }
  const auto message = message_of<lg::Error>([&] { y.backward(); });
  BOOST_TEST(contains(message, "mul: "), message);
  BOOST_TEST(contains(message, "in-place"), message);
}

BOOST_AUTO_TEST_CASE(in_place_on_a_leaf_that_requires_grad_is_refused_under_grad_mode) {
  auto w = lg::ones({2}, lg::float64).requires_grad_();
  const auto message = message_of<lg::Error>([&] { w.add_(lg::ones({2}, lg::float64)); });
  BOOST_TEST(contains(message, "add_: "), message);
  lg::NoGradGuard no_grad;
  BOOST_CHECK_NO_THROW(w.add_(lg::ones({2}, lg::float64)));
  BOOST_TEST(w.version() == 1u);
}

BOOST_AUTO_TEST_CASE(in_place_on_a_non_leaf_rebases_its_history) {
  auto x = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  auto h = x * 3.0;
  h.mul_(x);  // h = 3 x^2
  h.sum().backward();
  BOOST_TEST(x.grad().to_vector<double>() == (std::vector<double>{6.0, 12.0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(views_share_storage_and_version) {
  auto base = lg::zeros({2, 3}, lg::float64);
  auto column = base.select(1, 2);
  auto row_view = base.transpose(0, 1);
  column.fill_(5.0);
  BOOST_TEST(base.to_vector<double>() == (std::vector<double>{0, 0, 5, 0, 0, 5}), boost::test_tools::per_element());
  BOOST_TEST(row_view.version() == 1u);
  BOOST_TEST(!row_view.is_contiguous());
  auto dense = row_view.contiguous();
  BOOST_TEST(dense.impl()->storage != base.impl()->storage);
  BOOST_TEST(base.contiguous().impl() == base.impl());  // no copy when already contiguous
}

BOOST_AUTO_TEST_CASE(hooks_see_and_replace_gradients) {
  auto x = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  auto h = x * 2.0;
  double seen = 0;
  h.register_hook([&](const Tensor& g) {
    seen = g.sum().item();
    return g * 10.0;
  });
  h.retain_grad();
  (h * h).sum().backward();
  BOOST_TEST(seen == 12.0);  // d/dh sum(h^2) = 2h = [4, 8]
  BOOST_TEST(x.grad().to_vector<double>() == (std::vector<double>{80.0, 160.0}), boost::test_tools::per_element());
  BOOST_TEST(h.grad().defined());
}

BOOST_AUTO_TEST_CASE(grad_is_functional_and_reports_unused_inputs) {
  auto x = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  auto unused = lg::tensor({3.0}, lg::float64).requires_grad_();
  auto y = (x * x).sum();
  const auto message = message_of<lg::ValueError>([&] { lg::grad({y}, {x, unused}, {}, {.create_graph = false, .retain_graph = true}); });
  BOOST_TEST(contains(message, "allow_unused"), message);
  auto grads = lg::grad({y}, {x, unused}, {}, {.create_graph = false, .retain_graph = true, .allow_unused = true});
  BOOST_TEST(grads[0].to_vector<double>() == (std::vector<double>{2.0, 4.0}), boost::test_tools::per_element());
  BOOST_TEST(!grads[1].defined());
  BOOST_TEST(!x.grad().defined());  // grad() does not touch .grad
}

BOOST_AUTO_TEST_CASE(backward_of_a_non_scalar_needs_a_gradient) {
  auto x = lg::ones({2, 3}, lg::float64).requires_grad_();
  auto y = x * 2.0;
  const auto message = message_of<lg::ShapeError>([&] { y.backward(); });
  BOOST_TEST(contains(message, "[2, 3]"), message);
  BOOST_CHECK_NO_THROW(y.backward(lg::ones({2, 3}, lg::float64)));
}

BOOST_AUTO_TEST_CASE(double_backward_gives_the_second_derivative) {
  auto x = lg::tensor({0.5, -1.0}, lg::float64).requires_grad_();
  auto y = (x * x * x).sum();
  auto first = lg::grad({y}, {x}, {}, {.create_graph = true})[0];   // 3x^2
  auto second = lg::grad({first.sum()}, {x})[0];                      // 6x
  BOOST_TEST(second.to_vector<double>() == (std::vector<double>{3.0, -6.0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(to_dot_names_ops_and_shapes) {
  auto w = lg::ones({3, 2}).requires_grad_();
  auto y = lg::sigmoid(lg::matmul(lg::ones({4, 3}), w)).sum();
  const std::string dot = lg::to_dot(y);
  BOOST_TEST(contains(dot, "digraph"));
  BOOST_TEST(contains(dot, "sigmoid"));
  BOOST_TEST(contains(dot, "mm"));
  BOOST_TEST(contains(dot, "[4, 2]"));
}

BOOST_AUTO_TEST_CASE(anomaly_mode_names_the_first_op_that_made_a_nan) {
  auto x = lg::tensor({1.0, 0.0, 2.0}, lg::float64).requires_grad_();
  auto run = [&] {
    auto a = x * 2.0;
    auto b = a - 1.0 + 1.0;
    auto c = lg::log(b);      // log(0) = -inf: the first non-finite value
    auto d = lg::exp(c) * 3.0;
    return d.sum();
  };
  BOOST_CHECK_NO_THROW(run());  // off by default
  lg::AnomalyModeGuard anomaly;
  const auto message = message_of<lg::ValueError>(run);
  BOOST_TEST(message.rfind("log: non-finite", 0) == 0, message);
  BOOST_TEST(contains(message, "[3]"), message);
}

BOOST_AUTO_TEST_CASE(undefined_tensors_and_bad_settings_raise_errors) {
  Tensor undefined;
  BOOST_CHECK_THROW(undefined.shape(), lg::ValueError);
  BOOST_CHECK_THROW(lg::set_num_threads(0), lg::ValueError);
  BOOST_CHECK_THROW(lg::ones({2}, lg::int64).requires_grad_(), lg::DTypeError);
  BOOST_CHECK_THROW(lg::empty({-1}), lg::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
