#include "chains.hpp"

#include <algorithm>
#include <set>

#include "../common/terminal_progress.hpp"

namespace cae_sampling {

lg::Tensor jjt_closed_form(const lg::Tensor& h, const lg::Tensor& weight, const lg::Tensor& eps) {
  const lg::Tensor s = h * (1.0 - h);
  return s * lg::matmul(lg::matmul(s * eps, weight), weight.t());
}

lg::Tensor jjt_autodiff(const lg::Function& f, const lg::Tensor& x, const lg::Tensor& eps) {
  return lg::jvp(f, x, lg::vjp(f, x, eps));
}

Chains run_chains(const nn::ContractiveAutoencoder& cae, const lg::Tensor& train_x, const Judge& judge,
                  const ChainOptions& o, double sigma) {
  Chains result;
  lg::Generator generator(o.seed);
  const lg::Tensor starts = lg::randperm(train_x.size(0), &generator).narrow(0, 0, o.chains);
  lg::Tensor x = lg::index_select(train_x, 0, starts);
  const lg::Function f = [&](const lg::Tensor& input) { return cae.encode(input); };
  // Parzen samples: every `stride`-th step of every chain, the first parzen_samples of them.
  const std::int64_t snapshots = (o.parzen_samples + o.chains - 1) / o.chains;
  const std::int64_t stride = std::max<std::int64_t>(1, o.steps / snapshots);
  std::vector<lg::Tensor> kept;
  std::int64_t kept_rows = 0;
  // Columns of the chain picture: the start and 15 evenly spaced steps.
  std::set<std::int64_t> shown_steps = {0};
  for (std::int64_t c = 1; c <= 15; ++c) shown_steps.insert(std::max<std::int64_t>(1, c * o.steps / 15));
  const std::int64_t shown = std::min(o.shown_chains, o.chains);
  std::vector<std::set<std::int64_t>> visited(static_cast<std::size_t>(o.chains));
  std::vector<std::int64_t> start_class;
  const auto visit = [&](const lg::Tensor& state, bool first) {
    const std::vector<std::int64_t> labels = judge(state).to_vector<std::int64_t>();
    double sum = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      visited[i].insert(labels[i]);
      sum += static_cast<double>(visited[i].size());
      if (first) start_class.push_back(labels[i]);
    }
    result.mean_classes_by_step.push_back(sum / static_cast<double>(labels.size()));
  };
  visit(x, true);
  result.shown.push_back(rows(x, 0, shown));
  result.shown_steps.push_back(0);
  nn::ProgressMeter meter(1, o.steps, examples::terminal_progress(), 1.0);
  meter.start_epoch(0);
  const auto started = std::chrono::steady_clock::now();
  for (std::int64_t step = 1; step <= o.steps; ++step) {
    const lg::Tensor eps = lg::randn({o.chains, cae.code_size()}, lg::float32, &generator) * sigma;
    const lg::Tensor move = jjt_autodiff(f, x, eps);
    {
      lg::NoGradGuard no_grad;
      x = cae.decode(cae.encode(x) + move);
    }
    const auto values = x.to_vector<float>();
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    result.min_value = std::min(result.min_value, static_cast<double>(*low));
    result.max_value = std::max(result.max_value, static_cast<double>(*high));
    visit(x, false);
    if (step % stride == 0 && kept_rows < o.parzen_samples) {
      const std::int64_t take = std::min(o.chains, o.parzen_samples - kept_rows);
      kept.push_back(rows(x, 0, take));
      kept_rows += take;
    }
    if (shown_steps.count(step)) {
      result.shown.push_back(rows(x, 0, shown));
      result.shown_steps.push_back(step);
    }
    meter.step(lg::mean(lg::abs(move)).item(), o.chains);
  }
  result.seconds = seconds_since(started);
  result.samples = lg::cat(kept, 0);
  result.classes_histogram.assign(10, 0);
  std::int64_t left = 0;
  for (std::size_t i = 0; i < visited.size(); ++i) {
    result.classes_histogram[visited[i].size() - 1] += 1;
    result.mean_classes += static_cast<double>(visited[i].size()) / static_cast<double>(visited.size());
    left += visited[i].size() > 1 || !visited[i].count(start_class[i]);
  }
  result.left_start_class = static_cast<double>(left) / static_cast<double>(visited.size());
  return result;
}

Tangents tangent_directions(const nn::ContractiveAutoencoder& cae, const lg::Tensor& digits, std::int64_t count) {
  const auto started = std::chrono::steady_clock::now();
  Tangents t;
  t.digits = digits;
  const lg::Function f = [&](const lg::Tensor& input) { return cae.encode(input); };
  const auto svd = lg::jacobian_svd(f, digits, std::min<std::int64_t>(count, 784));
  t.singular_values = svd.singular_values;
  t.directions = svd.input_directions;
  lg::NoGradGuard no_grad;
  const auto s = svd.singular_values.to_vector<float>();
  const std::int64_t r = svd.singular_values.size(1);
  for (std::int64_t p = 0; p < digits.size(0); ++p) {
    const double largest = s[static_cast<std::size_t>(p * r)];
    std::int64_t above_10 = 0, above_01 = 0;
    double squares = 0;
    for (std::int64_t i = 0; i < r; ++i) {
      const double value = s[static_cast<std::size_t>(p * r + i)];
      above_10 += value > 0.1 * largest;
      above_01 += value > 0.01 * largest;
      squares += value * value;
    }
    t.dimension_10.push_back(above_10);
    t.dimension_01.push_back(above_01);
    const double frobenius = cae.jacobian_penalty(digits.narrow(0, p, 1), nn::JacobianPenaltyMethod::closed_form)
                                 .item();
    t.frobenius_mismatch = std::max(t.frobenius_mismatch, std::abs(squares - frobenius) / frobenius);
  }
  t.seconds = seconds_since(started);
  return t;
}

std::pair<double, double> cross_checks(const nn::ContractiveAutoencoder& cae, const lg::Tensor& x, double sigma) {
  const double closed = cae.jacobian_penalty(x, nn::JacobianPenaltyMethod::closed_form).item();
  const double exact = cae.jacobian_penalty(x, nn::JacobianPenaltyMethod::double_backward).item();
  lg::Generator generator(12345);
  const lg::Tensor eps = lg::randn({x.size(0), cae.code_size()}, lg::float32, &generator) * sigma;
  const lg::Function f = [&](const lg::Tensor& input) { return cae.encode(input); };
  const lg::Tensor autodiff = jjt_autodiff(f, x, eps);
  lg::NoGradGuard no_grad;
  const lg::Tensor closed_move = jjt_closed_form(cae.encode(x), cae.encoder_weight(), eps);
  const double move_difference = lg::max(lg::abs(autodiff - closed_move)).item() /
                                 lg::max(lg::abs(closed_move)).item();
  return {std::abs(closed - exact) / exact, move_difference};
}

}  // namespace cae_sampling
