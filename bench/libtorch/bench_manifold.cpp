// One optimiser step on the Stiefel manifold, latentgeo and libtorch side by
// side in one run, for St(784, 10) and St(2048, 64) in float32:
//   Cayley ADAM, exact      the Cayley transform through W's rank-2p form (one 2p x 2p solve)
//   Cayley ADAM, iterative  Li et al.'s fixed-point iteration (2 rounds, the paper's count)
//   SGD + QR retraction     Riemannian SGD with momentum 0.9, retracting by the Q factor
// The libtorch side is the same algorithm written with torch ops: the same
// moments, the same A factor with A X^T - X A^T = -W, the same step bound from
// ||W||_F computed from p x p Gram matrices (computed once and shared with the
// transforms, which run in W's 2p-dim range), the same drift measurement after
// each step (optim/cayley_adam.cpp, optim/cayley_step.cpp, manifold/cayley_transform.cpp).
// Both sides start from the same point and see the same fixed gradient, so
// their iterates agree (checked after the warm-up, to 1e-4).
//   bench_manifold [--threads N] [--samples N]
//   bench_manifold --profile exact|iterative|qr [--n N --p P --steps S]   (ours only, for a profiler)
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <latentgeo.hpp>

#include "bench/bench_common.hpp"
#include "torch_models.hpp"

namespace {

using lg::bench::format;
using lg::bench::max_difference;
using lg::bench::to_torch;

// --- the libtorch side: the same algorithms in torch ops -----------------------

// W Z for W = A B^T - B A^T.
torch::Tensor apply_skew(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& z) {
  return a.mm(b.t().mm(z)) - b.mm(a.t().mm(z));
}

// W = A B^T - B A^T's factors with their p x p Gram matrices, as manifold::LowRankSkew.
struct Skew {
  torch::Tensor a, b, a_gram, b_gram, cross;
};

Skew skew_of(const torch::Tensor& a, const torch::Tensor& b) {
  return {a, b, a.t().mm(a), b.t().mm(b), b.t().mm(a)};
}

double skew_norm(const Skew& w) {
  const torch::Tensor squared = 2.0 * ((w.a_gram * w.b_gram).sum() - (w.cross * w.cross.t()).sum());
  return std::sqrt(std::max(squared.item<double>(), 0.0));
}

// V^T U and V^T X in blocks, for X = B (manifold/cayley_transform.cpp's range_products).
std::pair<torch::Tensor, torch::Tensor> range_products(const Skew& w) {
  const torch::Tensor vt_u =
      torch::cat({torch::cat({w.cross, w.b_gram}, 1), torch::cat({-w.a_gram, -w.cross.t()}, 1)}, 0);
  return {vt_u, torch::cat({w.b_gram, -w.cross.t()}, 0)};
}

torch::Tensor add_range(const torch::Tensor& x, const Skew& w, const torch::Tensor& k) {
  const std::int64_t p = x.size(1);
  return x + (w.a.mm(k.narrow(0, 0, p)) + w.b.mm(k.narrow(0, p, p)));
}

// The exact transform by Woodbury: (I_2p - c V^T U) Z = V^T X, Y = X + alpha U Z.
torch::Tensor cayley_exact(const torch::Tensor& x, const Skew& w, double alpha) {
  const auto [vt_u, vt_x] = range_products(w);
  const torch::Tensor identity = torch::eye(vt_u.size(0), x.options());
  return add_range(x, w, alpha * torch::linalg_solve(identity - (0.5 * alpha) * vt_u, vt_x));
}

// Li et al.'s iteration carried in W's range: K^0 = alpha V^T X, K^i = c (2 V^T X + V^T U K^{i-1}).
torch::Tensor cayley_iterative(const torch::Tensor& x, const Skew& w, double alpha, int iterations) {
  const auto [vt_u, vt_x] = range_products(w);
  torch::Tensor k = alpha * vt_x;
  for (int i = 0; i < iterations; ++i) k = (0.5 * alpha) * (2.0 * vt_x + vt_u.mm(k));
  return add_range(x, w, k);
}

// Q of X = QR with R's diagonal positive.
torch::Tensor q_factor(const torch::Tensor& x) {
  auto [q, r] = torch::linalg_qr(x);
  return q * torch::sign(r.diagonal()).unsqueeze(0);
}

double drift(const torch::Tensor& x) {
  return (x.t().mm(x) - torch::eye(x.size(1), x.options())).norm().item<double>();
}

struct TorchCayleyAdam {
  torch::Tensor x, grad, m, v;
  bool exact;
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.99, eps = 1e-8, q = 0.5, threshold = 1e-5;
  int iterations = 2;
  std::int64_t t = 0;

  void step() {
    torch::NoGradGuard no_grad;
    ++t;
    const torch::Tensor moment = beta1 * m + (1.0 - beta1) * grad;
    v.copy_(beta2 * v + (1.0 - beta2) * (grad * grad).sum());
    const double v_hat = v.item<double>() / (1.0 - std::pow(beta2, static_cast<double>(t)));
    const double r = (1.0 - std::pow(beta1, static_cast<double>(t))) * std::sqrt(v_hat + eps);
    const torch::Tensor a = (x.mm(x.t().mm(moment)) * 0.5 - moment) / r;
    m.copy_(-r * apply_skew(a, x, x));
    const Skew w = skew_of(a, x);
    const double alpha = std::min(lr, 2.0 * q / (skew_norm(w) + eps));
    torch::Tensor next = exact ? cayley_exact(x, w, alpha) : cayley_iterative(x, w, alpha, iterations);
    if (drift(next) > threshold) next = q_factor(next);
    x.copy_(next);
  }
};

struct TorchQrSgd {
  torch::Tensor x, grad, buffer;
  double lr = 1e-3, momentum = 0.9;
  bool first = true;

  torch::Tensor project(const torch::Tensor& at, const torch::Tensor& u) const {
    const torch::Tensor s = at.t().mm(u);
    return u - at.mm(0.5 * (s + s.t()));
  }
  void step() {
    torch::NoGradGuard no_grad;
    const torch::Tensor g = project(x, grad);
    const torch::Tensor moment = first ? g : momentum * buffer + g;
    first = false;
    const torch::Tensor next = q_factor(x - lr * moment);
    buffer.copy_(project(next, moment));
    x.copy_(next);
  }
};

// --- one row: ours against theirs ----------------------------------------------

struct Row {
  std::string name;
  std::function<void()> ours, theirs;
  std::function<double()> difference;
};

// Only our side, `steps` steps of one algorithm, for perf or callgrind.
int profile(const std::string& which, std::int64_t n, std::int64_t p, int steps) {
  lg::Generator generator(7);
  auto stiefel = std::make_shared<const lg::manifold::Stiefel>(n, p);
  lg::Tensor u = stiefel->random_point(generator, lg::float32).requires_grad_();
  u.set_grad(lg::randn({n, p}, lg::float32, &generator));
  const lg::nn::NamedParameters params{{"U", lg::nn::Parameter(u, stiefel)}};
  std::unique_ptr<lg::optim::Optimizer> optimizer;
  if (which == "qr")
    optimizer =
        std::make_unique<lg::optim::RiemannianSGD>(params, lg::optim::RiemannianSGDOptions{.lr = 1e-3, .momentum = 0.9});
  else
    optimizer = std::make_unique<lg::optim::CayleyAdam>(
        params, lg::optim::CayleyAdamOptions{.lr = 1e-3, .exact = which == "exact"});
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) optimizer->step();
  std::printf("%s St(%lld, %lld): %.4f ms per step\n", which.c_str(), static_cast<long long>(n),
              static_cast<long long>(p), lg::bench::elapsed_ms(start) / steps);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1, samples = 21, steps = 20000;
  std::int64_t profile_n = 784, profile_p = 10;
  std::string profiled;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--threads") == 0) threads = std::max(1, std::atoi(argv[i + 1]));
    else if (std::strcmp(argv[i], "--samples") == 0) samples = std::max(20, std::atoi(argv[i + 1]));
    else if (std::strcmp(argv[i], "--profile") == 0) profiled = argv[i + 1];
    else if (std::strcmp(argv[i], "--n") == 0) profile_n = std::atoll(argv[i + 1]);
    else if (std::strcmp(argv[i], "--p") == 0) profile_p = std::atoll(argv[i + 1]);
    else if (std::strcmp(argv[i], "--steps") == 0) steps = std::max(1, std::atoi(argv[i + 1]));
  }
  lg::set_num_threads(threads);
  if (!profiled.empty()) return profile(profiled, profile_n, profile_p, steps);
  at::set_num_threads(threads);
  std::printf("One optimiser step on St(n, p), float32, %d thread(s) on each side; load %s\n", threads,
              lg::bench::load_average().c_str());
  std::printf("median (min-max) ms over %d samples; ratio = ours / libtorch\n\n", samples);
  lg::bench::Table table({{"St(n, p) step", 34}, {"latentgeo ms", 26}, {"libtorch ms", 26}, {"ratio", 6}});
  table.print_header();

  for (const auto& [n, p] : {std::pair<std::int64_t, std::int64_t>{784, 10}, {2048, 64}}) {
    lg::manifold::Stiefel stiefel(n, p);
    lg::Generator generator(7);
    const lg::Tensor start = stiefel.random_point(generator, lg::float32);
    const lg::Tensor gradient = lg::randn({n, p}, lg::float32, &generator);
    const auto parameter = [&](const lg::Tensor& u, std::shared_ptr<const lg::manifold::Manifold> on) {
      return lg::nn::NamedParameters{{"U", lg::nn::Parameter(u, std::move(on))}};
    };

    std::vector<Row> rows;
    for (const bool exact : {true, false}) {
      lg::Tensor u = start.clone().requires_grad_();
      u.set_grad(gradient);
      auto ours = std::make_shared<lg::optim::CayleyAdam>(
          parameter(u, std::make_shared<const lg::manifold::Stiefel>(n, p)),
          lg::optim::CayleyAdamOptions{.lr = 1e-3, .exact = exact});
      auto theirs = std::make_shared<TorchCayleyAdam>();
      theirs->x = to_torch(start);
      theirs->grad = to_torch(gradient);
      theirs->m = torch::zeros_like(theirs->x);
      theirs->v = torch::zeros({}, torch::kFloat32);
      theirs->exact = exact;
      rows.push_back({format("Cayley ADAM %s St(%lld, %lld)", exact ? "exact" : "iter.", static_cast<long long>(n),
                             static_cast<long long>(p)),
                      [ours] { ours->step(); }, [theirs] { theirs->step(); },
                      [u, theirs] { return max_difference(u.detach(), theirs->x); }});
    }
    {
      lg::Tensor u = start.clone().requires_grad_();
      u.set_grad(gradient);
      auto ours = std::make_shared<lg::optim::RiemannianSGD>(
          parameter(u, std::make_shared<const lg::manifold::Stiefel>(n, p)),
          lg::optim::RiemannianSGDOptions{.lr = 1e-3, .momentum = 0.9});
      auto theirs = std::make_shared<TorchQrSgd>();
      theirs->x = to_torch(start);
      theirs->grad = to_torch(gradient);
      theirs->buffer = torch::zeros_like(theirs->x);
      rows.push_back({format("SGD + QR St(%lld, %lld)", static_cast<long long>(n), static_cast<long long>(p)),
                      [ours] { ours->step(); }, [theirs] { theirs->step(); },
                      [u, theirs] { return max_difference(u.detach(), theirs->x); }});
    }

    for (const Row& row : rows) {
      // The same number of steps on both sides before comparing their iterates.
      for (int i = 0; i < 3; ++i) {
        row.ours();
        row.theirs();
      }
      const double difference = row.difference();
      if (!(difference < 1e-4)) {
        std::fprintf(stderr, "%s: the two sides' iterates differ by %.3e after 3 steps\n", row.name.c_str(), difference);
        return 1;
      }
      const auto stats = lg::bench::measure({row.ours, row.theirs}, {.samples = samples});
      table.print_row({row.name, lg::bench::spread(stats[0]), lg::bench::spread(stats[1]),
                       format("%.2f", stats[0].median_ms / stats[1].median_ms)});
    }
  }
  return 0;
}
