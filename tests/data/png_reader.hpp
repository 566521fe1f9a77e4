// Reads a PNG back with libpng for the plot and image tests: its size, its
// channels (1 gray or 3 RGB, 8-bit) and its pixels.
#pragma once
#include <png.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace test_data {

struct Image {
  std::int64_t width = 0, height = 0, channels = 0;
  std::vector<std::uint8_t> pixels;
  std::uint8_t at(std::int64_t x, std::int64_t y, std::int64_t c = 0) const {
    return pixels[static_cast<std::size_t>((y * width + x) * channels + c)];
  }
};

// Reads a PNG keeping its own format (gray or RGB, 8-bit).
inline Image read_png(const std::string& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) throw std::runtime_error(image.message);
  Image out;
  out.width = image.width;
  out.height = image.height;
  out.channels = PNG_IMAGE_PIXEL_CHANNELS(image.format);
  image.format = out.channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  out.channels = out.channels == 1 ? 1 : 3;
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) throw std::runtime_error(image.message);
  return out;
}

}  // namespace test_data
