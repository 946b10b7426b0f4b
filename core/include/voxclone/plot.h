// PNG pictures for people watching training or checking a clone: heat maps (attention, mels) and raw RGB.
//
//   voxclone::PlotMatrix m{rows, cols, values};           // row-major
//   voxclone::write_heatmap_png("attention.png", {m}, 4, 0.0f, 1.0f, "step 1000");
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace voxclone {

/// A row-major matrix of floats: rows × cols.
struct PlotMatrix {
  int64_t rows = 0, cols = 0;
  std::vector<float> data;
  float at(int64_t r, int64_t c) const { return data[size_t(r * cols + c)]; }
};

/// Writes `panels` stacked vertically (each scaled by `scale` pixels per cell, low rows at the bottom like
/// matplotlib's origin='lower'), colour-mapped (viridis) from [lo, hi] (lo == hi: each panel's own range),
/// separated by a white line. `title` goes into the PNG's tEXt "Title" chunk. Atomic; UserError on failure.
void write_heatmap_png(const std::string& path, const std::vector<PlotMatrix>& panels, int scale, float lo, float hi,
                       const std::string& title);

/// Writes `rgb` (height rows of width × 3 bytes) as an 8-bit RGB PNG, atomically. `title` may be empty.
void write_rgb_png(const std::string& path, const std::vector<uint8_t>& rgb, int64_t width, int64_t height,
                   const std::string& title = "");

}  // namespace voxclone
