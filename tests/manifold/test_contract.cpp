// The contract tests: every property below runs on every row of the manifold
// table (manifold_cases.cpp) for seeds 1-5 in float64, with the tolerances of
// docs/testing.md (G6). A failure names the row, the seed and the numbers.
#include <array>

#include "manifold_cases.hpp"

using namespace manifold_test;
using lg::Tensor;

namespace {

constexpr std::array<std::uint64_t, 5> kSeeds{1, 2, 3, 4, 5};

Tensor point_of(const ManifoldCase& c, lg::Generator& g, const lg::Shape& batch = {}) {
  if (!c.batched) return c.manifold->random_point(g, lg::float64, batch.empty() ? lg::Shape{3, 2} : batch);
  return c.manifold->random_point(g, lg::float64, batch);
}

double tangent_residual(const ManifoldCase& c, const Tensor& x, const Tensor& v) {
  if (c.tangent_residual) return c.tangent_residual(x, v);
  return frobenius(c.manifold->project_tangent(x, v) - v);
}

// Membership: constraint_violation, and for SPD a positive smallest eigenvalue.
void check_on_manifold(const ManifoldCase& c, const Tensor& x, const std::string& what) {
  const double violation = c.manifold->constraint_violation(x);
  BOOST_TEST(violation <= c.membership_tolerance, what << ": violation " << violation);
  BOOST_TEST(std::isfinite(max_abs(x)), what << ": not finite");
  if (dynamic_cast<const lg::manifold::SPD*>(c.manifold.get()) != nullptr) {
    const double smallest = lg::min(lg::eigvalsh(x)).item<double>();
    BOOST_TEST(smallest > 0.0, what << ": smallest eigenvalue " << smallest);
    BOOST_TEST(max_abs(x - lg::matrix_transpose(x)) <= 1e-14 * (1.0 + max_abs(x)), what << ": not symmetric");
  }
}

// The slope of log y against log x by least squares.
double slope(const std::vector<double>& xs, const std::vector<double>& ys) {
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) mx += std::log(xs[i]), my += std::log(ys[i]);
  mx /= static_cast<double>(xs.size());
  my /= static_cast<double>(xs.size());
  double cov = 0, var = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    cov += (std::log(xs[i]) - mx) * (std::log(ys[i]) - my);
    var += (std::log(xs[i]) - mx) * (std::log(xs[i]) - mx);
  }
  return cov / var;
}

template <class Property>
void for_each_case(Property&& property) {
  for (const ManifoldCase& c : manifold_cases())
    for (const std::uint64_t seed : kSeeds) {
      BOOST_TEST_CONTEXT(c.label << ", seed " << seed) {
        lg::Generator g(seed);
        property(c, g);
      }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(manifold_contract)

BOOST_AUTO_TEST_CASE(projection_is_idempotent_and_lands_on_the_manifold) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    const Tensor a = c.ambient(point_of(c, g), g);
    const Tensor once = c.manifold->project(a);
    const Tensor twice = c.manifold->project(once);
    const double change = max_abs_difference(twice, once);
    BOOST_TEST(change <= 1e-12 * (1.0 + max_abs(once)), "project twice moved by " << change);
    check_on_manifold(c, once, "project");
  });
}

BOOST_AUTO_TEST_CASE(tangent_projection_is_tangent_and_idempotent) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    const Tensor x = point_of(c, g);
    const Tensor u = lg::randn(x.shape(), lg::float64, &g);
    const Tensor v = c.manifold->project_tangent(x, u);
    const double scale = 1.0 + max_abs(x) * max_abs(u);
    BOOST_TEST(tangent_residual(c, x, v) <= 1e-12 * scale, "residual " << tangent_residual(c, x, v));
    const double change = max_abs_difference(c.manifold->project_tangent(x, v), v);
    BOOST_TEST(change <= 1e-12 * scale, "projecting twice moved by " << change);
    const Tensor grad = c.manifold->riemannian_gradient(x, u);
    BOOST_TEST(tangent_residual(c, x, grad) <= 1e-12 * scale * (1.0 + max_abs(x) * max_abs(x)),
               "Riemannian gradient off the tangent space by " << tangent_residual(c, x, grad));
  });
}

BOOST_AUTO_TEST_CASE(retraction_lands_on_the_manifold_for_every_step_size) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    const Tensor x = point_of(c, g);
    const Tensor xi = c.manifold->random_tangent(x, g);
    for (const double size : {1e-8, 1e-3, 1.0, 10.0}) {
      const Tensor y = c.manifold->retract(x, xi * size);
      check_on_manifold(c, y, "retract with |xi| = " + std::to_string(size));
    }
  });
}

BOOST_AUTO_TEST_CASE(retraction_at_zero_is_the_point) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    const Tensor x = point_of(c, g);
    const double moved = max_abs_difference(c.manifold->retract(x, lg::zeros_like(x)), x);
    if (c.exact_at_zero)
      BOOST_TEST(moved == 0.0, "R_x(0) differs from x by " << moved);
    else
      BOOST_TEST(moved <= 1e-15 * (1.0 + max_abs(x)), "R_x(0) differs from x by " << moved);
  });
}

BOOST_AUTO_TEST_CASE(retraction_agrees_with_the_line_to_first_order) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    const Tensor x = point_of(c, g);
    const Tensor xi = c.manifold->random_tangent(x, g);
    std::vector<double> steps, gaps;
    for (double t = 1e-4; t <= 0.11; t *= std::sqrt(10.0)) {
      steps.push_back(t);
      gaps.push_back(frobenius(c.manifold->retract(x, xi * t) - (x + xi * t)));
    }
    // A retraction that is the line itself (Euclidean, FixedRankPSD) has no second-order term.
    if (*std::max_element(gaps.begin(), gaps.end()) <= 1e-14) return;
    const double fitted = slope(steps, gaps);
    BOOST_TEST((fitted >= 1.9 && fitted <= 2.1), "fitted slope " << fitted);
  });
}

BOOST_AUTO_TEST_CASE(transport_lands_in_the_tangent_space_at_the_new_point) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    const Tensor x = point_of(c, g);
    const Tensor y = c.manifold->retract(x, c.manifold->random_tangent(x, g));
    const Tensor v = c.manifold->random_tangent(x, g);
    const Tensor moved = c.manifold->transport(x, y, v);
    BOOST_TEST(tangent_residual(c, y, moved) <= 1e-12 * (1.0 + max_abs(y)),
               "residual " << tangent_residual(c, y, moved));
  });
}

BOOST_AUTO_TEST_CASE(batched_maps_equal_item_by_item) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    if (!c.batched) return;
    const auto& m = *c.manifold;
    const Tensor x = m.random_point(g, lg::float64, {3});
    const Tensor u = m.random_tangent(x, g), v = m.random_tangent(x, g);
    const Tensor y = m.retract(x, u * 0.3);
    const Tensor a = c.ambient(x, g);
    struct Map {
      std::string name;
      std::function<Tensor(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&)> apply;
    };
    std::vector<Map> maps{
        {"project", [&](auto, auto, auto, auto, auto ai) { return m.project(ai); }},
        {"project_tangent", [&](auto xi, auto ui, auto, auto, auto ai) { return m.project_tangent(xi, ai + ui); }},
        {"riemannian_gradient", [&](auto xi, auto, auto, auto, auto ai) { return m.riemannian_gradient(xi, ai); }},
        {"inner", [&](auto xi, auto ui, auto vi, auto, auto) { return m.inner(xi, ui, vi); }},
        {"retract", [&](auto xi, auto ui, auto, auto, auto) { return m.retract(xi, ui * 0.7); }},
        {"transport", [&](auto xi, auto, auto vi, auto yi, auto) { return m.transport(xi, yi, vi); }},
    };
    if (m.has_exp()) maps.push_back({"exp", [&](auto xi, auto ui, auto, auto, auto) { return m.exp(xi, ui * 0.7); }});
    if (m.has_log()) maps.push_back({"log", [&](auto xi, auto, auto, auto yi, auto) { return m.log(xi, yi); }});
    if (m.has_distance())
      maps.push_back({"distance", [&](auto xi, auto, auto, auto yi, auto) { return m.distance(xi, yi); }});
    for (const Map& map : maps) {
      const Tensor batched = map.apply(x, u, v, y, a);
      for (std::int64_t i = 0; i < 3; ++i) {
        const Tensor single = map.apply(x.select(0, i), u.select(0, i), v.select(0, i), y.select(0, i), a.select(0, i));
        const double gap = max_abs_difference(batched.select(0, i), single);
        BOOST_TEST(gap <= 1e-13 * (1.0 + max_abs(single)), map.name << " item " << i << " differs by " << gap);
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(log_inverts_exp) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    const auto& m = *c.manifold;
    if (!m.has_exp() || !m.has_log()) return;
    const Tensor x = point_of(c, g);
    const Tensor v = m.random_tangent(x, g) * c.log_radius;
    const Tensor back = m.log(x, m.exp(x, v));
    const double gap = max_abs_difference(back, v);
    BOOST_TEST(gap <= 1e-10, "log(x, exp(x, v)) - v = " << gap);
  });
}

BOOST_AUTO_TEST_CASE(distance_along_exp_is_the_tangent_norm) {
  for_each_case([](const ManifoldCase& c, lg::Generator& g) {
    const auto& m = *c.manifold;
    if (!m.has_exp() || !m.has_distance()) return;
    const Tensor x = point_of(c, g);
    const Tensor v = m.random_tangent(x, g) * 0.3;
    const double d = m.distance(x, m.exp(x, v)).item<double>();
    const double length = m.norm(x, v).item<double>();
    BOOST_TEST(std::abs(d - length) <= 1e-10 * length, "distance " << d << ", |v| " << length);
  });
}

// float32 goes through every map as float32 and stays on the manifold to float32 rounding.
BOOST_AUTO_TEST_CASE(float32_points_stay_float32_and_on_the_manifold) {
  for (const ManifoldCase& c : manifold_cases()) {
    BOOST_TEST_CONTEXT(c.label) {
      lg::Generator g(1);
      const auto& m = *c.manifold;
      const Tensor x = c.batched ? m.random_point(g, lg::float32) : m.random_point(g, lg::float32, {3, 2});
      const Tensor y = m.retract(x, m.random_tangent(x, g));
      const Tensor moved = m.transport(x, y, m.project_tangent(x, lg::randn(x.shape(), lg::float32, &g)));
      BOOST_TEST((y.dtype() == lg::float32 && moved.dtype() == lg::float32));
      BOOST_TEST(m.constraint_violation(y) <= 1e-5, "violation " << m.constraint_violation(y));
    }
  }
}

BOOST_AUTO_TEST_CASE(points_of_the_wrong_shape_are_refused) {
  for (const ManifoldCase& c : manifold_cases()) {
    if (c.manifold->point_shape().empty()) continue;
    lg::Generator g(1);
    const Tensor x = c.manifold->random_point(g);
    const Tensor wrong = lg::zeros({x.size(-1) + 1}, lg::float64);
    lg::testing::expect_error<lg::ShapeError>([&] { (void)c.manifold->retract(wrong, wrong); }, "",
                                              {c.manifold->name(), lg::shape_str(wrong.shape()).str()});
  }
}

BOOST_AUTO_TEST_SUITE_END()
