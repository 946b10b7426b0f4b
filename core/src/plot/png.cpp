// PNG writing (libpng) and the viridis heat map used by training plots and `voxclone clone --alignment`.
#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "voxclone/error.h"
#include "voxclone/files.h"
#include "voxclone/plot.h"

namespace voxclone {
namespace {

// A few stops of matplotlib's viridis, interpolated linearly.
void colour(float t, uint8_t* rgb) {
  static const float stops[][3] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f) * 4.0f;
  int i = std::min(3, int(t));
  float f = t - float(i);
  for (int k = 0; k < 3; ++k) rgb[k] = uint8_t(std::lround(stops[i][k] * (1 - f) + stops[i + 1][k] * f));
}

// Only plain locals between setjmp and the end: libpng reports errors by longjmp.
bool encode(FILE* f, const uint8_t* rgb, png_uint_32 width, png_uint_32 height, const char* title) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  char key[] = "Title";
  png_text text{};
  if (title && *title) {
    text.compression = PNG_TEXT_COMPRESSION_NONE;
    text.key = key;
    text.text = const_cast<char*>(title);
    png_set_text(png, info, &text, 1);
  }
  png_write_info(png, info);
  for (png_uint_32 y = 0; y < height; ++y) png_write_row(png, rgb + size_t(y) * width * 3);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

void write_rgb_png(const std::string& path, const std::vector<uint8_t>& rgb, int64_t width, int64_t height,
                   const std::string& title) {
  if (width < 1 || height < 1 || width > 20000 || height > 20000 || rgb.size() != size_t(width * height * 3))
    throw InternalError("write_rgb_png: bad image size for " + path);
  AtomicFile out(path);
  FILE* f = std::fopen(out.temp_path().c_str(), "wb");
  if (!f) throw UserError("cannot write " + path);
  bool ok = encode(f, rgb.data(), png_uint_32(width), png_uint_32(height), title.c_str());
  bool closed = std::fclose(f) == 0;
  if (!ok) throw InternalError("libpng failed writing " + path);
  if (!closed) throw UserError("cannot write " + path);
  out.commit();
}

void write_heatmap_png(const std::string& path, const std::vector<PlotMatrix>& panels, int scale, float lo, float hi,
                       const std::string& title) {
  if (panels.empty() || scale < 1) throw InternalError("write_heatmap_png: nothing to draw");
  int64_t width = 0, height = 0;
  for (const auto& p : panels) {
    width = std::max(width, p.cols * scale);
    height += p.rows * scale + 2;
  }
  if (width < 1 || height < 1 || width > 20000 || height > 20000)
    throw InternalError("write_heatmap_png: bad image size");
  std::vector<uint8_t> image(size_t(width * height * 3), 255);
  int64_t y0 = 0;
  for (const auto& p : panels) {
    float a = lo, b = hi;
    if (a == b && !p.data.empty()) {
      a = *std::min_element(p.data.begin(), p.data.end());
      b = *std::max_element(p.data.begin(), p.data.end());
    }
    float span = b > a ? b - a : 1.0f;
    for (int64_t r = 0; r < p.rows; ++r)
      for (int64_t c = 0; c < p.cols; ++c) {
        uint8_t rgb[3];
        colour((p.at(r, c) - a) / span, rgb);
        for (int dy = 0; dy < scale; ++dy)
          for (int dx = 0; dx < scale; ++dx) {
            int64_t y = y0 + (p.rows - 1 - r) * scale + dy, x = c * scale + dx;
            std::copy(rgb, rgb + 3, &image[size_t((y * width + x) * 3)]);
          }
      }
    y0 += p.rows * scale + 2;
  }
  write_rgb_png(path, image, width, height, title);
}

}  // namespace voxclone
