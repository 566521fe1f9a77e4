// Derivatives of whole functions: vector-Jacobian and Jacobian-vector products,
// Hessian-vector products, full and per-sample Jacobians, and the per-sample
// SVD of a Jacobian. Each takes a function f and a point x instead of a graph,
// so a model is differentiated as a map (as in JAX's vjp/jvp/jacfwd/jacrev,
// Bradbury et al. 2018, and torch.func).
//
// For f: R^n -> R^m with Jacobian J = df/dx (m x n) at x:
//
//   vjp(f, x, u) = u^T J      (shape of x)  one reverse pass with the cotangent u
//   jvp(f, x, v) = J v        (shape of f(x)) the derivative of f along v,
//                                           d/dt f(x + t v) at t = 0
//   hvp(f, x, v) = H v        for scalar f, H = d^2 f / dx^2 (shape of x)
//
// Reverse mode (the engine of autograd/engine.hpp) gives vjps: one backward
// pass per cotangent, whatever n. Forward mode (autograd/forward_mode.hpp) gives
// jvps: x carries the tangent v through f, every op pushing it on by its forward
// rule, so f(x) and J v come out of one pass, with no graph recorded unless
// create_graph asks for one. batched_jvp pushes T tangents [T, *x.shape] at once.
// hvp is forward over reverse: x carries v, and the reverse pass that computes
// the gradient g(x) of f runs its backward formulas (ops with forward rules too)
// on values that carry tangents, so g comes out carrying d/dt g(x + t v) = H v
// (Pearlmutter 1994, "Fast exact multiplication by the Hessian"). With
// create_graph, hvp is reverse over reverse instead (the gradient recorded, then
// its vjp with v, H^T v = H v), which stays differentiable to any order.
// The "double-vjp" trick, J v = d/du <J^T u, v> by two reverse passes (Townsend
// 2017), is what the tests check forward mode against.
//
// Full Jacobians, one row or one column at a time. A row of J is e_k^T J, one
// vjp (reverse mode: m passes); a column is J e_j, one jvp (forward mode: n
// tangents, carried through one pass as a batch of tangents). So reverse mode is
// cheaper when m <= n (an encoder: image -> code), forward mode when m > n (a
// decoder: code -> image); `automatic` picks by that.
//
// Per-sample Jacobians of a batch. A model applied to a batch x [B, n...] maps
// each example on its own (a model in eval mode: no batch norm statistics of
// the batch, no dropout), so the batch's Jacobian is block diagonal and
//   d/dx_b sum_b' <e_k, f(x_b')> = e_k^T J(x_b):
// one vjp with the cotangent e_k copied to every example gives row k of EVERY
// example's Jacobian at once (nn/jacobian_penalty.cpp does the same), and the
// tangent e_j copied to every example gives column j of each. jacobian() never
// loops over the examples: m vjps (or one forward pass with n tangents, split
// into passes of at most tangents_per_pass), whatever B. Dims after the batch
// dim are flattened in row-major order: for x [B, n_1, ..., n_p] and f(x)
// [B, m_1, ..., m_q], n_flat = n_1 ... n_p, m_flat = m_1 ... m_q and
//   jacobian(f, x)[b, i, j] = d f(x)_b,i / d x_b,j   (i, j flat indices),
// [B, m_flat, n_flat]. For a single point pass B = 1 (x.unsqueeze(0)), or use
// full_jacobian for a map with no batch at all ([m_flat, n_flat]).
//
// The SVD of a Jacobian, J = U diag(s) V^T (lg::svd, batched): the right
// singular vectors v_i (input space) are the directions in which f stretches
// most, by s_i, and f maps v_i to s_i u_i, the left singular vectors (output
// space). For a decoder z -> image, v_i are latent directions and u_i the image-
// space tangent vectors of the decoded manifold at that code: the picture the
// contractive autoencoder's sampler draws (Rifai, Mesnil, Vincent, Muller,
// Bengio, Dauphin, Glorot, ICML 2012, "A generative process for sampling
// contractive auto-encoders"), which moves a code along the leading v_i.
//
// Everything takes create_graph (off by default): with it, the results are
// recorded and differentiable again, with respect to x (when x requires grad)
// and to every parameter f uses, as a Jacobian penalty in training needs.
#pragma once
#include <cstdint>
#include <functional>

#include "autograd/tensor.hpp"

namespace lg {

// A map of one tensor to one tensor, as the functions below differentiate it: a model's forward, a
// lambda. It must be built from differentiable ops (the engine records it), and must not change its input.
using Function = std::function<Tensor(const Tensor&)>;

// Options of vjp, jvp and hvp.
struct DerivativeOptions {
  // Record the computation, so the result can be differentiated again (with respect to x when x
  // requires grad, and to the parameters f uses).
  bool create_graph = false;
};

// u^T J at x by one reverse pass: the gradient of <cotangent, f(x)>, with x's shape. The cotangent
// must have f(x)'s shape and dtype (ShapeError, DTypeError otherwise).
Tensor vjp(const Function& f, const Tensor& x, const Tensor& cotangent, const DerivativeOptions& options = {});

// J v at x, the derivative of f along `tangent` (x's shape and dtype), with f(x)'s shape: one forward
// pass with x carrying the tangent.
Tensor jvp(const Function& f, const Tensor& x, const Tensor& tangent, const DerivativeOptions& options = {});

// J v_t for T tangents at once: tangents [T, *x.shape] (x's dtype) give [T, *f(x).shape], one forward
// pass with T-times-wider tensors (T columns of J when the v_t are unit vectors).
Tensor batched_jvp(const Function& f, const Tensor& x, const Tensor& tangents,
                   const DerivativeOptions& options = {});

// H v at x for a scalar f (one element; ShapeError otherwise), H the Hessian of f: forward over reverse
// (reverse over reverse with create_graph), with x's shape. v must have x's shape and dtype.
Tensor hvp(const Function& f, const Tensor& x, const Tensor& v, const DerivativeOptions& options = {});

// How jacobian builds the Jacobian: by rows (m vjps), by columns (n jvps), or the cheaper of the two.
enum class JacobianMode { automatic, reverse, forward };

// Options of jacobian, full_jacobian and jacobian_svd.
struct JacobianOptions {
  // automatic: reverse when m_flat <= n_flat, else forward (see the header comment).
  JacobianMode mode = JacobianMode::automatic;
  // Record the computation, so the Jacobian can be differentiated again.
  bool create_graph = false;
  // Forward mode: at most this many tangents ride through f in one pass (memory grows with it).
  std::int64_t tangents_per_pass = 64;
};

// Per-sample Jacobians [B, m_flat, n_flat] of f at each example of x [B, n...], for f mapping
// [B, n...] to [B, m...] with the examples independent (see the header comment); never loops over
// the examples. ShapeError when f changes the batch size, DTypeError for a non-floating x or f(x).
Tensor jacobian(const Function& f, const Tensor& x, const JacobianOptions& options = {});

// The whole Jacobian [m_flat, n_flat] of f at x (any shapes, no batch structure), as jacobian() of
// a batch of one: m vjps or n jvps. For tests and small problems.
Tensor full_jacobian(const Function& f, const Tensor& x, const JacobianOptions& options = {});

// The SVD of each example's Jacobian J_b = U diag(s) V^T, truncated to k singular vectors.
struct JacobianSVD {
  Tensor singular_values;    // [B, r], r = min(m_flat, n_flat), descending, >= 0
  Tensor input_directions;   // [B, n_flat, k], the leading right singular vectors v_i (columns), input space
  Tensor output_directions;  // [B, m_flat, k], the leading left singular vectors u_i (columns), output space
};

// The per-sample SVD of jacobian(f, x, options), keeping the k leading singular vectors (1 <= k <= r,
// ValueError otherwise); J_b v_i = s_i u_i. Signs follow lg::svd (autograd/ops/linalg.hpp).
JacobianSVD jacobian_svd(const Function& f, const Tensor& x, std::int64_t k, const JacobianOptions& options = {});

}  // namespace lg
