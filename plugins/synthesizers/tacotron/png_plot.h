// PNG heat maps for training evaluation: attention alignments and predicted-vs-target mels (libpng).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace voxclone::tacotron {

/// A row-major matrix of floats: rows × cols.
struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<float> data;
  float at(int64_t r, int64_t c) const { return data[size_t(r * cols + c)]; }
};

/// Writes `panels` stacked vertically (each scaled by `scale` pixels per cell, low rows at the bottom like
/// matplotlib's origin='lower'), colour-mapped from [lo, hi] (lo == hi: each panel's own range), separated by
/// a white line. `title` goes into the PNG's tEXt "Title" chunk. Atomic; UserError on failure.
void write_heatmap_png(const std::string& path, const std::vector<Matrix>& panels, int scale, float lo, float hi,
                       const std::string& title);

}  // namespace voxclone::tacotron
