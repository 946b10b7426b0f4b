// The fatchord WaveRNN (RTVC vocoder/models/fatchord_version.py, RAW mode): options, modules, forward.
// Submodules are registered under RTVC's state-dict names, so RTVC's vocoder.pt loads by name.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>

#include <cstdint>
#include <string>
#include <vector>

#include "voxclone/checkpoint.h"
#include "voxclone/config.h"
#include "wavernn_fast.h"

namespace voxclone::wavernn {

/// Constructor arguments of RTVC's WaveRNN plus the generation settings (vocoder/hparams.py names).
struct WaveRnnOptions {
  int64_t rnn_dims = 512;                          ///< voc_rnn_dims
  int64_t fc_dims = 512;                           ///< voc_fc_dims
  int64_t bits = 9;                                ///< 2^bits classes (RAW mode)
  int64_t pad = 2;                                 ///< voc_pad: mel frames of context on each side
  std::vector<int64_t> upsample_factors{5, 5, 8};  ///< voc_upsample_factors, product = hop_length
  int64_t feat_dims = 80;                          ///< num_mels
  int64_t compute_dims = 128;                      ///< voc_compute_dims
  int64_t res_out_dims = 128;                      ///< voc_res_out_dims (aux_dims = res_out_dims / 4)
  int64_t res_blocks = 10;                         ///< voc_res_blocks
  int64_t hop_length = 200;
  int64_t sample_rate = 16000;
  bool mu_law = true;
  bool apply_preemphasis = true;
  double preemphasis = 0.97;
  double mel_max_abs_value = 4.0;  ///< RTVC divides synthesizer mels by this first
  bool batched = true;             ///< voc_gen_batched
  int64_t target = 8000;           ///< voc_target
  int64_t overlap = 400;           ///< voc_overlap
  bool strict = false;  ///< generate with RTVC's exact op order (bit-exact, slow) instead of the fast path
  std::string kernel = "auto";  ///< fast path instruction set: auto, avx512, avx2, generic
  bool normalize = true;        ///< infer_waveform(normalize=True): divide mels by mel_max_abs_value
  int64_t threads = 0;          ///< fast path threads (rows are split among them); 0: one per core

  int64_t n_classes() const { return int64_t(1) << bits; }
  int64_t aux_dims() const { return res_out_dims / 4; }
  static WaveRnnOptions from_config(const Config& c);
  /// Precise message for the first inconsistent setting, or "".
  std::string validate() const;
};

/// Hyper-parameters a state dict determines (every model size; not the generation settings).
/// Throws UserError naming what is missing when `state_dict` is not a WaveRNN model_state.
WaveRnnOptions infer_options(const ckpt::Value& state_dict, WaveRnnOptions base);

/// Nearest-neighbour repeat along both spatial axes (Stretch2d: no parameters).
class Stretch2dImpl : public torch::nn::Module {
 public:
  Stretch2dImpl(int64_t x_scale, int64_t y_scale) : x_scale_(x_scale), y_scale_(y_scale) {}
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int64_t x_scale_, y_scale_;
};
TORCH_MODULE(Stretch2d);

class ResBlockImpl : public torch::nn::Module {
 public:
  explicit ResBlockImpl(int64_t dims);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv1d conv1{nullptr}, conv2{nullptr};
  torch::nn::BatchNorm1d batch_norm1{nullptr}, batch_norm2{nullptr};
};
TORCH_MODULE(ResBlock);

class MelResNetImpl : public torch::nn::Module {
 public:
  MelResNetImpl(int64_t res_blocks, int64_t in_dims, int64_t compute_dims, int64_t res_out_dims, int64_t pad);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::Conv1d conv_in{nullptr}, conv_out{nullptr};
  torch::nn::BatchNorm1d batch_norm{nullptr};
  torch::nn::ModuleList layers{nullptr};
};
TORCH_MODULE(MelResNet);

class UpsampleNetworkImpl : public torch::nn::Module {
 public:
  explicit UpsampleNetworkImpl(const WaveRnnOptions& o);
  /// mels [B, feat, T + 2 pad] → (upsampled mels [B, T hop, feat], aux [B, T hop, res_out_dims]).
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& m);
  MelResNet resnet{nullptr};
  Stretch2d resnet_stretch{nullptr};
  torch::nn::ModuleList up_layers{nullptr};  ///< Stretch2d, Conv2d, Stretch2d, Conv2d ... (RTVC's indices)

 private:
  int64_t indent_ = 0;
  std::vector<Stretch2d> stretches_;
  std::vector<torch::nn::Conv2d> convs_;
};
TORCH_MODULE(UpsampleNetwork);

class WaveRnnImpl : public torch::nn::Module {
 public:
  explicit WaveRnnImpl(const WaveRnnOptions& o);
  /// Teacher-forced logits [B, T, n_classes] for previous samples x [B, T] in [-1, 1] and mels
  /// [B, feat, T / hop + 2 pad]. Increments `step` like RTVC.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mels);
  const WaveRnnOptions& options() const { return o_; }

  UpsampleNetwork upsample{nullptr};
  torch::nn::Linear I{nullptr};
  torch::nn::GRU rnn1{nullptr}, rnn2{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};
  torch::Tensor step;  ///< int64 [1], a parameter without gradient (RTVC keeps it in model_state)

 private:
  WaveRnnOptions o_;
};
TORCH_MODULE(WaveRnn);

/// Reads an RTVC vocoder checkpoint ({model_state, optimizer_state} or a bare state dict), builds the model
/// with the sizes it determines (generation settings from `base`) and loads it strictly. Returns the
/// model in eval mode; `loaded` (optional) receives the whole checkpoint tree.
WaveRnn load_wavernn(const std::string& path, const WaveRnnOptions& base, ckpt::Value* loaded = nullptr);

/// Views of the parameters the sample loop uses.
StepWeights step_weights(WaveRnnImpl& model);

/// RTVC WaveRNN.generate: `mel` [1, feat, T] (already divided by mel_max_abs_value, as infer_waveform does)
/// → float64 samples [(T - 1) hop]. `strict`: RTVC's op order with torch's default CPU generator seeded
/// with `seed` (< 0: left as it is), bit-exact with RTVC; otherwise the `fast` sampler (required then).
at::Tensor generate(WaveRnnImpl& model, const at::Tensor& mel, bool batched, int64_t target, int64_t overlap,
                    bool strict, int64_t seed, FastSampler* fast, GenerateTrace* trace = nullptr);

/// model.upsample on a padded mel [1, feat, T + 2 pad], `chunk_frames` frames at a time (each with its pad
/// frames of context, so the result is the same as one call): bounds the convolution buffers, which for
/// one call grow with the utterance (about 90 MB per second of audio at full size).
std::pair<at::Tensor, at::Tensor> upsample_chunked(WaveRnnImpl& model, const at::Tensor& padded_mel,
                                                   int64_t chunk_frames = 100);

/// The strict sample loop alone on upsampled (and possibly folded) mels [B, S, feat] and aux [B, S, res_out]:
/// replays the two GRUCell constructions' random draws, then per step RTVC's exact ops. float32 [B, S].
at::Tensor sample_strict(WaveRnnImpl& model, const at::Tensor& mels, const at::Tensor& aux, int64_t seed,
                         GenerateTrace* trace = nullptr);

}  // namespace voxclone::wavernn
