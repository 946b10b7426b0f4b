// HiFi-GAN as in MockingBird's vocoder/hifigan/models.py: the generator (conv_pre, transposed-conv
// upsampling, multi-receptive-field ResBlocks, conv_post, tanh), the multi-period and multi-scale
// discriminators, their losses, and meldataset.mel_spectrogram. Module and parameter names are MockingBird's
// state-dict names, so its checkpoints load by name.
//
//   torch::manual_seed(h.seed);
//   hifigan::Generator g(h);                   // weight-normalised, as MockingBird trains it
//   voxclone::ckpt::load_into_module(*g, ckpt.at("generator"));
//   g->remove_weight_norm();                   // fold weight_g/weight_v into plain weights for inference
//   at::Tensor audio = g->forward(mel);        // [B, 80, T] → [B, 1, T * hop]
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <map>
#include <string>
#include <vector>

#include "hifigan_hparams.h"

namespace voxclone::hifigan {

/// LRELU_SLOPE of models.py (every leaky ReLU but the one before conv_post, which uses PyTorch's 0.01).
constexpr double kLreluSlope = 0.1;

enum class Norm { None, Weight, Spectral };

/// One convolution (Conv1d, Conv2d or ConvTranspose1d) with PyTorch's weight_norm (weight_g, weight_v; dim 0)
/// or spectral_norm (weight_orig, buffers weight_u/weight_v, one power iteration per training forward).
struct NormConvOptions {
  int dims = 1;  ///< 1 or 2
  bool transposed = false;
  int64_t in = 1, out = 1, groups = 1;
  std::vector<int64_t> kernel{1}, stride{1}, padding{0}, dilation{1}, output_padding{0};
  Norm norm = Norm::Weight;
};

class NormConvImpl : public torch::nn::Module {
 public:
  explicit NormConvImpl(const NormConvOptions& options);
  at::Tensor forward(const at::Tensor& x);
  /// The effective weight (weight_norm / spectral_norm applied; spectral power iteration in training mode).
  at::Tensor weight();
  /// torch.nn.utils.remove_weight_norm: weight_g/weight_v become one plain `weight` parameter.
  void remove_weight_norm();
  const NormConvOptions& options() const { return o_; }

 private:
  NormConvOptions o_;
  at::Tensor bias_, weight_, weight_g_, weight_v_, weight_orig_, u_, v_;
};
TORCH_MODULE(NormConv);

/// ResBlock1 (convs1 dilated + convs2, pairs) or ResBlock2 (convs), chosen by `kind` ("1" or "2").
class ResBlockImpl : public torch::nn::Module {
 public:
  ResBlockImpl(const std::string& kind, int64_t channels, int64_t kernel,
               const std::vector<int64_t>& dilation);
  at::Tensor forward(const at::Tensor& x);
  void remove_weight_norm();

 private:
  bool pairs_;
  torch::nn::ModuleList convs1_{nullptr}, convs2_{nullptr}, convs_{nullptr};
};
TORCH_MODULE(ResBlock);

/// Intermediate outputs by MockingBird module name ("conv_pre", "ups.0", "resblocks.0", "conv_post").
using Activations = std::map<std::string, at::Tensor>;

class GeneratorImpl : public torch::nn::Module {
 public:
  /// Builds the modules and draws their initial values in the order MockingBird's Generator(h) does, so
  /// torch::manual_seed(s) then Generator(h) gives the same tensors as Python.
  explicit GeneratorImpl(const Hparams& h);
  /// mel [B, 80, T] → audio [B, 1, T * hop] in [-1, 1]. `acts`: record intermediate outputs (tests).
  at::Tensor forward(const at::Tensor& mel, Activations* acts = nullptr);
  void remove_weight_norm();
  bool has_weight_norm() const { return weight_norm_; }
  const Hparams& hparams() const { return h_; }

 private:
  Hparams h_;
  int64_t num_kernels_;
  bool weight_norm_ = true;
  NormConv conv_pre_{nullptr}, conv_post_{nullptr};
  torch::nn::ModuleList ups_{nullptr}, resblocks_{nullptr};
};
TORCH_MODULE(Generator);

/// What a multi-discriminator returns for a real and a generated batch.
struct DiscOutputs {
  std::vector<at::Tensor> real, fake;  ///< flattened scores, one per sub-discriminator
  std::vector<std::vector<at::Tensor>> fmap_real,
      fmap_fake;  ///< feature maps, one list per sub-discriminator
};

class DiscriminatorPImpl : public torch::nn::Module {
 public:
  explicit DiscriminatorPImpl(int64_t period);
  at::Tensor forward(const at::Tensor& x, std::vector<at::Tensor>& fmap);

 private:
  int64_t period_;
  torch::nn::ModuleList convs_{nullptr};
  NormConv conv_post_{nullptr};
};
TORCH_MODULE(DiscriminatorP);

class DiscriminatorSImpl : public torch::nn::Module {
 public:
  explicit DiscriminatorSImpl(bool spectral_norm);
  at::Tensor forward(const at::Tensor& x, std::vector<at::Tensor>& fmap);

 private:
  torch::nn::ModuleList convs_{nullptr};
  NormConv conv_post_{nullptr};
};
TORCH_MODULE(DiscriminatorS);

/// Periods 2, 3, 5, 7, 11.
class MultiPeriodDiscriminatorImpl : public torch::nn::Module {
 public:
  MultiPeriodDiscriminatorImpl();
  DiscOutputs forward(const at::Tensor& y, const at::Tensor& y_hat);

 private:
  torch::nn::ModuleList discriminators_{nullptr};
};
TORCH_MODULE(MultiPeriodDiscriminator);

/// Three scales (raw, /2, /4 by AvgPool1d(4, 2, padding 2)); the first uses spectral norm.
class MultiScaleDiscriminatorImpl : public torch::nn::Module {
 public:
  MultiScaleDiscriminatorImpl();
  DiscOutputs forward(const at::Tensor& y, const at::Tensor& y_hat);

 private:
  torch::nn::ModuleList discriminators_{nullptr};
};
TORCH_MODULE(MultiScaleDiscriminator);

/// models.py feature_loss: 2 * sum of mean |real - fake| over every feature map.
at::Tensor feature_loss(const std::vector<std::vector<at::Tensor>>& fmap_real,
                        const std::vector<std::vector<at::Tensor>>& fmap_fake);
/// models.py discriminator_loss (LSGAN): sum of mean (1 - real)^2 + mean fake^2.
at::Tensor discriminator_loss(const std::vector<at::Tensor>& real, const std::vector<at::Tensor>& fake);
/// models.py generator_loss: sum of mean (1 - fake)^2.
at::Tensor generator_loss(const std::vector<at::Tensor>& fake);

/// meldataset.mel_spectrogram(y, n_fft, num_mels, sampling_rate, hop_size, win_size, fmin, fmax,
/// center=False): reflect padding of (n_fft - hop) / 2, STFT with a periodic Hann window of win_size,
/// sqrt(|X|^2 + 1e-9), Slaney mel basis, natural log clamped at 1e-5. y: [B, T] float32 (differentiable) →
/// [B, num_mels, frames].
class LossMel {
 public:
  LossMel(const Hparams& h, double fmax);
  at::Tensor operator()(const at::Tensor& y) const;
  const at::Tensor& basis() const { return basis_; }
  const at::Tensor& window() const { return window_; }

 private:
  int64_t n_fft_, hop_, win_;
  at::Tensor basis_, window_;
};

}  // namespace voxclone::hifigan
