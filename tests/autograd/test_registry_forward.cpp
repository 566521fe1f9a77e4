// The forward-mode column of the op registry (autograd/forward_mode.hpp): for every op and every
// sample, the tangents pushed forward by the op's rule are checked three ways, in float64:
//   - against reverse mode: J v built from two vjps (the double-vjp construction), to 1e-12;
//   - against central differences (f(x + h v) - f(x - h v)) / 2h;
//   - with T = 2 tangents at once, each checked on its own (batched tangents).
// And the two mixed modes the rules are written for:
//   - reverse over forward: the gradient of <w, J v> with respect to the inputs, against central
//     differences of <w, J v> (J v computed by forward mode at the moved points);
//   - forward over reverse: the tangents of a vjp u^T J(x) (a reverse pass over values that carry
//     tangents) against central differences of the vjp along v.
// A registry op whose forward rule is missing throws "no forward rule" on the first sample: the
// coverage check below fails then, naming the op.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iostream>
#include <set>

#include "op_registry.hpp"
#include "reference.hpp"

namespace lg::testing {
namespace {

constexpr std::int64_t kTangents = 2;

std::vector<OpSample> samples_of(const OpEntry& entry) {
  Generator generator(1234);
  return entry.samples(generator);
}

std::string context(const OpEntry& entry, const OpSample& sample) { return entry.name + " [" + sample.label + "]"; }

// T random tangents per input that requires grad ([T, *shape]); undefined for the constants.
std::vector<Tensor> random_tangents(Generator& g, const std::vector<Tensor>& inputs, std::int64_t count) {
  std::vector<Tensor> tangents;
  for (const Tensor& x : inputs)
    tangents.push_back(x.requires_grad() ? uniform(tangent_shape(count, x.shape()), -1.0, 1.0, float64, &g)
                                         : Tensor{});
  return tangents;
}

// The inputs, each carrying its tangents where it has some.
std::vector<Tensor> duals_of(const std::vector<Tensor>& inputs, const std::vector<Tensor>& tangents) {
  std::vector<Tensor> duals;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    duals.push_back(tangents[i].defined() ? make_dual(inputs[i], tangents[i]) : inputs[i]);
  return duals;
}

// The output's tangents [T, *y.shape], zeros where the output carries none.
Tensor tangents_or_zeros(const Tensor& y, std::int64_t count) {
  const Tensor t = tangents_of(y);
  return t.defined() ? t : zeros(tangent_shape(count, y.shape()), y.dtype());
}

// x + step * direction for the inputs with a direction, the others as they are (no graph).
std::vector<Tensor> moved(const std::vector<Tensor>& inputs, const std::vector<Tensor>& directions, double step) {
  std::vector<Tensor> result;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    result.push_back(directions[i].defined() ? inputs[i].detach() + directions[i] * step : inputs[i].detach());
  return result;
}

// Tangent k of each input ([*shape]), undefined where there is none.
std::vector<Tensor> tangent_number(const std::vector<Tensor>& tangents, std::int64_t k) {
  std::vector<Tensor> picked;
  for (const Tensor& t : tangents) picked.push_back(t.defined() ? select(t, 0, k) : Tensor{});
  return picked;
}

double largest_magnitude(const std::vector<double>& values) {
  double scale = 0;
  for (const double v : values) scale = std::max(scale, std::abs(v));
  return scale;
}

// J v for each of the T tangents, [T, *y.shape], by the double-vjp construction: g(u) = J^T u recorded at
// u = 0, then J v = d/du <g(u), v>.
Tensor double_vjp(const OpEntry& entry, const OpSample& sample, const std::vector<Tensor>& tangents) {
  const EnableGradGuard recording;
  const Tensor y = entry.function(sample.inputs, sample.arguments);
  std::vector<Tensor> wanted, directions;
  for (std::size_t i = 0; i < sample.inputs.size(); ++i)
    if (tangents[i].defined()) {
      wanted.push_back(sample.inputs[i]);
      directions.push_back(tangents[i]);
    }
  const std::int64_t count = kTangents;
  if (!y.requires_grad() || wanted.empty()) return zeros(tangent_shape(count, y.shape()), y.dtype());
  Tensor u = zeros_like(y);
  u.requires_grad_();
  const auto transposed =
      grad({y}, wanted, {u}, {.create_graph = true, .retain_graph = true, .allow_unused = true});
  std::vector<Tensor> columns;
  for (std::int64_t k = 0; k < count; ++k) {
    Tensor inner = zeros({}, float64);
    for (std::size_t i = 0; i < wanted.size(); ++i)
      if (transposed[i].defined() && transposed[i].requires_grad())
        inner = inner + sum(transposed[i] * select(directions[i], 0, k));
    Tensor column;
    if (inner.requires_grad())
      column = grad({inner}, {u}, {}, {.create_graph = false, .retain_graph = true, .allow_unused = true})[0];
    columns.push_back(column.defined() ? column.detach() : zeros_like(y).detach());
  }
  return stack(columns, 0);
}

// Runs check(entry, sample) for every registry op and sample; an exception fails that sample, named.
template <class Check>
void for_each_sample(const Check& check) {
  for (const OpEntry& entry : op_registry())
    for (const OpSample& sample : samples_of(entry)) {
      try {
        check(entry, sample);
      } catch (const std::exception& e) {
        BOOST_ERROR(context(entry, sample) << ": " << e.what());
      }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registry_forward)

// Every op of the registry pushes tangents forward (no "no forward rule" error), and the result has the
// output's shape with the T dim in front.
BOOST_AUTO_TEST_CASE(every_listed_op_has_a_forward_rule) {
  std::set<std::string> with_rule;
  for (const OpEntry& entry : op_registry()) {
    bool all = true;
    for (const OpSample& sample : samples_of(entry)) {
      Generator g(77);
      const auto tangents = random_tangents(g, sample.inputs, kTangents);
      try {
        const NoGradGuard values_only;  // forward mode needs no graph
        const Tensor y = entry.function(duals_of(sample.inputs, tangents), sample.arguments);
        const Tensor t = tangents_of(y);
        if (t.defined())
          BOOST_CHECK_MESSAGE(t.shape() == tangent_shape(kTangents, y.shape()),
                              context(entry, sample) << ": tangents of shape " << shape_str(t.shape())
                                                     << " for an output of shape " << shape_str(y.shape()));
      } catch (const Error& e) {
        all = false;
        BOOST_ERROR(context(entry, sample) << ": " << e.what());
      }
    }
    if (all) with_rule.insert(entry.name);
  }
  for (auto name : kDifferentiableOps)
    BOOST_CHECK_MESSAGE(with_rule.count(std::string(name)) > 0, name << ": no working forward rule");
  std::cout << "forward mode: " << with_rule.size() << " of " << kDifferentiableOps.size() << " ops\n";
}

BOOST_AUTO_TEST_CASE(forward_mode_matches_the_double_vjp_construction) {
  std::size_t checked = 0;
  double worst = 0;
  for_each_sample([&](const OpEntry& entry, const OpSample& sample) {
      Generator g(78);
      const auto tangents = random_tangents(g, sample.inputs, kTangents);
      Tensor forward;
      {
        const NoGradGuard values_only;
        const Tensor y = entry.function(duals_of(sample.inputs, tangents), sample.arguments);
        forward = tangents_or_zeros(y, kTangents);
      }
      const Tensor reverse = double_vjp(entry, sample, tangents);
      BOOST_REQUIRE_MESSAGE(forward.shape() == reverse.shape(), context(entry, sample));
      const auto a = values_of(forward), b = values_of(reverse);
      const double scale = std::max(1.0, largest_magnitude(b));
      for (std::size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, std::abs(a[i] - b[i]) / scale);
        BOOST_CHECK_MESSAGE(std::abs(a[i] - b[i]) <= 1e-12 * scale,
                            context(entry, sample) << ": element " << i << " forward " << a[i] << ", double vjp "
                                                   << b[i]);
      }
      ++checked;
  });
  std::cout << "forward vs double vjp: " << checked << " op samples, worst relative difference " << worst << "\n";
}

BOOST_AUTO_TEST_CASE(forward_mode_matches_central_differences) {
  std::size_t checked = 0;
  for_each_sample([&](const OpEntry& entry, const OpSample& sample) {
      Generator g(79);
      const auto tangents = random_tangents(g, sample.inputs, kTangents);
      const NoGradGuard values_only;
      const Tensor forward = tangents_or_zeros(entry.function(duals_of(sample.inputs, tangents), sample.arguments),
                                               kTangents);
      for (std::int64_t k = 0; k < kTangents; ++k) {
        const auto v = tangent_number(tangents, k);
        const double h = entry.eps;
        const auto plus = values_of(entry.function(moved(sample.inputs, v, h), sample.arguments));
        const auto minus = values_of(entry.function(moved(sample.inputs, v, -h), sample.arguments));
        const auto got = values_of(select(forward, 0, k));
        for (std::size_t i = 0; i < got.size(); ++i) {
          const double fd = (plus[i] - minus[i]) / (2 * h);
          BOOST_CHECK_MESSAGE(std::abs(got[i] - fd) <= entry.atol + entry.rtol * std::abs(fd),
                              context(entry, sample) << ": tangent " << k << " element " << i << " forward "
                                                     << got[i] << ", central difference " << fd);
        }
      }
      ++checked;
  });
  std::cout << "forward vs central differences: " << checked << " op samples x " << kTangents << " tangents\n";
}

// d/dx <w, J(x) v>, by reverse mode over the forward rules, against central differences along a random d.
BOOST_AUTO_TEST_CASE(reverse_over_forward_matches_central_differences) {
  std::size_t checked = 0;
  for_each_sample([&](const OpEntry& entry, const OpSample& sample) {
      Generator g(80);
      const auto v = random_tangents(g, sample.inputs, 1);
      const auto d = tangent_number(random_tangents(g, sample.inputs, 1), 0);
      Tensor w;
      // phi(inputs) = <w, J v>, with J v by forward mode; recorded when `record`.
      const auto phi = [&](const std::vector<Tensor>& at) {
        const Tensor jv = tangents_or_zeros(entry.function(duals_of(at, v), sample.arguments), 1);
        if (!w.defined()) w = uniform(jv.shape(), -1.0, 1.0, float64, &g);
        return sum(jv * w);
      };
      const EnableGradGuard recording;
      const Tensor value = phi(sample.inputs);
      std::vector<Tensor> wanted;
      for (std::size_t i = 0; i < sample.inputs.size(); ++i)
        if (d[i].defined()) wanted.push_back(sample.inputs[i]);
      if (wanted.empty()) return;
      double directional = 0;
      if (value.requires_grad()) {
        const auto grads = grad({value}, wanted, {}, {.allow_unused = true});
        for (std::size_t i = 0, j = 0; i < sample.inputs.size(); ++i)
          if (d[i].defined()) {
            if (grads[j].defined()) directional += sum(grads[j] * d[i]).item();
            ++j;
          }
      }
      double fd = 0;
      {
        const NoGradGuard values_only;
        const double h = entry.eps;
        fd = (phi(moved(sample.inputs, d, h)).item() - phi(moved(sample.inputs, d, -h)).item()) / (2 * h);
      }
      BOOST_CHECK_MESSAGE(std::abs(directional - fd) <= 10 * entry.atol + 10 * entry.rtol * std::abs(fd),
                          context(entry, sample) << ": d<w, Jv>/dx . d = " << directional
                                                 << ", central difference " << fd);
      ++checked;
  });
  std::cout << "reverse over forward: " << checked << " op samples\n";
}

// The tangents of u^T J(x) along v (a reverse pass over values carrying tangents) against central
// differences of the vjp along v.
BOOST_AUTO_TEST_CASE(forward_over_reverse_matches_central_differences) {
  std::size_t checked = 0;
  for_each_sample([&](const OpEntry& entry, const OpSample& sample) {
      Generator g(81);
      const auto v = random_tangents(g, sample.inputs, 1);
      std::vector<std::size_t> wanted;
      for (std::size_t i = 0; i < sample.inputs.size(); ++i)
        if (v[i].defined()) wanted.push_back(i);
      if (wanted.empty()) return;
      Tensor u;
      // The vjp u^T J at `at` for each wanted input (zeros where none flows).
      const auto vjp_at = [&](const std::vector<Tensor>& at) {
        const EnableGradGuard recording;
        std::vector<Tensor> leaves;
        for (std::size_t i = 0; i < at.size(); ++i)
          leaves.push_back(v[i].defined() && !at[i].requires_grad() ? at[i].detach().requires_grad_() : at[i]);
        const Tensor y = entry.function(leaves, sample.arguments);
        if (!u.defined()) u = uniform(y.shape(), -1.0, 1.0, float64, &g);
        std::vector<Tensor> targets;
        for (const std::size_t i : wanted) targets.push_back(leaves[i]);
        std::vector<Tensor> result(wanted.size());
        if (y.requires_grad()) result = grad({y}, targets, {u}, {.allow_unused = true});
        for (std::size_t j = 0; j < wanted.size(); ++j)
          if (!result[j].defined()) result[j] = zeros_like(targets[j]);
        return result;
      };
      const auto with_tangents = vjp_at(duals_of(sample.inputs, v));
      const double h = entry.eps;
      const auto direction = tangent_number(v, 0);
      const auto plus = vjp_at(moved(sample.inputs, direction, h));
      const auto minus = vjp_at(moved(sample.inputs, direction, -h));
      for (std::size_t j = 0; j < wanted.size(); ++j) {
        const auto got = values_of(tangents_or_zeros(with_tangents[j], 1));
        const auto p = values_of(plus[j]), m = values_of(minus[j]);
        for (std::size_t i = 0; i < got.size(); ++i) {
          const double fd = (p[i] - m[i]) / (2 * h);
          BOOST_CHECK_MESSAGE(std::abs(got[i] - fd) <= 10 * entry.atol + 10 * entry.rtol * std::abs(fd),
                              context(entry, sample) << ": input " << wanted[j] << " element " << i
                                                     << ": tangent of the vjp " << got[i] << ", central difference "
                                                     << fd);
        }
      }
      ++checked;
  });
  std::cout << "forward over reverse: " << checked << " op samples\n";
}

// docs/testing.md, G11 flat memory, for forward mode: tangents pushed with the graph recorded (so the
// rules' ops record nodes that save tensors) and then dropped, with no reverse pass (which would free the
// saved tensors and hide a cycle), leave the live tensor and node counts where they started. A rule that
// saved the very output its tangent hangs on (exp: dx * y) would leak.
BOOST_AUTO_TEST_CASE(forward_mode_under_grad_mode_leaves_no_live_objects) {
  for (const OpEntry& entry : op_registry()) {
    const auto samples = samples_of(entry);
    const OpSample& sample = samples.front();
    Generator g(82);
    const auto tangents = random_tangents(g, sample.inputs, 1);
    const std::int64_t tensors_before = debug::live_tensors();
    const std::int64_t nodes_before = debug::live_nodes();
    for (int step = 0; step < 20; ++step) {
      const EnableGradGuard recording;
      const Tensor y = entry.function(duals_of(sample.inputs, tangents), sample.arguments);
      BOOST_TEST(y.defined());
    }
    BOOST_CHECK_MESSAGE(debug::live_tensors() == tensors_before,
                        entry.name << ": live tensors " << tensors_before << " -> " << debug::live_tensors());
    BOOST_CHECK_MESSAGE(debug::live_nodes() == nodes_before,
                        entry.name << ": live nodes " << nodes_before << " -> " << debug::live_nodes());
  }
}

// An op recorded without a forward rule (a user's custom op) refuses tangents, naming itself.
BOOST_AUTO_TEST_CASE(an_op_without_a_forward_rule_names_itself) {
  const Tensor x = make_dual(ones({3}, float64), ones({1, 3}, float64));
  try {
    record("my_custom_op", exp(x.detach()), {x},
           [](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads { return {g}; });
    BOOST_ERROR("no error");
  } catch (const ValueError& e) {
    const std::string message = e.what();
    BOOST_TEST(message.find("my_custom_op") != std::string::npos);
    BOOST_TEST(message.find("forward rule") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace lg::testing
