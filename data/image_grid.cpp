// The titled image grid: images tiled as in the plain save_image_grid, each
// pixel blown up to a scale x scale block, on an RGB canvas with a title above
// and a label left of each row, in the 5 x 7 pixel font.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "autograd/error.hpp"
#include "data/canvas.hpp"
#include "data/png.hpp"

namespace lg::data {
namespace {

constexpr int font_scale = 2;
constexpr std::int64_t margin = 8;  // canvas pixels around the text

std::uint8_t byte_of(double value) {
  const double clamped = std::isnan(value) ? 0.0 : std::clamp(value, 0.0, 1.0);
  return static_cast<std::uint8_t>(std::lround(clamped * 255.0));
}

}  // namespace

void save_image_grid(const std::string& path, const Tensor& images, const ImageGridOptions& options) {
  check<ShapeError>(images.defined() && images.dim() == 4 && (images.size(1) == 1 || images.size(1) == 3) &&
                        images.size(0) > 0,
                    path, "images: expected a non-empty [N, 1, H, W] or [N, 3, H, W] tensor, found ",
                    images.defined() ? shape_str(images.shape()) : std::string("an undefined tensor"));
  check<DeviceError>(images.device() == cpu, path, "images: expected a cpu tensor, found ", images.device());
  check<ValueError>(options.columns > 0 && options.padding >= 0 && options.scale >= 1 && options.scale <= 64, path,
                    "expected columns > 0, padding >= 0 and scale in [1, 64], found columns ", options.columns,
                    ", padding ", options.padding, ", scale ", options.scale);
  const std::int64_t count = images.size(0), channels = images.size(1);
  const std::int64_t columns = std::min(options.columns, count), rows = (count + columns - 1) / columns;
  check<ValueError>(static_cast<std::int64_t>(options.row_labels.size()) <= rows, path, "row_labels: ",
                    options.row_labels.size(), " labels for a grid of ", rows, " rows");

  const std::int64_t s = options.scale, pad = options.padding * s;
  const std::int64_t cell_height = images.size(2) * s, cell_width = images.size(3) * s;
  std::int64_t label_width = 0;
  for (const std::string& label : options.row_labels)
    label_width = std::max(label_width, detail::text_width(label, font_scale) + margin);
  const std::int64_t title_height = options.title.empty() ? 0 : detail::text_height(font_scale) + 2 * margin;
  const std::int64_t grid_width = columns * (cell_width + pad) + pad;
  const std::int64_t title_width = options.title.empty() ? 0 : detail::text_width(options.title, font_scale) + 2 * margin;
  const std::int64_t width = std::max(label_width + grid_width, title_width);
  const std::int64_t height = title_height + rows * (cell_height + pad) + pad;

  detail::Canvas canvas(width, height);
  if (!options.title.empty())
    canvas.draw_text((width - detail::text_width(options.title, font_scale)) / 2, margin, options.title,
                     detail::black, font_scale);
  for (std::size_t r = 0; r < options.row_labels.size(); ++r) {
    const std::int64_t middle = title_height + pad + static_cast<std::int64_t>(r) * (cell_height + pad) + cell_height / 2;
    canvas.draw_text(margin / 2, middle - detail::text_height(font_scale) / 2, options.row_labels[r], detail::black,
                     font_scale);
  }

  const std::vector<double> values = images.detach().to_vector<double>();
  const std::int64_t image_height = images.size(2), image_width = images.size(3);
  const auto value = [&](std::int64_t n, std::int64_t c, std::int64_t y, std::int64_t x) {
    return values[static_cast<std::size_t>(((n * channels + c) * image_height + y) * image_width + x)];
  };
  for (std::int64_t n = 0; n < count; ++n) {
    const std::int64_t left = label_width + pad + (n % columns) * (cell_width + pad);
    const std::int64_t top = title_height + pad + (n / columns) * (cell_height + pad);
    for (std::int64_t y = 0; y < image_height; ++y)
      for (std::int64_t x = 0; x < image_width; ++x) {
        const std::uint8_t red = byte_of(value(n, 0, y, x));
        const detail::Color color = channels == 1 ? detail::Color{red, red, red}
                                                  : detail::Color{red, byte_of(value(n, 1, y, x)),
                                                                  byte_of(value(n, 2, y, x))};
        canvas.fill_rect(left + x * s, top + y * s, s, s, color);
      }
  }
  write_png(path, width, height, 3, canvas.pixels());
}

}  // namespace lg::data
