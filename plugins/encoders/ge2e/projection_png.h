// A 2-D projection of embeddings drawn as a PNG scatter plot, one colour per speaker (RTVC's UMAP plot).
#pragma once

#include <string>
#include <vector>

namespace voxclone::ge2e {

/// Projects `points` (n rows of equal length) onto their first two principal components (power
/// iteration on the covariance, deterministic) and returns n (x, y) pairs.
std::vector<std::pair<double, double>> pca_2d(const std::vector<std::vector<float>>& points);

/// Draws the projection of `points` as `size`×`size` PNG dots coloured by `labels` (speaker index) and
/// writes it to `path`. UserError if the file cannot be written.
void write_projection_png(const std::string& path, const std::vector<std::vector<float>>& points,
                          const std::vector<int>& labels, int size = 480);

}  // namespace voxclone::ge2e
