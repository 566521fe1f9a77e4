// The shared training loop of train_strkm (training.hpp).
#include "training.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "../common/terminal_progress.hpp"

namespace train_strkm {
namespace {

// The history as text for the checkpoint's metadata: one "total first second orthogonality seconds" line an epoch.
std::string history_text(const TrainHistory& h) {
  std::ostringstream out;
  out.precision(17);
  out << h.first_at_start << ' ' << h.max_orthogonality << ' ' << h.steps << '\n';
  for (const EpochRecord& e : h.epochs)
    out << e.total << ' ' << e.first << ' ' << e.second << ' ' << e.max_orthogonality << ' ' << e.seconds << '\n';
  return out.str();
}

TrainHistory parse_history(const std::string& text) {
  std::istringstream in(text);
  TrainHistory h;
  in >> h.first_at_start >> h.max_orthogonality >> h.steps;
  EpochRecord e;
  while (in >> e.total >> e.first >> e.second >> e.max_orthogonality >> e.seconds) h.epochs.push_back(e);
  return h;
}

void save(const TrainSpec& spec, const TrainHistory& history, const std::string& path) {
  lg::nn::Checkpoint checkpoint;
  checkpoint.tensors = lg::nn::with_prefix("model.", spec.model->state_dict());
  checkpoint.tensors.merge(lg::nn::with_prefix("optimizer.", spec.optimizer->state_dict()));
  checkpoint.metadata["model"] = spec.name;
  checkpoint.metadata["history"] = history_text(history);
  lg::nn::save_checkpoint(checkpoint, path);
}

TrainHistory restore(const TrainSpec& spec, const std::string& path) {
  const lg::nn::Checkpoint checkpoint = lg::nn::load_checkpoint(path);
  spec.model->load_state_dict(lg::nn::strip_prefix("model.", checkpoint.tensors));
  spec.optimizer->load_state_dict(lg::nn::strip_prefix("optimizer.", checkpoint.tensors));
  TrainHistory history = parse_history(checkpoint.metadata.at("history"));
  history.resumed_from = static_cast<std::int64_t>(history.epochs.size());
  return history;
}

}  // namespace

TrainHistory train(const TrainSpec& spec, const lg::Tensor& train_images, const Schedule& schedule) {
  TrainHistory history;
  if (schedule.resume && !schedule.checkpoint.empty() && std::filesystem::exists(schedule.checkpoint)) {
    history = restore(spec, schedule.checkpoint);
    std::printf("%s: resumed after epoch %lld from %s\n", spec.name.c_str(),
                static_cast<long long>(history.resumed_from), schedule.checkpoint.c_str());
  }
  const lg::data::Dataset data{train_images, lg::zeros({train_images.size(0)}, lg::int64), "train"};
  const std::int64_t steps_per_epoch = (data.images.size(0) + schedule.batch_size - 1) / schedule.batch_size;
  const bool tty = isatty(fileno(stdout));
  for (auto epoch = static_cast<std::int64_t>(history.epochs.size()); epoch < schedule.epochs; ++epoch) {
    const auto started = std::chrono::steady_clock::now();
    const std::uint64_t epoch_seed = schedule.seed * 1000003u + static_cast<std::uint64_t>(epoch);
    lg::data::DataLoader loader(data, {.batch_size = schedule.batch_size, .shuffle = true, .seed = epoch_seed});
    lg::Generator noise(epoch_seed + 17);
    EpochRecord record;
    std::int64_t step = 0;
    while (auto batch = loader.next()) {
      if (batch->images.size(0) < 2) continue;  // the St-RKM centres over the batch
      const LossTerms terms = spec.loss(batch->images, noise);
      if (history.steps == 0) history.first_at_start = terms.first;
      spec.optimizer->zero_grad();
      terms.total.backward();
      spec.optimizer->step();
      const double drift = spec.orthogonality ? spec.orthogonality() : 0.0;
      record.max_orthogonality = std::max(record.max_orthogonality, drift);
      record.total += terms.total.item();
      record.first += terms.first;
      record.second += terms.second;
      ++step;
      ++history.steps;
      if (tty) {
        std::printf("\r%s epoch %lld/%lld step %lld/%lld  loss %.4f", spec.name.c_str(),
                    static_cast<long long>(epoch + 1), static_cast<long long>(schedule.epochs),
                    static_cast<long long>(step), static_cast<long long>(steps_per_epoch), terms.total.item());
        std::fflush(stdout);
      }
    }
    const double n = static_cast<double>(std::max<std::int64_t>(step, 1));
    record.total /= n;
    record.first /= n;
    record.second /= n;
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    history.max_orthogonality = std::max(history.max_orthogonality, record.max_orthogonality);
    history.epochs.push_back(record);
    std::printf("%s%-8s epoch %lld/%lld  loss %.4f  %s %.4f  %s %.4f", tty ? "\r" : "", spec.name.c_str(),
                static_cast<long long>(epoch + 1), static_cast<long long>(schedule.epochs), record.total,
                spec.first_name.c_str(), record.first, spec.second_name.c_str(), record.second);
    if (spec.orthogonality) std::printf("  max ||U^T U - I||_F %.2e", record.max_orthogonality);
    const double remaining = record.seconds * static_cast<double>(schedule.epochs - epoch - 1);
    std::printf("  %.1f s  ETA %s\n", record.seconds, examples::format_seconds(remaining).c_str());
    std::fflush(stdout);
    if (!schedule.checkpoint.empty()) save(spec, history, schedule.checkpoint);
  }
  return history;
}

}  // namespace train_strkm
