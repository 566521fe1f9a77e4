// Line plots as PNG files, for convergence curves: loss against step for a
// few runs, with a title, axis labels, round ticks, an optional log y axis
// and a legend.
//
//   lg::data::save_line_plot("loss.png", {{"train", steps, train_loss}, {"test", steps, test_loss}},
//                            {.title = "Autoencoder on MNIST", .x_label = "step", .y_label = "loss",
//                             .log_y = true});
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace lg::data {

// One curve: y[i] against x[i], drawn in order and named in the legend.
struct PlotSeries {
  // The legend entry.
  std::string name;
  // The points' x values (step, epoch...).
  std::vector<double> x;
  // The points' y values, as many as x.
  std::vector<double> y;
};

// A scalar field drawn behind the curves, e.g. a decoder's magnification factor over the latent plane:
// values[r * columns + c] is the cell at column c (x, from x_low to x_high) of row r (y, from y_low to y_high).
struct HeatMap {
  // rows * columns values; NaN and infinite cells are left white.
  std::vector<double> values = {};
  // Cells along y; 0: no heat map.
  std::int64_t rows = 0;
  // Cells along x.
  std::int64_t columns = 0;
  // The x range the columns cover.
  double x_low = 0.0, x_high = 1.0;
  // The y range the rows cover.
  double y_low = 0.0, y_high = 1.0;
  // Shade by log10 of the values (positive ones; others are left white).
  bool log_scale = false;
};

// What a line plot writes around its curves, and its size.
struct LinePlotOptions {
  // Centred above the plot; empty for none.
  std::string title = "";
  // Below the x axis; empty for none.
  std::string x_label = "";
  // Above the y axis, written horizontally; empty for none.
  std::string y_label = "";
  // A log10 y axis (ticks at powers of ten); points with y <= 0 are skipped, breaking the line there.
  bool log_y = false;
  // Image width in pixels, 200 to 16384.
  std::int64_t width = 800;
  // Image height in pixels, 150 to 16384.
  std::int64_t height = 500;
  // Drawn behind the curves, light (smallest value) to dark blue (largest), when rows > 0; the axes then
  // span its ranges (and the curves). Not with log_y.
  HeatMap background = {};
};

// Writes an RGB PNG of `series` as polylines in the tab10 colours (cycling
// after ten), inside an axes box with 4 to 6 round ticks on each axis, light
// grid lines, and a legend in the corner the curves leave emptiest. Points
// with a NaN or infinite coordinate are skipped and the line is broken there;
// a point alone between breaks is drawn as a dot. Characters outside printable
// ASCII are drawn as boxes. Errors start with "save_line_plot: " and the path:
// ValueError for no series, no drawable point or a too small size; ShapeError
// when a series' x and y differ in length; IOError when the file cannot be written.
void save_line_plot(const std::string& path, const std::vector<PlotSeries>& series,
                    const LinePlotOptions& options = {});

}  // namespace lg::data
