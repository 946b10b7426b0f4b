// FFmpeg-based reading for containers libsndfile cannot open (AAC in MP4/M4A: VoxCeleb2).
#pragma once

#include <string>

#include "voxclone/audio.h"

namespace voxclone::detail {

/// True for the extensions routed to FFmpeg: .m4a .mp4 .aac (any case).
bool use_ffmpeg(const std::string& path);
/// Header/container facts; frames from the stream duration (no decoding). UserError naming the file.
AudioInfo ffmpeg_audio_info(const std::string& path);
/// Decodes the first audio stream to float, mixed down to mono (mean of channels), native rate.
Waveform ffmpeg_read_audio(const std::string& path);

}  // namespace voxclone::detail
