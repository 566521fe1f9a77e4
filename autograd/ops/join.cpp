// cat: each input is copied into its slice of the output; its gradient is that
// slice of g (narrow). stack = cat of unsqueezed inputs. cat's forward rule is the cat of the
// tangents (zeros for an input that carries none) along the same dim.
#include "autograd/ops/join.hpp"

#include "autograd/forward_mode.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/view.hpp"

namespace lg {

Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim) {
  check<ValueError>(!tensors.empty(), "cat", "expected at least one tensor");
  const Tensor& first = tensors.front();
  for (const Tensor& t : tensors) detail::check_defined("cat", t);
  check<ShapeError>(first.dim() > 0, "cat", "cannot concatenate 0-d tensors; use stack");
  dim = wrap_dim("cat", dim, first.dim());
  Shape shape = first.shape();
  shape[dim] = 0;
  for (const Tensor& t : tensors) {
    detail::check_same_dtype("cat", first, t);
    detail::check_same_device("cat", first, t);
    bool same = t.dim() == first.dim();
    for (std::int64_t d = 0; same && d < t.dim(); ++d) same = d == dim || t.shape()[d] == first.shape()[d];
    check<ShapeError>(same, "cat", "shapes ", shape_str(first.shape()), " and ", shape_str(t.shape()),
                      " differ outside dim ", dim);
    shape[dim] += t.shape()[dim];
  }
  Tensor out = empty(shape, first.dtype(), first.device());
  std::vector<std::int64_t> sizes;
  {
    NoGradGuard no_grad;
    std::int64_t offset = 0;
    for (const Tensor& t : tensors) {
      kernel::copy(t, narrow(out, dim, offset, t.shape()[dim]));
      sizes.push_back(t.shape()[dim]);
      offset += t.shape()[dim];
    }
  }
  const auto forward = [&tensors, dim](const Tangents& t, const Tensor& y) {
    std::int64_t count = 0;
    for (const Tensor& tangent : t)
      if (tangent.defined()) count = tangent.size(0);
    std::vector<Tensor> parts;
    for (std::size_t i = 0; i < t.size(); ++i)
      parts.push_back(t[i].defined() ? t[i] : zeros(tangent_shape(count, tensors[i].shape()), y.dtype(), y.device()));
    return cat(parts, dim + 1);
  };
  const auto backward = [dim, sizes](const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
    Grads grads;
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      grads.push_back(needs[i] ? narrow(g, dim, offset, sizes[i]) : Tensor{});
      offset += sizes[i];
    }
    return grads;
  };
  return record("cat", out, tensors, forward, backward);
}

Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim) {
  check<ValueError>(!tensors.empty(), "stack", "expected at least one tensor");
  const Shape& shape = tensors.front().shape();
  std::vector<Tensor> expanded;
  for (const Tensor& t : tensors) {
    detail::check_defined("stack", t);
    check<ShapeError>(t.shape() == shape, "stack", "all tensors must have the same shape, got ", shape_str(shape),
                      " and ", shape_str(t.shape()));
    expanded.push_back(unsqueeze(t, wrap_dim("stack", dim, t.dim() + 1)));
  }
  return cat(expanded, dim);
}

}  // namespace lg
