// Helpers shared by the CLI commands that read mels and write audio outputs.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>

#include "voxclone/audio.h"

namespace voxclone::cli {

/// "name" or "name:checkpoint" → {name, checkpoint}.
std::pair<std::string, std::string> split_plugin_spec(const std::string& spec);

/// A 2-D mel as num_mels × frames, float32: transposes frames × num_mels; UserError naming `source` otherwise.
at::Tensor orient_mel(const at::Tensor& mel, int64_t num_mels, const std::string& source);

/// OUT.wav: peak-normalised to 0.97 (as RTVC's demo does), 16-bit PCM with metadata;
/// OUT.npy: the raw float32 samples. Any other extension is a UserError.
void write_waveform_output(const std::string& path, const Waveform& w, const std::string& comment);

}  // namespace voxclone::cli
