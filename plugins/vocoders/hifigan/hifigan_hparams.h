// HiFi-GAN hyper-parameters under MockingBird's JSON names (vocoder/hifigan/config_16k_.json): parsed from
// that JSON or from the plugin's [hifigan] TOML table, validated, and written back as MockingBird JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "voxclone/config.h"
#include "voxclone/mel.h"

namespace voxclone::hifigan {

struct Hparams {
  std::string resblock = "1";  ///< "1": ResBlock1 (three dilated pairs), "2": ResBlock2
  std::vector<int64_t> upsample_rates{5, 5, 4, 2};
  std::vector<int64_t> upsample_kernel_sizes{10, 10, 8, 4};
  int64_t upsample_initial_channel = 512;
  std::vector<int64_t> resblock_kernel_sizes{3, 7, 11};
  std::vector<std::vector<int64_t>> resblock_dilation_sizes{{1, 3, 5}, {1, 3, 5}, {1, 3, 5}};
  // Training and the loss mel (meldataset.mel_spectrogram); the generator input is the synthesizer mel.
  int64_t segment_size = 6400;
  int64_t num_mels = 80;
  int64_t n_fft = 1024;
  int64_t hop_size = 200;
  int64_t win_size = 800;
  int64_t sampling_rate = 16000;
  double fmin = 0.0;
  double fmax = 7600.0;
  double fmax_for_loss = -1.0;  ///< JSON null (< 0 here): sampling_rate / 2
  double learning_rate = 2e-4;
  double adam_b1 = 0.8;
  double adam_b2 = 0.99;
  double lr_decay = 0.999;
  int64_t seed = 1234;
  int64_t batch_size = 16;

  /// UserError naming `source` and the first inconsistent key (e.g. product(upsample_rates) != hop_size).
  void validate(const std::string& source) const;
  /// The product of upsample_rates: samples per mel frame.
  int64_t samples_per_frame() const;
  /// fmax_for_loss, or sampling_rate / 2 when unset.
  double loss_fmax() const;
  /// The mel the generator consumes: MockingBird's synthesizer mel (RTVC hparams) at this rate and hop.
  MelSettings input_mel() const;
};

/// MockingBird's JSON text → Hparams. Unknown keys are ignored (MockingBird's own num_gpus, num_workers,
/// num_freq, dist_config); wrong types are UserErrors naming `source` and the key.
Hparams hparams_from_json(const std::string& text, const std::string& source);
Hparams hparams_from_json_file(const std::string& path);
/// The [hifigan] table (config.toml names are the JSON names).
Hparams hparams_from_config(const Config& config);
/// MockingBird-compatible JSON (what train.py / inference.py read).
std::string hparams_to_json(const Hparams& h);

/// The JSON config that goes with `checkpoint`: `explicit_path` if not empty, else the only config*.json in
/// the checkpoint's folder (config.json preferred when there are several). "" when none is found.
std::string find_config_json(const std::string& checkpoint, const std::string& explicit_path);

}  // namespace voxclone::hifigan
