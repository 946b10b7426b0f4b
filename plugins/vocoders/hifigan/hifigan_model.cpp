// HiFi-GAN modules (generator, MPD, MSD), weight/spectral-normalised convolutions, losses and the loss mel.
#include "hifigan_model.h"

#include <torch/torch.h>

#include "voxclone/dsp.h"
#include "voxclone/error.h"

namespace voxclone::hifigan {
namespace {

int64_t get_padding(int64_t kernel, int64_t dilation) { return (kernel * dilation - dilation) / 2; }

// F.normalize(x, dim=0, eps=1e-12).
at::Tensor normalize0(const at::Tensor& x) { return x / x.norm(2, {0}, true).clamp_min(1e-12).expand_as(x); }

NormConvOptions conv1d(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, int64_t dilation = 1,
                       int64_t groups = 1, Norm norm = Norm::Weight) {
  NormConvOptions o;
  o.in = in;
  o.out = out;
  o.kernel = {k};
  o.stride = {stride};
  o.padding = {pad};
  o.dilation = {dilation};
  o.groups = groups;
  o.norm = norm;
  return o;
}

// models.py's init_weights: normal_(0, 0.01) on the conv's `weight` attribute, which weight_norm recomputes
// from weight_g/weight_v before every forward. It changes nothing but consumes the random draws, which must
// happen here too for a seeded init to equal Python's.
void consume_init_weights(NormConv& conv) {
  torch::NoGradGuard no_grad;
  auto w = conv->weight();
  at::empty_like(w).normal_(0.0, 0.01);
}

}  // namespace

// ---- NormConv ------------------------------------------------------------------------------------------

NormConvImpl::NormConvImpl(const NormConvOptions& o) : o_(o) {
  if (o.dims != 1 && o.dims != 2) throw InternalError("NormConv: dims must be 1 or 2");
  if (o.transposed && o.dims != 1) throw InternalError("NormConv: only 1-D transposed convolutions");
  // PyTorch's own Conv init (kaiming uniform weight, uniform bias), drawn in Python's order.
  at::Tensor w, b;
  if (o.dims == 1 && !o.transposed) {
    torch::nn::Conv1d c(torch::nn::Conv1dOptions(o.in, o.out, o.kernel[0])
                            .stride(o.stride[0])
                            .padding(o.padding[0])
                            .dilation(o.dilation[0])
                            .groups(o.groups));
    w = c->weight.detach();
    b = c->bias.detach();
  } else if (o.dims == 1) {
    torch::nn::ConvTranspose1d c(torch::nn::ConvTranspose1dOptions(o.in, o.out, o.kernel[0])
                                     .stride(o.stride[0])
                                     .padding(o.padding[0])
                                     .output_padding(o.output_padding[0])
                                     .dilation(o.dilation[0])
                                     .groups(o.groups));
    w = c->weight.detach();
    b = c->bias.detach();
  } else {
    torch::nn::Conv2d c(torch::nn::Conv2dOptions(o.in, o.out, {o.kernel[0], o.kernel[1]})
                            .stride({o.stride[0], o.stride[1]})
                            .padding({o.padding[0], o.padding[1]})
                            .dilation({o.dilation[0], o.dilation[1]})
                            .groups(o.groups));
    w = c->weight.detach();
    b = c->bias.detach();
  }
  // Parameter order as PyTorch leaves it after wrapping: bias first, then the norm's parameters.
  bias_ = register_parameter("bias", b);
  torch::NoGradGuard no_grad;
  switch (o.norm) {
    case Norm::None:
      weight_ = register_parameter("weight", w);
      break;
    case Norm::Weight:
      weight_g_ = register_parameter("weight_g", at::norm_except_dim(w, 2, 0));
      weight_v_ = register_parameter("weight_v", w);
      break;
    case Norm::Spectral: {
      weight_orig_ = register_parameter("weight_orig", w);
      int64_t h = w.size(0), width = w.numel() / h;
      u_ = register_buffer("weight_u", normalize0(w.new_empty({h}).normal_(0, 1)));
      v_ = register_buffer("weight_v", normalize0(w.new_empty({width}).normal_(0, 1)));
      break;
    }
  }
}

at::Tensor NormConvImpl::weight() {
  switch (o_.norm) {
    case Norm::None:
      return weight_;
    case Norm::Weight:
      return at::_weight_norm(weight_v_, weight_g_, 0);
    case Norm::Spectral: {
      at::Tensor mat = weight_orig_.reshape({weight_orig_.size(0), -1});
      at::Tensor u = u_, v = v_;
      if (is_training()) {
        torch::NoGradGuard no_grad;
        v_.copy_(normalize0(at::mv(mat.t(), u_)));
        u_.copy_(normalize0(at::mv(mat, v_)));
        u = u_.clone(at::MemoryFormat::Contiguous);
        v = v_.clone(at::MemoryFormat::Contiguous);
      }
      at::Tensor sigma = at::dot(u, at::mv(mat, v));
      return weight_orig_ / sigma;
    }
  }
  return weight_;
}

at::Tensor NormConvImpl::forward(const at::Tensor& x) {
  at::Tensor w = weight();
  if (o_.dims == 2) return at::conv2d(x, w, bias_, o_.stride, o_.padding, o_.dilation, o_.groups);
  if (o_.transposed)
    return at::conv_transpose1d(x, w, bias_, o_.stride, o_.padding, o_.output_padding, o_.groups,
                                o_.dilation);
  return at::conv1d(x, w, bias_, o_.stride, o_.padding, o_.dilation, o_.groups);
}

void NormConvImpl::remove_weight_norm() {
  if (o_.norm != Norm::Weight) throw InternalError("remove_weight_norm: this convolution has no weight norm");
  at::Tensor w;
  {
    torch::NoGradGuard no_grad;
    w = at::_weight_norm(weight_v_, weight_g_, 0).contiguous();
  }
  parameters_.erase("weight_g");
  parameters_.erase("weight_v");
  weight_g_ = weight_v_ = at::Tensor();
  weight_ = register_parameter("weight", w);
  o_.norm = Norm::None;
}

// ---- Generator -----------------------------------------------------------------------------------------

ResBlockImpl::ResBlockImpl(const std::string& kind, int64_t ch, int64_t k, const std::vector<int64_t>& d)
    : pairs_(kind == "1") {
  if (pairs_) {
    convs1_ = register_module("convs1", torch::nn::ModuleList());
    for (int i = 0; i < 3; ++i)
      convs1_->push_back(NormConv(conv1d(ch, ch, k, 1, get_padding(k, d[i]), d[i])));
    for (size_t i = 0; i < convs1_->size(); ++i) {
      auto c = NormConv(convs1_->ptr<NormConvImpl>(i));
      consume_init_weights(c);
    }
    convs2_ = register_module("convs2", torch::nn::ModuleList());
    for (int i = 0; i < 3; ++i) convs2_->push_back(NormConv(conv1d(ch, ch, k, 1, get_padding(k, 1), 1)));
    for (size_t i = 0; i < convs2_->size(); ++i) {
      auto c = NormConv(convs2_->ptr<NormConvImpl>(i));
      consume_init_weights(c);
    }
  } else {
    convs_ = register_module("convs", torch::nn::ModuleList());
    for (int i = 0; i < 2; ++i) convs_->push_back(NormConv(conv1d(ch, ch, k, 1, get_padding(k, d[i]), d[i])));
    for (size_t i = 0; i < convs_->size(); ++i) {
      auto c = NormConv(convs_->ptr<NormConvImpl>(i));
      consume_init_weights(c);
    }
  }
}

at::Tensor ResBlockImpl::forward(const at::Tensor& input) {
  // Without autograd the intermediates are updated in place (same values, less memory traffic).
  const bool in_place = !at::GradMode::is_enabled();
  at::Tensor x = input;
  const size_t n = pairs_ ? convs1_->size() : convs_->size();
  for (size_t i = 0; i < n; ++i) {
    at::Tensor xt = at::leaky_relu(x, kLreluSlope);
    if (pairs_) {
      xt = convs1_->ptr<NormConvImpl>(i)->forward(xt);
      xt = in_place ? at::leaky_relu_(xt, kLreluSlope) : at::leaky_relu(xt, kLreluSlope);
      xt = convs2_->ptr<NormConvImpl>(i)->forward(xt);
    } else {
      xt = convs_->ptr<NormConvImpl>(i)->forward(xt);
    }
    x = (in_place && i > 0) ? xt.add_(x) : xt + x;  // xt + x: the order of Python's `x = xt + x`
  }
  return x;
}

void ResBlockImpl::remove_weight_norm() {
  for (auto* list : {&convs1_, &convs2_, &convs_})
    if (*list)
      for (size_t i = 0; i < (*list)->size(); ++i) (*list)->ptr<NormConvImpl>(i)->remove_weight_norm();
}

GeneratorImpl::GeneratorImpl(const Hparams& h)
    : h_(h), num_kernels_(int64_t(h.resblock_kernel_sizes.size())) {
  h_.validate("HiFi-GAN hyper-parameters");
  const int64_t c0 = h.upsample_initial_channel;
  conv_pre_ = register_module("conv_pre", NormConv(conv1d(80, c0, 7, 1, 3)));
  ups_ = register_module("ups", torch::nn::ModuleList());
  for (size_t i = 0; i < h.upsample_rates.size(); ++i) {
    const int64_t u = h.upsample_rates[i], k = h.upsample_kernel_sizes[i];
    NormConvOptions o = conv1d(c0 >> i, c0 >> (i + 1), k, u, u / 2 + u % 2);
    o.transposed = true;
    o.output_padding = {u % 2};
    ups_->push_back(NormConv(o));
  }
  resblocks_ = register_module("resblocks", torch::nn::ModuleList());
  int64_t ch = c0;
  for (size_t i = 0; i < h.upsample_rates.size(); ++i) {
    ch = c0 >> (i + 1);
    for (size_t j = 0; j < h.resblock_kernel_sizes.size(); ++j)
      resblocks_->push_back(
          ResBlock(h.resblock, ch, h.resblock_kernel_sizes[j], h.resblock_dilation_sizes[j]));
  }
  conv_post_ = register_module("conv_post", NormConv(conv1d(ch, 1, 7, 1, 3)));
  for (size_t i = 0; i < ups_->size(); ++i) {
    auto c = NormConv(ups_->ptr<NormConvImpl>(i));
    consume_init_weights(c);
  }
  consume_init_weights(conv_post_);
}

at::Tensor GeneratorImpl::forward(const at::Tensor& mel, Activations* acts) {
  if (mel.dim() != 3 || mel.size(1) != 80)
    throw UserError("hifigan: expected a mel batch [B, 80, frames], got " + std::to_string(mel.dim()) +
                    "-D " +
                    (mel.dim() >= 2 ? "with " + std::to_string(mel.size(1)) + " channels" : std::string()));
  const bool in_place = !at::GradMode::is_enabled();
  at::Tensor x = conv_pre_->forward(mel);
  if (acts) (*acts)["conv_pre"] = x.clone();
  for (size_t i = 0; i < ups_->size(); ++i) {
    x = in_place ? at::leaky_relu_(x, kLreluSlope) : at::leaky_relu(x, kLreluSlope);
    x = ups_->ptr<NormConvImpl>(i)->forward(x);
    if (acts) (*acts)["ups." + std::to_string(i)] = x.clone();
    at::Tensor xs;
    for (int64_t j = 0; j < num_kernels_; ++j) {
      const size_t idx = size_t(int64_t(i) * num_kernels_ + j);
      at::Tensor r = resblocks_->ptr<ResBlockImpl>(idx)->forward(x);
      if (acts) (*acts)["resblocks." + std::to_string(idx)] = r.clone();
      if (!xs.defined())
        xs = r;
      else
        xs = in_place ? xs.add_(r) : xs + r;
    }
    x = in_place ? xs.div_(double(num_kernels_)) : xs / double(num_kernels_);
  }
  x = in_place ? at::leaky_relu_(x, 0.01) : at::leaky_relu(x, 0.01);
  x = conv_post_->forward(x);
  if (acts) (*acts)["conv_post"] = x.clone();
  return in_place ? x.tanh_() : at::tanh(x);
}

void GeneratorImpl::remove_weight_norm() {
  if (!weight_norm_) return;
  for (size_t i = 0; i < ups_->size(); ++i) ups_->ptr<NormConvImpl>(i)->remove_weight_norm();
  for (size_t i = 0; i < resblocks_->size(); ++i) resblocks_->ptr<ResBlockImpl>(i)->remove_weight_norm();
  conv_pre_->remove_weight_norm();
  conv_post_->remove_weight_norm();
  weight_norm_ = false;
}

// ---- Discriminators ------------------------------------------------------------------------------------

DiscriminatorPImpl::DiscriminatorPImpl(int64_t period) : period_(period) {
  auto conv2d = [](int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad) {
    NormConvOptions o;
    o.dims = 2;
    o.in = in;
    o.out = out;
    o.kernel = {k, 1};
    o.stride = {stride, 1};
    o.padding = {pad, 0};
    o.dilation = {1, 1};
    return o;
  };
  convs_ = register_module("convs", torch::nn::ModuleList());
  const int64_t pad = get_padding(5, 1);
  convs_->push_back(NormConv(conv2d(1, 32, 5, 3, pad)));
  convs_->push_back(NormConv(conv2d(32, 128, 5, 3, pad)));
  convs_->push_back(NormConv(conv2d(128, 512, 5, 3, pad)));
  convs_->push_back(NormConv(conv2d(512, 1024, 5, 3, pad)));
  convs_->push_back(NormConv(conv2d(1024, 1024, 5, 1, 2)));
  conv_post_ = register_module("conv_post", NormConv(conv2d(1024, 1, 3, 1, 1)));
}

at::Tensor DiscriminatorPImpl::forward(const at::Tensor& input, std::vector<at::Tensor>& fmap) {
  at::Tensor x = input;
  int64_t b = x.size(0), c = x.size(1), t = x.size(2);
  if (t % period_ != 0) {
    const int64_t n_pad = period_ - t % period_;
    x = at::reflection_pad1d(x, {0, n_pad});
    t += n_pad;
  }
  x = x.view({b, c, t / period_, period_});
  for (size_t i = 0; i < convs_->size(); ++i) {
    x = at::leaky_relu(convs_->ptr<NormConvImpl>(i)->forward(x), kLreluSlope);
    fmap.push_back(x);
  }
  x = conv_post_->forward(x);
  fmap.push_back(x);
  return x.flatten(1, -1);
}

DiscriminatorSImpl::DiscriminatorSImpl(bool spectral) {
  const Norm n = spectral ? Norm::Spectral : Norm::Weight;
  convs_ = register_module("convs", torch::nn::ModuleList());
  convs_->push_back(NormConv(conv1d(1, 128, 15, 1, 7, 1, 1, n)));
  convs_->push_back(NormConv(conv1d(128, 128, 41, 2, 20, 1, 4, n)));
  convs_->push_back(NormConv(conv1d(128, 256, 41, 2, 20, 1, 16, n)));
  convs_->push_back(NormConv(conv1d(256, 512, 41, 4, 20, 1, 16, n)));
  convs_->push_back(NormConv(conv1d(512, 1024, 41, 4, 20, 1, 16, n)));
  convs_->push_back(NormConv(conv1d(1024, 1024, 41, 1, 20, 1, 16, n)));
  convs_->push_back(NormConv(conv1d(1024, 1024, 5, 1, 2, 1, 1, n)));
  conv_post_ = register_module("conv_post", NormConv(conv1d(1024, 1, 3, 1, 1, 1, 1, n)));
}

at::Tensor DiscriminatorSImpl::forward(const at::Tensor& input, std::vector<at::Tensor>& fmap) {
  at::Tensor x = input;
  for (size_t i = 0; i < convs_->size(); ++i) {
    x = at::leaky_relu(convs_->ptr<NormConvImpl>(i)->forward(x), kLreluSlope);
    fmap.push_back(x);
  }
  x = conv_post_->forward(x);
  fmap.push_back(x);
  return x.flatten(1, -1);
}

MultiPeriodDiscriminatorImpl::MultiPeriodDiscriminatorImpl() {
  discriminators_ = register_module("discriminators", torch::nn::ModuleList());
  for (int64_t p : {2, 3, 5, 7, 11}) discriminators_->push_back(DiscriminatorP(p));
}

DiscOutputs MultiPeriodDiscriminatorImpl::forward(const at::Tensor& y, const at::Tensor& y_hat) {
  DiscOutputs out;
  for (size_t i = 0; i < discriminators_->size(); ++i) {
    auto* d = discriminators_->ptr<DiscriminatorPImpl>(i).get();
    out.fmap_real.emplace_back();
    out.fmap_fake.emplace_back();
    out.real.push_back(d->forward(y, out.fmap_real.back()));
    out.fake.push_back(d->forward(y_hat, out.fmap_fake.back()));
  }
  return out;
}

MultiScaleDiscriminatorImpl::MultiScaleDiscriminatorImpl() {
  discriminators_ = register_module("discriminators", torch::nn::ModuleList());
  discriminators_->push_back(DiscriminatorS(true));
  discriminators_->push_back(DiscriminatorS(false));
  discriminators_->push_back(DiscriminatorS(false));
}

DiscOutputs MultiScaleDiscriminatorImpl::forward(const at::Tensor& y_in, const at::Tensor& y_hat_in) {
  DiscOutputs out;
  at::Tensor y = y_in, y_hat = y_hat_in;
  for (size_t i = 0; i < discriminators_->size(); ++i) {
    if (i != 0) {  // meanpools: AvgPool1d(4, 2, padding=2)
      y = at::avg_pool1d(y, {4}, {2}, {2});
      y_hat = at::avg_pool1d(y_hat, {4}, {2}, {2});
    }
    auto* d = discriminators_->ptr<DiscriminatorSImpl>(i).get();
    out.fmap_real.emplace_back();
    out.fmap_fake.emplace_back();
    out.real.push_back(d->forward(y, out.fmap_real.back()));
    out.fake.push_back(d->forward(y_hat, out.fmap_fake.back()));
  }
  return out;
}

// ---- Losses --------------------------------------------------------------------------------------------

at::Tensor feature_loss(const std::vector<std::vector<at::Tensor>>& fr,
                        const std::vector<std::vector<at::Tensor>>& fg) {
  at::Tensor loss;
  for (size_t i = 0; i < fr.size(); ++i)
    for (size_t j = 0; j < fr[i].size(); ++j) {
      at::Tensor l = at::mean(at::abs(fr[i][j] - fg[i][j]));
      loss = loss.defined() ? loss + l : l;
    }
  return loss * 2;
}

at::Tensor discriminator_loss(const std::vector<at::Tensor>& real, const std::vector<at::Tensor>& fake) {
  at::Tensor loss;
  for (size_t i = 0; i < real.size(); ++i) {
    at::Tensor l = at::mean((1 - real[i]).pow(2)) + at::mean(fake[i].pow(2));
    loss = loss.defined() ? loss + l : l;
  }
  return loss;
}

at::Tensor generator_loss(const std::vector<at::Tensor>& fake) {
  at::Tensor loss;
  for (const auto& f : fake) {
    at::Tensor l = at::mean((1 - f).pow(2));
    loss = loss.defined() ? loss + l : l;
  }
  return loss;
}

// ---- Loss mel ------------------------------------------------------------------------------------------

LossMel::LossMel(const Hparams& h, double fmax) : n_fft_(h.n_fft), hop_(h.hop_size), win_(h.win_size) {
  basis_ = mel_filterbank(int(h.sampling_rate), int(h.n_fft), int(h.num_mels), h.fmin, fmax);
  window_ = at::hann_window(win_, /*periodic=*/true, at::TensorOptions().dtype(at::kFloat));
}

at::Tensor LossMel::operator()(const at::Tensor& y) const {
  if (y.dim() != 2) throw InternalError("LossMel: expected [B, T] samples");
  const int64_t pad = (n_fft_ - hop_) / 2;
  at::Tensor x = at::reflection_pad1d(y.unsqueeze(1), {pad, pad}).squeeze(1);
  at::Tensor window = window_.to(y.device()), basis = basis_.to(y.device());
  at::Tensor spec = at::stft(x, n_fft_, hop_, win_, window, /*normalized=*/false, /*onesided=*/true,
                             /*return_complex=*/true);
  spec = at::sqrt(at::view_as_real(spec).pow(2).sum(-1) + 1e-9);
  spec = at::matmul(basis, spec);
  return at::log(at::clamp(spec, 1e-5));
}

}  // namespace voxclone::hifigan
