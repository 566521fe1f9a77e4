// Products. For C = A B:  dA = G B^T,  dB = A^T G. The transposes are views,
// which the GEMM kernel hands to BLAS as transpose flags (no copy).
// linear: Y = X W^T + b (rows of X):  dX = G W,  dW = G^T X,  db = sum of G's rows.
// Forward rules (product rule, tangents batched over a leading dim T): d(A B) = dA B + A dB;
// d linear = dX W^T + X dW^T + db. Each term is one GEMM over all T tangents at once.
#include "autograd/ops/matmul.hpp"

#include "autograd/forward_mode.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/op_helpers.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/view.hpp"

namespace lg {
namespace {

void check_operands(std::string_view op, const Tensor& a, const Tensor& b) {
  detail::check_defined(op, a);
  detail::check_defined(op, b);
  detail::check_same_device(op, a, b);
  detail::check_same_dtype(op, a, b);
  detail::check_floating(op, a);
}

[[noreturn]] void inner_mismatch(std::string_view op, const Tensor& a, const Tensor& b, std::int64_t ka,
                                 std::int64_t kb) {
  fail<ShapeError>(op, "cannot multiply ", shape_str(a.shape()), " by ", shape_str(b.shape()), " (inner dimensions ",
                   ka, " and ", kb, " differ)");
}

// l @ r, laid out like `like`: when `like` is a transposed view (unit row
// stride), compute (r^T l^T)^T instead, so the result is a transposed view over
// a contiguous product. A Linear layer's weight enters as W.t(); its gradient
// then reaches W, through the transpose's backward, already contiguous, and
// the optimiser needs no copy. Same values, both differentiable.
Tensor product_like(const Tensor& l, const Tensor& r, const Tensor& like) {
  const bool transposed = like.dim() == 2 && like.strides()[0] == 1 && like.strides()[1] != 1;
  return transposed ? transpose(mm(transpose(r, 0, 1), transpose(l, 0, 1)), 0, 1) : mm(l, r);
}

// a [m, k] times each of the T matrices of t [T, k, n]: [T, m, n] by one GEMM, a [k, T n] matrix made
// of t's slices side by side (matmul would broadcast a and run T small GEMMs).
Tensor times_each(const Tensor& a, const Tensor& t) {
  const std::int64_t count = t.size(0), k = t.size(1), n = t.size(2);
  const Tensor side_by_side = reshape(permute(t, {1, 0, 2}), {k, count * n});
  return permute(reshape(mm(a, side_by_side), {a.size(0), count, n}), {1, 0, 2});
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
  check_operands("mm", a, b);
  check<ShapeError>(a.dim() == 2 && b.dim() == 2, "mm", "expected 2-d operands, got ", shape_str(a.shape()), " and ",
                    shape_str(b.shape()));
  if (a.shape()[1] != b.shape()[0]) inner_mismatch("mm", a, b, a.shape()[1], b.shape()[0]);
  Tensor out = empty({a.shape()[0], b.shape()[1]}, a.dtype(), a.device());
  kernel::gemm(a, b, out);
  const auto forward = [&a, &b](const Tangents& t, const Tensor&) {
    return add_tangents(t[0].defined() ? matmul(t[0], b) : t[0], t[1].defined() ? times_each(a, t[1]) : t[1]);
  };
  return record("mm", out, {a, b}, forward, [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g, const Tensor&,
                                                                               const NeedsGrad& needs) -> Grads {
    const Tensor& x = sa.get("mm");
    const Tensor& y = sb.get("mm");
    return {needs[0] ? product_like(g, transpose(y, 0, 1), x) : Tensor{},
            needs[1] ? product_like(transpose(x, 0, 1), g, y) : Tensor{}};
  });
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  check_operands("bmm", a, b);
  check<ShapeError>(a.dim() == 3 && b.dim() == 3 && a.shape()[0] == b.shape()[0], "bmm",
                    "expected [B, m, k] and [B, k, n], got ", shape_str(a.shape()), " and ", shape_str(b.shape()));
  if (a.shape()[2] != b.shape()[1]) inner_mismatch("bmm", a, b, a.shape()[2], b.shape()[1]);
  const std::int64_t batch = a.shape()[0];
  Tensor out = empty({batch, a.shape()[1], b.shape()[2]}, a.dtype(), a.device());
  {
    NoGradGuard no_grad;
    for (std::int64_t i = 0; i < batch; ++i) kernel::gemm(select(a, 0, i), select(b, 0, i), select(out, 0, i));
  }
  const auto forward = [&a, &b](const Tangents& t, const Tensor&) {
    return add_tangents(t[0].defined() ? matmul(t[0], b) : t[0], t[1].defined() ? matmul(a, t[1]) : t[1]);
  };
  return record("bmm", out, {a, b}, forward, [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g, const Tensor&,
                                                                               const NeedsGrad& needs) -> Grads {
    return {needs[0] ? bmm(g, transpose(sb.get("bmm"), 1, 2)) : Tensor{},
            needs[1] ? bmm(transpose(sa.get("bmm"), 1, 2), g) : Tensor{}};
  });
}

Tensor dot(const Tensor& a, const Tensor& b) {
  check_operands("dot", a, b);
  check<ShapeError>(a.dim() == 1 && b.dim() == 1, "dot", "expected 1-d operands, got ", shape_str(a.shape()),
                    " and ", shape_str(b.shape()));
  if (a.shape()[0] != b.shape()[0]) inner_mismatch("dot", a, b, a.shape()[0], b.shape()[0]);
  return reshape(mm(unsqueeze(a, 0), unsqueeze(b, 1)), {});
}

Tensor outer(const Tensor& a, const Tensor& b) {
  check_operands("outer", a, b);
  check<ShapeError>(a.dim() == 1 && b.dim() == 1, "outer", "expected 1-d operands, got ", shape_str(a.shape()),
                    " and ", shape_str(b.shape()));
  return mm(unsqueeze(a, 1), unsqueeze(b, 0));
}

// The forward writes b into every row of Y, then one GEMM adds X W^T onto it
// (BLAS beta = 1): no separate bias pass, and no zeroing of Y by BLAS either.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  check_operands("linear", x, weight);
  check<ShapeError>(weight.dim() == 2, "linear", "expected weight [out, in], got ", shape_str(weight.shape()));
  const std::int64_t in = weight.shape()[1], out_features = weight.shape()[0];
  check<ShapeError>(x.dim() >= 1 && x.shape().back() == in, "linear", "expected input [..., ", in,
                    "] for weight ", shape_str(weight.shape()), ", got ", shape_str(x.shape()));
  if (bias.defined()) {
    detail::check_same_device("linear", x, bias);
    detail::check_same_dtype("linear", x, bias);
    check<ShapeError>(bias.dim() == 1 && bias.shape()[0] == out_features, "linear", "expected bias [",
                      out_features, "] for weight ", shape_str(weight.shape()), ", got ", shape_str(bias.shape()));
  }
  if (x.dim() != 2) {
    // [..., in]: fold the leading dims into the rows, one GEMM.
    const Shape lead(x.shape().begin(), x.shape().end() - 1);
    Shape out_shape = lead;
    out_shape.push_back(out_features);
    return reshape(linear(reshape(x, {numel_of(lead), in}), weight, bias), out_shape);
  }
  Tensor out = empty({x.shape()[0], out_features}, x.dtype(), x.device());
  if (bias.defined()) kernel::copy(bias, out);  // broadcast over the rows
  {
    NoGradGuard no_grad;  // the transposed view is only a GEMM flag
    kernel::gemm(x, transpose(weight, 0, 1), out, bias.defined());
  }
  auto backward = [sx = SavedTensor(x), sw = SavedTensor(weight), with_bias = bias.defined()](
                      const Tensor& g, const Tensor&, const NeedsGrad& needs) -> Grads {
    const Tensor& w = sw.get("linear");
    // The bias gradient first, while g is still in cache from the op that made it.
    Tensor db = with_bias && needs[2] ? sum(g, {0}) : Tensor{};
    Grads grads{needs[0] ? mm(g, w) : Tensor{},
                needs[1] ? product_like(transpose(g, 0, 1), sx.get("linear"), w) : Tensor{}};
    if (with_bias) grads.push_back(db);
    return grads;
  };
  const auto forward = [&x, &weight](const Tangents& t, const Tensor& y) {
    Tensor tangent = t[0].defined() ? linear(t[0], weight) : t[0];
    if (t[1].defined()) tangent = add_tangents(tangent, times_each(x, transpose(t[1], 1, 2)));
    if (t.size() > 2 && t[2].defined()) tangent = add_tangents(tangent, lift_tangent(t[2], y.dim()));
    return tangent;
  };
  if (bias.defined()) return record("linear", out, {x, weight, bias}, forward, std::move(backward));
  return record("linear", out, {x, weight}, forward, std::move(backward));
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  check_operands("matmul", a, b);
  check<ShapeError>(a.dim() > 0 && b.dim() > 0, "matmul", "both operands need at least one dim, got ",
                    shape_str(a.shape()), " and ", shape_str(b.shape()));
  const std::int64_t ka = a.shape().back();
  const std::int64_t kb = b.dim() == 1 ? b.shape()[0] : b.shape()[b.dim() - 2];
  if (ka != kb) inner_mismatch("matmul", a, b, ka, kb);
  if (a.dim() == 1 && b.dim() == 1) return dot(a, b);
  if (a.dim() == 2 && b.dim() == 2) return mm(a, b);
  if (a.dim() == 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (b.dim() == 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
  const std::int64_t m = a.shape()[a.dim() - 2];
  const std::int64_t n = b.shape().back();
  if (b.dim() == 2) {
    // [..., m, k] @ [k, n]: fold the batch into the rows, one GEMM.
    Shape out_shape(a.shape().begin(), a.shape().end() - 1);
    out_shape.push_back(n);
    const std::int64_t rows = numel_of(Shape(a.shape().begin(), a.shape().end() - 1));  // not -1: k may be 0
    return reshape(mm(reshape(a, {rows, ka}), b), out_shape);
  }
  const Shape batch_a(a.shape().begin(), a.shape().end() - 2);
  const Shape batch_b(b.shape().begin(), b.shape().end() - 2);
  Shape batch = broadcast_shapes("matmul", batch_a, batch_b);
  const std::int64_t count = numel_of(batch);
  Shape full_a = batch, full_b = batch;
  full_a.insert(full_a.end(), {m, ka});
  full_b.insert(full_b.end(), {kb, n});
  Tensor product = bmm(reshape(expand(a, full_a), {count, m, ka}), reshape(expand(b, full_b), {count, kb, n}));
  batch.insert(batch.end(), {m, n});
  return reshape(product, batch);
}

}  // namespace lg
