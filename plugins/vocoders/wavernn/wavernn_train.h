// WaveRNN training (RTVC vocoder/train.py + vocoder_dataset.py): the SV2TTS dataset, collate_vocoder's
// random windows, cross-entropy on mu-law labels with Adam, checkpoints in RTVC's {model_state,
// optimizer_state} format, and the vocoder_train_wavernn stage.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "voxclone/interfaces.h"
#include "voxclone/train.h"
#include "wavernn_model.h"

namespace torch::optim {
class Adam;
}

namespace voxclone::wavernn {

/// One training batch as collate_vocoder makes it.
struct TrainBatch {
  at::Tensor x;     ///< float32 [B, seq_len]: previous samples, label_2_float of the labels
  at::Tensor y;     ///< int64 [B, seq_len]: target labels
  at::Tensor mels;  ///< float32 [B, feat, seq_len / hop + 2 pad]
};

/// One utterance of the SV2TTS layout.
struct VocoderItem {
  std::string mel_path, wav_path;
};

/// RTVC's VocoderDataset over <syn_dir>/train.txt (ground truth mels) or <voc_dir>/synthesized.txt (GTA).
class VocoderDataset {
 public:
  /// Reads the metadata (lines audio|mel|embed|samples|frames|text; frames = 0 rows are skipped).
  /// UserError naming the file if it is missing or has no usable row.
  VocoderDataset(const std::string& metadata, const std::string& mel_dir, const std::string& wav_dir);
  explicit VocoderDataset(std::vector<VocoderItem> items) : items_(std::move(items)) {}
  size_t size() const { return items_.size(); }
  const VocoderItem& item(size_t i) const { return items_[i]; }
  /// Moves the last `n` items out (held-out utterances for evaluation).
  std::vector<VocoderItem> split_off(size_t n);
  /// __getitem__: (mel [feat, frames] / mel_max_abs_value, mu-law labels int64 [frames * hop]).
  std::pair<at::Tensor, at::Tensor> load(size_t i, const WaveRnnOptions& o) const;

 private:
  std::vector<VocoderItem> items_;
};

/// collate_vocoder: a random window of seq_len samples (and its mel frames with pad on each side) per item.
/// Items too short for one window are skipped; UserError if none is long enough.
TrainBatch collate(const std::vector<std::pair<at::Tensor, at::Tensor>>& items, const WaveRnnOptions& o,
                   int64_t seq_len, std::mt19937_64& rng);

/// The module's state_dict() in PyTorch's order (per module: parameters, buffers, then children).
ckpt::Value state_dict(torch::nn::Module& module);

struct WaveRnnTrainSettings {
  double lr = 1e-4;          ///< voc_lr
  int64_t batch_size = 100;  ///< voc_batch_size
  int64_t seq_len = 1000;    ///< voc_seq_len
  int64_t gen_at_checkpoint = 5;
  uint64_t seed = 0;
};

class WaveRnnTrainTask : public TrainTask {
 public:
  /// `data` may be null (then only step_on works); `heldout` are the utterances evaluate() resynthesises.
  WaveRnnTrainTask(const WaveRnnOptions& o, const WaveRnnTrainSettings& s,
                   std::shared_ptr<VocoderDataset> data, std::vector<VocoderItem> heldout = {});
  ~WaveRnnTrainTask() override;
  std::string checkpoint_name() const override { return "vocoder.pt"; }
  int64_t resume(const std::string& path) override;
  StepReport train_step(int64_t step) override;
  void save(const std::string& path, int64_t step) override;
  /// Writes <step>_<i>_target.wav and <step>_<i>_gen.wav for the held-out utterances (or the first training
  /// ones) and returns mel_l1: mean |synthesizer_mel(generated) - synthesizer_mel(target)|.
  std::vector<std::pair<std::string, double>> evaluate(int64_t step, const std::string& dir) override;

  /// Forward, cross-entropy, backward and one Adam step on `b` (train mode). Returns the loss.
  double step_on(const TrainBatch& b);
  WaveRnn& model() { return model_; }
  torch::optim::Adam& optimizer() { return *adam_; }

 private:
  WaveRnnOptions o_;
  WaveRnnTrainSettings s_;
  WaveRnn model_{nullptr};
  std::unique_ptr<torch::optim::Adam> adam_;
  std::shared_ptr<VocoderDataset> data_;
  std::vector<VocoderItem> heldout_;
  std::mt19937_64 rng_;
  std::vector<size_t> order_;
  size_t cursor_ = 0;
};

/// stage:vocoder_train_wavernn — RTVC's vocoder_train.py; options in config.toml's [vocoder_train_wavernn].
std::unique_ptr<Stage> make_train_stage(const CreateArgs& args);

}  // namespace voxclone::wavernn
