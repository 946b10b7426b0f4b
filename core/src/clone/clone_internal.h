// What the clone module's files share: the record of how a WAV was made, before it becomes JSON.
#pragma once

#include <string>
#include <vector>

#include "voxclone/clone.h"

namespace voxclone::clone_detail {

struct ModelRecord {
  std::string role;  ///< encoder | synthesizer | vocoder
  ModelSpec spec;
  std::string sha256;  ///< of the checkpoint file ("" without one)
};

struct VoiceRecord {
  std::string path;
  std::string sha256;
};

std::string build_metadata(const CloneRequest& request, const std::vector<ModelRecord>& models,
                           const std::vector<VoiceRecord>& voices, const CloneResult& result);

/// SHA-256 of a model file, remembered in `cache_dir` by (absolute path, size, modification time) so a
/// 400 MB checkpoint is hashed once.
std::string model_file_hash(const std::string& path, const std::string& cache_dir);

}  // namespace voxclone::clone_detail
