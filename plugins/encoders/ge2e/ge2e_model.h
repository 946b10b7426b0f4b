// RTVC's GE2E SpeakerEncoder as a LibTorch module (same state-dict names), its GE2E loss and inference.
//
//   voxclone::ge2e::SpeakerEncoderNet net(voxclone::ge2e::ModelOptions{});
//   voxclone::ge2e::load_checkpoint(*net, "encoder.pt");               // RTVC encoder.pt, zip or legacy
//   voxclone::ge2e::Embedding e = voxclone::ge2e::embed_utterance(*net, wav_16k_preprocessed);
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>

#include <string>
#include <vector>

#include "partials.h"
#include "voxclone/fast_lstm.h"

namespace voxclone::ge2e {

/// encoder/params_model.py and the mel size of params_data.py.
struct ModelOptions {
  int64_t mel_channels = 40;     ///< mel_n_channels
  int64_t hidden_size = 256;     ///< model_hidden_size
  int64_t embedding_size = 256;  ///< model_embedding_size
  int64_t num_layers = 3;        ///< model_num_layers
  /// Training only, not in RTVC (0): dropout between LSTM layers and on the final hidden state. It has no
  /// weights of its own, so checkpoints are the same either way.
  double dropout = 0;
  /// Not in RTVC (false): the network reads (ln(mel + 1e-6) + 9) / 3.5 instead of the power mel; the constants
  /// are about the mean and spread of ln(mel) of speech at RTVC's -30 dBFS. The file then holds the buffer
  /// `log_mel_input` = [1e-6, 9, 3.5], so a strict load (RTVC's too) refuses it instead of misreading it.
  bool log_mel_input = false;
};

/// LSTM → last layer's final hidden state → linear → ReLU → L2 normalisation; plus the learnable scale
/// and bias of the GE2E cosine similarities. Parameter names equal RTVC's state dict.
class SpeakerEncoderNetImpl : public torch::nn::Module {
 public:
  explicit SpeakerEncoderNetImpl(const ModelOptions& options = {});
  /// `power_mels` [batch, frames, mel_channels] (RTVC's encoder mel) → embeddings [batch, embedding_size].
  torch::Tensor forward(const torch::Tensor& power_mels);
  /// `embeds` [speakers, utterances, D] → [speakers, utterances, speakers], already w·cos + b; the own
  /// speaker's centroid excludes the utterance itself.
  torch::Tensor similarity_matrix(const torch::Tensor& embeds);
  /// Softmax GE2E loss (cross entropy of the similarity rows against the speaker) and the batch EER.
  std::pair<torch::Tensor, double> loss(const torch::Tensor& embeds);
  /// RTVC do_gradient_ops: similarity grads × 0.01, then clip the total norm at `max_norm`.
  /// Returns the total norm before clipping.
  double gradient_ops(double max_norm = 3.0);

  const ModelOptions& options() const { return options_; }

  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear linear{nullptr};
  torch::Tensor similarity_weight, similarity_bias;
  torch::Tensor log_mel_input;  ///< [epsilon, shift, scale]; undefined for RTVC's power-mel input
  /// Inference (eval mode, no autograd, float32 on the CPU) runs the LSTM with voxclone::FastLstm.
  bool fast_inference = true;

 private:
  ModelOptions options_;
  FastLstm fast_lstm_;
};
TORCH_MODULE(SpeakerEncoderNet);

/// Hyper-parameters inferred from a state dict's shapes (RTVC's files store none). UserError if the
/// tensors are not those of a SpeakerEncoder.
ModelOptions infer_options(const std::vector<std::pair<std::string, torch::Tensor>>& state);

/// Opens an RTVC encoder.pt as a new network whose sizes are inferred from the tensors (strict load).
/// `step` (optional) receives the stored step (0 when absent).
SpeakerEncoderNet open_checkpoint(const std::string& path, int64_t* step = nullptr);

/// Reads an RTVC encoder.pt ({step, model_state[, optimizer_state]} or a bare state dict, zip or legacy)
/// into `net` by name (strict). Returns the stored step (0 when absent).
int64_t load_checkpoint(SpeakerEncoderNetImpl& net, const std::string& path);

/// One utterance's embedding as embed_utterance returns it.
struct Embedding {
  torch::Tensor embed;           ///< [D]
  torch::Tensor partial_embeds;  ///< [n_partials, D] (undefined without partials)
  std::vector<Range> wave_slices;
};

/// RTVC embed_utterance on a preprocessed 16 kHz waveform: zero-pad to the last slice, mel, partials,
/// one batched forward, mean and re-normalisation. `using_partials` false: the whole mel in one pass.
Embedding embed_utterance(SpeakerEncoderNetImpl& net, const std::vector<float>& wav,
                          bool using_partials = true, const PartialOptions& partials = {});

/// The same for several utterances with all their partials in shared forward passes of at most
/// `max_batch` partials: one embedding per utterance (as embed_utterance with partials).
std::vector<Embedding> embed_utterances(SpeakerEncoderNetImpl& net,
                                        const std::vector<std::vector<float>>& wavs,
                                        const PartialOptions& partials = {}, int64_t max_batch = 64);

/// Embeddings of mel frames [frames, mel_channels] cut into partials like embed_utterance (slices computed
/// for the frame count, last partial dropped if shorter than the options allow, no padding beyond the
/// frames). Used on preprocessed .npy mels where the waveform is gone.
torch::Tensor embed_frames(SpeakerEncoderNetImpl& net, const torch::Tensor& frames,
                           const PartialOptions& partials = {});

/// A voice from several utterance embeddings [n, D]: their mean, L2-normalised.
torch::Tensor speaker_embedding(const torch::Tensor& utterance_embeds);

}  // namespace voxclone::ge2e
