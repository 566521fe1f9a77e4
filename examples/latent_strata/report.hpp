// latent_strata: everything the run measured, and how it is printed and written
// (tables on stdout, CSV and JSON files, line plots).
#pragma once
#include <string>
#include <vector>

#include "hilbert.hpp"
#include "models.hpp"
#include "strata.hpp"

namespace latent_strata {

// The measurements of one run.
struct Results {
  std::string dataset = {};
  std::int64_t train_images = 0, test_images = 0, epochs = 0, seed = 0;
  int threads = 1;
  std::vector<double> noise = {};  // test noise levels, 0 first
  std::vector<double> taus = {};  // rank tolerances
  std::vector<TrainLog> training = {};  // per model
  std::vector<std::vector<StrataSummary>> strata = {};  // [latent][noise level]
  std::vector<HilbertSummary> hilbert = {};  // [latent]
  std::vector<std::vector<double>> psnr = {};  // [model][noise level], mean dB over the test images
  double train_seconds = 0.0, analysis_seconds = 0.0;
};

// The index of the tolerance the tables and plots show (the middle one, 1e-6 by default).
std::size_t main_tau(const Results& r);

// Prints the strata, subspace and PSNR tables.
void print_tables(const Results& r);

// Writes strata.csv (every histogram), summary.csv, subspaces.csv, psnr.csv and results.json into dir.
void write_tables(const Results& r, const std::string& dir);

// Writes the line plots into dir and returns their file names.
std::vector<std::string> write_plots(const Results& r, const std::string& dir);

// Degrees from radians.
double degrees(double radians);

}  // namespace latent_strata
