// GE2E training as a TrainTask (RTVC encoder/train.py and data_objects/): batches of random crops drawn by
// RTVC's random cycling over speaker folders, GE2E softmax loss, gradient scaling and clipping, Adam.
#pragma once

#include <torch/optim/adam.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "ge2e_model.h"
#include "voxclone/train.h"

namespace voxclone::ge2e {

/// RTVC's RandomCycler: items in random order such that over m draws from n items each item comes
/// between m / n and (m - 1) / n + 1 times.
class RandomCycler {
 public:
  explicit RandomCycler(size_t n) : n_(n) {}
  std::vector<size_t> sample(size_t count, std::mt19937_64& rng);

 private:
  std::vector<size_t> shuffled(std::mt19937_64& rng) const;
  size_t n_;
  std::vector<size_t> pending_;
};

/// One speaker folder of SV2TTS/encoder.
struct SpeakerFolder {
  std::string name;
  std::vector<std::string> mels;  ///< .npy paths listed in _sources.txt
};

/// Speaker folders of an SV2TTS/encoder root, sorted by name; `only` (non-empty) keeps those, `exclude`
/// drops those. Folders without utterances are skipped with a warning; UserError if none is left.
std::vector<SpeakerFolder> list_speakers(const std::string& root, const std::vector<std::string>& only,
                                         const std::vector<std::string>& exclude);

struct TrainSettings {
  int64_t speakers_per_batch = 64, utterances_per_speaker = 10, partial_frames = 160;
  double learning_rate = 1e-4;
  int64_t warmup_steps = 0;  ///< linear learning-rate ramp over the first steps (0: RTVC's constant rate)
  int64_t decay_steps = 0;   ///< cosine decay from the full rate after the warm-up to 0 at this step (0: none)
  double weight_decay = 0;   ///< Adam's L2 penalty, as torch.optim.Adam's weight_decay (RTVC: 0)
  /// Training-crop augmentation, all off by default (RTVC has none): each crop gets one band mask of up to
  /// `freq_mask` mel channels, one time mask of up to `time_mask` frames (SpecAugment; masked cells are 0,
  /// silence in RTVC's power mels) and a gain drawn uniformly within ±`gain_db` dB.
  int64_t freq_mask = 0, time_mask = 0;
  double gain_db = 0;
  /// Speaker augmentation (not in RTVC; 0: off): every speaker also appears as two new speakers whose mels
  /// have their frequency axis scaled by 1 − w and 1 + w (formants and pitch moved, as by speed perturbation).
  double warp_speakers = 0;
  ModelOptions model;  ///< network sizes (RTVC's by default; small ones for quick experiments)
  int64_t vis_every = 10;
  bool cache = false;
  uint64_t seed = 1234;
};

/// [n_mels, n_mels] matrix W such that `mel.matmul(W.t())` moves the content of RTVC's encoder mel (Slaney
/// scale, 0–8 kHz) up in frequency by the factor `alpha` (down for alpha < 1): output band i takes the input
/// interpolated linearly at the mel position of (centre frequency of band i) / alpha, clamped to the edges.
torch::Tensor mel_warp_matrix(int64_t n_mels, double alpha);

class Ge2eTrainTask : public TrainTask {
 public:
  /// `speakers` may be empty when only step_on() is used.
  Ge2eTrainTask(std::vector<SpeakerFolder> speakers, const TrainSettings& settings);

  std::string checkpoint_name() const override { return "encoder.pt"; }
  /// RTVC's encoder.pt: weights, then Adam's state with the learning rate reset to the configured one.
  /// Returns the last step done (RTVC stores the next one).
  int64_t resume(const std::string& path) override;
  StepReport train_step(int64_t step) override;
  /// {"step": step + 1, "model_state": OrderedDict, "optimizer_state": Adam state_dict}, as RTVC writes.
  void save(const std::string& path, int64_t step) override;
  /// Draws the last batch's embeddings projected to 2-D as samples/umap_<step>.png.
  std::vector<std::pair<std::string, double>> evaluate(int64_t step, const std::string& dir) override;

  /// One optimisation step on `batch` [speakers * utterances, frames, channels]. With `raw_grads`, the
  /// gradients right after backward (before scaling and clipping) are copied there by parameter name.
  StepReport step_on(const torch::Tensor& batch, std::map<std::string, torch::Tensor>* raw_grads = nullptr);
  /// A batch as the data loader draws it.
  torch::Tensor draw_batch();

  SpeakerEncoderNetImpl& net() { return *net_; }
  torch::optim::Adam& adam() { return *adam_; }

 private:
  torch::Tensor mel(const std::string& path);
  torch::Tensor augment(torch::Tensor crop);

  TrainSettings s_;
  std::vector<SpeakerFolder> speakers_;
  RandomCycler speaker_cycler_;
  std::vector<RandomCycler> utterance_cyclers_;
  std::mt19937_64 rng_;
  SpeakerEncoderNet net_{nullptr};
  std::unique_ptr<torch::optim::Adam> adam_;
  std::unordered_map<std::string, torch::Tensor> cache_;
  torch::Tensor last_embeds_;
  std::vector<torch::Tensor> warps_;  ///< mel_warp_matrix for the virtual speakers of warp_speakers
  int64_t window_ = 0;
  double window_loss_ = 0, window_eer_ = 0;
};

}  // namespace voxclone::ge2e
