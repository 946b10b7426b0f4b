// RTVC's compute_partial_slices: where an utterance is cut into fixed-length partial utterances.
#pragma once

#include <cstdint>
#include <vector>

namespace voxclone::ge2e {

/// A half-open range [start, stop).
struct Range {
  int64_t start = 0, stop = 0;
};

struct PartialSlices {
  std::vector<Range> wav;  ///< sample ranges (may run past the end: pad the waveform with zeros)
  std::vector<Range> mel;  ///< frame ranges of the mel of the padded waveform
};

struct PartialOptions {
  int64_t partial_frames = 160;    ///< partials_n_frames
  double min_pad_coverage = 0.75;  ///< keep a last partial this much covered by real samples
  double overlap = 0.5;            ///< 0: disjoint partials
  int sample_rate = 16000;
  int step_ms = 10;  ///< mel_window_step
};

/// The slices of an utterance of `n_samples` samples (encoder/inference.py). Always at least one.
/// Throws InternalError for overlap outside [0, 1) or min_pad_coverage outside (0, 1].
PartialSlices compute_partial_slices(int64_t n_samples, const PartialOptions& options = {});

}  // namespace voxclone::ge2e
