// The English corpus readers (LibriSpeech, VCTK, LJSpeech, TIMIT): folder layouts → manifest rows.
#pragma once

#include <string>
#include <vector>

#include "voxclone/dataset.h"

namespace voxclone::english {

struct LibriSpeechOptions {
  bool alignments = true;      ///< use <spk>-<chapter>.alignment.txt when present
  bool read_durations = true;  ///< probe every file's header
};
/// `root`: the folder holding LibriSpeech/ (RTVC's datasets_root) or the LibriSpeech folder itself.
DatasetListing read_librispeech(const std::string& root, const std::vector<std::string>& subsets,
                                const LibriSpeechOptions& options);

struct VctkOptions {
  std::string mic = "mic1";  ///< 0.92 layout: "mic1", "mic2" or "both"
  bool read_durations = true;
};
/// Both the 0.80 layout (wav48/, .wav) and 0.92 (wav48_silence_trimmed/, _mic1/_mic2 .flac); txt/ beside.
DatasetListing read_vctk(const std::string& root, const VctkOptions& options);

struct LjSpeechOptions {
  bool normalized = true;  ///< the 3rd metadata column (else the raw 2nd)
  std::string speaker = "LJ";
  bool read_durations = true;
};
DatasetListing read_ljspeech(const std::string& root, const LjSpeechOptions& options);

struct TimitOptions {
  bool read_durations = true;  ///< also needed to turn .WRD sample offsets into seconds (16 kHz otherwise)
};
/// TRAIN/TEST (any case) → DR*/<speaker>/<utt>.WAV (NIST SPHERE) + .TXT + .WRD.
DatasetListing read_timit(const std::string& root, const std::vector<std::string>& subsets,
                          const TimitOptions& options);

}  // namespace voxclone::english
