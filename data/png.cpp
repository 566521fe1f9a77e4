// The PNG writer (libpng's simplified API, which reports errors in a message
// rather than by longjmp, so no C++ frame is skipped) and image grids.
#include "data/png.hpp"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "autograd/error.hpp"

namespace lg::data {

void write_png(const std::string& path, std::int64_t width, std::int64_t height, int channels,
               std::span<const std::uint8_t> pixels) {
  check<ValueError>(channels == 1 || channels == 3, path, "channels: expected 1 (gray) or 3 (RGB), found ",
                    channels);
  constexpr std::int64_t max_side = 1 << 20;
  check<ShapeError>(width > 0 && height > 0 && width <= max_side && height <= max_side, path,
                    "size: expected width and height in [1, ", max_side, "], found ", width, " x ", height);
  const auto expected = static_cast<std::size_t>(width * height * channels);
  check<ShapeError>(pixels.size() == expected, path, "pixels: expected ", expected, " bytes (", width, " x ", height,
                    " x ", channels, "), found ", pixels.size());
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  const int written = png_image_write_to_file(&image, path.c_str(), 0, pixels.data(),
                                              static_cast<png_int_32>(width * channels), nullptr);
  const std::string message = image.message;
  png_image_free(&image);
  if (!written) fail<IOError>(path, "write: expected to write a PNG, found a libpng error: ", message);
}

void save_image_grid(const std::string& path, const Tensor& images, std::int64_t columns, std::int64_t padding) {
  check<ShapeError>(images.defined() && images.dim() == 4 && (images.size(1) == 1 || images.size(1) == 3) &&
                        images.size(0) > 0,
                    path, "images: expected a non-empty [N, 1, H, W] or [N, 3, H, W] tensor, found ",
                    images.defined() ? shape_str(images.shape()) : std::string("an undefined tensor"));
  check<DeviceError>(images.device() == cpu, path, "images: expected a cpu tensor, found ", images.device());
  check<ValueError>(columns > 0 && padding >= 0, path, "expected columns > 0 and padding >= 0, found columns ",
                    columns, ", padding ", padding);
  const std::int64_t count = images.size(0), channels = images.size(1);
  const std::int64_t image_height = images.size(2), image_width = images.size(3);
  const std::int64_t grid_columns = std::min(columns, count);
  const std::int64_t grid_rows = (count + grid_columns - 1) / grid_columns;
  const std::int64_t width = grid_columns * (image_width + padding) + padding;
  const std::int64_t height = grid_rows * (image_height + padding) + padding;

  const std::vector<double> values = images.detach().to_vector<double>();
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width * height * channels), 255);
  for (std::int64_t n = 0; n < count; ++n) {
    const std::int64_t left = padding + (n % grid_columns) * (image_width + padding);
    const std::int64_t top = padding + (n / grid_columns) * (image_height + padding);
    for (std::int64_t c = 0; c < channels; ++c)
      for (std::int64_t y = 0; y < image_height; ++y)
        for (std::int64_t x = 0; x < image_width; ++x) {
          const double value = values[static_cast<std::size_t>(((n * channels + c) * image_height + y) * image_width + x)];
          const double clamped = std::isnan(value) ? 0.0 : std::clamp(value, 0.0, 1.0);
          pixels[static_cast<std::size_t>(((top + y) * width + left + x) * channels + c)] =
              static_cast<std::uint8_t>(std::lround(clamped * 255.0));
        }
  }
  write_png(path, width, height, static_cast<int>(channels), pixels);
}

}  // namespace lg::data
