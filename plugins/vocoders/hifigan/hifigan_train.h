// HiFi-GAN training as MockingBird's vocoder/hifigan/train.py does it (fine-tuning mode: synthesizer mels in,
// waveform segments out), run by core's shared training loop, with MockingBird's g_/do_ checkpoint files.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <string>
#include <vector>

#include "hifigan_hparams.h"
#include "voxclone/train.h"

namespace voxclone::hifigan {

/// One utterance: the synthesizer mel [80, frames] and its waveform [samples] (float32).
struct Utterance {
  std::string id;
  at::Tensor mel, audio;
};

/// Reads training utterances from `dirs`: an SV2TTS synthesizer folder (audio/audio-X.npy with
/// mels/mel-X.npy, as RTVC/MockingBird preprocessing writes them) or a folder of audio files (resampled to
/// the model's rate, peak-rescaled to 0.9, synthesizer mel computed here). UserError if a folder is neither
/// or holds nothing.
std::vector<Utterance> load_utterances(const std::vector<std::string>& dirs, const Hparams& h);

/// Training data and evaluation of a model: `data` is split (seeded shuffle, last 5%, at least one, held out)
/// unless `validation` folders are given. `init_checkpoint` (a MockingBird g_ file) starts the generator from
/// trained weights. Checkpoints: run_dir/g_XXXXXXXX.pt ({"generator"}) and run_dir/do_XXXXXXXX ({"mpd",
/// "msd", "optim_g", "optim_d", "steps", "epoch"}), config.json (MockingBird JSON) and run_dir/checkpoint.pt
/// naming the newest pair (what resume reads). Samples and held-out mel errors go to run_dir/samples.
TrainResult train_hifigan(const Hparams& h, const TrainOptions& options, const std::vector<std::string>& data,
                          const std::vector<std::string>& validation, const std::string& init_checkpoint = "",
                          c10::Device device = c10::Device(c10::DeviceType::CPU));

}  // namespace voxclone::hifigan
