// SGD: the fused per-parameter update (formulas in sgd.hpp). The first
// momentum step uses b = 0 b + 1 d on a zero-filled buffer, which is exactly d,
// so one loop serves both cases.
#include "optim/sgd.hpp"

#include "autograd/backend/strided_iterator.hpp"
#include "autograd/grad_mode.hpp"

namespace lg::optim {
namespace {

struct SGDCoefficients {
  double lr, weight_decay;
  double keep, take;  // b <- keep b + take d
  double momentum;
};

template <class T, bool WeightDecay, bool Momentum, bool Nesterov>
void sgd_update(T* __restrict param, const T* __restrict grad, T* __restrict momentum_buffer, std::int64_t n,
                const SGDCoefficients& c) {
  const T lr = static_cast<T>(c.lr), weight_decay = static_cast<T>(c.weight_decay);
  const T keep = static_cast<T>(c.keep), take = static_cast<T>(c.take), momentum = static_cast<T>(c.momentum);
#pragma omp parallel for schedule(static) if (n >= kernel::kParallelThreshold)
  for (std::int64_t i = 0; i < n; ++i) {
    T d = grad[i];
    if constexpr (WeightDecay) d += weight_decay * param[i];
    if constexpr (Momentum) {
      const T b = keep * momentum_buffer[i] + take * d;
      momentum_buffer[i] = b;
      if constexpr (Nesterov) d += momentum * b;
      else d = b;
    }
    param[i] -= lr * d;
  }
}

template <class T, bool WeightDecay>
void dispatch_momentum(T* param, const T* grad, T* buffer, std::int64_t n, const SGDCoefficients& c, bool momentum,
                       bool nesterov) {
  if (!momentum) sgd_update<T, WeightDecay, false, false>(param, grad, buffer, n, c);
  else if (nesterov) sgd_update<T, WeightDecay, true, true>(param, grad, buffer, n, c);
  else sgd_update<T, WeightDecay, true, false>(param, grad, buffer, n, c);
}

}  // namespace

SGD::SGD(NamedParameters params, const SGDOptions& options)
    : OptimizerWithOptions<SGDOptions>("SGD", {"momentum_buffer"}) {
  add_param_group(std::move(params), options);
}

void SGD::add_param_group(NamedParameters params, const SGDOptions& options) {
  add_group(std::move(params), options);
}

void SGD::check_options(const SGDOptions& options, std::string_view op) const {
  check<ValueError>(options.momentum >= 0.0, op, "momentum must be non-negative, got ", options.momentum);
  check<ValueError>(options.weight_decay >= 0.0, op, "weight_decay must be non-negative, got ", options.weight_decay);
  check<ValueError>(!options.nesterov || (options.momentum > 0.0 && options.dampening == 0.0), op,
                    "Nesterov momentum needs momentum > 0 and dampening = 0, got momentum ", options.momentum,
                    " and dampening ", options.dampening);
}

void SGD::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const SGDOptions& options = options_[g];
    const double momentum = options.momentum;
    const bool nesterov = options.nesterov;
    const double weight_decay = options.weight_decay;
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor grad = contiguous_grad(g, i);
      if (!grad.defined()) continue;
      const Tensor& param = groups_[g].params[i].second.tensor;
      ++state_[g][i].step;
      const bool first = !state_[g][i].buffers[0].defined();  // no buffer yet: b <- d
      Tensor buffer_tensor = momentum != 0.0 ? buffer(g, i, 0) : Tensor{};
      const SGDCoefficients c{.lr = options.lr,
                              .weight_decay = weight_decay,
                              .keep = first ? 0.0 : momentum,
                              .take = first ? 1.0 : 1.0 - options.dampening,
                              .momentum = momentum};
      visit_floating(param.dtype(), name_, [&]<class T>() {
        T* buffer_data = buffer_tensor.defined() ? buffer_tensor.data_ptr<T>() : nullptr;
        if (weight_decay != 0.0)
          dispatch_momentum<T, true>(param.data_ptr<T>(), grad.data_ptr<T>(), buffer_data, param.numel(), c,
                                     momentum != 0.0, nesterov);
        else
          dispatch_momentum<T, false>(param.data_ptr<T>(), grad.data_ptr<T>(), buffer_data, param.numel(), c,
                                      momentum != 0.0, nesterov);
      });
      param.impl()->storage->bump_version();
    }
  }
}

}  // namespace lg::optim
