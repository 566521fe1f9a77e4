// train_strkm's table, CSV and PNGs (figures.hpp).
#include "figures.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

namespace train_strkm {
namespace {

// "St-RKM" row details: the orthogonality and the PCA term; "-" for the VAEs.
std::string strkm_cells(const Summary& s, std::size_t i) {
  if (i != 0) return "| - | - | - ";
  const TrainHistory& h = s.histories[0];
  char text[160];
  std::snprintf(text, sizeof text, "| %.1e | %.1e | %.3g -> %.3g ", h.max_orthogonality, s.off_diagonal_ratio,
                h.first_at_start, h.epochs.empty() ? 0.0 : h.epochs.back().first);
  return text;
}

// A JSON number, or null for NaN (a score that does not apply).
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char text[40];
  std::snprintf(text, sizeof text, "%.9g", v);
  return text;
}

std::string number(double v, const char* format = "%.3f") {
  if (std::isnan(v)) return "-";
  char text[40];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

}  // namespace

void print_table(const Summary& s, const std::vector<ModelView>& views) {
  std::printf("\n%s, %lld samples against as many real images:\n", s.dataset.c_str(),
              static_cast<long long>(s.scores.empty() ? 0 : s.scores[0].samples.size(0)));
  std::printf("| model | SWD | reconstruction error | DCI D | DCI C | DCI I (NRMSE) | MIG | max orthogonality error "
              "| Cov(H) off-diag | PCA term first batch -> last epoch |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (std::size_t i = 0; i < views.size(); ++i) {
    const Scores& r = s.scores[i];
    std::printf("| %s | %s | %s | %s | %s | %s | %s %s|\n", views[i].name.c_str(), number(r.swd, "%.4f").c_str(),
                number(r.reconstruction_error, "%.2f").c_str(), number(r.dci_disentanglement).c_str(),
                number(r.dci_completeness).c_str(), number(r.dci_informativeness_error).c_str(),
                number(r.mig).c_str(), strkm_cells(s, i).c_str());
  }
  std::printf("| real training images | %s | - | - | - | - | - | - | - | - |\n",
              number(s.reference_swd, "%.4f").c_str());
}

void write_results(const std::string& folder, const Summary& s, const std::vector<ModelView>& views) {
  std::ofstream csv(folder + "/results.csv");
  csv << "dataset,model,swd,reconstruction_error,dci_d,dci_c,dci_i,mig,max_orthogonality,train_seconds\n";
  for (std::size_t i = 0; i < views.size(); ++i) {
    const Scores& r = s.scores[i];
    double seconds = 0.0;
    for (const EpochRecord& e : s.histories[i].epochs) seconds += e.seconds;
    csv << s.dataset << ',' << views[i].name << ',' << r.swd << ',' << r.reconstruction_error << ','
        << r.dci_disentanglement << ',' << r.dci_completeness << ',' << r.dci_informativeness_error << ',' << r.mig
        << ',' << s.histories[i].max_orthogonality << ',' << seconds << '\n';
  }
  csv << s.dataset << ",real training images," << s.reference_swd << ",,,,,,,\n";

  std::ofstream json(folder + "/results.json");
  json << "{\n  \"paper\": \"Pandey, Fanuel, Schreurs and Suykens, Disentangled Representation Learning and "
          "Generation with Manifold Optimization (St-RKM), Neural Computation 2022\",\n  \"dataset\": \""
       << s.dataset << "\",\n  \"real_images_swd\": " << json_number(s.reference_swd)
       << ",\n  \"cov_h_off_diagonal_ratio\": " << json_number(s.off_diagonal_ratio) << ",\n  \"models\": [";
  for (std::size_t i = 0; i < views.size(); ++i) {
    const Scores& r = s.scores[i];
    json << (i ? ",\n" : "\n") << "    {\"name\": \"" << views[i].name << "\", \"swd\": " << json_number(r.swd)
         << ", \"reconstruction_error\": " << json_number(r.reconstruction_error)
         << ", \"dci_d\": " << json_number(r.dci_disentanglement) << ", \"dci_c\": " << json_number(r.dci_completeness)
         << ", \"dci_i\": " << json_number(r.dci_informativeness_error) << ", \"mig\": " << json_number(r.mig)
         << ", \"max_orthogonality\": " << json_number(s.histories[i].max_orthogonality)
         << ", \"epochs\": " << s.histories[i].epochs.size() << "}";
  }
  json << "\n  ]\n}\n";
}

void write_figures(const std::string& folder, const lg::nn::StiefelRkm& strkm, const std::vector<ModelView>& views,
                   const lg::Tensor& real, const Summary& s) {
  lg::NoGradGuard no_grad;
  const std::int64_t m = strkm.options().latent_size, steps = 11;
  std::vector<double> values;
  for (std::int64_t i = 0; i < steps; ++i) values.push_back(-5.0 + 10.0 * static_cast<double>(i) / (steps - 1));
  std::vector<lg::Tensor> rows;
  std::vector<std::string> labels;
  for (std::int64_t k = 0; k < m; ++k) {
    rows.push_back(strkm.traversal(k, values));
    labels.push_back(std::string("h").append(std::to_string(k + 1)));
  }
  lg::data::save_image_grid(folder + "/traversals.png", lg::cat(rows, 0).to(lg::float32),
                            {.columns = steps, .scale = 2, .title = "St-RKM: h = t e_k, t from -5 to 5",
                             .row_labels = labels});

  const std::int64_t shown = std::min<std::int64_t>(12, real.size(0));
  std::vector<lg::Tensor> samples{}, reconstructions{real.narrow(0, 0, shown)};
  std::vector<std::string> names{}, reconstruction_names{"real"};
  for (std::size_t i = 0; i < views.size(); ++i) {
    samples.push_back(s.scores[i].samples.narrow(0, 0, shown));
    names.push_back(views[i].name);
    reconstructions.push_back(views[i].reconstruct(real.narrow(0, 0, shown)).to(lg::float32));
    reconstruction_names.push_back(views[i].name);
  }
  lg::data::save_image_grid(folder + "/samples.png", lg::cat(samples, 0),
                            {.columns = shown, .scale = 2, .title = "random samples", .row_labels = names});
  lg::data::save_image_grid(folder + "/reconstructions.png", lg::cat(reconstructions, 0),
                            {.columns = shown, .scale = 2, .title = "reconstructions",
                             .row_labels = reconstruction_names});

  std::vector<lg::data::PlotSeries> series;
  const auto add = [&](const std::string& name, const TrainHistory& h, bool first) {
    lg::data::PlotSeries line{name, {}, {}};
    for (std::size_t e = 0; e < h.epochs.size(); ++e) {
      line.x.push_back(static_cast<double>(e + 1));
      line.y.push_back(first ? h.epochs[e].first : h.epochs[e].second);
    }
    series.push_back(line);
  };
  add("St-RKM PCA term", s.histories[0], true);
  add("St-RKM AE term", s.histories[0], false);
  add("VAE reconstruction (nats)", s.histories[1], true);
  add("beta-VAE reconstruction (nats)", s.histories[2], true);
  const std::string title = std::string("training terms, epoch means (").append(s.dataset).append(")");
  lg::data::save_line_plot(folder + "/loss.png", series,
                           {.title = title, .x_label = "epoch",
                            .y_label = "per image", .log_y = true, .width = 640, .height = 400});
}

}  // namespace train_strkm
