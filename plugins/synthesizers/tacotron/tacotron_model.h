// RTVC's Tacotron (SV2TTS variant) as LibTorch modules, with parameter names equal to RTVC's state dict.
#pragma once

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "tacotron_options.h"
#include "voxclone/checkpoint.h"
#include "voxclone/fast_lstm.h"

namespace voxclone::tacotron {

/// Reads every hyper-parameter a state dict determines (all but dropout) from tensor shapes; `base`
/// supplies the rest. UserError naming the missing key if `state` is not a Tacotron state dict.
TacotronOptions infer_options(const ckpt::Value& state, TacotronOptions base);

struct TacotronImpl;
/// A model from a checkpoint: {"model_state": ...} (RTVC, MockingBird) or a bare state dict; hyper-parameters
/// from the tensor shapes, `base` for the rest (dropout). Strict load: any mismatch is a UserError.
/// `root` (optional) the whole checkpoint (for the optimiser state).
std::shared_ptr<TacotronImpl> load_tacotron(const std::string& path, const TacotronOptions& base,
                                            ckpt::Value* root = nullptr);

struct HighwayImpl : torch::nn::Module {
  explicit HighwayImpl(int64_t size);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear W1{nullptr}, W2{nullptr};
};
TORCH_MODULE(Highway);

/// Conv1d (no bias, "same" padding) → optional ReLU → BatchNorm1d.
struct BatchNormConvImpl : torch::nn::Module {
  BatchNormConvImpl(int64_t in, int64_t out, int64_t kernel, bool relu = true);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv1d conv{nullptr};
  torch::nn::BatchNorm1d bnorm{nullptr};
  bool relu;
};
TORCH_MODULE(BatchNormConv);

/// Conv bank + max-pool + projections + highways + bidirectional GRU. (B, C, T) → (B, T, channels).
struct CbhgImpl : torch::nn::Module {
  CbhgImpl(int64_t K, int64_t in_channels, int64_t channels, int64_t proj0, int64_t proj1, int64_t num_highways);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::ModuleList conv1d_bank{nullptr};
  BatchNormConv conv_project1{nullptr}, conv_project2{nullptr};
  torch::nn::Linear pre_highway{nullptr};  ///< only when proj1 != channels
  torch::nn::ModuleList highways{nullptr};
  torch::nn::GRU rnn{nullptr};
};
TORCH_MODULE(Cbhg);

/// Two ReLU layers, each followed by dropout that RTVC applies in training AND inference.
struct PreNetImpl : torch::nn::Module {
  PreNetImpl(int64_t in, int64_t fc1_dims, int64_t fc2_dims, double dropout);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  double p;
};
TORCH_MODULE(PreNet);

struct EncoderImpl : torch::nn::Module {
  explicit EncoderImpl(const TacotronOptions& o);
  /// chars (B, N) int64, speaker (B, S) → (B, N, encoder_dims + S).
  torch::Tensor forward(const torch::Tensor& chars, const torch::Tensor& speaker);
  torch::nn::Embedding embedding{nullptr};
  PreNet pre_net{nullptr};
  Cbhg cbhg{nullptr};
};
TORCH_MODULE(Encoder);

/// Location-sensitive attention; padding chars (id 0) get score × 0 (not −inf), as in RTVC.
struct LsaImpl : torch::nn::Module {
  explicit LsaImpl(int64_t attn_dim, int64_t kernel_size = 31, int64_t filters = 32);
  /// Returns scores (B, N); updates `cumulative` (B, N).
  torch::Tensor forward(const torch::Tensor& encoder_seq_proj, const torch::Tensor& query,
                        torch::Tensor& cumulative, const torch::Tensor& char_mask);
  torch::nn::Conv1d conv{nullptr};
  torch::nn::Linear L{nullptr}, W{nullptr}, v{nullptr};
};
TORCH_MODULE(Lsa);

/// Recurrent state of the decoder between steps.
struct DecoderState {
  torch::Tensor attn_hidden, rnn1_hidden, rnn2_hidden, rnn1_cell, rnn2_cell, context, cumulative;
};

struct DecoderImpl : torch::nn::Module {
  static constexpr int64_t kMaxR = 20;
  explicit DecoderImpl(const TacotronOptions& o);
  /// One decoder step: `prenet_in` (B, n_mels) → mels (B, n_mels, r), scores (B, N), stop (B, 1).
  std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> forward(const torch::Tensor& encoder_seq,
                                                                  const torch::Tensor& encoder_seq_proj,
                                                                  const torch::Tensor& prenet_in,
                                                                  DecoderState& s, const torch::Tensor& char_mask);
  torch::Tensor zoneout(const torch::Tensor& prev, const torch::Tensor& current, double p = 0.1);
  int64_t r() const { return r_buf.item<int32_t>(); }

  torch::Tensor r_buf;
  PreNet prenet{nullptr};
  Lsa attn_net{nullptr};
  torch::nn::GRUCell attn_rnn{nullptr};
  torch::nn::Linear rnn_input{nullptr};
  torch::nn::LSTMCell res_rnn1{nullptr}, res_rnn2{nullptr};
  torch::nn::Linear mel_proj{nullptr}, stop_proj{nullptr};
  int64_t n_mels;
  /// Inference (eval mode, no autograd, float32 on the CPU) runs the residual LSTMs with FastLstmCell.
  bool fast_inference = true;
  FastLstmCell fast_rnn1, fast_rnn2;
  /// mel_proj's rows for the first r of kMaxR frames (inference computes only those), and what they came from.
  torch::Tensor mel_proj_r;
  const void* mel_proj_r_key = nullptr;
  uint32_t mel_proj_r_version = 0;

 private:
  std::pair<torch::Tensor, torch::Tensor> lstm_step(torch::nn::LSTMCell& cell, FastLstmCell& fast, bool use_fast,
                                                    const torch::Tensor& x, const torch::Tensor& h,
                                                    const torch::Tensor& c);
};
TORCH_MODULE(Decoder);

/// What forward() returns (RTVC's m1_hat, m2_hat, attention, stop_pred) plus taps for tests.
struct TacotronOutput {
  torch::Tensor mel_outputs;      ///< (B, n_mels, T) decoder mels
  torch::Tensor postnet_outputs;  ///< (B, fft_bins, T)
  torch::Tensor attention;        ///< (B, T/r, N)
  torch::Tensor stop_tokens;      ///< (B, T) teacher-forced; (iterations, B, 1) per step for generate()
  torch::Tensor encoder_out, encoder_proj;
  bool stopped_early = false;
};

struct TacotronImpl : torch::nn::Module {
  explicit TacotronImpl(const TacotronOptions& o);
  /// Teacher-forced pass (training): chars (B, N), mels (B, n_mels, T with T % r == 0), speaker (B, S).
  /// Increments the step buffer, as RTVC does.
  TacotronOutput forward(const torch::Tensor& chars, const torch::Tensor& mels, const torch::Tensor& speaker);
  /// Autoregressive synthesis up to `steps` frames; stops after an iteration t (0, r, 2r ...) when every
  /// stop token is > 0.5 and t > 10 (unless `allow_stop` is false: benchmarks run a fixed number of steps).
  /// Runs in eval mode and restores the previous mode.
  TacotronOutput generate(const torch::Tensor& chars, const torch::Tensor& speaker, int64_t steps = 2000,
                          bool allow_stop = true);

  int64_t r() const { return decoder->r(); }
  void set_r(int64_t r);
  int64_t step() const { return step_buf.item<int64_t>(); }
  void set_step(int64_t s) { step_buf.fill_(s); }
  /// Dropout of both pre-nets (RTVC keeps it on at inference).
  void set_prenet_dropout(double p);
  /// The state dict in PyTorch's order (own parameters, own buffers, then children), as an OrderedDict.
  ckpt::Value state_dict_value() const;

  TacotronOptions opt;
  Encoder encoder{nullptr};
  torch::nn::Linear encoder_proj{nullptr};
  Decoder decoder{nullptr};
  Cbhg postnet{nullptr};
  torch::nn::Linear post_proj{nullptr};
  torch::Tensor step_buf, stop_threshold_buf;

 private:
  DecoderState initial_state(int64_t batch, int64_t n_chars, const torch::TensorOptions& to) const;
};
TORCH_MODULE(Tacotron);

/// RTVC's (unmasked) training losses: mse+l1 on decoder mels, mse on postnet mels, BCE on stop tokens.
/// With `lengths` (frames per item) the mel losses average over the real frames only.
struct TacotronLosses {
  torch::Tensor m1, m2, stop, total;
};
TacotronLosses tacotron_losses(const TacotronOutput& out, const torch::Tensor& mels, const torch::Tensor& stop_targets,
                               const torch::Tensor& lengths = {});

/// Guided attention loss (Tachibana et al., "Efficiently Trainable Text-to-Speech System Based on Deep
/// Convolutional Networks with Guided Attention", 2018), not part of RTVC: attention × (1 − exp(−(n/N − t/T)² /
/// 2σ²)) summed over n and averaged over each item's real decoder steps t < steps[b], with the weight 1 on
/// padding characters n >= chars[b] (RTVC's attention can put mass there: their scores are 0, not −inf):
/// the attention mass off the diagonal per step, 0 when aligned, about 0.4 when uniform.
/// `attention` (B, decoder steps, N); `chars`, `steps` (B) int64.
torch::Tensor guided_attention_loss(const torch::Tensor& attention, const torch::Tensor& chars,
                                    const torch::Tensor& steps, double sigma = 0.2);

/// RTVC's stop targets: ones (B, T) with [:len - 1] = 0 per item.
torch::Tensor stop_targets(const std::vector<int64_t>& lengths, int64_t frames);

}  // namespace voxclone::tacotron
