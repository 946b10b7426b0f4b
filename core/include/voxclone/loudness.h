// Programme loudness per ITU-R BS.1770-4 (K-weighting, 400 ms blocks, absolute and relative gates) and
// normalisation to a target, so every cloned file plays at the same perceived level.
//
//   voxclone::LoudnessGain g = voxclone::normalize_loudness(wav, -20.0, -1.0);   // LUFS, peak ceiling dBFS
#pragma once

#include <array>

#include "voxclone/audio.h"

namespace voxclone {

/// One biquad: b0 b1 b2 / 1 a1 a2.
struct Biquad {
  std::array<double, 3> b{};
  std::array<double, 3> a{};
};

/// The two K-weighting stages (high shelf, then high-pass) for `sample_rate`, derived from their analogue
/// prototypes so any rate works; at 48 kHz they equal the coefficients printed in BS.1770-4.
std::array<Biquad, 2> k_weighting(int sample_rate);

/// Integrated loudness of a mono signal in LUFS; -infinity for digital silence. Clips shorter than one
/// 400 ms block are measured as a single block.
double integrated_loudness(const Waveform& wav);

struct LoudnessGain {
  double measured_lufs = 0;  ///< before
  double gain_db = 0;        ///< applied
  double result_lufs = 0;    ///< after (below the target when the peak ceiling limited the gain)
};

/// Scales `wav` so its integrated loudness is `target_lufs`, but never lets the sample peak exceed
/// `peak_ceiling_dbfs`. Silence is left alone (gain 0).
LoudnessGain normalize_loudness(Waveform& wav, double target_lufs, double peak_ceiling_dbfs);

}  // namespace voxclone
