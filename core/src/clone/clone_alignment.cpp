// The attention of a clone as a picture or an array (voxclone clone --alignment, cloner:clone{alignment=}).
#include <ATen/ATen.h>

#include <filesystem>

#include "voxclone/clone.h"
#include "voxclone/npy.h"
#include "voxclone/plot.h"

namespace voxclone {

bool write_clone_alignment(const std::string& path, const CloneResult& result) {
  std::vector<at::Tensor> parts;
  for (const auto& al : result.alignments)
    if (al.defined()) parts.push_back(al.to(at::kFloat).cpu().contiguous());
  if (parts.empty()) return false;
  if (std::filesystem::path(path).extension() == ".png") {
    std::vector<PlotMatrix> panels;
    for (const auto& p : parts) {
      at::Tensor t = p.t().contiguous();
      panels.push_back(
          {t.size(0), t.size(1), std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel())});
    }
    write_heatmap_png(path, panels, 3, 0.0f, 1.0f, "voxclone clone attention (text up, decoder steps right)");
    return true;
  }
  int64_t width = 0;
  for (const auto& p : parts) width = std::max(width, p.size(1));
  for (auto& p : parts) p = at::constant_pad_nd(p, {0, width - p.size(1)});
  write_npy(path, at::cat(parts, 0));
  return true;
}

}  // namespace voxclone
