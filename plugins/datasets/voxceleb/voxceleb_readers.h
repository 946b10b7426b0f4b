// VoxCeleb1 (wav + vox1_meta.csv, nationality filter) and VoxCeleb2 (m4a, no metadata) readers.
#pragma once

#include <string>
#include <vector>

#include "voxclone/dataset.h"

namespace voxclone::voxceleb {

struct VoxCeleb1Options {
  /// Kept nationalities, lower-case (RTVC's anglophone list by default); empty: every listed speaker.
  std::vector<std::string> nationalities = {"australia", "canada", "ireland", "uk", "usa"};
  bool read_durations = true;
};
/// `root`: the folder holding VoxCeleb1/ or VoxCeleb1 itself. Subsets: "wav", "test_wav" (default: present).
DatasetListing read_voxceleb1(const std::string& root, const std::vector<std::string>& subsets,
                              const VoxCeleb1Options& options);

struct VoxCeleb2Options {
  bool read_durations = true;  ///< from the MP4 header (FFmpeg), no decoding
};
/// `root`: the folder holding VoxCeleb2/ or VoxCeleb2 itself. Subsets: "dev", "test" (each <subset>/aac/).
DatasetListing read_voxceleb2(const std::string& root, const std::vector<std::string>& subsets,
                              const VoxCeleb2Options& options);

}  // namespace voxclone::voxceleb
