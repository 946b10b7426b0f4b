// Tacotron hyper-parameters and the plugin configuration they come from (no LibTorch headers here).
#pragma once

#include <cstdint>
#include <string>

#include "voxclone/config.h"
#include "voxclone/mel.h"
#include "voxclone/runtime.h"

namespace voxclone::tacotron {

/// Constructor arguments of RTVC's Tacotron (synthesizer/models/tacotron.py), hparams.py names in comments.
struct TacotronOptions {
  int64_t embed_dims = 512;               ///< tts_embed_dims
  int64_t num_chars = 66;                 ///< len(symbols)
  int64_t encoder_dims = 256;             ///< tts_encoder_dims
  int64_t decoder_dims = 128;             ///< tts_decoder_dims
  int64_t n_mels = 80;                    ///< num_mels
  int64_t fft_bins = 80;                  ///< = num_mels in RTVC
  int64_t postnet_dims = 512;             ///< tts_postnet_dims
  int64_t encoder_K = 5;                  ///< tts_encoder_K
  int64_t lstm_dims = 1024;               ///< tts_lstm_dims
  int64_t postnet_K = 5;                  ///< tts_postnet_K
  int64_t num_highways = 4;               ///< tts_num_highways
  double dropout = 0.5;                   ///< tts_dropout (pre-nets, training)
  double stop_threshold = -3.4;           ///< tts_stop_threshold
  int64_t speaker_embedding_size = 256;   ///< speaker_embedding_size
  int64_t r = 2;                          ///< frames per decoder step (decoder.r buffer)
  std::string to_string() const;
};

/// The model options of a [tacotron] configuration; `num_chars` 0 is replaced by `symbols`.
TacotronOptions options_from_config(const Config& c, int64_t symbols);
/// The audio settings of a [tacotron] configuration (RTVC hparams names).
MelSettings mel_settings_from(const Config& c);

/// RTVC's --hparams for the Tacotron stages, whose hparams.py keys voxclone keeps in two tables: each
/// "key=value" of the stage's `model_overrides` list sets that key of the stage's own table when it has one
/// (tts_eval_interval, utterance_min_duration, ...), else of the [tacotron] model configuration, returned as
/// overrides for resolve_config. UserError for a malformed entry or a key of neither table.
Overrides apply_model_overrides(Config& stage);

}  // namespace voxclone::tacotron
