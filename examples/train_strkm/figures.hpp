// train_strkm's outputs: the comparison table (stdout, as Markdown rows),
// results.csv and results.json, and the PNGs (St-RKM traversals, samples and reconstructions of
// the three models, loss curves).
#pragma once
#include <string>
#include <vector>

#include <latentgeo.hpp>

#include "evaluation.hpp"
#include "training.hpp"

namespace train_strkm {

// Everything the table and the figures show; histories and scores in the order St-RKM, VAE, beta-VAE.
struct Summary {
  std::string dataset;
  std::vector<TrainHistory> histories;
  std::vector<Scores> scores;
  double reference_swd = 0.0;         // real training images against the real evaluation images
  double off_diagonal_ratio = 0.0;    // of Cov(H) after the recomputation
};

// Prints the comparison table.
void print_table(const Summary& summary, const std::vector<ModelView>& views);

// Writes results.csv (one row per model, and one for the real-image reference) and results.json into `folder`.
void write_results(const std::string& folder, const Summary& summary, const std::vector<ModelView>& views);

// Writes traversals.png, samples.png, reconstructions.png and loss.png into `folder`.
void write_figures(const std::string& folder, const lg::nn::StiefelRkm& strkm, const std::vector<ModelView>& views,
                   const lg::Tensor& real, const Summary& summary);

}  // namespace train_strkm
