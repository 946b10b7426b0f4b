// Mel spectrogram value type and the settings that produced it (RTVC's synthesizer hparams by default).
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

#include "voxclone/config.h"

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
  double power = 1.5;  ///< Griffin-Lim magnitude exponent
  int griffin_lim_iters = 60;
};

/// A synthesizer mel: float32 tensor (num_mels × frames), normalised as `settings` say.
struct Mel {
  at::Tensor data;
  MelSettings settings;
  int64_t frames() const { return data.defined() ? data.size(1) : 0; }
};

/// MelSettings from a plugin's configuration keys (sample_rate, n_fft, hop_size, win_size, num_mels, fmin, fmax,
/// preemphasize, preemphasis, min_level_db, ref_level_db, max_abs_value, symmetric_mels, signal_normalization,
/// allow_clipping_in_normalization, power and `iterations_key` for Griffin-Lim's iterations), checked:
/// UserError naming `owner` for impossible values.
MelSettings mel_settings_from_config(const Config& c, const std::string& owner,
                                     const std::string& iterations_key = "griffin_lim_iters");

/// Throws UserError (one line naming `producer`, `consumer` and every differing field with both values) when
/// a mel made with `produced` cannot feed a model expecting `expected`: rate, hop, window, FFT size, bands,
/// band limits, pre-emphasis and the dB normalisation must agree. Griffin-Lim's own knobs (power, iterations)
/// do not count.
void check_mel_compatible(const MelSettings& produced, const MelSettings& expected,
                          const std::string& producer, const std::string& consumer);

}  // namespace voxclone
