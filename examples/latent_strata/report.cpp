// latent_strata: tables, CSV/JSON files and plots of a run (report.hpp).
#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>

namespace latent_strata {
namespace {

double largest(const std::vector<double>& v) { return v.empty() ? 0.0 : v.back(); }  // angles ascend

double average(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

std::string list(const std::vector<double>& values, const char* format = "%.6g") {
  std::string text;
  char number[48];
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::snprintf(number, sizeof number, format, values[i]);
    text.append(i ? ", " : "").append(number);
  }
  return text;
}

// "(48, 7, 7) 812, (47, 7, 7) 150, ..." : the `most` commonest triples of a histogram.
std::string commonest(const std::map<Triple, std::int64_t>& histogram, std::size_t most) {
  std::vector<std::pair<std::int64_t, Triple>> order;
  for (const auto& [triple, count] : histogram) order.push_back({-count, triple});
  std::sort(order.begin(), order.end());
  std::string text;
  for (std::size_t i = 0; i < std::min(most, order.size()); ++i)
    text.append(i ? ", " : "").append(triple_text(order[i].second)).append(" ").append(
        std::to_string(-order[i].first));
  if (order.size() > most) text.append(", ... (").append(std::to_string(order.size() - most)).append(" more)");
  return text;
}

}  // namespace

double degrees(double radians) { return radians * 180.0 / 3.14159265358979323846; }

std::size_t main_tau(const Results& r) { return r.taus.size() / 2; }

void print_tables(const Results& r) {
  const std::size_t t = main_tau(r);
  std::printf("\nStrata of the mode covariances (S_1 64x64 over 49 positions, S_2 and S_3 7x7); ranks at tau * "
              "lambda_max\n");
  std::printf("%-13s %5s  strata at tau =", "latent", "sigma");
  for (double tau : r.taus) std::printf(" %6.0e", tau);
  std::printf("   commonest triple (tau %.0e) share   PD S1/S2/S3 (tau %.0e)   min eigenvalue S1 / S2 / S3   "
              "const. ch.  distinct pos.\n",
              r.taus[t], r.taus[t]);
  for (std::size_t l = 0; l < r.strata.size(); ++l)
    for (std::size_t i = 0; i < r.noise.size(); ++i) {
      const StrataSummary& s = r.strata[l][i];
      std::printf("%-13s %5.2f  %15s", latent_names[l].c_str(), r.noise[i], "");
      for (const auto& h : s.histograms) std::printf(" %6zu", h.size());
      const auto [mode, share] = mode_of(s.histograms[t]);
      std::printf("   %-15s %9.1f%%  %5.0f%% %5.0f%% %5.0f%%   %10.2e %9.2e %9.2e   %10.1f  %13.1f\n",
                  triple_text(mode).c_str(), 100 * share, 100 * s.definite_fraction[t][0],
                  100 * s.definite_fraction[t][1], 100 * s.definite_fraction[t][2], s.smallest_eigenvalue[0],
                  s.smallest_eigenvalue[1], s.smallest_eigenvalue[2], s.constant_channels, s.distinct_positions);
    }
  std::printf("\nRank-triple histograms at tau %.0e (the commonest triples; counts of %lld latents)\n", r.taus[t],
              static_cast<long long>(r.test_images));
  for (std::size_t l = 0; l < r.strata.size(); ++l)
    for (std::size_t i = 0; i < r.noise.size(); ++i)
      std::printf("  %-13s sigma %.2f: %s\n", latent_names[l].c_str(), r.noise[i],
                  commonest(r.strata[l][i].histograms[t], 4).c_str());

  std::printf("\nKernel PCA of the log-Euclidean Gaussian kernel: components for 95%% and 99%% of the energy, and "
              "the principal angles between the k leading components and the clean set's\n");
  std::printf("%-13s %8s %4s %5s  %-9s %6s %6s  %15s %15s\n", "latent", "gamma", "k", "sigma", "", "m(95%)",
              "m(99%)", "largest (deg)", "mean (deg)");
  for (std::size_t l = 0; l < r.hilbert.size(); ++l) {
    const HilbertSummary& h = r.hilbert[l];
    for (std::size_t i = 0; i < r.noise.size(); ++i) {
      const SubspaceRow& row = h.rows[i];
      std::printf("%-13s %8.3f %4lld %5.2f  %-9s %6lld %6lld  %15.2f %15.2f\n", latent_names[l].c_str(), h.bandwidth,
                  static_cast<long long>(h.components), r.noise[i], "", static_cast<long long>(row.components_for[0]),
                  static_cast<long long>(row.components_for[1]), degrees(largest(row.angles)),
                  degrees(average(row.angles)));
    }
  }

  std::printf("\nReconstruction PSNR against the clean image (dB, mean over %lld test images; the VAE decodes its "
              "mean)\n%-13s",
              static_cast<long long>(r.test_images), "model");
  for (double sigma : r.noise) std::printf("  sigma %4.2f", sigma);
  std::printf("\n");
  for (std::size_t m = 0; m < r.psnr.size(); ++m) {
    std::printf("%-13s", model_names[m].c_str());
    for (double value : r.psnr[m]) std::printf("  %10.2f", value);
    std::printf("\n");
  }
}

void write_tables(const Results& r, const std::string& dir) {
  std::ofstream strata(dir + "/strata.csv"), summary(dir + "/summary.csv"), subspaces(dir + "/subspaces.csv"),
      psnr(dir + "/psnr.csv");
  strata << "latent,sigma,tau,rank_s1,rank_s2,rank_s3,count\n";
  summary << "latent,sigma,tau,strata,commonest,share,pd_s1,pd_s2,pd_s3,min_eig_s1,min_eig_s2,min_eig_s3,"
             "median_rel_min_s1,median_rel_min_s2,median_rel_min_s3,constant_channels,distinct_positions\n";
  for (std::size_t l = 0; l < r.strata.size(); ++l)
    for (std::size_t i = 0; i < r.noise.size(); ++i) {
      const StrataSummary& s = r.strata[l][i];
      for (std::size_t t = 0; t < r.taus.size(); ++t) {
        for (const auto& [triple, count] : s.histograms[t])
          strata << latent_names[l] << ',' << r.noise[i] << ',' << r.taus[t] << ',' << triple[0] << ','
                 << triple[1] << ',' << triple[2] << ',' << count << '\n';
        const auto [mode, share] = mode_of(s.histograms[t]);
        summary << latent_names[l] << ',' << r.noise[i] << ',' << r.taus[t] << ',' << s.histograms[t].size() << ",\""
                << triple_text(mode) << "\"," << share;
        for (double v : s.definite_fraction[t]) summary << ',' << v;
        for (double v : s.smallest_eigenvalue) summary << ',' << v;
        for (double v : s.median_relative_minimum) summary << ',' << v;
        summary << ',' << s.constant_channels << ',' << s.distinct_positions << '\n';
      }
    }
  subspaces << "latent,gamma,k,sigma,components_95,components_99,largest_angle_deg,mean_angle_deg\n";
  for (std::size_t l = 0; l < r.hilbert.size(); ++l)
    for (std::size_t i = 0; i < r.noise.size(); ++i) {
      const SubspaceRow& row = r.hilbert[l].rows[i];
      subspaces << latent_names[l] << ',' << r.hilbert[l].bandwidth << ',' << r.hilbert[l].components << ','
                << r.noise[i] << ',' << row.components_for[0] << ',' << row.components_for[1] << ','
                << degrees(largest(row.angles)) << ',' << degrees(average(row.angles)) << '\n';
    }
  psnr << "model,sigma,psnr_db\n";
  for (std::size_t m = 0; m < r.psnr.size(); ++m)
    for (std::size_t i = 0; i < r.noise.size(); ++i)
      psnr << model_names[m] << ',' << r.noise[i] << ',' << r.psnr[m][i] << '\n';

  std::ofstream json(dir + "/results.json");
  json << "{\n  \"dataset\": \"" << r.dataset << "\", \"train_images\": " << r.train_images
       << ", \"test_images\": " << r.test_images << ", \"epochs\": " << r.epochs << ", \"seed\": " << r.seed
       << ", \"threads\": " << r.threads << ",\n  \"train_seconds\": " << r.train_seconds
       << ", \"analysis_seconds\": " << r.analysis_seconds << ",\n  \"noise\": [" << list(r.noise)
       << "], \"taus\": [" << list(r.taus) << "],\n  \"training\": [";
  for (std::size_t m = 0; m < r.training.size(); ++m)
    json << (m ? ", " : "") << "{\"model\": \"" << model_names[m] << "\", \"seconds\": " << r.training[m].seconds
         << ", \"epoch_loss\": [" << list(r.training[m].epoch_loss) << "]}";
  json << "],\n  \"latents\": [\n";
  for (std::size_t l = 0; l < r.strata.size(); ++l) {
    const HilbertSummary& h = r.hilbert[l];
    json << "    {\"latent\": \"" << latent_names[l] << "\", \"gamma\": " << h.bandwidth << ", \"k\": "
         << h.components << ", \"levels\": [\n";
    for (std::size_t i = 0; i < r.noise.size(); ++i) {
      const StrataSummary& s = r.strata[l][i];
      std::vector<double> counts;
      for (const auto& histogram : s.histograms) counts.push_back(static_cast<double>(histogram.size()));
      json << "      {\"sigma\": " << r.noise[i] << ", \"strata\": [" << list(counts, "%.0f")
           << "], \"commonest\": \"" << triple_text(mode_of(s.histograms[main_tau(r)]).first)
           << "\", \"pd_fraction\": [" << list({s.definite_fraction[main_tau(r)].begin(),
                                                 s.definite_fraction[main_tau(r)].end()})
           << "], \"min_eigenvalue\": [" << list({s.smallest_eigenvalue.begin(), s.smallest_eigenvalue.end()})
           << "], \"constant_channels\": " << s.constant_channels << ", \"distinct_positions\": "
           << s.distinct_positions << ", \"components_95\": " << h.rows[i].components_for[0] << ", \"components_99\": "
           << h.rows[i].components_for[1] << ", \"largest_angle_deg\": " << degrees(largest(h.rows[i].angles))
           << ", \"mean_angle_deg\": " << degrees(average(h.rows[i].angles)) << "}"
           << (i + 1 < r.noise.size() ? ",\n" : "\n");
    }
    json << "    ]}" << (l + 1 < r.strata.size() ? ",\n" : "\n");
  }
  json << "  ],\n  \"psnr\": {";
  for (std::size_t m = 0; m < r.psnr.size(); ++m)
    json << (m ? ", " : "") << "\"" << model_names[m] << "\": [" << list(r.psnr[m]) << "]";
  json << "}\n}\n";
}

std::vector<std::string> write_plots(const Results& r, const std::string& dir) {
  std::vector<std::string> written;
  const auto plot = [&](const std::string& name, const std::vector<lg::data::PlotSeries>& series,
                        const lg::data::LinePlotOptions& options) {
    lg::data::save_line_plot(dir + "/" + name, series, options);
    written.push_back(name);
  };
  const std::size_t t = main_tau(r);
  char title[160];
  // One histogram per latent: the share of inputs at each rank of S_1, a curve per noise level.
  const char* files[] = {"ranks_conv_ae.png", "ranks_denoising_ae.png", "ranks_vae_sample.png", "ranks_vae_mean.png"};
  for (std::size_t l = 0; l < r.strata.size(); ++l) {
    std::vector<lg::data::PlotSeries> series;
    double spatial_full = 1.0;  // the smallest share with S_2 and S_3 both full rank, over the levels
    for (std::size_t i = 0; i < r.noise.size(); ++i) {
      const StrataSummary& s = r.strata[l][i];
      std::map<std::int64_t, std::int64_t> by_rank;
      for (const Triple& triple : s.triples[t]) ++by_rank[triple[0]];
      std::snprintf(title, sizeof title, "sigma %.2f", r.noise[i]);
      lg::data::PlotSeries curve{title, {}, {}};
      for (std::int64_t rank = 0; rank <= s.bound[0]; ++rank) {
        curve.x.push_back(static_cast<double>(rank));
        curve.y.push_back(by_rank.count(rank) ? static_cast<double>(by_rank[rank]) / static_cast<double>(
                                                    s.triples[t].size())
                                              : 0.0);
      }
      series.push_back(curve);
      spatial_full = std::min({spatial_full, s.definite_fraction[t][1], s.definite_fraction[t][2]});
    }
    std::snprintf(title, sizeof title, "%s: rank of S_1 (tau %.0e); S_2, S_3 full rank in >= %.0f%%",
                  latent_names[l].c_str(), r.taus[t], 100 * spatial_full);
    plot(files[l], series,
         {.title = title, .x_label = "rank of the channel covariance S_1 (bound 48)", .y_label = "share of inputs",
          .width = 900, .height = 420});
  }
  std::vector<lg::data::PlotSeries> strata, angles, psnr;
  for (std::size_t l = 0; l < r.strata.size(); ++l) {
    lg::data::PlotSeries count{latent_names[l], r.noise, {}}, angle{latent_names[l], r.noise, {}};
    for (std::size_t i = 0; i < r.noise.size(); ++i) {
      count.y.push_back(static_cast<double>(r.strata[l][i].histograms[t].size()));
      angle.y.push_back(degrees(average(r.hilbert[l].rows[i].angles)));
    }
    strata.push_back(count);
    angles.push_back(angle);
  }
  for (std::size_t m = 0; m < r.psnr.size(); ++m) psnr.push_back({model_names[m], r.noise, r.psnr[m]});
  std::snprintf(title, sizeof title, "distinct rank triples among %lld test inputs (tau %.0e)",
                static_cast<long long>(r.test_images), r.taus[t]);
  plot("strata.png", strata, {.title = title, .x_label = "input noise sigma", .y_label = "strata", .width = 800,
                              .height = 420});
  std::snprintf(title, sizeof title, "mean principal angle to the clean kernel-PCA subspace (k = %lld)",
                static_cast<long long>(r.hilbert.empty() ? 0 : r.hilbert[0].components));
  plot("angles.png", angles, {.title = title, .x_label = "input noise sigma", .y_label = "degrees", .width = 800,
                              .height = 420});
  plot("psnr.png", psnr,
       {.title = "reconstruction PSNR against the clean image", .x_label = "input noise sigma", .y_label = "dB",
        .width = 800, .height = 420});
  return written;
}

}  // namespace latent_strata
