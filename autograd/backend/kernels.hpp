// The kernel interface: plain tensors in, plain tensors out, no autograd.
// Differentiable ops in autograd/ops/ call these; each device implements them
// in its own folder (backend/cpu/, backend/test_device/) behind the Backend
// interface (backend.hpp). Each function here checks that its tensors share
// one device and calls that device's backend (dispatch.cpp), so op code never
// branches on where the data lives. Tensors on different devices are an
// lg::DeviceError naming the kernel and the devices; only transfer() crosses
// devices.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/tensor.hpp"

namespace lg::kernel {

enum class Unary {
  neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sin, cos, tanh, sigmoid, relu, sign,
  leaky_relu,  // alpha = negative slope
  elu,         // alpha
  softplus,    // alpha = beta, beta = threshold
  gelu,        // exact, with erf
  erf,
  clamp,       // alpha = low, beta = high (NaN bound: no bound)
  pow_scalar,  // alpha = exponent
  // 0/1 masks, in the input's dtype:
  gt_scalar,   // x > alpha
  inside,      // alpha <= x <= beta (clamp's pass-through mask)
};

enum class Binary {
  add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge,
  relu_backward,     // a where b > 0, else 0
  sigmoid_backward,  // a b (1 - b)
  bce_with_logits,   // max(a, 0) - a b + log1p(e^-|a|): binary cross-entropy of logit a against target b
  atan2,             // the angle of the point (b, a): std::atan2(a, b), floating types only
};

enum class Reduce { sum, max, min };

// out = op(x). `out` may alias x when both have the same layout (in-place ops).
void unary(Unary op, const Tensor& x, const Tensor& out, double alpha = 0.0, double beta = 0.0);
// out = a op b, where a and b broadcast to out's shape. `out` may alias a.
// With add and sub, b is scaled by alpha first (alpha = 1 for plain add).
void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out, double alpha = 1.0);
// out = condition != 0 ? a : b, all broadcast to out's shape.
void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out);
// Copies (and converts) values; src broadcasts to dst's shape. dst may be any view.
void copy(const Tensor& src, const Tensor& dst);
void fill(const Tensor& dst, double value);

// Between devices: copies (and converts) src's values into dst, whose shape must equal src's; the
// two may live on any devices. Through the host when neither is the CPU.
void transfer(const Tensor& src, const Tensor& dst);
// Between a tensor on any device and row-major values of its dtype in host memory.
void copy_from_host(const void* host, const Tensor& dst);
void copy_to_host(const Tensor& src, void* host);

// Reduces the dims flagged in `reduced` (one flag per dim of x); out has x's
// shape with reduced dims set to 1. Summation uses a fixed chunking, so the bits
// do not depend on the thread count (Note [deterministic reductions]).
void reduce(Reduce op, const Tensor& x, const std::vector<bool>& reduced, const Tensor& out);
// Max or min along one dim: values and int64 indices (first occurrence), both
// with that dim kept as size 1.
void arg_reduce(Reduce op, const Tensor& x, std::int64_t dim, const Tensor& values, const Tensor& indices);

// out = a @ b for 2-d a [m, k], b [k, n], out [m, n] contiguous. A transposed
// operand goes to BLAS as a transpose flag, not as a copy. With `accumulate`,
// out += a @ b (BLAS beta = 1: out must hold values, a bias say).
void gemm(const Tensor& a, const Tensor& b, const Tensor& out, bool accumulate = false);

// out.select(dim, index[i]) = x.select(dim, i) ... see ops/indexing.cpp for the maths.
void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out);
void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source);
void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out);
void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source);

bool all_finite(const Tensor& x);
// initial + the sum of x's squares, accumulated in float64 in row-major order (one sequential pass,
// so the bits do not depend on the thread count): gradient clipping's norm over many tensors.
double sum_of_squares(const Tensor& x, double initial = 0.0);

// Linear algebra (float32, float64). The reduced QR factorisation of a [m, n], m >= n, any layout:
// a = q r with q [m, n] orthonormal columns and r [n, n] upper triangular with a non-negative
// diagonal (LAPACK's signs flipped where negative), both contiguous and overwritten.
void qr(const Tensor& a, const Tensor& q, const Tensor& r);

// factorisations and solves (float32, float64), batched over the leading dims of [..., n, n].
// Where a batched factorisation or solve gave up: the row-major index in the batch of the first
// matrix it could not handle (-1 when it handled all) and LAPACK's 1-based info for that matrix
// (cholesky: the order of the leading minor that is not positive definite; lu_factor and
// triangular_solve: the diagonal entry of U or T that is exactly zero).
struct FactorStatus {
  std::int64_t matrix = -1;
  std::int64_t info = 0;
};
// The lower-triangular l with a = l l^T of each matrix of a [..., n, n], any layout; only a's lower
// triangle is read. l [..., n, n] contiguous, zeros above the diagonal.
FactorStatus cholesky(const Tensor& a, const Tensor& l);
// x = t^{-1} b for t [..., n, n] (only its upper or lower triangle is read; with unit_diagonal its
// diagonal is taken as ones) and b [..., n, k] with t's leading dims, any layouts; x contiguous.
FactorStatus triangular_solve(const Tensor& t, const Tensor& b, const Tensor& x, bool upper, bool unit_diagonal);
// LU with partial pivoting, a = p l u, of each matrix of a [..., n, n], any layout: lu [..., n, n]
// contiguous holds u on and above the diagonal and l's multipliers below it (l has a unit diagonal),
// pivots [..., n] int64 LAPACK's 1-based row interchanges (row i was swapped with row pivots[i]).
// Singular matrices are factorised too (the status names the first).
FactorStatus lu_factor(const Tensor& a, const Tensor& lu, const Tensor& pivots);
// x = a^{-1} b from lu_factor's lu and pivots of a; b [..., n, k] any layout, x [..., n, k] contiguous.
void lu_solve(const Tensor& lu, const Tensor& pivots, const Tensor& b, const Tensor& x);
// sign(det a) and log |det a| of each matrix from lu_factor's lu and pivots, into sign and
// logabsdet [...] contiguous: sign 0 and logabsdet -inf for a zero pivot.
void lu_slogdet(const Tensor& lu, const Tensor& pivots, const Tensor& sign, const Tensor& logabsdet);

// spectral decompositions (float32, float64), batched over leading dims, any layout of a; the outputs
// are contiguous and overwritten. Sign rule of linalg.hpp: the entry of largest magnitude of each
// eigenvector, and of each left singular vector u_i, is positive (the first such entry on a tie).
// Symmetric a [..., n, n] (its lower triangle is read): eigenvalues [..., n] ascending, eigenvectors
// [..., n, n] as columns. ValueError naming the batch item when the iteration does not converge.
// A matrix holding inf or NaN gets NaN results (eigh, svd and matrix_exp alike; the ops reject such
// input before it gets here).
void eigh(const Tensor& a, const Tensor& eigenvalues, const Tensor& eigenvectors);
// The thin SVD a = u diag(s) v^T of a [..., m, n], k = min(m, n): u [..., m, k], s [..., k]
// descending, v [..., n, k]; v_i is negated together with u_i.
void svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& v);
// e^a of each square a [..., n, n] by scaling and squaring with a Pade approximant (Higham 2005).
void matrix_exp(const Tensor& a, const Tensor& out);

// Fused optimiser updates, one pass over a contiguous parameter and its state (same shape and
// dtype); coefficients computed once per parameter in double by the optimiser, the loop in the
// parameter's own type. Adam / AdamW (optim/adam.hpp):
//   g = grad + l2 param;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
//   param = decay param - step_size m / (sqrt(v) / bias_sqrt + eps)
struct AdamStep {
  double beta1, beta2, eps;
  double l2;         // Adam's weight decay, added to the gradient (0 for AdamW)
  double decay;      // AdamW's factor 1 - lr weight_decay on the parameter (1 for Adam)
  double step_size;  // lr / (1 - beta1^t)
  double bias_sqrt;  // sqrt(1 - beta2^t)
};
void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const AdamStep& step);
// SGD (optim/sgd.hpp): d = grad + weight_decay param; with momentum b = keep b + take d and
// d = b (or d + momentum b, Nesterov); param -= lr d. momentum_buffer is undefined without momentum.
struct SgdStep {
  double lr, weight_decay;
  double keep, take;  // b <- keep b + take d
  double momentum;
  bool use_momentum = false, nesterov = false;
};
void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, const SgdStep& step);

// Threads used by our CPU kernels and by BLAS together.
void set_num_threads(int threads);
int num_threads();

// A sliding window over the last two dims (rows h, columns w) of an [N, C, H, W] tensor.
struct Window2d {
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t padding_h = 0, padding_w = 0;
  std::int64_t dilation_h = 1, dilation_w = 1;
};
// im2col: out[n, (c kh + i) kw + j, oy ow + ox] = x[n, c, oy sh - ph + i dh, ox sw - pw + j dw], and 0
// where that falls in the padding. x: [N, C, H, W], any strides; out: [N, C kh kw, oh ow], any strides.
void im2col(const Tensor& x, const Window2d& window, const Tensor& out);
// col2im, the adjoint of im2col: out[n, c, y, x] = the sum of the columns entries im2col reads from
// (y, x), plus bias[c] when a bias [C] is given. columns: any strides; out: [N, C, H, W] contiguous,
// overwritten.
void col2im(const Tensor& columns, const Window2d& window, const Tensor& out, const Tensor& bias = {});

// Convolutions, shapes checked by the caller. weight is [A, B, kh, kw]:
// conv2d:         x [N, B, H, W] -> out [N, A, oh, ow], plus bias [A] when given.
// conv2d_adjoint: y [N, A, oh, ow] -> out [N, B, H, W] (contiguous), the adjoint of conv2d(., weight)
//                 in x (conv_transpose2d), plus bias [B] when given; oh, ow must be the window
//                 positions over H, W.
// conv2d_weight:  x [N, B, H, W], g [N, A, oh, ow] -> out [A, B, kh, kw] (contiguous), the adjoint of
//                 conv2d(x, .) in the weight.
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Window2d& window, const Tensor& out);
void conv2d_adjoint(const Tensor& y, const Tensor& weight, const Tensor& bias, const Window2d& window,
                    const Tensor& out);
void conv2d_weight(const Tensor& x, const Tensor& g, const Window2d& window, const Tensor& out);
// Both at once, sharing one im2col of x: out = conv2d(x, weight) without bias, and
// weight_grad = conv2d_weight(x, g) (g [N, weight_grad's A, oh, ow]). conv_transpose2d's backward.
void conv2d_and_weight(const Tensor& x, const Tensor& weight, const Tensor& g, const Window2d& window,
                       const Tensor& out, const Tensor& weight_grad);

}  // namespace lg::kernel
