// PCA projection and a small PNG scatter plot of embeddings for training visualisations.
#include "projection_png.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "voxclone/error.h"
#include "voxclone/plot.h"

namespace voxclone::ge2e {

std::vector<std::pair<double, double>> pca_2d(const std::vector<std::vector<float>>& points) {
  const size_t n = points.size(), d = n ? points[0].size() : 0;
  std::vector<double> mean(d, 0.0);
  for (const auto& p : points)
    for (size_t j = 0; j < d; ++j) mean[j] += p[j] / double(n);
  std::vector<std::vector<double>> centred(n, std::vector<double>(d));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < d; ++j) centred[i][j] = points[i][j] - mean[j];
  // Power iteration on X^T X, deflating after the first component.
  auto component = [&](const std::vector<double>* orth) {
    std::vector<double> v(d);
    for (size_t j = 0; j < d; ++j) v[j] = 1.0 + 0.01 * double(j % 7);
    for (int it = 0; it < 100; ++it) {
      std::vector<double> xv(n, 0.0), next(d, 0.0);
      for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < d; ++j) xv[i] += centred[i][j] * v[j];
      for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < d; ++j) next[j] += centred[i][j] * xv[i];
      if (orth != nullptr) {
        double dot = 0;
        for (size_t j = 0; j < d; ++j) dot += next[j] * (*orth)[j];
        for (size_t j = 0; j < d; ++j) next[j] -= dot * (*orth)[j];
      }
      double norm = 0;
      for (double x : next) norm += x * x;
      norm = std::sqrt(norm);
      if (norm == 0) break;
      for (size_t j = 0; j < d; ++j) v[j] = next[j] / norm;
    }
    return v;
  };
  std::vector<double> c1 = component(nullptr), c2 = component(&c1);
  std::vector<std::pair<double, double>> out(n);
  for (size_t i = 0; i < n; ++i) {
    double x = 0, y = 0;
    for (size_t j = 0; j < d; ++j) {
      x += centred[i][j] * c1[j];
      y += centred[i][j] * c2[j];
    }
    out[i] = {x, y};
  }
  return out;
}

void write_projection_png(const std::string& path, const std::vector<std::vector<float>>& points,
                          const std::vector<int>& labels, int size) {
  auto xy = pca_2d(points);
  std::vector<uint8_t> rgb(size_t(size) * size * 3, 255);
  double lo_x = 1e300, hi_x = -1e300, lo_y = 1e300, hi_y = -1e300;
  for (auto [x, y] : xy) {
    lo_x = std::min(lo_x, x), hi_x = std::max(hi_x, x), lo_y = std::min(lo_y, y), hi_y = std::max(hi_y, y);
  }
  const int margin = 16, radius = 4;
  auto scale = [&](double v, double lo, double hi) {
    return margin + int((hi > lo ? (v - lo) / (hi - lo) : 0.5) * (size - 2 * margin - 1));
  };
  for (size_t i = 0; i < xy.size(); ++i) {
    // A distinct hue per speaker (golden-angle steps), full saturation.
    double h = std::fmod(double(labels[i]) * 0.618033988749895, 1.0) * 6.0;
    double f = h - std::floor(h);
    double rgbf[6][3] = {{1, f, 0}, {1 - f, 1, 0}, {0, 1, f}, {0, 1 - f, 1}, {f, 0, 1}, {1, 0, 1 - f}};
    const double* col = rgbf[int(h) % 6];
    int cx = scale(xy[i].first, lo_x, hi_x), cy = size - 1 - scale(xy[i].second, lo_y, hi_y);
    for (int dy = -radius; dy <= radius; ++dy)
      for (int dx = -radius; dx <= radius; ++dx) {
        int px = cx + dx, py = cy + dy;
        if (dx * dx + dy * dy > radius * radius || px < 0 || py < 0 || px >= size || py >= size) continue;
        for (int k = 0; k < 3; ++k) rgb[(size_t(py) * size + px) * 3 + k] = uint8_t(col[k] * 220);
      }
  }
  write_rgb_png(path, rgb, size, size);
}

}  // namespace voxclone::ge2e
