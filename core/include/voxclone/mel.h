// Mel spectrogram value type and the settings that produced it (RTVC's synthesizer hparams by default).
#pragma once

#include <ATen/core/Tensor.h>

namespace voxclone {

/// RTVC synthesizer/hparams.py audio settings (MockingBird uses the same names).
struct MelSettings {
  int sample_rate = 16000;
  int n_fft = 800;
  int hop_size = 200;
  int win_size = 800;
  int num_mels = 80;
  double fmin = 55.0;
  double fmax = 7600.0;
  double preemphasis = 0.97;
  bool preemphasize = true;
  double min_level_db = -100.0;
  double ref_level_db = 20.0;
  double max_abs_value = 4.0;
  bool symmetric_mels = true;
  bool signal_normalization = true;
  bool allow_clipping_in_normalization = true;
  double power = 1.5;         ///< Griffin-Lim magnitude exponent
  int griffin_lim_iters = 60;
};

/// A synthesizer mel: float32 tensor (num_mels × frames), normalised as `settings` say.
struct Mel {
  at::Tensor data;
  MelSettings settings;
  int64_t frames() const { return data.defined() ? data.size(1) : 0; }
};

}  // namespace voxclone
