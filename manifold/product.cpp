// The product manifold: split, apply each factor's map, concatenate.
#include "manifold/product.hpp"

#include <algorithm>

#include "manifold/matrix_helpers.hpp"

namespace lg::manifold {

Product::Product(std::vector<std::shared_ptr<const Manifold>> factors) : factors_(std::move(factors)) {
  check<ValueError>(!factors_.empty(), "Product", "needs at least one factor");
  for (std::size_t i = 0; i < factors_.size(); ++i) {
    check<ValueError>(factors_[i] != nullptr, "Product", "factor ", i, " is null");
    const Shape shape = factors_[i]->point_shape();
    check<ValueError>(!shape.empty(), "Product", "factor ", i, " (", factors_[i]->name(),
                      ") has no fixed point shape; give every factor one");
    offsets_.push_back(dimension_);
    sizes_.push_back(numel_of(shape));
    dimension_ += sizes_.back();
  }
}

const Manifold& Product::factor(std::int64_t i) const {
  check<ValueError>(i >= 0 && i < size(), "Product::factor", "index ", i, " is out of range for ", size(), " factors");
  return *factors_[static_cast<std::size_t>(i)];
}

Tensor Product::part(const Tensor& x, std::int64_t i) const {
  const Manifold& m = factor(i);
  check_point("Product::part", x);
  Shape shape(x.shape().begin(), x.shape().end() - 1);
  const Shape point = m.point_shape();
  shape.insert(shape.end(), point.begin(), point.end());
  const auto index = static_cast<std::size_t>(i);
  return x.narrow(-1, offsets_[index], sizes_[index]).reshape(shape);
}

Tensor Product::combine(const std::vector<Tensor>& parts) const {
  check<ValueError>(static_cast<std::int64_t>(parts.size()) == size(), "Product::combine", "expected ", size(),
                    " parts, got ", parts.size());
  std::vector<Tensor> flat;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto rank = static_cast<std::int64_t>(factors_[i]->point_shape().size());
    factors_[i]->check_point("Product::combine", parts[i]);
    flat.push_back(parts[i].flatten(parts[i].dim() - rank, -1));
  }
  return cat(flat, -1);
}

template <class Map>
Tensor Product::each(std::string_view op, const Tensor& x, Map&& map) const {
  check_point(op, x);
  std::vector<Tensor> parts;
  for (std::int64_t i = 0; i < size(); ++i) parts.push_back(map(factor(i), i));
  return combine(parts);
}

std::string Product::name() const {
  std::string text = "Product(";
  for (std::size_t i = 0; i < factors_.size(); ++i) text += (i ? " x " : "") + factors_[i]->name();
  return text + ")";
}

double Product::constraint_violation(const Tensor& x) const {
  check_point("Product::constraint_violation", x);
  double worst = 0.0;
  for (std::int64_t i = 0; i < size(); ++i) worst = std::max(worst, factor(i).constraint_violation(part(x, i)));
  return worst;
}

Tensor Product::project(const Tensor& x) const {
  return each("Product::project", x, [&](const Manifold& m, std::int64_t i) { return m.project(part(x, i)); });
}

Tensor Product::project_tangent(const Tensor& x, const Tensor& u) const {
  detail::check_same_shape("Product::project_tangent", x, u);
  return each("Product::project_tangent", x,
              [&](const Manifold& m, std::int64_t i) { return m.project_tangent(part(x, i), part(u, i)); });
}

Tensor Product::riemannian_gradient(const Tensor& x, const Tensor& euclidean_grad) const {
  detail::check_same_shape("Product::riemannian_gradient", x, euclidean_grad);
  return each("Product::riemannian_gradient", x, [&](const Manifold& m, std::int64_t i) {
    return m.riemannian_gradient(part(x, i), part(euclidean_grad, i));
  });
}

Tensor Product::inner(const Tensor& x, const Tensor& u, const Tensor& v) const {
  check_point("Product::inner", x);
  Tensor total;
  for (std::int64_t i = 0; i < size(); ++i) {
    const Tensor term = factor(i).inner(part(x, i), part(u, i), part(v, i));
    total = total.defined() ? total + term : term;
  }
  return total;
}

Tensor Product::retract(const Tensor& x, const Tensor& v) const {
  detail::check_same_shape("Product::retract", x, v);
  return each("Product::retract", x,
              [&](const Manifold& m, std::int64_t i) { return m.retract(part(x, i), part(v, i)); });
}

Tensor Product::transport(const Tensor& x, const Tensor& y, const Tensor& v) const {
  return each("Product::transport", x,
              [&](const Manifold& m, std::int64_t i) { return m.transport(part(x, i), part(y, i), part(v, i)); });
}

bool Product::has_exp() const {
  for (const auto& m : factors_)
    if (!m->has_exp()) return false;
  return true;
}

bool Product::has_log() const {
  for (const auto& m : factors_)
    if (!m->has_log()) return false;
  return true;
}

bool Product::has_distance() const {
  for (const auto& m : factors_)
    if (!m->has_distance()) return false;
  return true;
}

Tensor Product::exp(const Tensor& x, const Tensor& v) const {
  return each("Product::exp", x, [&](const Manifold& m, std::int64_t i) { return m.exp(part(x, i), part(v, i)); });
}

Tensor Product::log(const Tensor& x, const Tensor& y) const {
  return each("Product::log", x, [&](const Manifold& m, std::int64_t i) { return m.log(part(x, i), part(y, i)); });
}

Tensor Product::distance(const Tensor& x, const Tensor& y) const {
  check_point("Product::distance", x);
  Tensor total;
  for (std::int64_t i = 0; i < size(); ++i) {
    const Tensor d = factor(i).distance(part(x, i), part(y, i));
    total = total.defined() ? total + d * d : d * d;
  }
  return sqrt(total);
}

Tensor Product::random_point(Generator& generator, DType dtype, const Shape& batch) const {
  std::vector<Tensor> parts;
  for (const auto& m : factors_) parts.push_back(m->random_point(generator, dtype, batch));
  return combine(parts);
}

Tensor Product::random_tangent(const Tensor& x, Generator& generator) const {
  const Tensor u = each("Product::random_tangent", x,
                        [&](const Manifold& m, std::int64_t i) { return m.random_tangent(part(x, i), generator); });
  return u / norm(x, u).unsqueeze(-1);
}

}  // namespace lg::manifold
