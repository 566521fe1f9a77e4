// train_strkm's training loop, one for the three models: minibatch steps of a
// loss, per-epoch means of its terms, the orthogonality error of U after every
// step (St-RKM), and an atomic checkpoint after every epoch so that --resume
// continues where a run stopped (each epoch's shuffle and noise come from
// seeds fixed by the epoch number, so a resumed run repeats a straight one).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <latentgeo.hpp>

namespace train_strkm {

// One batch's loss: the tensor to differentiate and two of its terms as numbers.
struct LossTerms {
  lg::Tensor total;
  double first = 0.0;   // St-RKM: the PCA term; VAE: the reconstruction (nats)
  double second = 0.0;  // St-RKM: the AE term; VAE: the KL (nats)
};

// What the loop trains and how it reports.
struct TrainSpec {
  std::string name;                 // "St-RKM", "VAE", "beta-VAE"
  std::string first_name, second_name;  // the terms' names for the log
  lg::nn::Module* model = nullptr;
  lg::optim::Optimizer* optimizer = nullptr;
  std::function<LossTerms(const lg::Tensor& x, lg::Generator& noise)> loss;
  std::function<double()> orthogonality;  // ||U^T U - I||_F after a step; empty for the VAEs
};

// The schedule shared by the three models.
struct Schedule {
  std::int64_t epochs = 5;
  std::int64_t batch_size = 256;
  std::uint64_t seed = 0;
  std::string checkpoint;  // written after every epoch
  bool resume = false;     // start from `checkpoint` when it exists
};

// Means over one epoch's batches.
struct EpochRecord {
  double total = 0.0, first = 0.0, second = 0.0;
  double max_orthogonality = 0.0;  // the largest after-step error of the epoch (0 without U)
  double seconds = 0.0;            // this epoch's wall time
};

// A whole run's log.
struct TrainHistory {
  std::vector<EpochRecord> epochs;
  double first_at_start = 0.0;     // the first term on the very first batch, before any step
  double max_orthogonality = 0.0;  // over every step of every epoch
  std::int64_t steps = 0;
  std::int64_t resumed_from = 0;   // epochs read from the checkpoint
};

// Trains spec.model on the images of `train` as the schedule says, printing one line per epoch.
TrainHistory train(const TrainSpec& spec, const lg::Tensor& train_images, const Schedule& schedule);

}  // namespace train_strkm
