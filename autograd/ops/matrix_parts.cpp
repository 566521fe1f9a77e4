// Parts of matrices, batched over leading dims: the diagonal, triangles, the
// trace, the transpose, and the symmetric and skew-symmetric parts. The linear
// algebra ops and the manifolds are written with these.
//   diagonal:   a view with stride s[-2] + s[-1]; backward puts g back on the diagonal (diag_embed)
//   diag_embed: backward reads the diagonal of g (diagonal)
//   tril, triu: x times a 0/1 mask, so the gradient is g times the same mask
//   trace, matrix_transpose, symmetric_part, skew_part: compositions of the above and of
//   differentiable ops, with no backward of their own
// Both primitives are linear and act on the last dims, so each forward rule is the op itself applied to
// the tangents (batched over the leading tangent dim like any other leading dim).
#include "autograd/ops/linalg.hpp"

#include "autograd/forward_mode.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

void check_matrices(std::string_view op, const Tensor& x) {
  detail::check_defined(op, x);
  check<ShapeError>(x.dim() >= 2, op, "expected matrices [..., m, n], got ", shape_str(x.shape()));
}

void check_square(std::string_view op, const Tensor& x) {
  check_matrices(op, x);
  check<ShapeError>(x.shape()[x.dim() - 1] == x.shape()[x.dim() - 2], op, "expected square matrices [..., n, n], got ",
                    shape_str(x.shape()));
}

// Matrices [..., rows, cols] with v [..., min(rows, cols)] on the main diagonal.
Tensor embed_diagonal(const Tensor& v, std::int64_t rows, std::int64_t cols) {
  Shape shape(v.shape().begin(), v.shape().end() - 1);
  shape.insert(shape.end(), {rows, cols});
  Tensor out = zeros(shape, v.dtype(), v.device());
  {
    NoGradGuard no_grad;
    kernel::copy(v, diagonal(out));
  }
  const auto forward = [rows, cols](const Tangents& t, const Tensor&) { return embed_diagonal(t[0], rows, cols); };
  return record("diag_embed", out, {v}, forward, [](const Tensor& g, const Tensor&, const NeedsGrad&) -> Grads {
    return {diagonal(g)};
  });
}

// 1 where column - row <= k (lower) or >= k (upper), else 0: [m, n] in x's dtype and device.
Tensor triangle_mask(const Tensor& x, std::int64_t k, bool lower) {
  const std::int64_t m = x.shape()[x.dim() - 2], n = x.shape()[x.dim() - 1];
  const Tensor rows = arange(0.0, static_cast<double>(m), 1.0, x.dtype()).to(x.device()).unsqueeze(1);
  const Tensor cols = arange(0.0, static_cast<double>(n), 1.0, x.dtype()).to(x.device()).unsqueeze(0);
  const Tensor offset = full({1, 1}, static_cast<double>(k), x.dtype()).to(x.device());
  return lower ? le(cols - rows, offset) : ge(cols - rows, offset);
}

}  // namespace

Tensor diagonal(const Tensor& x) {
  check_matrices("diagonal", x);
  const std::int64_t rank = x.dim();
  Shape shape(x.shape().begin(), x.shape().end() - 2), strides(x.strides().begin(), x.strides().end() - 2);
  shape.push_back(std::min(x.shape()[rank - 2], x.shape()[rank - 1]));
  strides.push_back(x.strides()[rank - 2] + x.strides()[rank - 1]);
  return record("diagonal", detail::alias(x, shape, strides, x.offset()), {x},
                [](const Tangents& t, const Tensor&) { return diagonal(t[0]); },
                [rows = x.shape()[rank - 2], cols = x.shape()[rank - 1]](const Tensor& g, const Tensor&,
                                                                        const NeedsGrad&) -> Grads {
                  return {embed_diagonal(g, rows, cols)};
                });
}

Tensor diag_embed(const Tensor& v) {
  detail::check_defined("diag_embed", v);
  check<ShapeError>(v.dim() >= 1, "diag_embed", "expected vectors [..., n], got ", shape_str(v.shape()));
  const std::int64_t n = v.shape().back();
  return embed_diagonal(v, n, n);
}

Tensor tril(const Tensor& x, std::int64_t k) {
  check_matrices("tril", x);
  detail::check_floating("tril", x);
  return x * triangle_mask(x, k, true);
}

Tensor triu(const Tensor& x, std::int64_t k) {
  check_matrices("triu", x);
  detail::check_floating("triu", x);
  return x * triangle_mask(x, k, false);
}

Tensor trace(const Tensor& x) {
  check_square("trace", x);
  return sum(diagonal(x), {-1});
}

Tensor matrix_transpose(const Tensor& x) {
  check_matrices("matrix_transpose", x);
  return transpose(x, -2, -1);
}

Tensor symmetric_part(const Tensor& x) {
  check_square("symmetric_part", x);
  return (x + matrix_transpose(x)) * 0.5;
}

Tensor skew_part(const Tensor& x) {
  check_square("skew_part", x);
  return (x - matrix_transpose(x)) * 0.5;
}

}  // namespace lg
